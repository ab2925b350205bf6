"""Reading state: statuses, queues, undo history and small settings.

Kept in its own TinyDB file (``state.json``) so that a triage keystroke never
rewrites the paper corpus. Every change is an *operation* (a small dict);
applying operations to :class:`StateData` is pure, which is what lets two
processes merge: each one re-applies its pending operations on top of what
the other wrote.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from store.errors import QueueError
from store.model import Status
from store.tags import is_tag
from store.view_ops import apply_view_op, view_undo_op

Op = dict[str, Any]
UNDO_LIMIT = 200


@dataclass
class StateData:
    """Everything in ``state.json``, as plain Python values."""

    status: dict[str, tuple[str, str]] = field(default_factory=dict)
    """paper id -> (status, ISO time of change); papers absent are ``new``."""
    queues: dict[str, list[str]] = field(default_factory=dict)
    """queue name -> paper ids in reading order; dict order is queue order."""
    undo: list[dict[str, Any]] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    tags: dict[str, list[str]] = field(default_factory=dict)
    """paper id -> its tags, sorted; papers without tags are absent."""
    notes: dict[str, tuple[str, str]] = field(default_factory=dict)
    """paper id -> (Markdown note, ISO time of the edit); papers without a note are absent."""
    views: dict[str, str] = field(default_factory=dict)
    """saved view name -> its query; dict order is the views bar's order."""

    def copy(self) -> StateData:
        return StateData(
            status=dict(self.status),
            queues={name: list(ids) for name, ids in self.queues.items()},
            undo=list(self.undo),
            meta=copy.deepcopy(self.meta),
            tags={pid: list(names) for pid, names in self.tags.items()},
            notes=dict(self.notes),
            views=dict(self.views),
        )

    # -- TinyDB layout -------------------------------------------------------
    def to_tables(self) -> dict[str, list[dict[str, Any]]]:
        return {
            "status": [{"id": pid, "status": s, "changed": at} for pid, (s, at) in self.status.items()],
            "queues": [{"name": name, "ids": ids} for name, ids in self.queues.items()],
            "undo": list(self.undo),
            "meta": [{"key": k, "value": v} for k, v in self.meta.items()],
            "tags": [{"id": pid, "tags": names} for pid, names in self.tags.items()],
            "notes": [{"id": pid, "text": text, "changed": at} for pid, (text, at) in self.notes.items()],
            "views": [{"name": name, "query": query} for name, query in self.views.items()],
        }

    @classmethod
    def from_tables(cls, tables: dict[str, list[dict[str, Any]]]) -> StateData:
        data = cls()
        for doc in tables.get("status", []):
            pid, status = doc.get("id"), doc.get("status")
            if isinstance(pid, str) and status in _STATUS_VALUES and status != "new":
                data.status[pid] = (status, str(doc.get("changed") or ""))
        for doc in tables.get("queues", []):
            name, ids = doc.get("name"), doc.get("ids")
            if isinstance(name, str) and isinstance(ids, list):
                data.queues[name] = [i for i in ids if isinstance(i, str)]
        data.undo = [dict(doc) for doc in tables.get("undo", []) if isinstance(doc.get("changes"), list)]
        for doc in tables.get("meta", []):
            if isinstance(doc.get("key"), str):
                data.meta[doc["key"]] = doc.get("value")
        for doc in tables.get("tags", []):
            pid, names = doc.get("id"), doc.get("tags")
            if isinstance(pid, str) and isinstance(names, list):
                kept = sorted({n for n in names if is_tag(n)})
                if kept:
                    data.tags[pid] = kept
        for doc in tables.get("notes", []):
            pid, text = doc.get("id"), doc.get("text")
            if isinstance(pid, str) and isinstance(text, str) and text:
                data.notes[pid] = (text, str(doc.get("changed") or ""))
        for doc in tables.get("views", []):
            if isinstance(doc.get("name"), str) and isinstance(doc.get("query"), str):
                data.views[doc["name"]] = doc["query"]
        return data


_STATUS_VALUES = {s.value for s in Status}


def status_of(data: StateData, paper_id: str) -> Status:
    entry = data.status.get(paper_id)
    return Status(entry[0]) if entry else Status.NEW


def apply(data: StateData, op: Op) -> None:
    """Apply one operation in place. Unknown or stale operations are no-ops.

    Operations must stay meaningful when replayed on a state another process
    changed meanwhile, so they name ids, never positions of other entries.
    """
    kind = op["op"]
    if kind == "status":
        if op["status"] == Status.NEW.value:
            data.status.pop(op["id"], None)
        else:
            data.status[op["id"]] = (op["status"], op["at"])
    elif kind == "queue_set":
        if op["ids"] is None:
            data.queues.pop(op["name"], None)
        else:
            data.queues[op["name"]] = _dedupe(op["ids"])
    elif kind == "queue_add":
        ids = data.queues.setdefault(op["name"], [])
        for pid in op["ids"]:
            if pid not in ids:
                ids.append(pid)
    elif kind == "queue_remove":
        if op["name"] in data.queues:
            drop = set(op["ids"])
            data.queues[op["name"]] = [i for i in data.queues[op["name"]] if i not in drop]
    elif kind == "queue_move":
        queue = data.queues.get(op["name"])
        if queue is not None and op["id"] in queue:
            queue.remove(op["id"])
            queue.insert(max(0, min(op["position"], len(queue))), op["id"])
    elif kind == "queue_insert":
        ids = data.queues.setdefault(op["name"], [])
        for position, pid in sorted(op["items"]):
            if pid not in ids:
                ids.insert(max(0, min(position, len(ids))), pid)
    elif kind == "queue_drop_empty":
        if data.queues.get(op["name"]) == []:
            del data.queues[op["name"]]
    elif kind == "queue_rename":
        if op["old"] in data.queues and op["new"] not in data.queues:
            data.queues = {
                (op["new"] if name == op["old"] else name): ids for name, ids in data.queues.items()
            }
    elif kind == "undo_push":
        data.undo.append(op["entry"])
        del data.undo[:-UNDO_LIMIT]
    elif kind == "undo_pop":
        data.undo = [e for e in data.undo if e.get("uid") != op["uid"]]
    elif kind == "meta":
        data.meta[op["key"]] = op["value"]
    elif kind == "rekey":
        _rekey(data, op["old"], op["new"])
    elif kind == "tag":
        _set_tag(data, op["id"], op["tag"], bool(op["on"]))
    elif kind == "note":
        if op["text"]:
            data.notes[op["id"]] = (op["text"], op["at"])
        else:
            data.notes.pop(op["id"], None)
    elif kind in ("view_set", "view_rename"):
        apply_view_op(data.views, op)


def _set_tag(data: StateData, paper_id: str, tag: str, on: bool) -> None:
    """One tag on or off one paper: an op that names the tag, so concurrent tagging merges."""
    have = data.tags.get(paper_id, [])
    if on and tag not in have:
        data.tags[paper_id] = sorted([*have, tag])
    elif not on and tag in have:
        rest = [t for t in have if t != tag]
        if rest:
            data.tags[paper_id] = rest
        else:
            del data.tags[paper_id]


def follow(aliases: Mapping[str, str], paper_id: str) -> str:
    """Where ``paper_id`` lives now (old title id → arXiv id, through chains)."""
    seen = 0
    while paper_id in aliases and seen < 16:
        paper_id = aliases[paper_id]
        seen += 1
    return paper_id


def resolve_op(op: Op, aliases: Mapping[str, str]) -> Op:
    """``op`` with its paper ids moved to where the papers live now.

    An operation recorded against an id that a concurrent import re-keyed
    (the import's write landed between the keystroke and this flush) must
    land on the paper, not on a dead id.
    """
    if not aliases or op["op"] in ("rekey", "undo_push", "undo_pop", "meta", "queue_rename", "queue_drop_empty"):
        return op
    moved = dict(op)
    if isinstance(op.get("id"), str):
        moved["id"] = follow(aliases, op["id"])
    if isinstance(op.get("ids"), list):
        moved["ids"] = [follow(aliases, i) if isinstance(i, str) else i for i in op["ids"]]
    if isinstance(op.get("items"), list):
        moved["items"] = [[pos, follow(aliases, pid)] for pos, pid in op["items"]]
    return moved


def follow_aliases(data: StateData, aliases: Mapping[str, str]) -> bool:
    """Move state recorded under old ids to the ids their papers have now; True when any moved.

    The other half of :func:`resolve_op`: state another process wrote under
    an old id after the re-key it had not seen yet (or a file written by an
    older papertray) is folded into the paper's current id.
    """
    if not aliases:
        return False
    stale = {pid for pid in data.status if pid in aliases}
    stale.update(pid for ids in data.queues.values() for pid in ids if pid in aliases)
    stale.update(pid for pid in (*data.tags, *data.notes) if pid in aliases)
    for old in stale:
        _rekey(data, old, follow(aliases, old))
    return bool(stale)


def _rekey(data: StateData, old: str, new: str) -> None:
    """A title-id paper became an arXiv paper: its state follows it.

    When both ids carry a status, the later change wins (ISO times compare
    as strings): a mark made on the old id during the import is the newer one.
    """
    if old in data.status:
        entry = data.status.pop(old)
        current = data.status.get(new)
        if current is None or entry[1] > current[1]:
            data.status[new] = entry
    for name, ids in data.queues.items():
        if old in ids:
            data.queues[name] = _dedupe([new if i == old else i for i in ids])
    if old in data.tags:
        data.tags[new] = sorted({*data.tags.pop(old), *data.tags.get(new, [])})
    if old in data.notes:
        note = data.notes.pop(old)
        current_note = data.notes.get(new)
        if current_note is None or note[1] > current_note[1]:
            data.notes[new] = note
    data.undo = [_rekey_entry(entry, old, new) for entry in data.undo]


def _rekey_entry(entry: dict[str, Any], old: str, new: str) -> dict[str, Any]:
    """Undo history follows the paper too, or undoing an older action would touch a dead id."""

    def swap(value: Any) -> Any:
        if value == old:
            return new
        if isinstance(value, list):
            return [swap(v) for v in value]
        return value

    changes = [
        {key: swap(value) if key in ("id", "ids", "items") else value for key, value in change.items()}
        for change in entry.get("changes", [])
    ]
    return {**entry, "changes": changes}


def _dedupe(ids: list[str]) -> list[str]:
    return list(dict.fromkeys(ids))


def check_queue_name(name: str) -> str:
    """Queue names appear in ``in:NAME`` queries and on the command line."""
    cleaned = name.strip()
    if not cleaned:
        raise QueueError("a queue name cannot be empty")
    if len(cleaned) > 40:
        raise QueueError(f"queue name too long ({len(cleaned)} > 40 characters)")
    if any(not (ch.isalnum() or ch in "-_.") for ch in cleaned):
        raise QueueError(f"queue name {cleaned!r}: use letters, digits, '-', '_' or '.'")
    return cleaned


def undo_ops(entry: Mapping[str, Any], at: str) -> list[Op]:
    """The ops that take back an undo entry's changes (newest change first), then pop the entry.

    Args:
        entry: an undo entry as ``_record`` pushed it: ``uid``, ``label``, ``changes``.
        at: timestamp for the statuses given back.
    """
    ops: list[Op] = [{"op": "undo_pop", "uid": entry.get("uid")}]
    for change in reversed(entry["changes"]):
        kind = change["kind"]
        if kind == "status":
            ops.append({"op": "status", "id": change["id"], "status": change["status"], "at": at})
        elif kind == "queue":
            ops.append({"op": "queue_set", "name": change["name"], "ids": change["ids"]})
        elif kind == "rename":
            ops.append({"op": "queue_rename", "old": change["old"], "new": change["new"]})
        elif kind == "unadd":
            ops.append({"op": "queue_remove", "name": change["name"], "ids": change["ids"]})
            if change.get("created"):
                ops.append({"op": "queue_drop_empty", "name": change["name"]})
        elif kind == "reinsert":
            ops.append({"op": "queue_insert", "name": change["name"], "items": change["items"]})
        elif kind == "move":
            ops.append({"op": "queue_move", "name": change["name"], "id": change["id"], "position": change["position"]})
        elif kind == "tag":
            ops.append({"op": "tag", "id": change["id"], "tag": change["tag"], "on": change["on"]})
        elif kind == "note":
            ops.append({"op": "note", "id": change["id"], "text": change["text"], "at": at})
        elif kind == "view":
            ops.append(view_undo_op(change))
    return ops
