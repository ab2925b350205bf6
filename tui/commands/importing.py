"""``papertray import FILE...``: page copies and saved API responses."""

from __future__ import annotations

import argparse
import datetime as dt

from store.errors import InputError
from store.importers.files import load_drafts
from store.model import PaperDraft
from tui.commands.common import error, open_store


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "import",
        help="import Daily Papers page copies or saved API responses",
        description=(
            "Import text copies of the Hugging Face Daily Papers page (both the blank-line and the compact "
            "layout) or saved Daily Papers API responses (JSON, detected from the content). All files are "
            "read before anything is written: one bad file leaves the store as it was."
        ),
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="files to import")
    parser.add_argument("--year", type=int, help="year for a date line such as 'Mar 14' (default: this year, never in the future)")
    parser.add_argument("--date", dest="day", metavar="YYYY-MM-DD", type=_iso_day, help="date for papers of files without a date line (overrides the date line)")
    parser.set_defaults(func=run)


def _iso_day(text: str) -> str:
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {text!r} (use YYYY-MM-DD)") from None


def run(args: argparse.Namespace) -> int:
    batches: list[tuple[str, list[PaperDraft]]] = []
    for name in args.files:
        try:
            batches.append((name, load_drafts(name, year=args.year, day=args.day)))
        except InputError as exc:
            error(f"{exc} (nothing imported)")
            return 1
    with open_store(args) as store:
        for report in store.import_batches(batches):
            print(report.line())
    return 0
