"""``papertray import FILE...``: page copies and saved API responses."""

from __future__ import annotations

import argparse
import datetime as dt

from store.drafts import PaperDraft
from store.errors import InputError
from store.importers.files import load_drafts
from tui.commands.common import error, open_store


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "import",
        help="import Daily Papers page copies or saved API responses",
        description=(
            "Import text copies of the Hugging Face Daily Papers page (both the blank-line and the compact "
            "layout) or saved Daily Papers API responses (JSON, detected from the content). Each file is "
            "imported whole or not at all, independently of the others: a refused file changes nothing, "
            "the good ones land, and the exit status is 1 when any file was refused."
        ),
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="files to import")
    parser.add_argument(
        "--year", type=int, help="year for a date line such as 'Mar 14' (default: this year, never in the future)"
    )
    parser.add_argument(
        "--date",
        dest="day",
        metavar="YYYY-MM-DD",
        type=_iso_day,
        help="date for papers of files without a date line (overrides the date line)",
    )
    parser.set_defaults(func=run)


def _iso_day(text: str) -> str:
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {text!r} (use YYYY-MM-DD)") from None


def run(args: argparse.Namespace) -> int:
    """Import every good file; refuse each bad one on its own line.

    All files are read and checked first, then the good ones are written in
    one store write, so a refused file never leaves half a file behind and
    never holds the others back. Lines come out in the order the files were
    named (good ones on stdout, refused ones on stderr).
    """
    batches: list[tuple[str, list[PaperDraft]]] = []
    refused: dict[int, str] = {}
    for position, name in enumerate(args.files):
        try:
            batches.append((name, load_drafts(name, year=args.year, day=args.day)))
        except InputError as exc:
            refused[position] = f"{exc} (file not imported)"
    reports = []
    if batches:
        with open_store(args) as store:
            reports = store.import_batches(batches)
    lines = iter(reports)
    for position in range(len(args.files)):
        if position in refused:
            error(refused[position])
        else:
            print(next(lines).line(), flush=True)
    return 1 if refused else 0
