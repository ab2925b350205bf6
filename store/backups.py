"""Rotated backups of the store files: the last N good copies, never deleted by hand.

Files are replaced by rename, so the previous version can be kept as a hard
link to the old inode: a backup costs no copy.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

KEEP = 3


def rotate_backup(path: Path, directory: Path, keep: int = KEEP) -> None:
    """Shift ``NAME.1`` → ``NAME.2`` …, and keep the current file as ``NAME.1``."""
    if not path.exists() or keep < 1:
        return
    try:
        directory.mkdir(exist_ok=True)
        for i in range(keep - 1, 0, -1):
            older = directory / f"{path.name}.{i}"
            if older.exists():
                os.replace(older, directory / f"{path.name}.{i + 1}")
        target = directory / f"{path.name}.1"
        try:
            os.link(path, target)
        except OSError:
            shutil.copy2(path, target)
    except OSError:
        return
