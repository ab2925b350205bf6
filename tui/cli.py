"""The ``papertray`` command: opens the reader, or runs a subcommand.

Subcommands are loaded lazily: ``papertray`` alone (the reader, the common
case) imports none of them, so the HTTP client, the arXiv parser and the
demo data cost nothing at start-up. ``papertray COMMAND`` imports only the
module that defines COMMAND.
"""

from __future__ import annotations

import gc
import importlib
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

from store.errors import StoreError

if TYPE_CHECKING:
    import argparse

    from tui.commands.common import StoreOption

Args = TypeVar("Args")

COMMANDS: dict[str, tuple[str, str]] = {
    "demo": ("app", "open the reader on a throwaway demo store"),
    "import": ("importing", "import Daily Papers page copies or saved API responses"),
    "list": ("listing", "list papers (by status, queue or search query)"),
    "mark": ("listing", "set the reading status of papers"),
    "queue": ("queues", "manage reading queues (ls, add, rm, mv, rename, drop)"),
    "tag": ("annotating", "tag papers (add, rm, ls)"),
    "note": ("annotating", "edit or print a paper's note ($VISUAL/$EDITOR)"),
    "export": ("exporting", "export papers as BibTeX, Markdown, JSON Lines or CSV"),
    "bib": ("bib", "keep a .bib file in sync with a queue, a status or a query"),
    "fetch": ("fetch", "fetch Hugging Face Daily Papers lists (full metadata)"),
    "resolve": ("fetch", "match page-copy papers to arXiv (ids, authors, category)"),
    "doctor": ("doctor", "check the store files, and repair from backups"),
}
"""Subcommand -> (module in tui.commands, one-line help)."""

DESCRIPTION = (
    "A keyboard-driven terminal reader for daily machine-learning papers.\n"
    "Without a command, opens the reader on the store."
)
EPILOG = (
    "Store location: --store, else $PAPERTRAY_STORE, else the platform's user data directory.\n"
    "Run `papertray COMMAND --help` for a command's options."
)


def _print_version() -> None:
    """``--version``, looked up only when asked (importlib.metadata is slow to import)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("papertray")
    except PackageNotFoundError:
        found = "unknown"
    print(f"papertray {found}")


def _base_parser() -> argparse.ArgumentParser:
    # argparse (and gettext, which it imports) only for a command line that needs it:
    # `papertray [--store PATH]` opens the reader without them (`_reader_option`).
    import argparse

    class VersionAction(argparse.Action):
        def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS, **kwargs: object) -> None:
            super().__init__(option_strings, dest=dest, nargs=0, help="show the version and exit")

        def __call__(self, parser: argparse.ArgumentParser, *args: object, **kwargs: object) -> None:
            _print_version()
            parser.exit()

    commands = "\n".join(f"  {name:<9} {text}" for name, (_, text) in COMMANDS.items())
    parser = argparse.ArgumentParser(
        prog="papertray",
        description=f"{DESCRIPTION}\n\ncommands:\n{commands}",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=VersionAction)
    parser.add_argument(
        "--store", metavar="PATH", help="store directory (default: $PAPERTRAY_STORE or the user data dir)"
    )
    return parser


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The full parser for one command (or, with None, for every command)."""
    parser = _base_parser()
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    modules = [COMMANDS[command][0]] if command in COMMANDS else list(dict.fromkeys(m for m, _ in COMMANDS.values()))
    for name in modules:
        importlib.import_module(f"tui.commands.{name}").register(subparsers)
    return parser


def _reader_option(arguments: Sequence[str]) -> StoreOption | None:
    """``papertray`` or ``papertray --store PATH`` (the usual ways in) read without argparse; else None.

    Anything else (``--help``, ``--version``, a typo, ``--store`` without a
    path) goes to argparse, for its help and its errors.
    """
    from tui.commands.common import StoreOption

    if not arguments:
        return StoreOption()
    if len(arguments) == 2 and arguments[0] == "--store" and not arguments[1].startswith("-"):
        return StoreOption(arguments[1])
    if len(arguments) == 1 and arguments[0].startswith("--store="):
        return StoreOption(arguments[0].removeprefix("--store="))
    return None


def _command_of(argv: Sequence[str]) -> str | None:
    """The subcommand named in ``argv``, skipping the global options."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--store":
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


NO_TERMINAL_STATUS = 2


def _no_terminal() -> bool:
    """Say so (one line) when the reader cannot run: stdin or stdout is not a terminal."""
    from tui.terminal import NEEDS_TERMINAL, needs_terminal

    if needs_terminal():
        print(NEEDS_TERMINAL, file=sys.stderr)
        return True
    return False


def main(argv: Sequence[str] | None = None) -> int:
    # No cyclic collection while the reader starts: imports, 100k list rows and
    # thousands of widgets are many objects and no garbage (the collector's passes
    # cost Textual's import alone ~10 ms, and a sixth of the start-up CPU at 100k
    # papers). The reader turns it back on after its first paint
    # (`tui.base.settle_collector`); a subcommand turns it on before it runs.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _main(argv)
    finally:
        if collecting:
            gc.enable()


def _main(argv: Sequence[str] | None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    command = _command_of(arguments)
    if command is None:
        args = _reader_option(arguments) or _base_parser().parse_args(arguments)
        if _no_terminal():
            return NO_TERMINAL_STATUS
        func = importlib.import_module("tui.commands.app").run_app
    else:
        if command not in COMMANDS:
            _base_parser().error(f"unknown command {command!r} (choose from {', '.join(COMMANDS)})")
        if COMMANDS[command][0] != "app":
            gc.enable()  # an import of 100k papers makes cycles the collector should see
            return _run_visibly(command, arguments)
        args = build_parser(command).parse_args(arguments)
        func = args.func
        if command == "demo" and _no_terminal():
            return NO_TERMINAL_STATUS
    return _run(func, args)


def _run_visibly(command: str, arguments: list[str]) -> int:
    """Run a subcommand with stdout and stderr showing control characters visibly.

    Everything a subcommand prints — titles, abstracts, file names, error
    messages, argparse's complaints — passes through one sanitiser
    (`tui.text.VisibleStream`): a title cannot send an escape sequence to
    the terminal through any path we did not think of.
    """
    from tui.text import VisibleStream

    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = VisibleStream(sys.stdout), VisibleStream(sys.stderr)
    try:
        args = build_parser(command).parse_args(arguments)
        return _run(args.func, args)
    finally:
        for wrapper in (sys.stdout, sys.stderr):
            try:
                wrapper.flush()
            except (OSError, ValueError):
                pass
        sys.stdout, sys.stderr = saved


def _run(func: Callable[[Args], int], args: Args) -> int:
    try:
        return int(func(args))
    except StoreError as exc:
        print(f"papertray: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `papertray list | head`: the reader went away; that is not an error.
        getattr(sys.stderr, "inner", sys.stderr).close()
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
