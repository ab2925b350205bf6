"""``papertray queue ...``: reading queues from the command line."""

from __future__ import annotations

import argparse

from store.model import DEFAULT_QUEUE
from tui.commands.common import open_existing_store, open_store


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "queue",
        help="manage reading queues",
        description=f"Named, ordered reading queues. The default queue is {DEFAULT_QUEUE!r}.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    ls = actions.add_parser(
        "ls",
        help="list queues, or the papers of one queue",
        description="Without NAME: every queue with its length. With NAME: its papers in order.",
    )
    ls.add_argument("name", nargs="?", metavar="NAME")
    ls.set_defaults(func=run_ls)
    for verb, helptext in (
        ("add", "append papers to a queue (created when new)"),
        ("rm", "remove papers from a queue"),
    ):
        sub = actions.add_parser(verb, help=helptext, description=helptext)
        sub.add_argument("name", metavar="NAME")
        sub.add_argument("ids", nargs="+", metavar="ID")
        sub.set_defaults(func=run_add if verb == "add" else run_rm)
    mv = actions.add_parser(
        "mv",
        help="move a paper to a position (1 = first)",
        description="Move a paper to POSITION (1-based) in the queue.",
    )
    mv.add_argument("name", metavar="NAME")
    mv.add_argument("id", metavar="ID")
    mv.add_argument("position", type=int, metavar="POSITION")
    mv.set_defaults(func=run_mv)
    rename = actions.add_parser("rename", help="rename a queue", description="Rename queue OLD to NEW.")
    rename.add_argument("old", metavar="OLD")
    rename.add_argument("new", metavar="NEW")
    rename.set_defaults(func=run_rename)
    drop = actions.add_parser(
        "drop",
        help="delete a queue (papers stay in the store)",
        description="Delete queue NAME; its papers stay in the store.",
    )
    drop.add_argument("name", metavar="NAME")
    drop.set_defaults(func=run_drop)


def run_ls(args: argparse.Namespace) -> int:
    with open_existing_store(args) as store:
        if args.name is None:
            for name, ids in store.queues().items():
                print(f"{name}\t{len(ids)}")
            return 0
        for position, pid in enumerate(store.queue(args.name), start=1):
            paper = store.get(pid)
            print(f"{position}\t{pid}\t{paper.title if paper else '(missing)'}")
    return 0


def run_add(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        added = store.queue_add(args.name, args.ids)
        store.flush()  # on disk before we say so
        print(f"{args.name}: {added} added ({len(store.queue(args.name))} in queue)")
    return 0


def run_rm(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        removed = store.queue_remove(args.name, args.ids)
        store.flush()
        print(f"{args.name}: {removed} removed ({len(store.queue(args.name))} in queue)")
    return 0


def run_mv(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        landed = store.queue_move(args.name, args.id, args.position - 1)
        store.flush()
        print(f"{args.name}: {args.id} at position {landed + 1}")
    return 0


def run_rename(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        store.queue_rename(args.old, args.new)
        store.flush()
        print(f"renamed {args.old} to {args.new}")
    return 0


def run_drop(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        count = len(store.queue(args.name))
        store.queue_drop(args.name)
        store.flush()
        print(f"deleted queue {args.name} ({count} papers; they stay in the store)")
    return 0
