"""Crash-safe file replacement: temp file, fsync, rename, directory fsync.

TinyDB's own JSONStorage truncates and rewrites in place, so a crash in the
middle leaves half a file. Everything papertray writes goes through here.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from store.temps import temp_prefix


class FileIdentity(NamedTuple):
    """Enough of ``stat()`` to notice that a file was replaced or rewritten."""

    inode: int
    size: int
    mtime_ns: int


def identity(path: Path) -> FileIdentity | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return FileIdentity(st.st_ino, st.st_size, st.st_mtime_ns)


def fsync_dir(directory: Path) -> None:
    """Make a rename durable: without it the new name can vanish on power loss."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes, *, mode: int | None = None) -> None:
    """Replace ``path`` with ``data`` so readers see the old or the new file, never half.

    See :func:`atomic_write_chunks` for the guarantees.
    """
    atomic_write_chunks(path, (data,), mode=mode)


def atomic_write_chunks(path: Path, chunks: Iterable[bytes], *, mode: int | None = None) -> None:
    """:func:`atomic_write` of data made piece by piece, so it never sits in memory whole.

    A 100k-paper cache is 170 MB of JSON lines: joined first, it cost more
    memory than the documents it was made from. An exception raised by
    ``chunks`` removes the temp file and leaves the old file as it was.

    Args:
        mode: permission bits of the new file; None keeps ``mkstemp``'s
            owner-only 0600 (store files), a file for people passes 0644.

    Raises:
        OSError: the write failed (disk full, read-only directory...); the old
            file is untouched and the temp file is removed.
    """
    directory = path.parent
    # The pid in the name lets the next opener sweep it once we are gone (store.temps).
    fd, tmp_name = tempfile.mkstemp(prefix=temp_prefix(path.name), suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb", buffering=1 << 20) as handle:
            if mode is not None:
                os.fchmod(handle.fileno(), mode)
            for chunk in chunks:
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        try:
            os.unlink(tmp_name)
        except OSError:
            pass
        raise
    fsync_dir(directory)
