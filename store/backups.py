"""Rotated backups of the store files: the last N good copies, never deleted by hand.

Files are replaced by rename, so the previous version can be kept as a hard
link to the old inode: a backup costs no copy. The order matters:

1. before a write, the live file is linked to a hidden *pending* name;
2. only once the write succeeded — so the live file is a new inode — and
   only when the content changed, the backups shift and the pending copy
   becomes ``NAME.1``;
3. a failed write drops the pending link and leaves the backups as they were.

So no backup ever shares an inode with the live file, a failed write never
pushes a good copy out, and a no-op write (re-importing the same file) keeps
the older distinct copies.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from store.temps import temp_name

KEEP = 3


def _hold_previous(path: Path, directory: Path) -> Path | None:
    """Link (or copy) the live file to a pending name in ``directory``; None when there is none."""
    if not path.exists():
        return None
    try:
        directory.mkdir(exist_ok=True)
        pending = directory / temp_name(path.name)
        try:
            os.link(path, pending)
        except OSError:
            shutil.copy2(path, pending)
        return pending
    except OSError:
        return None


def _discard(pending: Path | None) -> None:
    if pending is not None:
        try:
            pending.unlink()
        except OSError:
            pass


def _same_content(a: Path, b: Path) -> bool:
    import filecmp  # only when a backup is due: not at start-up

    try:
        return filecmp.cmp(a, b, shallow=False)
    except OSError:
        return False


def _rotate_in(pending: Path, path: Path, directory: Path, keep: int) -> None:
    """Shift ``NAME.1`` → ``NAME.2`` … and make ``pending`` the new ``NAME.1``."""
    try:
        for i in range(keep - 1, 0, -1):
            older = directory / f"{path.name}.{i}"
            if older.exists():
                os.replace(older, directory / f"{path.name}.{i + 1}")
        os.replace(pending, directory / f"{path.name}.1")
    except OSError:
        _discard(pending)


@contextmanager
def backup_around_write(path: Path, directory: Path, keep: int = KEEP) -> Iterator[list[bool]]:
    """Wrap the write of ``path``: the previous copy is kept only if the write succeeded and changed it.

    Yields a one-item list that is ``[True]`` after the block when a backup
    was rotated in (callers back up once per process and file).
    """
    rotated = [False]
    pending = _hold_previous(path, directory) if keep >= 1 else None
    try:
        yield rotated
    except BaseException:
        _discard(pending)
        raise
    if pending is None:
        return
    if _same_content(pending, path) or _same_inode(pending, path):
        _discard(pending)
        return
    _rotate_in(pending, path, directory, keep)
    rotated[0] = True


def _same_inode(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return True
