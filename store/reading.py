"""Reading state on the store: statuses, reading queues and undo — each change one undoable op.

The state half of `store.store.Store` that triage and the queue keys use; kept
apart so each module holds one job. Every change is recorded with
`Journal._record` (ops applied in memory at once, written by the journal, merged
with other processes' writes), and undo replays the recorded inverse.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from store.errors import QueueError, UnknownPaperError
from store.journal import Journal, now
from store.model import Status
from store.state import Op, check_queue_name, status_of, undo_ops


class ReadingState(Journal):
    """Statuses, queues and undo of `store.store.Store`."""

    def _require_paper(self, paper_id: str) -> str:
        """``paper_id`` as stored now (an old id follows its paper); raises `UnknownPaperError`."""
        if self.corpus.get(paper_id) is None:
            raise UnknownPaperError(paper_id)
        return self.corpus.resolve(paper_id)

    def status(self, paper_id: str) -> Status:
        """The paper's status; an old id (before an arXiv upgrade) finds its paper's status."""
        entry = self._state.status.get(paper_id)
        if entry is None:
            resolved = self.corpus.resolve_loaded(paper_id)
            if resolved != paper_id:
                return status_of(self._state, resolved)
        return Status(entry[0]) if entry else Status.NEW

    def statuses(self) -> dict[str, Status]:
        """Every paper that is not ``new``."""
        return {pid: Status(s) for pid, (s, _) in self._state.status.items()}

    def status_counts(self) -> dict[Status, int]:
        counts = {s: 0 for s in Status}
        for s, _ in self._state.status.values():
            counts[Status(s)] += 1
        return counts

    def set_status(self, paper_ids: Iterable[str], status: Status, *, label: str | None = None) -> int:
        """Set a status on papers; one undo step for the whole call. Returns how many changed."""
        ids = [self.corpus.resolve(p) for p in paper_ids]
        changes = [
            {"kind": "status", "id": pid, "status": self.status(pid).value}
            for pid in ids
            if self.status(pid) is not status
        ]
        if not changes:
            return 0
        at = now()
        ops = [{"op": "status", "id": c["id"], "status": status.value, "at": at} for c in changes]
        what = label or (f"{status.value}: {len(changes)} papers" if len(changes) > 1 else f"{status.value}")
        self._record(ops, changes, what)
        return len(changes)

    def toggle(self, paper_id: str, status: Status) -> Status:
        """Toggle a triage status: pressing the key again takes it back.

        Un-starring leaves a paper ``read`` (you did see it); un-reading and
        un-skipping make it ``new`` again.
        """
        current = self.status(paper_id)
        if current is status:
            target = Status.READ if status is Status.STARRED else Status.NEW
        else:
            target = status
        self.set_status([paper_id], target, label=f"{target.value}")
        return target

    # -- queues --------------------------------------------------------------
    def queues(self) -> dict[str, list[str]]:
        """Queue name -> ids in reading order (copies)."""
        with self._mutex:
            return {name: list(ids) for name, ids in self._state.queues.items()}

    def queue(self, name: str) -> list[str]:
        ids = self._state.queues.get(name)
        if ids is None:
            raise QueueError(f"no queue named {name!r}")
        return list(ids)

    def queues_of(self, paper_id: str) -> list[str]:
        pid = self.corpus.resolve_loaded(paper_id)
        return [name for name, ids in self._state.queues.items() if pid in ids]

    def queued_ids(self) -> frozenset[str]:
        return frozenset(pid for ids in self._state.queues.values() for pid in ids)

    def queue_create(self, name: str) -> str:
        name = check_queue_name(name)
        if name not in self._state.queues:
            self._record(
                [{"op": "queue_add", "name": name, "ids": []}],
                [{"kind": "unadd", "name": name, "ids": [], "created": True}],
                f"new queue {name}",
            )
        return name

    # Queue changes are recorded as additions, removals and moves of named ids,
    # never as the whole list: replayed on top of another process's write they
    # keep that process's changes (a snapshot would silently drop them).

    def queue_add(self, name: str, paper_ids: Iterable[str]) -> int:
        name = check_queue_name(name)
        current = self._state.queues.get(name)
        have = set(current or ())
        ids = [pid for pid in dict.fromkeys(self.corpus.resolve(p) for p in paper_ids) if pid not in have]
        for pid in ids:
            self._require_paper(pid)
        if ids or current is None:
            self._record(
                [{"op": "queue_add", "name": name, "ids": ids}],
                [{"kind": "unadd", "name": name, "ids": ids, "created": current is None}],
                f"queued in {name}",
            )
        return len(ids)

    def queue_remove(self, name: str, paper_ids: Iterable[str]) -> int:
        current = self.queue(name)
        drop = {self.corpus.resolve(p) for p in paper_ids}
        items = [[index, pid] for index, pid in enumerate(current) if pid in drop]
        if items:
            self._record(
                [{"op": "queue_remove", "name": name, "ids": [pid for _, pid in items]}],
                [{"kind": "reinsert", "name": name, "items": items}],
                f"removed from {name}",
            )
        return len(items)

    def queue_toggle(self, name: str, paper_id: str) -> bool:
        """Add or remove; returns True when the paper is now in the queue."""
        pid = self.corpus.resolve(paper_id)
        if pid in self._state.queues.get(name, []):
            self.queue_remove(name, [pid])
            return False
        self.queue_add(name, [pid])
        return True

    def queue_move(self, name: str, paper_id: str, position: int) -> int:
        """Move a paper to ``position`` (0-based, clamped); returns where it landed."""
        current = self.queue(name)
        pid = self.corpus.resolve(paper_id)
        if pid not in current:
            raise QueueError(f"{paper_id} is not in queue {name!r}")
        position = max(0, min(position, len(current) - 1))
        old = current.index(pid)
        if old != position:
            self._record(
                [{"op": "queue_move", "name": name, "id": pid, "position": position}],
                [{"kind": "move", "name": name, "id": pid, "position": old}],
                f"moved in {name}",
            )
        return position

    def queue_done(self, name: str, paper_id: str) -> None:
        """Mark read and take out of the queue: one undo step."""
        pid = self.corpus.resolve(paper_id)
        current = self.queue(name)
        if pid not in current:
            raise QueueError(f"{paper_id} is not in queue {name!r}")
        changes: list[dict[str, Any]] = [{"kind": "reinsert", "name": name, "items": [[current.index(pid), pid]]}]
        ops: list[Op] = [{"op": "queue_remove", "name": name, "ids": [pid]}]
        if self.status(pid) in (Status.NEW, Status.SKIPPED):
            changes.append({"kind": "status", "id": pid, "status": self.status(pid).value})
            ops.append({"op": "status", "id": pid, "status": Status.READ.value, "at": now()})
        self._record(ops, changes, f"done in {name}")

    def queue_rename(self, old: str, new: str) -> None:
        self.queue(old)
        new = check_queue_name(new)
        if new in self._state.queues:
            raise QueueError(f"a queue named {new!r} exists already")
        self._record(
            [{"op": "queue_rename", "old": old, "new": new}],
            [{"kind": "rename", "old": new, "new": old}],
            f"renamed {old} to {new}",
        )

    def queue_drop(self, name: str) -> None:
        current = self.queue(name)
        self._record(
            [{"op": "queue_set", "name": name, "ids": None}],
            [{"kind": "reinsert", "name": name, "items": [[i, pid] for i, pid in enumerate(current)]}],
            f"deleted queue {name}",
        )

    # -- undo ------------------------------------------------------------------
    def undo_label(self) -> str | None:
        return self._state.undo[-1].get("label") if self._state.undo else None

    def undo_ids(self) -> list[str]:
        """The papers the next undo gives back (so the UI can name them)."""
        changes = self._state.undo[-1].get("changes", []) if self._state.undo else []
        ids = [pid for c in changes for pid in ([c["id"]] if "id" in c else c.get("ids") or [])]
        return list(dict.fromkeys(ids))

    def undo(self) -> str | None:
        """Take back the last action (this process's or another's); None when nothing to undo."""
        with self._mutex:
            if not self._state.undo:
                return None
            entry = self._state.undo[-1]
            ops = undo_ops(entry, now())
            for op in ops:
                self._submit(op)
        self._changed()
        return str(entry.get("label", "last action"))

