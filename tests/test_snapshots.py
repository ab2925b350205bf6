"""Snapshot tests (pytest-textual-snapshot): the screens of issues 3 and 4 as SVG.

Update the baselines with ``pytest tests/test_snapshots.py --snapshot-update``
and look at them (``tests/__snapshots__/test_snapshots/*.svg``) before
committing. The demo data has fixed dates, the seeded state is chosen by
title, the cursor does not blink (``isolated``), and no toast is on screen
in any of these shots, so they are deterministic.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.pilot import Pilot

from store.store import Store
from tests.app_helpers import (
    NARROW,
    SIZE,
    StoreOpener,
    annotate_demo,
    press,
    seed_demo_state,
    wait_for_workers,
)
from tui.app import PapertrayApp

SnapCompare = Callable[..., bool]
RunBefore = Callable[[Pilot[object]], Awaitable[None]]


def keys(*pressed: str) -> RunBefore:
    """A run_before that presses keys and waits for the workers they start."""

    async def run(pilot: Pilot[object]) -> None:
        await wait_for_workers(pilot)
        await press(pilot, *pressed)
        assert not pilot.app._notifications, "a toast would make the shot depend on timing"

    return run


def seeded_app(demo_dir: Path, open_store: StoreOpener) -> PapertrayApp:
    store = open_store(demo_dir)
    seed_demo_state(store)
    return PapertrayApp(store)


def test_main_screen(snap_compare: SnapCompare, demo_dir: Path, open_store: StoreOpener) -> None:
    """All view, 120×36: status glyphs, queue and code marks, the abstract of the selected paper."""
    assert snap_compare(seeded_app(demo_dir, open_store), terminal_size=SIZE, run_before=keys())


def test_filter_with_highlights(snap_compare: SnapCompare, demo_dir: Path, open_store: StoreOpener) -> None:
    """Filter bar focused, ``diffusion`` typed: "N of 62", matches highlighted in the abstract."""
    app = seeded_app(demo_dir, open_store)
    assert snap_compare(app, terminal_size=SIZE, run_before=keys("slash", *"diffusion"))


def test_help(snap_compare: SnapCompare, demo_dir: Path, open_store: StoreOpener) -> None:
    """``?``: every key with its binding id."""
    assert snap_compare(seeded_app(demo_dir, open_store), terminal_size=SIZE, run_before=keys("question_mark"))


def test_zoomed_abstract(snap_compare: SnapCompare, demo_dir: Path, open_store: StoreOpener) -> None:
    """Enter: the abstract takes the whole screen."""
    assert snap_compare(seeded_app(demo_dir, open_store), terminal_size=SIZE, run_before=keys("enter"))


def test_narrow(snap_compare: SnapCompare, demo_dir: Path, open_store: StoreOpener) -> None:
    """70×24: the abstract is stacked under the list."""
    assert snap_compare(seeded_app(demo_dir, open_store), terminal_size=NARROW, run_before=keys())


def test_welcome(snap_compare: SnapCompare, tmp_path: Path) -> None:
    """Empty store: how to import, fetch, or try the demo."""
    store = Store.open(tmp_path / "empty")
    store.root = Path("~/.local/share/papertray/store")  # the path on screen must not be a temporary one
    try:
        assert snap_compare(PapertrayApp(store), terminal_size=SIZE, run_before=keys())
    finally:
        store.close()


def test_queue_view(snap_compare: SnapCompare, demo_dir: Path, open_store: StoreOpener) -> None:
    """View 5, the to-read queue, in its own order, with the position "2 / 4"."""
    assert snap_compare(seeded_app(demo_dir, open_store), terminal_size=SIZE, run_before=keys("5", "j"))


def test_queue_picker(snap_compare: SnapCompare, demo_dir: Path, open_store: StoreOpener) -> None:
    """``+`` with ``re`` typed: the matching queues."""
    assert snap_compare(seeded_app(demo_dir, open_store), terminal_size=SIZE, run_before=keys("plus", "r", "e"))


def test_citation_chooser(snap_compare: SnapCompare, demo_dir: Path, open_store: StoreOpener) -> None:
    """``C``: the four formats and a preview of the BibTeX entry."""
    assert snap_compare(seeded_app(demo_dir, open_store), terminal_size=SIZE, run_before=keys("C"))


def annotated_app(demo_dir: Path, open_store: StoreOpener) -> PapertrayApp:
    """The seeded demo with tags on a few papers, and tags and a note on the selected one."""
    app = seeded_app(demo_dir, open_store)
    annotate_demo(app.store)
    return app


def test_paper_with_tags_and_note(snap_compare: SnapCompare, demo_dir: Path, open_store: StoreOpener) -> None:
    """Issue 14: tags compact in the rows (``#lean +2``), in full in the pane, the note under the abstract (zoomed, paged)."""
    assert snap_compare(annotated_app(demo_dir, open_store), terminal_size=SIZE, run_before=keys("enter", "space"))


def test_tag_picker(snap_compare: SnapCompare, demo_dir: Path, open_store: StoreOpener) -> None:
    """Issue 14: the tag picker after ``t`` and ``d`` typed: the match, then the explicit create row."""
    assert snap_compare(annotated_app(demo_dir, open_store), terminal_size=SIZE, run_before=keys("j", "t", "d"))
def test_saved_view_and_watched_rows(snap_compare: SnapCompare, demo_dir: Path, open_store: StoreOpener) -> None:
    """Inbox with a saved view in the bar (after the built-ins, before queues), watched rows marked ♦ and muted ones counted."""
    from tui.config import Config

    store = open_store(demo_dir)
    seed_demo_state(store)
    store.view_save("Diffusion", "title:diffusion -is:skipped")
    store.search_index()  # built before the app starts, so rules apply in its first frame
    app = PapertrayApp(store, config=Config(watch=("title:diffusion", "author:Chen"), mute=("title:agent",)))
    assert snap_compare(app, terminal_size=SIZE, run_before=keys())
