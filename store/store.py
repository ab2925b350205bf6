"""The store: one object the TUI and the CLI use for everything on disk.

A store is a directory::

    papers.json     the corpus (TinyDB) — written by imports and fetches
    state.json      statuses, queues, undo, settings (TinyDB) — written by triage
    .lock           held for the milliseconds of each write
    cache/          list index and records, rebuilt when stale
    backups/        the previous good copies of both files

Triage calls return at once: the change is applied in memory and a writer
thread puts it on disk within ``FLUSH_DELAY`` seconds, merged under the lock
with whatever another papertray process wrote meanwhile. ``close()`` (and
``flush()``) write synchronously.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from store.annotations import Annotations
from store.backups import KEEP as KEEP_BACKUPS
from store.errors import QueueError, UnknownPaperError
from store.journal import FLUSH_DELAY, LOCK_FILE, RETRY_DELAY, STATE_FILE, Listener, now, prepare_root
from store.model import ImportReport, Paper, PaperDraft, Row, Status
from store.rules import Rules
from store.saved_views import SavedViewStore
from store.scope_keys import ScopeKeys
from store.state import Op, check_queue_name, follow_aliases, status_of, undo_ops
from store.temps import sweep

if TYPE_CHECKING:
    from store.search import SearchIndex
    from store.search_cache import SearchCache
    from store.search_titles import TitleScan

__all__ = ["FLUSH_DELAY", "LOCK_FILE", "RETRY_DELAY", "STATE_FILE", "Listener", "Store"]


class Store(Annotations, SavedViewStore):
    """Open with :meth:`open`; use as a context manager so pending writes land.

    The writing machinery (writer thread, flush, poll, listeners) is the
    :class:`~store.journal.Journal` it extends; this class is what callers use.
    """

    def __init__(self, root: Path, *, readonly: bool, lock_wait: float) -> None:
        super().__init__(root, readonly=readonly, lock_wait=lock_wait)
        self._search_cache: SearchCache | None = None
        self._title_scan: TitleScan | None = None
        self._scope = ScopeKeys()
        """The rows `search` was last given, keyed by id."""
        self.rules = Rules()  # watch and mute rules: the app and the CLI set them from the config

    # -- opening and closing -------------------------------------------------
    @classmethod
    def open(
        cls,
        root: Path | str,
        *,
        readonly: bool = False,
        create: bool = True,
        lock_wait: float = 10.0,
        keep_backups: int = KEEP_BACKUPS,
    ) -> Store:
        """Open (and create) the store at ``root``.

        Args:
            keep_backups: how many previous good copies of each file to keep.

        Raises:
            DamagedFileError: a store file does not parse or is not ours.
            StoreError: ``root`` is not a directory, or cannot be created.
        """
        path = prepare_root(Path(root).expanduser(), create=create and not readonly)
        unwritable = not readonly and not os.access(path, os.W_OK)
        store = cls(path, readonly=readonly or unwritable, lock_wait=lock_wait)
        store.keep_backups = max(0, keep_backups)
        if unwritable:
            store.readonly_reason = (
                "store directory is not writable (read-only filesystem or permissions); changes cannot be saved"
            )
        if not store.readonly:
            sweep(path)  # temp files of writers that were killed
        store._load_state()
        store.corpus.validate()
        follow_aliases(store._state, store.corpus.aliases)  # marks a concurrent re-key left on old ids
        return store

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- papers ------------------------------------------------------------------
    @property
    def is_empty(self) -> bool:
        return not self.corpus.exists() or not self.rows()

    def rows(self) -> list[Row]:
        """All papers as list rows, newest first (from the list cache when current)."""
        return self.corpus.rows()

    def get(self, paper_id: str) -> Paper | None:
        return self.corpus.get(paper_id)

    def require(self, paper_id: str) -> Paper:
        paper = self.get(paper_id)
        if paper is None:
            raise UnknownPaperError(paper_id)
        return paper

    def papers(self) -> list[Paper]:
        return self.corpus.papers()

    def resolve(self, paper_id: str) -> str:
        return self.corpus.resolve(paper_id)

    # -- search ----------------------------------------------------------------
    def search_index(self) -> SearchIndex:
        """The search index (built or loaded on first use: call from a worker).

        Imported lazily: rapidfuzz and the index cost start-up time that the
        first paint should not pay.
        """
        if self._search_cache is None:
            from store.search_cache import SearchCache

            self._search_cache = SearchCache(self.corpus)
        return self._search_cache.index()

    def search(self, text: str, *, scope: Sequence[Row] | None = None) -> list[Row]:
        """Rows matching a query, ranked (relevance with words, else date).

        Raises:
            QueryError: the query does not parse (message says where).
        """
        from store.query import parse_query

        query, keep = self.rules.narrow(self, parse_query(text))  # is:watched / is:muted: id sets, after
        rows = self.rows() if scope is None else scope
        if query.is_empty:
            return list(rows) if keep is None else [r for r in rows if keep(r.id)]
        by_id, scope_ids = self._scope.keyed(rows)
        ids = self.search_index().search(
            query,
            status_of=lambda pid: self.status(pid).value,
            queues_of=lambda pid: frozenset(self.queues_of(pid)),
            scope=scope_ids,
        )
        tagged = self.annotation_test(query.filters)  # tag:, has:note, note: (see store.annotations)
        found = map(by_id.get, ids if keep is None else filter(keep, ids))
        return [r for r in found if r is not None and (tagged is None or tagged(r.id))]

    @property
    def search_ready(self) -> bool:
        """True when `search` answers at once: the index is loaded and current."""
        return self._search_cache is not None and self._search_cache.ready

    def search_titles(self, text: str, *, scope: Sequence[Row]) -> list[Row] | None:
        """A provisional answer from titles alone, while the index is built (see `store.search_titles`).

        Raises:
            QueryError: the query does not parse.
        """
        from store.search_titles import TitleScan

        if self._title_scan is None:
            self._title_scan = TitleScan()
        return self._title_scan.answer(text, scope)

    def highlight(self, text: str, query_text: str) -> list[tuple[int, int]]:
        """Spans of ``text`` that match the query's words (for the abstract pane)."""
        from store.query import QueryError, parse_query
        from store.search import highlight_spans

        try:
            return highlight_spans(text, parse_query(query_text))
        except QueryError:
            return []

    def add_drafts(self, drafts: Sequence[PaperDraft], *, source: str) -> ImportReport:
        return self.import_batches([(source, drafts)])[0]

    def import_batches(self, batches: Sequence[tuple[str, Sequence[PaperDraft]]]) -> list[ImportReport]:
        """Merge several files' drafts in one all-or-nothing write."""
        self._require_writable()
        with self._corpus_lock("nothing imported"):
            merged = self.corpus.merge(batches)
            self._write_corpus(merged.docs, merged.aliases, merged.rekeys, "nothing imported")
        if merged.rekeys:
            self.flush()
        self._changed()
        return merged.reports

    def update_papers(self, updates: Mapping[str, Mapping[str, object]]) -> None:
        """Set fields on existing papers (the resolver fills arXiv ids, authors...)."""
        self._require_writable()
        with self._corpus_lock("nothing changed"):
            docs, aliases, rekeys = self.corpus.update_fields({k: dict(v) for k, v in updates.items()})
            self._write_corpus(docs, aliases, rekeys, "nothing changed")
        self.flush()
        self._changed()

    # -- reading state -----------------------------------------------------------
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
        ids = [self.resolve(p) for p in paper_ids]
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
        ids = [pid for pid in dict.fromkeys(self.resolve(p) for p in paper_ids) if pid not in have]
        for pid in ids:
            self.require(pid)
        if ids or current is None:
            self._record(
                [{"op": "queue_add", "name": name, "ids": ids}],
                [{"kind": "unadd", "name": name, "ids": ids, "created": current is None}],
                f"queued in {name}",
            )
        return len(ids)

    def queue_remove(self, name: str, paper_ids: Iterable[str]) -> int:
        current = self.queue(name)
        drop = {self.resolve(p) for p in paper_ids}
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
        pid = self.resolve(paper_id)
        if pid in self._state.queues.get(name, []):
            self.queue_remove(name, [pid])
            return False
        self.queue_add(name, [pid])
        return True

    def queue_move(self, name: str, paper_id: str, position: int) -> int:
        """Move a paper to ``position`` (0-based, clamped); returns where it landed."""
        current = self.queue(name)
        pid = self.resolve(paper_id)
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
        pid = self.resolve(paper_id)
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

    # -- settings ----------------------------------------------------------------
    def meta_get(self, key: str, default: Any = None) -> Any:
        return self._state.meta.get(key, default)

    def meta_set(self, key: str, value: Any) -> None:
        self._submit({"op": "meta", "key": key, "value": value})
