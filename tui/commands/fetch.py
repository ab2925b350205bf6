"""``papertray fetch`` and ``papertray resolve``: bring in Daily Papers lists, match papers to arXiv."""

from __future__ import annotations

import argparse
import datetime as _dt
import sys
from typing import TextIO

from store.arxiv import ID_BATCH, MATCH_THRESHOLD, MIN_INTERVAL, ArxivClient, plan_resolve, resolve
from store.errors import StoreError
from store.fetch import (
    MAX_DAYS_BACK,
    DaySelectionError,
    day_range,
    iter_fetch,
    month_days,
    parse_day,
    plan_days,
    week_days,
)
from store.hfclient import ENV_HF_URL, HFClient
from tui.commands.common import error, open_store

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``fetch`` and ``resolve`` subcommands."""
    fetch = subparsers.add_parser(
        "fetch",
        help="fetch Hugging Face Daily Papers lists (authors, upvotes, code links)",
        description=(
            "Fetch Hugging Face Daily Papers lists from the API and merge them into the store. "
            f"Without options: today, plus every earlier day since the last fetch (at most {MAX_DAYS_BACK} days back). "
            "A paper already in the store from a page copy is upgraded in place: it gains its arXiv id, authors, "
            "upvotes and links and keeps its reading state. Each day is written on its own, so a failed day "
            "leaves the store as it was while the other days are kept. "
            "Prints one line per day, e.g. '2026-11-20: 48 papers (31 new)'."
        ),
        epilog=(
            "Only the day (and paging) is sent, to https://huggingface.co/api/daily_papers, "
            f"or to the base URL in ${ENV_HF_URL}. "
            "Exit status: 0 when every day was fetched (or had no list), 1 when any day failed, 2 for bad options."
        ),
    )
    which = fetch.add_mutually_exclusive_group()
    which.add_argument("--date", metavar="YYYY-MM-DD", type=_day_arg, help="fetch this one day")
    which.add_argument(
        "--from",
        dest="start",
        metavar="YYYY-MM-DD",
        type=_day_arg,
        help="fetch from this day (with --to; --to defaults to today)",
    )
    which.add_argument("--week", metavar="YYYY-Www", help="fetch the seven days of an ISO week, e.g. 2026-W47")
    which.add_argument("--month", metavar="YYYY-MM", help="fetch every day of a month, e.g. 2026-11")
    fetch.add_argument(
        "--to", dest="end", metavar="YYYY-MM-DD", type=_day_arg, help="last day of a --from range (inclusive)"
    )
    fetch.add_argument(
        "--refresh",
        action="store_true",
        help="fetch again days already fetched in full"
        " (upvotes, comments and stars change; reading state is never touched)",
    )
    fetch.set_defaults(func=run_fetch)

    res = subparsers.add_parser(
        "resolve",
        help="find papers on arXiv: arXiv id, authors, year, category",
        description=(
            "Look up papers that have no arXiv id (page copies) on the arXiv API by title, and fill in their "
            "arXiv id, authors, publication date and primary category. A result is accepted only when the "
            f"normalised titles agree (rapidfuzz ratio >= {MATCH_THRESHOLD:g}); close but different titles are "
            "reported as near misses and left alone. Papers with an arXiv id but no category (fetched from "
            "Hugging Face) get their category from batched id lookups. arXiv asks for a pause of "
            f"{MIN_INTERVAL:g} s between calls, so this takes about {MIN_INTERVAL:g} s per paper; each answer is "
            "saved at once, so an interrupted run continues where it stopped."
        ),
        epilog=(
            "Only titles and arXiv ids are sent, to https://export.arxiv.org/api/query (or the base URL in "
            "$PAPERTRAY_ARXIV_URL). Exit status: 0 done, 1 a call failed (progress is kept; run again), "
            "2 bad options, 130 interrupted (progress is kept)."
        ),
    )
    res.add_argument(
        "query",
        nargs="?",
        metavar="QUERY",
        help="only papers whose title contains QUERY (case and punctuation ignored) or whose id is QUERY",
    )
    res.add_argument("--retry", action="store_true", help="also look up papers that earlier runs found no match for")
    res.set_defaults(func=run_resolve)


def _day_arg(text: str) -> _dt.date:
    try:
        return parse_day(text)
    except DaySelectionError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def requested_days(args: argparse.Namespace, today: _dt.date) -> list[_dt.date] | None:
    """The days the options ask for, or None for the default catch-up.

    Raises:
        DaySelectionError: a malformed week or month, a reversed range, ``--to`` alone.
    """
    end = getattr(args, "end", None)
    if end is not None and getattr(args, "start", None) is None:
        raise DaySelectionError("--to needs --from")
    if getattr(args, "date", None) is not None:
        return [args.date]
    if getattr(args, "start", None) is not None:
        return day_range(args.start, end or today)
    if getattr(args, "week", None):
        return week_days(args.week)
    if getattr(args, "month", None):
        return month_days(args.month)
    return None


class ProgressBar:
    """``[#####.....] 3/7 2026-11-20`` redrawn in place on a terminal; silent otherwise."""

    def __init__(self, stream: TextIO, *, enabled: bool, width: int = 24) -> None:
        self.stream = stream
        self.enabled = enabled
        self.width = width
        self._drawn = False

    def draw(self, done: int, total: int, label: str = "") -> None:
        if not self.enabled or total <= 0:
            return
        filled = round(self.width * done / total)
        bar = "#" * filled + "." * (self.width - filled)
        self._control("\r\x1b[K")
        self.stream.write(f"[{bar}] {done}/{total} {label[:60]}")  # the label is a title: shown visibly
        self.stream.flush()
        self._drawn = True

    def clear(self) -> None:
        if self._drawn:
            self._control("\r\x1b[K")
            self.stream.flush()
            self._drawn = False

    def _control(self, sequence: str) -> None:
        """Our own cursor controls: past the stream's sanitiser when it has one (`tui.text.VisibleStream`)."""
        getattr(self.stream, "write_control", self.stream.write)(sequence)


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def run_fetch(args: argparse.Namespace) -> int:
    """Run ``papertray fetch``; returns the exit status."""
    today: _dt.date = getattr(args, "today", None) or _dt.date.today()
    try:
        requested = requested_days(args, today)
    except DaySelectionError as exc:
        error(f"fetch: {exc}")
        return EXIT_USAGE
    failed = False
    try:
        with open_store(args) as store, HFClient(getattr(args, "hf_url", None)) as client:
            try:
                plan = plan_days(store, requested, today=today, refresh=args.refresh)
            except DaySelectionError as exc:
                error(f"fetch: {exc}")
                return EXIT_USAGE
            bar = ProgressBar(sys.stderr, enabled=len(plan.days) > 1 and _isatty(sys.stderr))

            def started(index: int, count: int, day: _dt.date) -> None:
                bar.draw(index, count, day.isoformat())

            try:
                for result in iter_fetch(store, client, plan, today=today, on_start=started):
                    bar.clear()
                    if result.failed:
                        failed = True
                        error(result.line())
                    else:
                        print(result.line(), flush=True)
            finally:
                bar.clear()
    except KeyboardInterrupt:
        error("fetch interrupted; the days printed above are saved")
        return EXIT_INTERRUPTED
    except StoreError as exc:
        error(str(exc))
        return EXIT_FAILED
    return EXIT_FAILED if failed else EXIT_OK


def run_resolve(args: argparse.Namespace) -> int:
    """Run ``papertray resolve``; returns the exit status."""
    query = getattr(args, "query", None)
    retry = bool(getattr(args, "retry", False))
    try:
        with open_store(args) as store, ArxivClient(getattr(args, "arxiv_url", None)) as client:
            work = plan_resolve(store, query=query, retry=retry)
            calls = len(work.by_title) + -(-len(work.by_id) // ID_BATCH)
            if calls == 0:
                note = (
                    f" ({work.skipped_checked} without a match in earlier runs; --retry tries them again)"
                    if work.skipped_checked
                    else ""
                )
                print(f"nothing to resolve{note}")
                return EXIT_OK
            estimate = f", about {calls * MIN_INTERVAL / 60:.0f} min" if calls * MIN_INTERVAL >= 60 else ""
            print(
                f"looking up {len(work.by_title)} titles and the category of {len(work.by_id)} papers "
                f"on arXiv ({calls} calls{estimate})",
                flush=True,
            )
            bar = ProgressBar(sys.stderr, enabled=_isatty(sys.stderr))

            def progress(done: int, total: int, message: str) -> None:
                bar.clear()
                print(f"  {message}", flush=True)
                bar.draw(done, total)

            try:
                report = resolve(store, client, query=query, retry=retry, progress=progress)
            except StoreError as exc:
                error(f"resolve stopped: {exc} (what was found is saved; run again to continue)")
                return EXIT_FAILED
            finally:
                bar.clear()
            print(report.line())
    except KeyboardInterrupt:
        error("resolve interrupted; what was found is saved, run `papertray resolve` again to continue")
        return EXIT_INTERRUPTED
    except StoreError as exc:
        error(str(exc))
        return EXIT_FAILED
    return EXIT_OK
