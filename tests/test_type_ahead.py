"""Type-ahead: keys that arrive in one burst go, in order, to whatever has focus then.

The bursts are built the way the Linux driver builds them: the bytes of one
``read()`` go through Textual's ``XTermParser`` and every resulting key event
is posted before the app handles any of them. On the old code (keys forwarded
to the focused widget at once, focus moved later) ``/robust`` triaged papers.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from textual._xterm_parser import XTermParser
from textual.widgets import Input

from store.model import Status
from tests.app_helpers import SIZE, AppFactory, main_screen, wait_for_workers
from tui.screens.help import HelpScreen
from tui.screens.queue_picker import QueuePickerScreen


def burst(app: object, data: str) -> None:
    """Post every key (and bracketed paste) of one terminal read at once, as the driver's input thread does."""
    parser = XTermParser()
    for event in [*parser.feed(data), *parser.feed("")]:  # "": a lone Esc at the end of the read
        if isinstance(event, (events.Key, events.Paste)):
            event.set_sender(app)  # type: ignore[arg-type]
            app.post_message(event)  # type: ignore[attr-defined]


def statuses(store: object, ids: list[str]) -> set[Status]:
    return {store.status(pid) for pid in ids}  # type: ignore[attr-defined]


async def test_slash_then_a_word_in_one_read_types_the_word(demo_dir: Path, make_app: AppFactory) -> None:
    app = make_app(demo_dir, demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        screen = main_screen(app)
        ids = [r.id for r in screen.paper_list.rows]
        burst(app, "/robust")
        await wait_for_workers(pilot)
        assert screen.filter_bar.text == "robust"
        assert statuses(app.store, ids) == {Status.NEW}, "no letter of the word reached the list"
        assert app.store.queued_ids() == set()
        assert app.clipboard == ""
        # Enter, then list keys, in the same read: the keys after Enter act on the list.
        burst(app, "\rj")
        await wait_for_workers(pilot)
        assert app.focused is screen.paper_list
        assert screen.filter_bar.text == "robust"
        # Esc in the filter, then a triage key: the triage reaches the list.
        burst(app, "/x\x1b")
        await wait_for_workers(pilot)
        assert app.focused is screen.paper_list


async def test_picker_key_then_a_name_types_the_name(demo_dir: Path, make_app: AppFactory) -> None:
    app = make_app(demo_dir, demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        screen = main_screen(app)
        ids = [r.id for r in screen.paper_list.rows]
        burst(app, "+survey")
        await wait_for_workers(pilot)
        assert isinstance(app.screen, QueuePickerScreen)
        assert app.screen.query_one(Input).value == "survey"
        assert statuses(app.store, ids) == {Status.NEW}


async def test_help_then_keys_go_to_help(demo_dir: Path, make_app: AppFactory) -> None:
    app = make_app(demo_dir, demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        screen = main_screen(app)
        ids = [r.id for r in screen.paper_list.rows]
        burst(app, "?jjsrx")
        await wait_for_workers(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert statuses(app.store, ids) == {Status.NEW}
        # Closing help (q) and triaging in one read: the triage lands on the list.
        burst(app, "qs")
        await wait_for_workers(pilot)
        assert not isinstance(app.screen, HelpScreen)
        assert Status.STARRED in statuses(app.store, ids)


async def test_palette_and_chooser_keys_then_typing_go_to_them(demo_dir: Path, make_app: AppFactory) -> None:
    from textual.command import CommandInput, CommandPalette

    from tui.screens.cite_chooser import CitationChooserScreen

    app = make_app(demo_dir, demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        screen = main_screen(app)
        ids = [r.id for r in screen.paper_list.rows]
        burst(app, "\x10sort")  # ctrl+p, then a word
        await wait_for_workers(pilot)
        assert isinstance(app.screen, CommandPalette)
        assert app.screen.query_one(CommandInput).value == "sort"
        assert statuses(app.store, ids) == {Status.NEW}
        burst(app, "\x1b")
        await wait_for_workers(pilot)
        assert app.screen is screen
        burst(app, "Cjx")  # the chooser, then its own keys
        await wait_for_workers(pilot)
        assert isinstance(app.screen, CitationChooserScreen)
        assert statuses(app.store, ids) == {Status.NEW}, "x did not skip a paper behind the dialog"


async def test_text_typed_into_a_field_does_not_wait_for_each_key_to_settle(
    demo_dir: Path, make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A phrase in one burst: only the key that moves focus (``/``) and the last are settled, not every letter.

    Settling every letter cost about 15 ms a key in tmux (a 16-letter phrase took 300 ms to show its result).
    """
    from tui import type_ahead

    settled: list[object] = []
    real = type_ahead.KeyRouter._settle

    async def counting(self: type_ahead.KeyRouter, done: object) -> None:
        settled.append(done)
        await real(self, done)  # type: ignore[arg-type]

    monkeypatch.setattr(type_ahead.KeyRouter, "_settle", counting)
    app = make_app(demo_dir, demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        screen = main_screen(app)
        burst(app, "/diffusion models")
        await wait_for_workers(pilot)
        assert screen.filter_bar.text == "diffusion models"
        assert len(settled) == 1, "only `/` (which moves focus to the filter) waits for the next key"


async def test_a_phrase_typed_in_one_burst_is_one_search(
    demo_dir: Path, make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The letters held behind the first reach the filter as one paste; stale changes start no search.

    Before, each letter of a burst posted its own change, and the filter
    searched (and painted) the first few prefixes before the whole phrase.
    """
    from tui.controllers.filtering import FilterController

    searched: list[str] = []
    real = FilterController.run_search

    def counting(self: FilterController, text: str, keep_id: str | None) -> None:
        searched.append(text)
        real(self, text, keep_id)

    monkeypatch.setattr(FilterController, "run_search", counting)
    app = make_app(demo_dir, demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        screen = main_screen(app)
        burst(app, "/")
        await wait_for_workers(pilot)
        burst(app, "diffusion models")
        await wait_for_workers(pilot)
        assert screen.filter_bar.text == "diffusion models"
        # The first letter goes alone (nothing is held behind it yet); the rest come as one.
        assert searched[-1] == "diffusion models"
        assert len(searched) <= 2, searched
        assert screen.filter.query == "diffusion models"


async def test_a_burst_into_the_tag_picker_ticks_as_keys_pressed_one_by_one(demo_dir: Path, make_app: AppFactory) -> None:
    """Only the filter takes a burst as a paste: in the tag picker each space still ticks, as when typed slowly."""
    from tui.screens.tag_picker import TagPickerScreen

    keys = "tab cd \r"
    results = []
    for as_burst in (False, True):
        app = make_app(demo_dir, demo=True)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for_workers(pilot)
            screen = main_screen(app)
            pid = screen.paper_list.current_id
            assert pid is not None
            app.store.tag_papers([pid], remove=app.store.tags_of(pid))
            if as_burst:
                burst(app, keys)
            else:
                for key in keys:
                    await pilot.press({" ": "space", "\r": "enter"}.get(key, key))
                    await pilot.pause()
            await wait_for_workers(pilot)
            assert not isinstance(app.screen, TagPickerScreen)
            results.append(app.store.tags_of(pid))
            app.store.tag_papers([pid], remove=app.store.tags_of(pid))
    assert results[0] == ["ab", "cd"], "typed slowly, each space ticks (creates) what was typed before it"
    assert results[1] == results[0], f"one by one {results[0]}, in a burst {results[1]}"


async def test_a_paste_keeps_its_place_among_held_keys(demo_dir: Path, make_app: AppFactory) -> None:
    """``/`` then a paste in one read: the paste goes to the filter; typed, pasted, typed: in that order."""
    app = make_app(demo_dir, demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        screen = main_screen(app)
        burst(app, "/\x1b[200~graph\x1b[201~")
        await wait_for_workers(pilot)
        assert screen.filter_bar.text == "graph", "the paste overtook `/` and went to the list"
        burst(app, "\x1b[200~ neural\x1b[201~ net\x1b[200~works\x1b[201~")
        await wait_for_workers(pilot)
        assert screen.filter_bar.text == "graph neural networks"
