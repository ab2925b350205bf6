"""Keeping the configured ``.bib`` files in sync while the reader runs: debounced, on a thread of its own.

The store calls back (`Store.subscribe`) after every change, on whatever
thread made it, the writer's included. The callback only notes the time and
wakes this thread; the thread waits until the store has been quiet for
``delay`` seconds (triaging ten papers in a row is one sync, not ten), then
syncs every file. Nothing here runs on the UI thread, and the UI is told
only when something goes wrong (or right again).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from store.bibsync import SyncResult, select_papers, sync_file
from store.errors import StoreError
from store.store import Store

DELAY = 1.0
"""Seconds of quiet before a sync."""
MAX_WAIT = 5.0
"""A sync happens at the latest this long after the first change, however busy the store is."""


class BibAutoSync:
    """Syncs ``(file, query)`` rules after the store changes, and once at start (the files may be stale)."""

    def __init__(
        self,
        store: Store,
        rules: Sequence[tuple[Path, str]],
        *,
        report: Callable[[str, bool], None],
        delay: float = DELAY,
    ) -> None:
        """
        Args:
            report: called (on the sync thread) with a message and whether it is
                an error: a file that cannot be synced, and once it works again.
        """
        self.store = store
        self.rules = list(rules)
        self.report = report
        self.delay = delay
        self.results: dict[Path, SyncResult] = {}
        """The last successful sync of each file (tests and the palette read it)."""
        self.syncs = 0
        """How many sync rounds ran (tests wait on it)."""
        self._errors: dict[Path, str] = {}
        self._cond = threading.Condition()
        self._dirty_since: float | None = None
        self._last_change = 0.0
        self._stopping = False
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Subscribe to the store and sync once now (in the background)."""
        if not self.rules or self._thread is not None:
            return
        self.store.subscribe(self.changed)
        self.changed()
        self._last_change = 0.0  # the first sync need not wait
        self._thread = threading.Thread(target=self._run, name="papertray-bib-sync", daemon=True)
        self._thread.start()

    def changed(self) -> None:
        """Any thread: the store changed; sync after ``delay`` seconds of quiet."""
        with self._cond:
            now = time.monotonic()
            if self._dirty_since is None:
                self._dirty_since = now
            self._last_change = now
            self._cond.notify()

    def stop(self, timeout: float = 10.0) -> None:
        """Sync what is pending now (no more waiting), then end the thread."""
        thread = self._thread
        if thread is None:
            return
        with self._cond:
            self._stopping = True
            self._cond.notify()
        thread.join(timeout)
        self._thread = None

    def _run(self) -> None:
        while True:
            with self._cond:
                while self._dirty_since is None and not self._stopping:
                    self._cond.wait()
                if self._dirty_since is None:
                    return
                while not self._stopping:
                    due = min(self._last_change + self.delay, self._dirty_since + MAX_WAIT)
                    left = due - time.monotonic()
                    if left <= 0:
                        break
                    self._cond.wait(left)
                self._dirty_since = None
            self.sync_all()

    def sync_all(self) -> None:
        """Sync every rule now, reporting failures (and recoveries) once each."""
        for path, query in self.rules:
            try:
                result = sync_file(path, select_papers(self.store, query=query))
            except StoreError as exc:
                message = f"{path}: {exc}" if str(path) not in str(exc) else str(exc)
                if self._errors.get(path) != message:
                    self._errors[path] = message
                    self.report(f"bib sync: {message}", True)
                continue
            except Exception as exc:  # a bug must not kill the thread silently: say it, keep syncing later
                self.report(f"bib sync: {path}: {type(exc).__name__}: {exc}", True)
                continue
            self.results[path] = result
            if self._errors.pop(path, None) is not None:
                self.report(f"bib sync: {result.summary()}", False)
        self.syncs += 1
