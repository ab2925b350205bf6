"""``papertray list`` and ``papertray mark``: reading the store from scripts."""

from __future__ import annotations

import argparse
import shutil
import sys
import unicodedata
from collections.abc import Sequence

import orjson

from store.model import Paper, Row, Status
from store.store import Store
from store.texrender import render_tex
from store.views import select_rows
from store.visible import json_visible
from tui.commands.common import open_existing_store, open_store
from tui.text import one_line

STATUS_CHOICES = [s.value for s in Status]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    lister = subparsers.add_parser(
        "list",
        help="list papers (filter by status, queue or a search query)",
        description="List papers, newest first, or ranked by relevance when QUERY has free words.",
        epilog=(
            "query language: words (all must match, small typos allowed), \"exact phrase\", -word, "
            "title:WORD, author:NAME, is:new|read|starred|skipped, is:watched|muted (config rules), in:QUEUE, "
            "has:code, date:2024-03-14, date:>=2024-03-01, date:2024-03. "
            "--status new lists muted papers too; add -- -is:muted for the Inbox's cut"
        ),
    )
    lister.add_argument("query", nargs="*", metavar="QUERY", help="search query (see below)")
    lister.add_argument("--status", choices=STATUS_CHOICES, help="only papers with this status")
    source = lister.add_mutually_exclusive_group()
    source.add_argument("--queue", metavar="NAME", help="only papers in this queue, in queue order")
    source.add_argument("--view", metavar="NAME", help="only papers of this saved view (saved in the app's palette)")
    lister.add_argument(
        "--format", choices=["table", "json", "jsonl"], default="table", help="output format (default: table)"
    )
    lister.add_argument("--limit", type=int, metavar="N", help="at most N papers")
    lister.add_argument(
        "--sort",
        choices=["date", "upvotes"],
        default="date",
        help="order without free words (default: date, newest first; queues keep their order)",
    )
    lister.set_defaults(func=run_list)

    marker = subparsers.add_parser(
        "mark",
        help="set the reading status of papers",
        description="Set the reading status of one or more papers (ids as shown by `papertray list`).",
    )
    marker.add_argument("ids", nargs="+", metavar="ID", help="paper ids")
    marker.add_argument("status", choices=STATUS_CHOICES, help="new status")
    marker.set_defaults(func=run_mark)


def run_list(args: argparse.Namespace) -> int:
    with open_existing_store(args) as store:
        status = Status(args.status) if args.status else None
        query = " ".join(args.query)
        rows = select_rows(store, status=status, queue=args.queue, query=query, sort=args.sort, view=args.view)
        if args.limit is not None:
            rows = rows[: max(0, args.limit)]
        if args.format == "table":
            _print_table(store, rows)
            return 0
        records = [_record(store, paper) for paper in store.papers_of(row.id for row in rows)]
    if args.format == "json":
        sys.stdout.write(json_visible(orjson.dumps(records, option=orjson.OPT_INDENT_2).decode()) + "\n")
    else:
        sys.stdout.write("".join(json_visible(orjson.dumps(r).decode()) + "\n" for r in records))
    return 0


def _record(store: Store, paper: Paper) -> dict[str, object]:
    return {
        "id": paper.id,
        "title": paper.title,
        "date": paper.date,
        "authors": list(paper.authors),
        "github": list(paper.github),
        "status": store.status(paper.id).value,
        "queues": store.queues_of(paper.id),
        "tags": store.tags_of(paper.id),
        "arxiv_id": paper.arxiv_id,
        "upvotes": paper.upvotes,
        "url": paper.url,
    }


def _print_table(store: Store, rows: Sequence[Row]) -> None:
    # One cell short of the width: writing the last column makes some terminals wrap.
    width = max(20, shutil.get_terminal_size((100, 24)).columns - 1)
    id_width = max((len(r.id) for r in rows), default=10)
    for row in rows:
        glyph = store.status(row.id).glyph
        date = row.date or ""
        print(_clip(f"{glyph} {row.id:<{id_width}}  {date:<10}  {one_line(render_tex(row.title))}", width))
    if sys.stdout.isatty():
        print(f"{len(rows)} papers", file=sys.stderr)


def _cell_width(char: str) -> int:
    """Terminal cells one character takes: CJK and emoji take two, combining marks none."""
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` terminal cells, ending in "…" when cut."""
    if sum(map(_cell_width, text)) <= width:
        return text
    used = 0
    for index, char in enumerate(text):
        used += _cell_width(char)
        if used > width - 1:
            return text[:index] + "…"
    return text


def run_mark(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        for pid in args.ids:
            store.require(pid)
        changed = store.set_status(args.ids, Status(args.status))
    print(f"{changed} of {len(args.ids)} papers marked {args.status}")
    return 0
