"""Write the README's screenshots: the real app, driven by a pilot, saved as SVG.

Usage (from the repository root)::

    .venv/bin/python scripts/screenshots.py            # into screenshots/
    .venv/bin/python scripts/screenshots.py OUT_DIR

Every shot runs the app on a fresh demo store (the demo set has fixed dates),
triaged the same way as the snapshot tests' (`tests.app_helpers.seed_demo_state`),
at 120×36 unless said otherwise. The user's config file is never read, the
text cursor does not blink, and the script waits for every worker before a
shot, so running it twice gives the same files.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from textual.pilot import Pilot  # noqa: E402
from textual.widgets import Input  # noqa: E402

from store.store import Store  # noqa: E402
from tests.app_helpers import annotate_demo, press, seed_demo_state, wait_for_workers  # noqa: E402
from tui.app import PapertrayApp  # noqa: E402
from tui.commands.app import make_demo_store  # noqa: E402
from tui.config import Config  # noqa: E402

SIZE = (120, 36)
WELCOME_PATH = Path("~/.local/share/papertray/store")
"""Shown on the welcome screen instead of the temporary directory used."""


@dataclass(frozen=True)
class Shot:
    name: str
    """File name without ``.svg``."""
    keys: Sequence[str] = ()
    """Pressed one by one, waiting for workers after each."""
    size: tuple[int, int] = SIZE
    empty: bool = False
    """Start on an empty store (the welcome screen)."""
    annotated: bool = False
    """Tags on a few papers, and tags and a note on one (as the snapshot tests do)."""
    rules: bool = False
    """A saved view, watch rules and a mute rule (as the snapshot tests do)."""


SHOTS = [
    Shot("main"),
    Shot("filter", keys=("slash", *"diffusion")),
    Shot("help", keys=("question_mark",)),
    Shot("zoomed", keys=("enter",)),
    Shot("narrow", size=(70, 24)),
    Shot("welcome", empty=True),
    Shot("queue", keys=("5", "j")),
    Shot("queue-picker", keys=("plus", "r", "e")),
    Shot("cite-chooser", keys=("C",)),
    Shot("tags-note", keys=("enter", "space"), annotated=True),
    Shot("tag-picker", keys=("j", "t", "d"), annotated=True),
    Shot("views-watch", rules=True),
]



async def take(shot: Shot, workdir: Path, out: Path) -> Path:
    """Run the app for one shot and save it; returns the SVG's path."""
    if shot.empty:
        store = Store.open(workdir / f"{shot.name}-store")
        store.root = WELCOME_PATH
    else:
        store = make_demo_store(workdir / f"{shot.name}-store")
        seed_demo_state(store)
        if shot.annotated:
            annotate_demo(store)
    config = Config()
    if shot.rules:
        store.view_save("Diffusion", "title:diffusion -is:skipped")
        store.search_index()  # built first, so the rules apply in the app's first frame
        config = Config(watch=("title:diffusion", "author:Chen"), mute=("title:agent",))
    try:
        app = PapertrayApp(store, config=config)
        async with app.run_test(size=shot.size) as pilot:
            await drive(pilot, shot.keys)
            if app._notifications:
                raise RuntimeError(f"{shot.name}: a notification is on screen: {[n.message for n in app._notifications]}")
            return Path(app.save_screenshot(filename=f"{shot.name}.svg", path=str(out)))
    finally:
        store.close()


async def drive(pilot: Pilot[None], keys: Sequence[str]) -> None:
    await wait_for_workers(pilot)  # type: ignore[arg-type]
    await press(pilot, *keys)  # type: ignore[arg-type]
    await pilot.pause()  # one more frame: what the keys changed is painted


async def main(argv: Sequence[str]) -> int:
    out = Path(argv[0]) if argv else ROOT / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    Input._toggle_cursor = lambda self: None  # type: ignore[method-assign]  # a blink would make shots differ
    with tempfile.TemporaryDirectory(prefix="papertray-shots-") as tmp:
        workdir = Path(tmp)
        os.environ["PAPERTRAY_CONFIG"] = str(workdir / "no-config.toml")
        for shot in SHOTS:
            path = await take(shot, workdir, out)
            print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}  {shot.size[0]}×{shot.size[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1:])))
