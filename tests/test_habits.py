"""Terminal users' habits: q quits (backing out of a dialog or the zoom first), the
footer always shows the way out, the views bar never cuts a view in half, and
help stays readable on a narrow terminal.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console

from store.store import Store
from store.views import all_views
from tests.app_helpers import SIZE, AppFactory, StoreOpener, footer_text, main_screen, press, screen_text, wait_for_workers
from tui.app import key_rows
from tui.screens.cite_chooser import CitationChooserScreen
from tui.screens.help import HelpScreen, help_table
from tui.screens.main import MainScreen


async def test_q_quits_from_the_list(demo_dir: Path, make_app: AppFactory) -> None:
    app = make_app(demo_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        await press(pilot, "q")
        assert app._exit, "q quits, as in newsboat, mutt, lazygit, less, htop, tig"


@pytest.mark.parametrize("key", ["ctrl+q", "ctrl+c"])
async def test_ctrl_q_and_ctrl_c_quit_even_from_the_filter(key: str, demo_dir: Path, make_app: AppFactory) -> None:
    app = make_app(demo_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        await press(pilot, "slash", "a")
        await press(pilot, key)
        assert app._exit
        assert not any("ctrl+q" in str(n.message) for n in app._notifications), "no 'Press ctrl+q to quit' toast"


async def test_q_and_esc_back_out_one_level(demo_dir: Path, make_app: AppFactory) -> None:
    app = make_app(demo_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        screen = main_screen(app)
        for back in ("q", "escape"):
            await press(pilot, "enter")
            assert screen.has_class("zoomed")
            await press(pilot, back)
            assert not screen.has_class("zoomed") and not app._exit
            await press(pilot, "question_mark")
            assert isinstance(app.screen, HelpScreen)
            await press(pilot, back)
            assert isinstance(app.screen, MainScreen) and not app._exit
            await press(pilot, "C")
            assert isinstance(app.screen, CitationChooserScreen)
            await press(pilot, back)
            assert isinstance(app.screen, MainScreen) and not app._exit
        # In the filter, q is a letter.
        await press(pilot, "slash", "q")
        assert screen.filter_bar.text == "q" and not app._exit
        await press(pilot, "enter", "q")
        assert app._exit


@pytest.mark.parametrize(("width", "wanted"), [(80, ["? Help", "q Quit"]), (60, ["?"]), (120, ["? Help", "q Quit"])])
async def test_footer_always_shows_the_way_out(width: int, wanted: list[str], demo_dir: Path, make_app: AppFactory) -> None:
    app = make_app(demo_dir)
    async with app.run_test(size=(width, 30)) as pilot:
        await wait_for_workers(pilot)
        for view in ("1", "5"):  # the Inbox, and a queue view (more keys to show)
            await press(pilot, view)
            footer = await footer_text(pilot)
            for text in wanted:
                assert text in footer, f"{text!r} not in the footer at {width} columns: {footer!r}"


async def test_views_bar_counts_what_does_not_fit(demo_dir: Path, open_store: StoreOpener, make_app: AppFactory) -> None:
    store: Store = open_store(demo_dir)
    for name in ("reading-group", "ml-theory", "diffusion-survey", "weekend"):
        store.queue_create(name)
    app = make_app(store)
    async with app.run_test(size=(60, 24)) as pilot:
        await wait_for_workers(pilot)
        bar = screen_text(app).splitlines()[0]
        assert "+" in bar, bar
        hidden = int(bar.rsplit("+", 1)[1].split()[0])
        views = all_views(list(store.queues()))
        shown = [view.label for view in views if f" {view.label} " in bar]
        assert len(shown) + hidden == len(views)
        assert "…" not in bar, "no view cut in half"
        await press(pilot, str(len(views)))  # the last view stays visible when it is the current one
        bar = screen_text(app).splitlines()[0]
        assert f" {views[-1].label} " in bar and "+" in bar


async def test_help_is_readable_at_60_columns(demo_dir: Path, make_app: AppFactory) -> None:
    app = make_app(demo_dir)
    async with app.run_test(size=(60, 30)) as pilot:
        await wait_for_workers(pilot)
        await press(pilot, "question_mark")
        text = screen_text(app)
        assert "Move to the next paper" in text, text
        assert "list.down" in text, "the binding ids are still there, under the descriptions"
    for width in (44, 56, 70, 100):
        table = help_table(key_rows({}), width)
        console = Console(width=width)
        key, does, *_ = table._calculate_column_widths(console, console.options.update_width(width))
        assert does >= key, (width, key, does)


async def test_q_in_a_dialog_without_its_own_q_closes_the_dialog_not_the_app(demo_dir: Path, make_app: AppFactory) -> None:
    from textual.widgets import OptionList

    from tui.screens.queue_picker import QueuePickerScreen

    app = make_app(demo_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        await press(pilot, "plus", "q")
        assert isinstance(app.screen, QueuePickerScreen), "in the picker's field q is a letter"
        assert app.screen.query_one("#picker-input").value == "q"
        app.screen.query_one(OptionList).focus()
        await wait_for_workers(pilot)
        await press(pilot, "q")
        assert isinstance(app.screen, MainScreen) and not app._exit
