"""``papertray export``: a queue, a status or a query as BibTeX, Markdown, JSONL or CSV."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from store.export import EXPORT_FORMATS, export_papers, write_export
from store.model import Status
from store.views import select_rows
from tui.commands.common import open_existing_store


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "export",
        help="export papers as BibTeX, Markdown, JSON Lines or CSV",
        description="Export a queue (in queue order), a status, or the results of a query. "
        "BibTeX keys are unique within one export.",
    )
    parser.add_argument("query", nargs="*", metavar="QUERY", help="search query (same language as `list`)")
    parser.add_argument("--queue", metavar="NAME", help="papers of this queue, in queue order")
    parser.add_argument("--status", choices=[s.value for s in Status], help="papers with this status")
    parser.add_argument("--format", choices=EXPORT_FORMATS, required=True, help="output format")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with open_existing_store(args) as store:
        rows = select_rows(
            store,
            status=Status(args.status) if args.status else None,
            queue=args.queue,
            query=" ".join(args.query),
        )
        papers = store.papers_of(r.id for r in rows)
        text = export_papers(
            papers,
            args.format,
            status_of=lambda pid: store.status(pid).value,
            queues_of=store.queues_of,
            tags_of=store.tags_of,
            note_of=store.note,
        )
    if args.output:
        write_export(Path(args.output), text, store_root=store.root)
        print(f"{args.output}: {len(papers)} papers ({args.format})", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
