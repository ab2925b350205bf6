"""Pilot tests of issue 14, points 3 and 4: saved views (palette, bar, number keys) and watch/mute rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from store.model import Status
from tests.app_helpers import (
    SIZE,
    AppFactory,
    StoreOpener,
    fill,
    list_line,
    main_screen,
    notifications,
    press,
    screen_text,
    view_label,
    wait_for_workers,
)
from tui.screens.main import MainScreen
from tui.screens.prompt import PromptScreen

TOTAL = 62
DIFFUSION = 4
"""Demo papers with "diffusion" in the title."""
AGENT = 3
"""Demo papers with "agent" in the title."""


def view_bar(app: object) -> str:
    return screen_text(app).splitlines()[0]  # type: ignore[arg-type]


async def palette(pilot: object, command: str) -> None:
    await press(pilot, "ctrl+p")  # type: ignore[arg-type]
    await fill(pilot, command)  # type: ignore[arg-type]
    await pilot.pause(0.2)  # type: ignore[attr-defined]
    await press(pilot, "enter")  # type: ignore[arg-type]


async def test_save_filter_as_view_number_key_rename_delete(demo_dir: Path, open_store: StoreOpener, make_app: AppFactory) -> None:
    store = open_store(demo_dir)
    store.queue_create("to-read")
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        screen = main_screen(app)
        await press(pilot, "slash", *"title:diffusion", "enter")
        assert screen.paper_list.row_count == DIFFUSION
        await palette(pilot, "Save filter as view")
        assert isinstance(app.screen, PromptScreen)
        app.screen.query_one(Input).value = "Diffusion"
        await press(pilot, "enter")
        assert isinstance(app.screen, MainScreen)
        assert store.saved_views() == {"Diffusion": "is:new -is:muted title:diffusion"}
        bar = view_bar(app)
        assert " 5 Diffusion 4 " in bar and " 6 to-read 0 " in bar, bar  # after the built-ins, before queues
        assert view_label(screen) == "Diffusion" and screen.filter.query == ""
        assert screen.paper_list.row_count == DIFFUSION
        # Live count: triaging one of its papers takes it out (the view is of new papers).
        await press(pilot, "r")
        assert " 5 Diffusion 3 " in view_bar(app)
        await press(pilot, "1")
        assert view_label(screen) == "Inbox" and screen.paper_list.row_count == TOTAL - 1
        await press(pilot, "5")
        assert view_label(screen) == "Diffusion" and screen.paper_list.row_count == DIFFUSION - 1
        await palette(pilot, "Rename view Diffusion")
        assert isinstance(app.screen, PromptScreen)
        app.screen.query_one(Input).value = "diff new"
        await press(pilot, "enter")
        assert store.saved_views() == {"diff new": "is:new -is:muted title:diffusion"}
        assert " 5 diff new 3 " in view_bar(app)
        assert view_label(screen) == "diff new", "renamed under the reader: it stays in the view"
        await palette(pilot, "Delete view diff new")
        assert store.saved_views() == {}
        assert "diff new" not in view_bar(app) and " 5 to-read 0 " in view_bar(app)
        assert view_label(screen) == "Inbox"
        await press(pilot, "u")  # undone: back in the bar
        assert " 5 diff new 3 " in view_bar(app)


async def test_saving_with_nothing_to_save_says_so(demo_dir: Path, make_app: AppFactory) -> None:
    app = make_app(demo_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        await press(pilot, "3")  # All, no filter
        await palette(pilot, "Save filter as view")
        assert isinstance(app.screen, MainScreen)
        assert any("Nothing to save" in n for n in notifications(app))


async def test_watch_marker_mute_count_is_muted_and_a_bad_rule(
    demo_dir: Path, open_store: StoreOpener, make_app: AppFactory, config_file: Path
) -> None:
    config_file.write_text('watch = ["title:diffusion"]\nmute = ["title:agent", "title:\\"unclosed"]\n', encoding="utf-8")
    store = open_store(demo_dir)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        screen = main_screen(app)
        assert any(n.startswith("config.toml: mute rule 2 'title:\"unclosed' ignored") for n in notifications(app))
        # The rules apply once the search index is ready (the first paint never waits for it to be built).
        for _ in range(50):
            if f" 1 Inbox {TOTAL - AGENT} ({AGENT} muted) " in view_bar(app):
                break
            await pilot.pause(0.1)
            await wait_for_workers(pilot)
        assert f" 1 Inbox {TOTAL - AGENT} ({AGENT} muted) " in view_bar(app)
        assert not any("Agent" in r.title for r in screen.paper_list.rows)
        watched = [i for i, r in enumerate(screen.paper_list.rows) if "Diffusion" in r.title or "diffusion" in r.title]
        assert len(watched) == DIFFUSION
        first = watched[0]
        assert list_line(screen, first)[4:6] == "♦ ", list_line(screen, first)
        assert "♦" not in list_line(screen, 0 if first else 1)
        # is:muted finds them (All view); is:watched the marked ones.
        await press(pilot, "3", "slash", *"is:muted", "enter")
        assert sorted("Agent" in r.title or "Agents" in r.title for r in screen.paper_list.rows) == [True] * AGENT
        await press(pilot, "slash", "ctrl+u", *"is:watched", "enter")
        assert screen.paper_list.row_count == DIFFUSION
        # Reading a muted paper: no longer a hidden new one.
        await press(pilot, "escape", "1")
        assert view_label(screen) == "Inbox"
        store.set_status([next(r.id for r in store.rows() if "Agent" in r.title)], Status.READ)
        screen.refresh_all()
        await wait_for_workers(pilot)
        assert f" 1 Inbox {TOTAL - AGENT} ({AGENT - 1} muted) " in view_bar(app)


async def test_watched_first_toggle_sorts_the_inbox_and_persists(
    demo_dir: Path, open_store: StoreOpener, make_app: AppFactory, config_file: Path
) -> None:
    config_file.write_text('watch = ["title:diffusion"]\n', encoding="utf-8")
    store = open_store(demo_dir)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        screen = main_screen(app)
        assert not all("iffusion" in r.title for r in screen.paper_list.rows[:DIFFUSION])
        dates = [r.date for r in screen.paper_list.rows]
        await palette(pilot, "Watched first in the Inbox")
        top = screen.paper_list.rows[:DIFFUSION]
        assert all("iffusion" in r.title for r in top)
        assert [r.date for r in top] == sorted((r.date for r in top), reverse=True), "each half keeps its order"
        assert all(list_line(screen, i)[4] == "♦" for i in range(DIFFUSION))
        await press(pilot, "3")
        assert [r.date for r in screen.paper_list.rows] == dates, "only the Inbox"
    assert store.meta_get("watched_first") is True
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        await press(pilot, "1")
        assert all("iffusion" in r.title for r in main_screen(app).paper_list.rows[:DIFFUSION])


async def test_queue_keys_keep_the_saved_views_in_the_bar(demo_dir: Path, open_store: StoreOpener, make_app: AppFactory) -> None:
    """``a`` and ``+`` rebuild the views bar: saved views stay, and Tab from a saved view still works."""
    store = open_store(demo_dir)
    store.view_save("Diffusion", "title:diffusion")
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        screen = main_screen(app)
        await press(pilot, "5")
        assert screen.view.label == "Diffusion"
        await press(pilot, "a")  # the paper under the cursor goes to to-read
        await wait_for_workers(pilot)
        assert " 5 Diffusion " in view_bar(app) and " 6 to-read 1 " in view_bar(app), view_bar(app)
        assert screen.view.label == "Diffusion"
        await press(pilot, "tab")
        await wait_for_workers(pilot)
        assert screen.view.label == "to-read"


async def test_saved_views_on_reading_state_are_counted_off_the_ui_thread(
    demo_dir: Path, open_store: StoreOpener, make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A triage key recounts an ``is:`` saved view in a worker; the bar shows the new count once it is done.

    On the UI thread each such view was a search per key: two of them cost 40 ms a key at 100k papers.
    """
    import threading

    from store import views as store_views
    from tui.controllers import views as views_controller

    store = open_store(demo_dir)
    store.view_save("Unread", "-is:read")
    store.view_save("Diffusion", "title:diffusion")
    store.search_index()  # cached: saved views count from the first frame (no wait for an index build)
    counted_on: list[str] = []
    real = views_controller.saved_rows

    def noting(store_: object, query: str) -> object:
        counted_on.append(threading.current_thread().name if query == "-is:read" else "")
        return real(store_, query)  # type: ignore[arg-type]

    monkeypatch.setattr(views_controller, "saved_rows", noting)
    monkeypatch.setattr(store_views, "saved_rows", noting)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        total = len(store.rows())
        assert f" 5 Unread {total} " in view_bar(app), view_bar(app)
        counted_on.clear()
        await press(pilot, "3")  # All: `r` marks a paper read and it stays in the list
        await press(pilot, "r")
        await wait_for_workers(pilot)
        assert f" 5 Unread {total - 1} " in view_bar(app), view_bar(app)
        ui = threading.main_thread().name
        assert counted_on and ui not in [name for name in counted_on if name], counted_on
