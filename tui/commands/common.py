"""What every subcommand shares: opening the store named on the command line."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, Union

from store.location import default_store_path
from store.store import Store

if TYPE_CHECKING:
    import argparse


class StoreOption(NamedTuple):
    """``papertray [--store PATH]`` as `tui.cli` reads it without argparse: all opening the reader needs."""

    store: str | None = None


StoreArgs = Union["argparse.Namespace", StoreOption]
"""A parsed command line, or the reader's one option."""


def store_path(args: StoreArgs) -> Path:
    chosen: str | None = getattr(args, "store", None)
    return Path(chosen).expanduser() if chosen else default_store_path()


def open_store(args: StoreArgs, *, readonly: bool = False) -> Store:
    """Open the store from ``--store`` / ``PAPERTRAY_STORE`` / the default data dir.

    The config file's settings for the store (backups kept) and for the
    network (service URLs) apply to every command.
    """
    from store.rules import Rules
    from tui.config import apply_urls, load_config

    config = load_config()
    apply_urls(config)
    store = Store.open(store_path(args), readonly=readonly, keep_backups=config.backups)
    store.rules = Rules(config.watch, config.mute)
    for line in store.rules.errors:
        error(line)
    return store


def open_existing_store(args: argparse.Namespace) -> Store:
    """Open the store read-only for a command that only reads it; never create one.

    A read on a path with no store is almost always a typo in ``--store`` or
    ``PAPERTRAY_STORE``: saying so beats printing an empty list (and creating
    an empty directory where the user did not mean one).

    Raises:
        StoreError: "no store at PATH: import or fetch first".
    """
    path = store_path(args)
    if not path.is_dir():
        from store.errors import StoreError

        raise StoreError(f"no store at {path}: import or fetch first")
    return open_store(args, readonly=True)


def error(message: str) -> None:
    """One line on stderr, prefixed like every other CLI tool's errors."""
    print(f"papertray: {message}", file=sys.stderr)
