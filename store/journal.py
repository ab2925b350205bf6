"""The write-behind journal under `Store`: state in memory, on disk a moment later.

Its one job is getting changes safely onto disk and other processes' changes
back: the writer thread that coalesces triage keystrokes, ``flush`` (merge
with what is on disk, under the store lock), ``poll`` (pick up what another
papertray process wrote), the corpus write guards, and the backup taken
around the first write of a session. The public API built on it (papers,
statuses, queues, undo) is :class:`store.store.Store`.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from store.backups import KEEP as KEEP_BACKUPS
from store.backups import backup_around_write
from store.corpus import Corpus
from store.errors import DamagedFileError, ReadOnlyError, StoreError
from store.lock import StoreLock
from store.state import Op, StateData, apply, follow_aliases, resolve_op
from store.storage import AtomicJSONStorage

STATE_FILE = "state.json"
LOCK_FILE = ".lock"
FLUSH_DELAY = 0.05
"""Seconds the writer waits to coalesce a burst of keystrokes into one write."""
RETRY_DELAY = 1.0
"""Seconds the writer waits after a failed write before trying again (tests set it small)."""

Listener = Callable[[], None]


def now() -> str:
    """The current UTC time as stored in ops and undo entries (ISO, to the second)."""
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def prepare_root(path: Path, *, create: bool) -> Path:
    """Check that ``path`` can be a store directory, creating it when asked.

    Raises:
        StoreError: ``path`` is not a directory, is missing (and ``create`` is
            false), or cannot be created.
    """
    if path.exists() and not path.is_dir():
        raise StoreError(f"{path}: not a directory (a store is a directory)")
    if not path.exists():
        if not create:
            raise StoreError(f"{path}: no store here")
        try:
            path.mkdir(parents=True)
        except OSError as exc:
            raise StoreError(f"{path}: cannot create store ({exc.strerror or exc})") from exc
    return path


class Journal:
    """Pending state operations and the thread that writes them (see the module docstring)."""

    def __init__(self, root: Path, *, readonly: bool, lock_wait: float) -> None:
        self.keep_backups = KEEP_BACKUPS
        self.root = root
        self.readonly = readonly
        self.lock = StoreLock(root / LOCK_FILE, wait=lock_wait)
        self.corpus = Corpus(root, readonly=readonly)
        self._state_storage = AtomicJSONStorage(root / STATE_FILE, "state", readonly=readonly)
        self._state = StateData()
        self._pending: list[Op] = []
        self._mutex = threading.RLock()
        self._wake = threading.Condition(self._mutex)
        self._flush_lock = threading.Lock()
        """One flush at a time in this process: the file lock does not exclude our own threads."""
        self._writer: threading.Thread | None = None
        self._closing = False
        self._backed_up: set[str] = set()
        self._listeners: list[Listener] = []
        self._listeners_lock = threading.Lock()
        self.version = 0
        """Bumped on every change seen by this process (its own or another's)."""
        self.write_error: str | None = None
        """Last failed write (disk full, read-only...), shown by the UI; None when fine."""
        self._polled_error: str | None = None
        """``write_error`` as :meth:`poll` last reported it (the writer thread sets it unseen)."""
        self.readonly_reason = "store is open read-only"
        """Why writes are refused, for the message (asked for, or found unwritable)."""


    def _load_state(self) -> None:
        self._state_storage.reload()
        tables = self._state_storage.read() or {}
        self._state = StateData.from_tables({k: list(v.values()) for k, v in tables.items()})


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
                        f"{self._state_storage.path}: cannot write ({cause.strerror or cause});"
                        " the last changes were not saved"
                    ) from cause
                raise


    # -- listeners -------------------------------------------------------------
    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener()`` after every change this process sees; returns a function that unsubscribes.

        Thread-safe, and so must the listener be: it is called from whichever
        thread made the change, which for a failed background write (see
        ``write_error``) and for `poll` may be the writer thread or a UI
        worker, never reliably the UI thread. A listener should only post a
        message or set a flag; it must not call back into the store's
        writing methods (it runs while the change is being reported).
        """
        with self._listeners_lock:
            self._listeners = [*self._listeners, listener]

        def unsubscribe() -> None:
            with self._listeners_lock:
                self._listeners = [other for other in self._listeners if other is not listener]

        return unsubscribe

    def _changed(self) -> None:
        with self._listeners_lock:
            self.version += 1
            listeners = self._listeners
        for listener in listeners:
            listener()

    @contextmanager
    def _corpus_lock(self, outcome: str) -> Iterator[None]:
        """The store lock for a corpus write; a lock file that cannot be opened
        (read-only filesystem, full disk) reads as the corpus write failing."""
        try:
            with self.lock.held():
                yield
        except OSError as exc:
            raise StoreError(f"{self.corpus.path}: cannot write ({exc.strerror or exc}); {outcome}") from exc

    def _write_corpus(
        self, docs: dict[str, dict[str, Any]], aliases: dict[str, str], rekeys: Sequence[tuple[str, str]], outcome: str
    ) -> None:
        """Write the corpus (backed up), then queue its re-keys for ``state.json``; call under `_corpus_lock`."""
        with self._backup(self.corpus.path):
            try:
                self.corpus.write(docs, aliases)
            except OSError as exc:
                # Reload what is on disk: the in-memory copy must not run ahead of the file.
                self.corpus.forget()
                raise StoreError(f"{self.corpus.path}: cannot write ({exc.strerror or exc}); {outcome}") from exc
        for old, new in rekeys:
            self._submit({"op": "rekey", "old": old, "new": new}, flush_now=False)


    def _record(self, ops: list[Op], changes: list[dict[str, Any]], label: str) -> None:
        """Submit ``ops`` and one undo entry that takes them back (``changes``, see `undo_ops`)."""
        entry = {"uid": uuid.uuid4().hex[:12], "label": label, "at": now(), "changes": changes}
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
                time.sleep(RETRY_DELAY)

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
                    # Always re-read under the lock: size and mtime can look unchanged
                    # after another process's write (coarse timestamps, reused inodes).
                    self._state_storage.reload()
                    tables = self._state_storage.read() or {}
                    base = StateData.from_tables({k: list(v.values()) for k, v in tables.items()})
                    # Papers re-keyed by another process since these ops were made: follow them
                    # (read under the lock, so a re-key not seen here is applied after us).
                    aliases = self._current_aliases()
                    for op in taken:
                        apply(base, resolve_op(op, aliases))
                    follow_aliases(base, aliases)
                    with self._backup(self._state_storage.path):
                        self._write_state(base)
            except (OSError, StoreError) as exc:
                with self._mutex:
                    self._pending = taken + self._pending
                if isinstance(exc, OSError):
                    raise StoreError(
                        f"{self._state_storage.path}: cannot write ({exc.strerror or exc}); changes kept in memory"
                    ) from exc
                raise
            with self._mutex:
                for op in self._pending:
                    apply(base, op)
                self._state = base
            recovered, self.write_error = self.write_error is not None, None
        if recovered:  # listeners heard of the failure: they hear that writing works again
            self._changed()

    def _current_aliases(self) -> dict[str, str]:
        """The corpus's old id → new id map as on disk now ({} when it cannot be read)."""
        try:
            return self.corpus.aliases
        except DamagedFileError:
            return {}

    def _write_state(self, data: StateData) -> None:
        tables: dict[str, dict[str, Any]] = {"_papertray": {"1": {"kind": "state", "format": 1}}}
        for name, docs in data.to_tables().items():
            tables[name] = {str(i): doc for i, doc in enumerate(docs, start=1)}
        self._state_storage.write(tables)

    @contextmanager
    def _backup(self, path: Path) -> Iterator[None]:
        """Around a write of ``path``: keep the previous copy once it is replaced by different content.

        Once per process and file: a session's many triage writes keep the
        copy from before the session rather than push out older ones.
        """
        if path.name in self._backed_up or self.keep_backups < 1:
            yield
            return
        with backup_around_write(path, self.root / "backups", self.keep_backups) as rotated:
            yield
        if rotated[0]:
            self._backed_up.add(path.name)

    # -- other processes -----------------------------------------------------------
    def poll_wanted(self) -> bool:
        """Whether `poll` has anything to do: two ``stat`` calls, no lock, no thread (cheap enough for a UI timer)."""
        return (
            self._state_storage.changed_on_disk()
            or self.corpus.changed_on_disk()
            or self.write_error != self._polled_error
        )

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
            if changed:
                with self._mutex:
                    follow_aliases(self._state, self.corpus.aliases)
        except DamagedFileError as exc:
            self.write_error = str(exc)
            changed = True
        if self.write_error != self._polled_error:  # a background write failed, or works again
            self._polled_error = self.write_error
            changed = True
        if changed:
            self._changed()
        return changed
