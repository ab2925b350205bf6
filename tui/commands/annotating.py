"""``papertray tag ...`` and ``papertray note ID``: tags and notes from the shell."""

from __future__ import annotations

import argparse
import sys

from store.tags import check_tag
from tui.commands.common import error, open_existing_store, open_store


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "tag",
        help="tag papers (add, rm, ls)",
        description="Tags: lower-case words of letters, digits, '-', '_' or '.'; any number per paper.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    for verb, helptext in (("add", "add a tag to papers"), ("rm", "remove a tag from papers")):
        sub = actions.add_parser(verb, help=helptext, description=helptext)
        sub.add_argument("tag", metavar="TAG")
        sub.add_argument("ids", nargs="+", metavar="ID")
        sub.set_defaults(func=run_tag_add if verb == "add" else run_tag_rm)
    ls = actions.add_parser(
        "ls",
        help="list tags with counts, or the papers of one tag",
        description="Without TAG: every tag with how many papers carry it. With TAG: its papers.",
    )
    ls.add_argument("tag", nargs="?", metavar="TAG")
    ls.set_defaults(func=run_tag_ls)

    note = subparsers.add_parser(
        "note",
        help="edit a paper's note in $VISUAL/$EDITOR (or print it)",
        description="Open the paper's note (Markdown) in $VISUAL, else $EDITOR, else vi; "
        "saved when the editor exits normally. --print writes it to standard output.",
    )
    note.add_argument("id", metavar="ID")
    note.add_argument("--print", action="store_true", dest="print_only", help="print the note instead of editing")
    note.set_defaults(func=run_note)


def run_tag_add(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        changed = store.tag_papers(args.ids, add=[args.tag])
        store.flush()  # on disk before we say so
        name = check_tag(args.tag)
        print(f"#{name}: added to {changed} papers ({len(store.tagged(name))} tagged)")
    return 0


def run_tag_rm(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        changed = store.tag_papers(args.ids, remove=[args.tag])
        store.flush()
        print(f"#{check_tag(args.tag)}: removed from {changed} papers")
    return 0


def run_tag_ls(args: argparse.Namespace) -> int:
    with open_existing_store(args) as store:
        if args.tag is None:
            for tag, count in store.tag_counts().items():
                print(f"{tag}\t{count}")
            return 0
        for pid in store.tagged(args.tag):
            paper = store.get(pid)
            print(f"{pid}\t{paper.title if paper else '(missing)'}")
    return 0


def run_note(args: argparse.Namespace) -> int:
    if args.print_only:
        with open_existing_store(args) as store:
            pid = store.require(store.resolve(args.id)).id
            sys.stdout.write(store.note(pid))
        return 0
    from tui.editor import edit_text

    with open_existing_store(args) as store:  # not held open while the editor runs: the reader may write meanwhile
        pid = store.require(store.resolve(args.id)).id
        before = store.note(pid)
    after = edit_text(before, f"note-{pid}")
    if after is None:
        error("editor exited with an error; note not changed")
        return 1
    with open_store(args) as store:
        changed = store.set_note(pid, after)
        store.flush()
    print(f"{pid}: note {'saved' if changed else 'unchanged'}", file=sys.stderr)
    return 0
