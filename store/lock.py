"""One writer at a time, across processes: a lock file held only while writing.

The lock is held for the few milliseconds of a write, not for the life of a
process, so two copies of the app (two tmux panes) can both write: each
merges its pending actions into what is on disk under the lock.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from store.errors import LockedError

if TYPE_CHECKING:
    from filelock import FileLock

DEFAULT_WAIT = 10.0


class StoreLock:
    def __init__(self, path: Path, *, wait: float = DEFAULT_WAIT) -> None:
        self.path = path
        self.wait = wait
        self._lock: FileLock | None = None
        """Made on the first write: reading never needs it, and filelock costs start-up time."""

    @contextmanager
    def held(self) -> Iterator[None]:
        """Hold the lock; waits up to ``wait`` seconds, then raises LockedError."""
        from filelock import FileLock, Timeout

        if self._lock is None:
            self._lock = FileLock(str(self.path), thread_local=False)
        try:
            self._lock.acquire(timeout=self.wait)
        except Timeout as exc:
            raise LockedError(
                f"{self.path.parent}: another papertray process has held the store lock for "
                f"{self.wait:.0f} s; try again when it finishes"
            ) from exc
        try:
            yield
        finally:
            self._lock.release()
