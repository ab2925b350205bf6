"""Temp files papertray writes, named for their writer so leftovers can be swept.

Every temp file is ``.NAME.PID.RANDOM.tmp`` beside its target (store root,
``cache/``, ``backups/``). A process killed mid-write leaves one behind,
tens of MB at 100k papers; whoever opens the store next removes those whose
writer is gone: its pid is dead, or the file is older than any write could
take (the pid may have been reused). Files in the older unnamed form
(``.NAME.RANDOM.tmp``) go by age alone.
"""

from __future__ import annotations

import os
import re
import secrets
import time
from pathlib import Path

STALE_AFTER = 6 * 3600.0
"""Seconds after which a temp file is a leftover whoever wrote it: no write takes this long."""
UNNAMED_STALE_AFTER = 600.0
"""Seconds after which a temp file without a pid (older papertray) is a leftover."""

_NAMED = re.compile(r"^\..+\.(?P<pid>\d+)\.[A-Za-z0-9_]+\.tmp$")
_ANY = re.compile(r"^\..+\.tmp$")


def temp_prefix(target: str) -> str:
    """The ``mkstemp`` prefix for a temp file of ``target`` written by this process."""
    return f".{target}.{os.getpid()}."


def temp_name(target: str) -> str:
    """A fresh temp file name for ``target`` written by this process."""
    return f"{temp_prefix(target)}{secrets.token_hex(4)}.tmp"


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
