"""The ``papertray`` command: opens the reader, or runs a subcommand."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version

from store.errors import StoreError

COMMAND_MODULES = ("app", "importing", "listing", "queues", "exporting", "fetch", "doctor")
"""Modules of ``tui.commands`` that register subcommands; a missing one is skipped."""


def _version() -> str:
    try:
        return version("papertray")
    except PackageNotFoundError:
        return "unknown"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="papertray",
        description="A keyboard-driven terminal reader for daily machine-learning papers. "
        "Without a command, opens the reader on the store.",
        epilog="Store location: --store, else $PAPERTRAY_STORE, else the platform's user data directory.",
    )
    parser.add_argument("--version", action="version", version=f"papertray {_version()}")
    parser.add_argument("--store", metavar="PATH", help="store directory (default: $PAPERTRAY_STORE or the user data dir)")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"tui.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"tui.commands.{name}":
                continue
            raise
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    if func is None:
        func = getattr(importlib.import_module("tui.commands.app"), "run_app")
    try:
        return int(func(args))
    except StoreError as exc:
        print(f"papertray: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `papertray list | head`: the reader went away; that is not an error.
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
