"""``papertray bib sync``: write papers to a ``.bib`` file that stays in sync (the configured ones, or one named)."""

from __future__ import annotations

import argparse
from pathlib import Path

from store.bibsync import BibSyncError, select_papers, sync_file
from store.errors import StoreError
from store.model import Status
from tui.commands.common import error, open_existing_store

EPILOG = """\
Entries papertray writes carry a papertray-id field. They are rewritten in place
on every sync under the key they already have (a newcomer whose key is taken gets
a letter suffix), and removed when their paper leaves the selection (the key is
then given to no other paper). Everything else in the file is left byte for byte
as it is. A file that does not parse as BibTeX is not written (exit status 1).

configured files (config.toml; the reader keeps them in sync while it runs):
  [[bib]]
  file = "~/thesis/refs.bib"
  select = "in:thesis"
"""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "bib",
        help="keep a .bib file in sync with a queue, a status or a query",
        description="Keep .bib files in sync with a selection of papers.",
    )
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", required=True)
    sync = verbs.add_parser(
        "sync",
        help="write the chosen papers to FILE (no FILE: every [[bib]] file of the config)",
        description="Write a queue (in queue order), a status or the results of a query to FILE\n"
        "as BibTeX, keeping what else is in FILE. Without FILE, sync every [[bib]] file\n"
        "of the config; a configured FILE alone is synced with its configured select.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sync.add_argument("file", nargs="?", metavar="FILE", help="the .bib file (created when missing)")
    sync.add_argument("query", nargs="*", metavar="QUERY", help="search query (same language as `list`)")
    choice = sync.add_mutually_exclusive_group()
    choice.add_argument("--queue", metavar="NAME", help="papers of this queue, in queue order")
    choice.add_argument("--status", choices=[s.value for s in Status], help="papers with this status")
    sync.set_defaults(func=run_sync)


def run_sync(args: argparse.Namespace) -> int:
    from tui.config import load_config

    rules = load_config().bib
    query = " ".join(args.query)
    chosen = bool(query.strip() or args.queue or args.status)
    jobs: list[tuple[Path, str, str | None, Status | None]]
    if args.file is None:
        if not rules:
            error("no FILE given and no [[bib]] files in the config (see `papertray bib sync --help`)")
            return 2
        jobs = [(rule.file, rule.select, None, None) for rule in rules]
    elif chosen:
        jobs = [(Path(args.file), query, args.queue, Status(args.status) if args.status else None)]
    else:
        target = Path(args.file).expanduser().resolve()
        match = [rule for rule in rules if rule.file.expanduser().resolve() == target]
        if not match:
            error(f"{args.file}: say which papers (--queue NAME, --status STATUS or a QUERY); it is not a [[bib]] file of the config")
            return 2
        jobs = [(match[0].file, match[0].select, None, None)]
    failed = 0
    with open_existing_store(args) as store:
        for path, select, queue, status in jobs:
            try:
                result = sync_file(path, select_papers(store, query=select, queue=queue, status=status))
            except BibSyncError as exc:
                error(str(exc))
                failed += 1
                continue
            except StoreError as exc:  # a bad query or queue name in one rule: the others still sync
                error(f"{path}: {exc}")
                failed += 1
                continue
            print(result.summary())
    return 1 if failed else 0
