"""Temp files papertray writes, named for their writer so leftovers can be swept.

Every temp file is ``.NAME.hHOST.PID.RANDOM.tmp`` beside its target (store
root, ``cache/``, ``backups/``). A process killed mid-write leaves one behind,
tens of MB at 100k papers; whoever opens the store next removes those whose
writer is gone: its pid is dead, or the file is older than any write could
take (the pid may have been reused). HOST (a hash of the host name) says
whose pids those are: a store on a shared disk may be written from another
machine or container, where a pid means nothing here, so another host's
files go by age alone, as do files of the older forms without a host
(``.NAME.PID.RANDOM.tmp``: judged by pid as before) or without a pid.
"""

from __future__ import annotations

import os
import re
import time
import zlib
from pathlib import Path

STALE_AFTER = 6 * 3600.0
"""Seconds after which a temp file is a leftover whoever wrote it: no write takes this long."""
UNNAMED_STALE_AFTER = 600.0
"""Seconds after which a temp file without a pid (older papertray) is a leftover."""

_NAMED = re.compile(r"^\..+?\.(?:h(?P<host>[0-9a-f]{8})\.)?(?P<pid>\d+)\.[A-Za-z0-9_]+\.tmp$")
HOST = format(zlib.crc32(os.uname().nodename.encode("utf-8", "replace")) if hasattr(os, "uname") else 0, "08x")
"""This machine's token in temp file names (see the module docstring)."""
_ANY = re.compile(r"^\..+\.tmp$")


def temp_prefix(target: str) -> str:
    """The ``mkstemp`` prefix for a temp file of ``target`` written by this process."""
    return f".{target}.h{HOST}.{os.getpid()}."


def temp_name(target: str) -> str:
    """A fresh temp file name for ``target`` written by this process."""
    return f"{temp_prefix(target)}{os.urandom(4).hex()}.tmp"


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True
    return True


def is_leftover(path: Path, *, now: float | None = None) -> bool:
    """True when ``path`` is one of our temp files and its writer is gone."""
    match = _NAMED.match(path.name)
    if match is None and not _ANY.match(path.name):
        return False
    try:
        age = (now or time.time()) - path.stat().st_mtime
    except OSError:
        return False
    if match is None:
        return age > UNNAMED_STALE_AFTER
    if match.group("host") not in (None, HOST):  # another machine's pid: only age tells
        return age > STALE_AFTER
    return age > STALE_AFTER or not _pid_alive(int(match.group("pid")))


def leftovers(root: Path) -> list[Path]:
    """Temp files in the store whose writer is gone (store root, ``cache/``, ``backups/``)."""
    found: list[Path] = []
    for directory in (root, root / "cache", root / "backups"):
        try:
            candidates = sorted(directory.glob(".*.tmp"))
        except OSError:
            continue
        found.extend(p for p in candidates if p.is_file() and is_leftover(p))
    return found


def sweep(root: Path) -> int:
    """Remove the leftovers; returns how many went (failures are skipped, they cost only space)."""
    removed = 0
    for path in leftovers(root):
        try:
            path.unlink()
            removed += 1
        except OSError:
            pass
    return removed
