"""``papertray`` (no command) opens the reader; ``papertray demo`` a throwaway demo."""

from __future__ import annotations

import shutil
import tempfile
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from store.store import Store
from tui.commands.common import StoreArgs, open_store

if TYPE_CHECKING:
    import argparse

    from tui.app import PapertrayApp


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    demo = subparsers.add_parser(
        "demo",
        help="open the reader on a throwaway demo store",
        description="Open the reader on a temporary store filled with the demo papers that ship with papertray. "
        "Nothing you do there touches your own store; the temporary store is deleted on exit.",
    )
    demo.add_argument("--keep", metavar="DIR", help="create the demo store in DIR and keep it")
    demo.set_defaults(func=run_demo)


def run_app(args: StoreArgs) -> int:
    """The reader; `tui.cli.main` has paused the cyclic collector for its start-up."""
    from tui.app import PapertrayApp

    with open_store(args) as store:
        run(PapertrayApp(store))
    return 0


def run(app: PapertrayApp) -> None:
    """Run the reader; then keep the stylesheets parsed since start-up (dialogs, themes) for the next start."""
    app.run()
    app.parsed_css.save()


def make_demo_store(path: Path) -> Store:
    from store.demo import demo_drafts

    store = Store.open(path)
    if store.is_empty:
        store.add_drafts(demo_drafts(), source="papertray demo")
    return store


def run_demo(args: argparse.Namespace) -> int:
    from tui.app import PapertrayApp

    if args.keep:
        with make_demo_store(Path(args.keep)) as store:
            run(PapertrayApp(store, demo=True))
        return 0
    root = Path(tempfile.mkdtemp(prefix="papertray-demo-"))
    try:
        with make_demo_store(root / "store") as store:
            app = PapertrayApp(store, demo=True)
            app.at_hang_up.append(partial(shutil.rmtree, root, ignore_errors=True))
            run(app)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0
