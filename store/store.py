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

import datetime as dt
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from operator import is_
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from store.backups import KEEP as KEEP_BACKUPS
from store.backups import rotate_backup
from store.corpus import PAPERS_FILE, Corpus
from store.errors import DamagedFileError, QueueError, ReadOnlyError, StoreError, UnknownPaperError
from store.lock import StoreLock
from store.model import ImportReport, Paper, PaperDraft, Row, Status

if TYPE_CHECKING:
    from store.search import SearchIndex
    from store.search_cache import SearchCache
    from store.search_titles import TitleScan
from store.state import Op, StateData, apply, check_queue_name, status_of
from store.storage import AtomicJSONStorage

STATE_FILE = "state.json"
LOCK_FILE = ".lock"
FLUSH_DELAY = 0.05
"""Seconds the writer waits to coalesce a burst of keystrokes into one write."""

Listener = Callable[[], None]


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


class Store:
    """Open with :meth:`open`; use as a context manager so pending writes land."""

    def __init__(self, root: Path, *, readonly: bool, lock_wait: float) -> None:
        self.keep_backups = KEEP_BACKUPS
        self.root = root
        self.readonly = readonly
        self.lock = StoreLock(root / LOCK_FILE, wait=lock_wait)
        self.corpus = Corpus(root, readonly=readonly)
        self._search_cache: SearchCache | None = None
        self._title_scan: TitleScan | None = None
        self._last_scope: tuple[tuple[Row, ...], dict[str, Row], list[str]] | None = None
        """The rows `search` was last given, keyed by id (see `_keyed`)."""
        self._state_storage = AtomicJSONStorage(root / STATE_FILE, "state", readonly=readonly)
        self._state = StateData()
        self._pending: list[Op] = []
        self._mutex = threading.RLock()
        self._wake = threading.Condition(self._mutex)
        self._flush_lock = threading.Lock()
        """One flush at a time in this process: the file lock does not exclude our own threads."""
        self._swept = False
        self._writer: threading.Thread | None = None
        self._closing = False
        self._backed_up: set[str] = set()
        self._listeners: list[Listener] = []
        self.version = 0
        """Bumped on every change seen by this process (its own or another's)."""
        self.write_error: str | None = None
        """Last failed write (disk full, read-only...), shown by the UI; None when fine."""
        self._polled_error: str | None = None
        """``write_error`` as :meth:`poll` last reported it (the writer thread sets it unseen)."""
        self.readonly_reason = "store is open read-only"
        """Why writes are refused, for the message (asked for, or found unwritable)."""

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
        path = Path(root).expanduser()
        if path.exists() and not path.is_dir():
            raise StoreError(f"{path}: not a directory (a store is a directory)")
        if not path.exists():
            if not create or readonly:
                raise StoreError(f"{path}: no store here")
            try:
                path.mkdir(parents=True)
            except OSError as exc:
                raise StoreError(f"{path}: cannot create store ({exc.strerror or exc})") from exc
        unwritable = not readonly and not os.access(path, os.W_OK)
        store = cls(path, readonly=readonly or unwritable, lock_wait=lock_wait)
        store.keep_backups = max(0, keep_backups)
        if unwritable:
            store.readonly_reason = "store directory is not writable (read-only filesystem or permissions); changes cannot be saved"
        store._load_state()
        store.corpus.validate()
        return store

    def _load_state(self) -> None:
        self._state_storage.reload()
        tables = self._state_storage.read() or {}
        self._state = StateData.from_tables({k: list(v.values()) for k, v in tables.items()})

    def __enter__(self) -> Store:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Write what is pending and stop the writer thread."""
        with self._mutex:
            self._closing = True
            self._wake.notify_all()
        if self._writer is not None:
            self._writer.join()
            self._writer = None
        if self._pending:
            try:
                self.flush()
            except StoreError as exc:
                cause = exc.__cause__
                if isinstance(cause, OSError):  # "kept in memory" is no comfort to a process that is ending
                    raise StoreError(
                        f"{self._state_storage.path}: cannot write ({cause.strerror or cause}); the last changes were not saved"
                    ) from cause
                raise

    # -- listeners -------------------------------------------------------------
    def subscribe(self, listener: Listener) -> None:
        """Call ``listener`` (from any thread) after every change."""
        self._listeners.append(listener)

    def _changed(self) -> None:
        self.version += 1
        for listener in list(self._listeners):
            listener()

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

        query = parse_query(text)
        rows = self.rows() if scope is None else scope
        if query.is_empty:
            return list(rows)
        by_id, scope_ids = self._keyed(rows)
        ids = self.search_index().search(
            query,
            status_of=lambda pid: self.status(pid).value,
            queues_of=lambda pid: frozenset(self.queues_of(pid)),
            scope=scope_ids,
        )
        return list(filter(None, map(by_id.get, ids)))

    @property
    def search_ready(self) -> bool:
        """True when `search` answers at once: the index is loaded and current."""
        return self._search_cache is not None and self._search_cache.ready

    def search_titles(self, text: str, *, scope: Sequence[Row]) -> list[Row] | None:
        """A provisional answer from titles alone, for while the index is built; None when it needs the index.

        Raises:
            QueryError: the query does not parse.
        """
        from store.query import parse_query
        from store.search_titles import TitleScan

        query = parse_query(text)
        if query.is_empty:
            return list(scope)
        if self._title_scan is None:
            self._title_scan = TitleScan()
        return self._title_scan.search(query, scope)

    def _keyed(self, rows: Sequence[Row]) -> tuple[dict[str, Row], list[str]]:
        """``{id: row}`` and the ids of ``rows``, reused while the same rows come back.

        The filter bar searches the same view on every keystroke: checking
        that ``rows`` are the very same objects costs about 1 ms at 100k rows,
        keying them again about 15 ms (and the index then recognises the same
        id list, see `SearchIndex._scope_docs`).
        """
        last = self._last_scope
        if last is not None and len(last[0]) == len(rows) and all(map(is_, last[0], rows)):
            return last[1], last[2]
        by_id = {r.id: r for r in rows}
        ids = list(by_id)
        self._last_scope = (tuple(rows), by_id, ids)
        return by_id, ids

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
            self._sweep_temps()
            merged = self.corpus.merge(batches)
            self._backup(self.corpus.path)
            self._write_corpus(merged.docs, merged.aliases, "nothing imported")
            for old, new in merged.rekeys:
                self._submit({"op": "rekey", "old": old, "new": new}, flush_now=False)
        if merged.rekeys:
            self.flush()
        self._changed()
        return merged.reports

    def update_papers(self, updates: Mapping[str, Mapping[str, object]]) -> None:
        """Set fields on existing papers (the resolver fills arXiv ids, authors...)."""
        self._require_writable()
        with self._corpus_lock("nothing changed"):
            self._sweep_temps()
            docs, aliases, rekeys = self.corpus.update_fields({k: dict(v) for k, v in updates.items()})
            self._backup(self.corpus.path)
            self._write_corpus(docs, aliases, "nothing changed")
            for old, new in rekeys:
                self._submit({"op": "rekey", "old": old, "new": new}, flush_now=False)
        self.flush()
        self._changed()

    @contextmanager
    def _corpus_lock(self, outcome: str) -> Iterator[None]:
        """The store lock for a corpus write; a lock file that cannot be opened
        (read-only filesystem, full disk) reads as the corpus write failing."""
        try:
            with self.lock.held():
                yield
        except OSError as exc:
            raise StoreError(f"{self.corpus.path}: cannot write ({exc.strerror or exc}); {outcome}") from exc

    def _write_corpus(self, docs: dict[str, dict[str, Any]], aliases: dict[str, str], outcome: str) -> None:
        try:
            self.corpus.write(docs, aliases)
        except OSError as exc:
            # Reload what is on disk: the in-memory copy must not run ahead of the file.
            self.corpus.forget()
            raise StoreError(f"{self.corpus.path}: cannot write ({exc.strerror or exc}); {outcome}") from exc

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
        at = _now()
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
            ops.append({"op": "status", "id": pid, "status": Status.READ.value, "at": _now()})
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

    def undo(self) -> str | None:
        """Take back the last action (this process's or another's); None when nothing to undo."""
        with self._mutex:
            if not self._state.undo:
                return None
            entry = self._state.undo[-1]
            ops: list[Op] = [{"op": "undo_pop", "uid": entry.get("uid")}]
            for change in reversed(entry["changes"]):
                if change["kind"] == "status":
                    ops.append({"op": "status", "id": change["id"], "status": change["status"], "at": _now()})
                elif change["kind"] == "queue":
                    ops.append({"op": "queue_set", "name": change["name"], "ids": change["ids"]})
                elif change["kind"] == "rename":
                    ops.append({"op": "queue_rename", "old": change["old"], "new": change["new"]})
                elif change["kind"] == "unadd":
                    ops.append({"op": "queue_remove", "name": change["name"], "ids": change["ids"]})
                    if change.get("created"):
                        ops.append({"op": "queue_drop_empty", "name": change["name"]})
                elif change["kind"] == "reinsert":
                    ops.append({"op": "queue_insert", "name": change["name"], "items": change["items"]})
                elif change["kind"] == "move":
                    ops.append({"op": "queue_move", "name": change["name"], "id": change["id"], "position": change["position"]})
            for op in ops:
                self._submit(op)
        self._changed()
        return str(entry.get("label", "last action"))

    # -- settings ----------------------------------------------------------------
    def meta_get(self, key: str, default: Any = None) -> Any:
        return self._state.meta.get(key, default)

    def meta_set(self, key: str, value: Any) -> None:
        self._submit({"op": "meta", "key": key, "value": value})

    # -- writing -----------------------------------------------------------------
    def _record(self, ops: list[Op], changes: list[dict[str, Any]], label: str) -> None:
        entry = {"uid": uuid.uuid4().hex[:12], "label": label, "at": _now(), "changes": changes}
        with self._mutex:
            for op in ops:
                self._submit(op)
            self._submit({"op": "undo_push", "entry": entry})
        self._changed()

    def _require_writable(self) -> None:
        if self.readonly:
            raise ReadOnlyError(f"{self.root}: {self.readonly_reason}")

    def _submit(self, op: Op, *, flush_now: bool = False) -> None:
        self._require_writable()
        with self._mutex:
            apply(self._state, op)
            self._pending.append(op)
            if self._writer is None and not self._closing:
                self._writer = threading.Thread(target=self._write_loop, name="papertray-writer", daemon=True)
                self._writer.start()
            self._wake.notify_all()
        if flush_now:
            self.flush()

    def _write_loop(self) -> None:
        while True:
            with self._mutex:
                while not self._pending and not self._closing:
                    self._wake.wait()
                if self._closing:
                    return
            time.sleep(FLUSH_DELAY)
            try:
                self.flush()
            except StoreError as exc:
                self.write_error = str(exc)
                self._changed()
                time.sleep(1.0)

    def flush(self) -> None:
        """Write pending changes now, merged with what is on disk.

        Raises:
            LockedError, DamagedFileError, StoreError: the write failed; the
                changes stay pending (in memory) and on-disk state is intact.
        """
        with self._flush_lock:
            with self._mutex:
                if not self._pending:
                    return
                taken, self._pending = self._pending, []
            try:
                with self.lock.held():
                    self._sweep_temps()
                    # Always re-read under the lock: size and mtime can look unchanged
                    # after another process's write (coarse timestamps, reused inodes).
                    self._state_storage.reload()
                    tables = self._state_storage.read() or {}
                    base = StateData.from_tables({k: list(v.values()) for k, v in tables.items()})
                    for op in taken:
                        apply(base, op)
                    self._backup(self._state_storage.path)
                    self._write_state(base)
            except (OSError, StoreError) as exc:
                with self._mutex:
                    self._pending = taken + self._pending
                if isinstance(exc, OSError):
                    raise StoreError(f"{self._state_storage.path}: cannot write ({exc.strerror or exc}); changes kept in memory") from exc
                raise
            with self._mutex:
                for op in self._pending:
                    apply(base, op)
                self._state = base
            self.write_error = None

    def _write_state(self, data: StateData) -> None:
        tables: dict[str, dict[str, Any]] = {"_papertray": {"1": {"kind": "state", "format": 1}}}
        for name, docs in data.to_tables().items():
            tables[name] = {str(i): doc for i, doc in enumerate(docs, start=1)}
        self._state_storage.write(tables)

    def _sweep_temps(self) -> None:
        """Remove temp files a killed writer left behind (once per process).

        Called with the lock held: every write of the two store files happens
        under it, so no live writer owns one of these.
        """
        if self._swept:
            return
        self._swept = True
        for name in (STATE_FILE, PAPERS_FILE):
            for leftover in self.root.glob(f".{name}.*.tmp"):
                try:
                    leftover.unlink()
                except OSError:
                    pass

    def _backup(self, path: Path) -> None:
        """Keep the previous good copy once per process and file (hard link: free)."""
        if path.name in self._backed_up:
            return
        self._backed_up.add(path.name)
        rotate_backup(path, self.root / "backups", self.keep_backups)

    # -- other processes -----------------------------------------------------------
    def poll(self) -> bool:
        """Pick up what another process wrote; True when anything changed."""
        changed = False
        try:
            with self._flush_lock:  # a flush in flight has taken ops that are not on disk yet
                if self._state_storage.changed_on_disk():
                    with self._mutex:
                        self._state_storage.reload()
                        tables = self._state_storage.read() or {}
                        fresh = StateData.from_tables({k: list(v.values()) for k, v in tables.items()})
                        for op in self._pending:
                            apply(fresh, op)
                        self._state = fresh
                    changed = True
            if self.corpus.changed_on_disk():
                self.corpus.forget()
                self.corpus.validate()
                changed = True
        except DamagedFileError as exc:
            self.write_error = str(exc)
            changed = True
        if self.write_error != self._polled_error:  # a background write failed, or works again
            self._polled_error = self.write_error
            changed = True
        if changed:
            self._changed()
        return changed
