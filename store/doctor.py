"""Check a store's files and repair a damaged one from its newest good backup.

Repair never deletes: the damaged file is kept beside the store under a
timestamped name before a backup takes its place.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from store.atomic import atomic_write
from store.errors import DamagedFileError
from store.lock import StoreLock
from store.storage import load_tables

FILES = {"papers.json": "papers", "state.json": "state"}


@dataclass(frozen=True)
class FileCheck:
    name: str
    verdict: str
    """ok, missing, damaged or foreign."""
    detail: str = ""

    def line(self) -> str:
        return f"{self.name}: {self.verdict}" + (f" ({self.detail})" if self.detail else "")


def check_file(path: Path, kind: str) -> FileCheck:
    try:
        tables, _ = load_tables(path, kind)
    except DamagedFileError as exc:
        verdict = "foreign" if "not a papertray" in exc.reason or "not a TinyDB" in exc.reason else "damaged"
        return FileCheck(path.name, verdict, exc.reason)
    if tables is None:
        return FileCheck(path.name, "missing")
    return FileCheck(path.name, "ok")


def check_store(root: Path) -> list[FileCheck]:
    return [check_file(root / name, kind) for name, kind in FILES.items()]


def repair(root: Path) -> list[str]:
    """Replace each damaged or foreign file by its newest good backup; returns what was done.

    Runs under the store lock, so a papertray writing meanwhile waits. The
    damaged file is linked (or copied) aside before the backup replaces it
    atomically: at no moment is the file missing or half-written, and a
    second repair in the same second never overwrites the first one's copy.

    Raises:
        LockedError: another process held the store lock too long.
        OSError: the store directory cannot be written; the file being
            repaired is left as it was (a copy of it may already sit aside).
    """
    with StoreLock(root / ".lock").held():
        return _repair(root)


def _set_aside(path: Path) -> Path:
    """Keep ``path`` as ``NAME.damaged-STAMP[-N]`` beside it; returns the copy's path."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    for n in range(1000):
        kept = path.with_name(f"{path.name}.damaged-{stamp}" + (f"-{n}" if n else ""))
        try:
            os.link(path, kept)
        except FileExistsError:
            continue
        except OSError:
            if kept.exists():
                continue
            shutil.copy2(path, kept)
        return kept
    raise FileExistsError(f"{path}: too many damaged copies named for {stamp}")


def _repair(root: Path) -> list[str]:
    done: list[str] = []
    for name, kind in FILES.items():
        path = root / name
        result = check_file(path, kind)
        if result.verdict in ("ok", "missing"):
            continue
        backups = sorted(
            (root / "backups").glob(f"{name}.*"), key=lambda p: int(p.suffix[1:]) if p.suffix[1:].isdigit() else 99
        )
        good = next((b for b in backups if check_file(b, kind).verdict == "ok"), None)
        if good is None:
            done.append(f"{name}: {result.verdict}, and no good backup; left as it is")
            continue
        kept = _set_aside(path)
        atomic_write(path, good.read_bytes())
        done.append(f"{name}: restored from {good.relative_to(root)}; damaged file kept as {kept.name}")
    return done
