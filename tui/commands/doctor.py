"""``papertray doctor``: is each store file OK, damaged or foreign; ``--repair`` fixes."""

from __future__ import annotations

import argparse

from store.doctor import check_store, repair
from store.temps import leftovers, sweep
from tui.commands.common import error, store_path


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "doctor",
        help="check the store files (and repair from backups)",
        description="Report each store file as ok, missing, damaged or foreign. With --repair, replace a "
        "damaged or foreign file by its newest good backup, after keeping it aside under a timestamped name. "
        "Temp files left by a killed write are listed (and removed with --repair).",
    )
    parser.add_argument("--repair", action="store_true", help="restore damaged files from the newest good backup")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    root = store_path(args)
    if not root.is_dir():
        error(f"{root}: no store here")
        return 1
    checks = check_store(root)
    for check in checks:
        print(check.line())
    for temp in leftovers(root):
        size = temp.stat().st_size if temp.exists() else 0
        what = "removed" if args.repair else "removed when papertray next opens the store, or by --repair"
        print(f"leftover temp file: {temp.relative_to(root)} ({size / 1e6:.1f} MB, its writer is gone); {what}")
    if args.repair:
        sweep(root)
    bad = [c for c in checks if c.verdict in ("damaged", "foreign")]
    if args.repair and bad:
        try:
            done = repair(root)
        except OSError as exc:
            error(f"{root}: repair stopped ({exc.strerror or exc}); run papertray doctor to see where things stand")
            return 1
        for line in done:
            print(line)
        return 0 if all(c.verdict in ("ok", "missing") for c in check_store(root)) else 1
    return 1 if bad else 0
