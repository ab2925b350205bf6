"""Pilot tests of the reader's moving keys, zoom, help, palette, key map, layout and first screens.

Each test drives the real app on a demo store and asserts on what is drawn and
on the store.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.screen import Screen
from textual.widgets import Footer, Static

from store.model import Status
from tests.app_helpers import (
    NARROW,
    SIZE,
    SMALLEST,
    AppFactory,
    abstract_body,
    abstract_status,
    fill,
    footer_text,
    list_line,
    main_screen,
    notifications,
    press,
    rendered,
    screen_text,
    wait_for_workers,
)
from tui.app import PapertrayApp, key_rows
from tui.commands.app import make_demo_store
from tui.config import load_config
from tui.screens.help import HelpScreen
from tui.screens.main import MainScreen
from tui.screens.welcome import WelcomeScreen
from tui.widgets.abstract_pane import AbstractPane

LIST_HEIGHT = SIZE[1] - 4
"""Rows of the list at 120×36: view bar, filter bar, notice and footer take one line each."""



async def test_first_paint_then_every_moving_key(demo_dir: Path, make_app: AppFactory) -> None:
    app = make_app(demo_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        screen = main_screen(app)
        assert screen.paper_list.row_count == 62
        assert screen.view.key == "inbox"
        assert app.focused is screen.paper_list
        rows = screen.paper_list.rows
        assert abstract_body(screen).startswith(rows[0].title)
        assert abstract_status(screen) == "● new"
        text = screen_text(app)
        assert "1 Inbox 62" in text and "3 All 62" in text
        assert list_line(screen, 0).startswith("●")
        assert rows[0].title[:30] in list_line(screen, 0)
        expected = {
            "j": 1,
            "down": 2,
            "k": 1,
            "up": 0,
            "G": 61,
            "g": 0,
            "end": 61,
            "home": 0,
            "pagedown": LIST_HEIGHT,
            "pageup": 0,
        }
        for key, index in expected.items():
            await press(pilot, key)
            assert screen.paper_list.cursor_index == index, key
            assert screen.paper_list.current_id == rows[index].id
            # The abstract pane follows the cursor.
            assert abstract_body(screen).startswith(rows[index].title), key
        await press(pilot, "up")
        assert screen.paper_list.cursor_index == 0, "the cursor stops at the top"
        await press(pilot, "G", "j")
        assert screen.paper_list.cursor_index == 61, "and at the bottom"
        assert rows[61].title[:20] in list_line(screen, 61), "the last row was scrolled into view"
        assert screen.store.statuses() == {}, "moving changes nothing in the store"


async def test_enter_zooms_the_abstract_and_back(demo_dir: Path, make_app: AppFactory) -> None:
    app = make_app(demo_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        screen = main_screen(app)
        pane = screen.query_one(AbstractPane)
        narrow_width = pane.region.width
        await press(pilot, "enter")
        assert screen.has_class("zoomed")
        assert screen.paper_list.region.area == 0, "the list is out of sight"
        assert pane.region.width == SIZE[0]
        assert screen.paper_list.rows[1].title[:30] not in screen_text(app), "the next paper's row is hidden"
        # j/k still move from paper to paper while zoomed.
        await press(pilot, "j")
        assert screen.paper_list.cursor_index == 1
        assert abstract_body(screen).startswith(screen.paper_list.rows[1].title)
        await press(pilot, "enter")
        assert not screen.has_class("zoomed")
        assert pane.region.width == narrow_width
        assert app.focused is screen.paper_list, "keys work again after un-zooming"
        await press(pilot, "j")
        assert screen.paper_list.cursor_index == 2
        assert screen.paper_list.rows[2].title[:30] in list_line(screen, 2)


async def test_space_and_b_scroll_the_abstract_while_the_list_keeps_focus(demo_dir: Path, make_app: AppFactory) -> None:
    app = make_app(demo_dir)
    async with app.run_test(size=NARROW) as pilot:
        await wait_for_workers(pilot)
        screen = main_screen(app)
        pane = screen.query_one(AbstractPane)
        assert pane.max_scroll_y > 0, "the abstract is longer than its pane at 70×24"
        await press(pilot, "space")
        assert pane.scroll_y > 0
        assert app.focused is screen.paper_list
        await press(pilot, "b")
        assert pane.scroll_y == 0
        assert screen.paper_list.cursor_index == 0


async def test_help_lists_every_binding_id(demo_dir: Path, make_app: AppFactory) -> None:
    app = make_app(demo_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one("#help-table")
        text = rendered(table)
        ids = [row.id for row in key_rows({})]
        assert len(ids) >= 30
        for binding_id in ids:
            assert binding_id in text, binding_id
        assert "triage.star" in text and "queue.done" in text and "cite.choose" in text
        await press(pilot, "escape")
        assert isinstance(app.screen, MainScreen)


async def test_ctrl_p_opens_the_palette_which_offers_and_runs_every_action(demo_dir: Path, make_app: AppFactory) -> None:
    from tui.palette import screen_commands

    app = make_app(demo_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        screen = main_screen(app)
        titles = " ".join(str(c.title) + " " + str(c.help) for c in screen_commands(app, screen))
        for row in key_rows({}):
            if row.group == "App" or row.id.startswith("list.") or row.id in ("filter.clear", "filter.down", "filter.up"):
                continue  # the filter bar's own keys (used while typing); its Esc is offered as filter.clear_list
            assert row.id in titles, row.id
        assert "filter.clear_list" in titles and "· filter.clear " not in titles + " "
        assert "Export this view as bibtex" in titles and "Rename a queue" in titles
        first = screen.paper_list.current_id
        assert first is not None
        await press(pilot, "ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await fill(pilot, "Star (again")
        await pilot.pause(0.2)  # the palette searches its providers asynchronously
        await press(pilot, "enter")
        assert isinstance(app.screen, MainScreen)
        assert screen.store.status(first) is Status.STARRED
        assert first not in [r.id for r in screen.paper_list.rows], "starred: out of the Inbox"


async def test_remapped_key_from_the_config_file(demo_dir: Path, make_app: AppFactory, config_file: Path) -> None:
    config_file.write_text('[keys]\n"triage.star" = "f"\n', encoding="utf-8")
    app = make_app(demo_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        screen = main_screen(app)
        first = screen.paper_list.current_id
        assert first is not None
        await press(pilot, "s")
        assert screen.store.status(first) is Status.NEW, "s no longer stars"
        await press(pilot, "f")
        assert screen.store.status(first) is Status.STARRED
        assert "f Star" in await footer_text(pilot)
        # The help screen and the palette read the same table.
        star = next(row for row in key_rows(app.config.keys) if row.id == "triage.star")
        assert star.keys == "f"


def test_broken_config_is_reported_not_fatal(config_file: Path) -> None:
    """The app shows ``error`` as a toast (see test_unknown_citation_format_in_config_is_reported)."""
    config_file.write_text("[keys\n", encoding="utf-8")
    config = load_config()
    assert config.error and "ignored" in config.error
    assert config.keys == {} and config.citation == "bibtex"
    config_file.write_text('citation = "apa"\n[keys]\n"triage.star" = "f"\n', encoding="utf-8")
    config = load_config()
    assert config.error and "citation" in config.error
    assert config.citation == "bibtex" and config.keys == {"triage.star": "f"}


async def test_narrow_terminals_stack_the_panes(demo_dir: Path, make_app: AppFactory) -> None:
    for size in (NARROW, SMALLEST):
        app = make_app(demo_dir)
        async with app.run_test(size=size) as pilot:
            await wait_for_workers(pilot)
            screen = main_screen(app)
            pane = screen.query_one(AbstractPane)
            assert screen.has_class("-narrow")
            assert pane.region.y > screen.paper_list.region.y, "abstract below the list"
            assert pane.region.x == screen.paper_list.region.x == 0
            assert screen.paper_list.region.height >= 5
            assert screen.paper_list.rows[0].title[:10] in list_line(screen, 0)
            await press(pilot, "j", "r")
            assert screen.store.statuses(), size
        await app.workers.wait_for_complete()


async def test_resizing_keeps_the_layout_whole(demo_dir: Path, make_app: AppFactory) -> None:
    app = make_app(demo_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        screen = main_screen(app)
        pane = screen.query_one(AbstractPane)
        await press(pilot, "j", "j")
        assert pane.region.x > 0, "side by side when wide"
        for width, height in ((70, 24), (60, 20), (200, 50), (99, 30), SIZE):
            await pilot.resize_terminal(width, height)
            await wait_for_workers(pilot)
            assert app.size == (width, height)
            stacked = width < 100
            assert screen.has_class("-narrow") is stacked, width
            assert (pane.region.x == 0) is stacked, width
            assert screen.paper_list.cursor_index == 2
            assert screen.paper_list.region.height > 0
            assert screen.query_one(Footer).region.bottom == height
            assert screen.paper_list.rows[2].title[:8] in list_line(screen, 2)


async def test_empty_store_shows_the_welcome_screen(tmp_path: Path, make_app: AppFactory) -> None:
    # Brackets in the path must not be read as markup.
    app = make_app(tmp_path / "[empty]")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        assert isinstance(app.screen, WelcomeScreen)
        text = screen_text(app)
        assert "papertray import FILE" in text
        assert "papertray demo" in text
        assert str(tmp_path / "[empty]") in rendered(app.screen.query_one("#welcome-text", Static))
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen), "help works here too"
        assert not app._exit
        await pilot.press("escape", "ctrl+q")
        assert app._exit, "ctrl+q quits"


async def test_demo_store_opens_in_the_reader(tmp_path: Path) -> None:
    path = tmp_path / "demo"
    with make_demo_store(path) as store:
        app = PapertrayApp(store, demo=True)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for_workers(pilot)
            screen = main_screen(app)
            assert screen.paper_list.row_count == 62
            assert app.sub_title == "demo store (throwaway)"
            assert any("图文" in r.title for r in screen.paper_list.rows)
            await press(pilot, "s")
    # Opening the demo store again keeps what was done there and adds nothing.
    with make_demo_store(path) as again:
        assert len(again.rows()) == 62
        assert list(again.statuses().values()) == [Status.STARRED]


async def test_capital_f_fetches_into_the_store_from_the_welcome_screen(
    tmp_path: Path, make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The network part is replaced: this checks the worker, the notices and the switch to the reader."""
    import store.fetch
    from store.demo import demo_drafts

    def fake_fetch(store_: object, plan: object, *, on_day: Callable[[str, bool], None], **_: object) -> list[object]:
        store_.add_drafts(demo_drafts()[:5], source="fake fetch")  # type: ignore[attr-defined]
        on_day("2026-11-21: 5 papers", True)
        return []

    monkeypatch.setattr(store.fetch, "plan_days", lambda store_: None)
    monkeypatch.setattr(store.fetch, "fetch_days", fake_fetch)
    app = make_app(tmp_path / "empty")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        assert isinstance(app.screen, WelcomeScreen)
        await press(pilot, "F")
        assert isinstance(app.screen, MainScreen)
        await wait_for_workers(pilot)
        assert app.screen.paper_list.row_count == 5
        messages = notifications(app)
        assert "2026-11-21: 5 papers" in messages
        assert any(m.startswith("Fetch finished: 1 days") for m in messages)


async def test_a_failing_fetch_is_reported(demo_dir: Path, make_app: AppFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    import store.fetch

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("network is unreachable")

    monkeypatch.setattr(store.fetch, "plan_days", lambda store_: None)
    monkeypatch.setattr(store.fetch, "fetch_days", broken)
    app = make_app(demo_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        await press(pilot, "F")
        await wait_for_workers(pilot)
        assert app.is_running
        assert any("network is unreachable" in m for m in notifications(app)), notifications(app)
        assert main_screen(app).paper_list.row_count == 62


async def test_a_store_filled_during_start_up_still_gets_its_first_screen(
    tmp_path: Path, make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Empty when the first screen is chosen, filled (another process's import) before the app's mount.

    The welcome screen shows, not Textual's blank one: the store is looked at once.
    """
    app = make_app(tmp_path / "empty")
    chosen = PapertrayApp.get_default_screen

    def choose_then_fill(self: PapertrayApp) -> Screen[None]:
        screen = chosen(self)
        from store.demo import demo_drafts

        self.store.add_drafts(demo_drafts()[:3], source="another process")
        return screen

    monkeypatch.setattr(PapertrayApp, "get_default_screen", choose_then_fill)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.1)
        assert isinstance(app.screen, WelcomeScreen)
