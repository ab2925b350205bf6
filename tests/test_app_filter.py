"""Pilot tests of the filter bar: live typing, every query form, errors, highlights.

Expected rows are computed from the demo drafts themselves (dates, links,
authors, title words), not from the search engine under test.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import Input, Static

from store.demo import demo_drafts
from store.drafts import PaperDraft
from store.model import Status
from tests.app_helpers import (
    SIZE,
    AppFactory,
    count_text,
    list_line,
    main_screen,
    press,
    view_label,
    wait_for_workers,
)
from tui.screens.main import MainScreen

DRAFTS = demo_drafts()
TOTAL = len(DRAFTS)


def titles(predicate: object) -> set[str]:
    return {d.title for d in DRAFTS if predicate(d)}  # type: ignore[operator]


def _text(d: PaperDraft) -> str:
    return " ".join([d.title, d.abstract, " ".join(d.authors), " ".join(d.keywords)])


FORMS: list[tuple[str, set[str]]] = [
    ('"graph transformers"', titles(lambda d: re.search("graph transformers", _text(d), re.I))),
    (
        "graph -transformers",
        titles(lambda d: re.search(r"\bgraph", _text(d), re.I) and not re.search("transformers", _text(d), re.I)),
    ),
    ("title:graph", titles(lambda d: re.search("graph", d.title, re.I))),
    ("author:tanaka", titles(lambda d: any("Tanaka" in a for a in d.authors))),
    ('author:"Yuki Tanaka"', titles(lambda d: "Yuki Tanaka" in d.authors)),
    ("has:code", titles(lambda d: bool(d.github))),
    ("-has:code", titles(lambda d: not d.github)),
    ("date:2026-11-21", titles(lambda d: d.date == "2026-11-21")),
    ("date:>=2026-11-20", titles(lambda d: d.date >= "2026-11-20")),
    ("date:<2026-11-17 has:code", titles(lambda d: d.date < "2026-11-17" and d.github)),
    ("is:new", titles(lambda d: True)),
    ("is:starred", set()),
    ("odegaard", titles(lambda d: d.title.startswith("Ødegaard"))),
    ("图文", titles(lambda d: "图文" in d.title)),
]


def filter_input(screen: MainScreen) -> Input:
    return screen.filter_bar.query_one(Input)


async def set_filter(pilot: Pilot[object], screen: MainScreen, text: str) -> None:
    """Put a whole query in the filter bar at once, as a paste would."""
    filter_input(screen).value = text
    await wait_for_workers(pilot)


def shown_titles(screen: MainScreen) -> set[str]:
    return {row.title for row in screen.paper_list.rows}


async def test_typing_filters_live_enter_returns_escape_clears(demo_dir: Path, make_app: AppFactory) -> None:
    app = make_app(demo_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        screen = main_screen(app)
        await press(pilot, "slash")
        assert app.focused is filter_input(screen)
        counts = []
        for letter in "diffu":
            await press(pilot, letter)
            counts.append(screen.paper_list.row_count)
            shown = screen.paper_list.row_count
            assert count_text(screen) == (f"{shown} of {TOTAL}" if shown != TOTAL else f"{TOTAL}")
        # A prefix still being typed, with typos tolerated: every exact match is in, and not much else.
        exact = titles(lambda d: re.search("diffu", _text(d), re.I))
        assert shown_titles(screen) >= exact
        assert counts[-1] <= len(exact) + 3
        assert 0 < counts[-1] < TOTAL
        assert counts == sorted(counts, reverse=True), "each letter narrows (or keeps) the list"
        first = screen.paper_list.rows[0]
        assert first.title[:20] in list_line(screen, 0)
        assert screen.paper_list.cursor_index == 0, "the selected paper was filtered out: back to the best match"
        assert f"{counts[-1]} of {TOTAL}" in count_text(screen)
        # Enter: back to the list, the filter stays.
        await press(pilot, "enter")
        assert app.focused is screen.paper_list
        assert filter_input(screen).value == "diffu"
        await press(pilot, "j")
        assert screen.paper_list.cursor_index == 1
        # Triage inside a filtered Inbox: the paper leaves the list and the count follows.
        gone = screen.paper_list.current_id
        await press(pilot, "r")
        assert screen.store.status(gone) is Status.READ  # type: ignore[arg-type]
        assert screen.paper_list.row_count == counts[-1] - 1
        assert count_text(screen) == f"{counts[-1] - 1} of {TOTAL - 1}"
        # Esc on the list clears the filter.
        await press(pilot, "escape")
        assert filter_input(screen).value == ""
        assert screen.paper_list.row_count == TOTAL - 1
        assert count_text(screen) == f"{TOTAL - 1}"
        # Esc inside the filter bar clears it too and returns to the list.
        # Letters typed there are text, not keys: no r/s/x/q triage happens.
        await press(pilot, "slash", "q", "r", "s", "x")
        assert filter_input(screen).value == "qrsx"
        await press(pilot, "escape")
        assert filter_input(screen).value == ""
        assert app.focused is screen.paper_list
        assert screen.paper_list.row_count == TOTAL - 1
        assert len(screen.store.statuses()) == 1 and screen.store.queues() == {}


async def test_every_filter_form_gives_the_expected_rows(demo_dir: Path, make_app: AppFactory) -> None:
    app = make_app(demo_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        screen = main_screen(app)
        await press(pilot, "slash")
        for query, expected in FORMS:
            await set_filter(pilot, screen, query)
            assert shown_titles(screen) == expected, query
            shown = len(expected)
            assert count_text(screen) == (f"{shown} of {TOTAL}" if shown != TOTAL else f"{TOTAL}"), query
            if not expected:
                assert "No papers match" in list_line(screen, screen.paper_list.scrollable_content_region.height // 2)
        assert screen.store.statuses() == {}, "filtering changes nothing"


async def test_status_and_queue_filters_follow_triage(demo_dir: Path, make_app: AppFactory) -> None:
    app = make_app(demo_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        screen = main_screen(app)
        await press(pilot, "3")
        assert view_label(screen) == "All"
        rows = screen.paper_list.rows
        await press(pilot, "s", "j", "s", "j", "a", "j", "x", "j", "r")
        await set_filter(pilot, screen, "is:starred")
        assert shown_titles(screen) == {rows[0].title, rows[1].title}
        await set_filter(pilot, screen, "in:to-read")
        assert shown_titles(screen) == {rows[2].title}
        await set_filter(pilot, screen, "is:skipped")
        assert shown_titles(screen) == {rows[3].title}
        await set_filter(pilot, screen, "-is:new")
        assert shown_titles(screen) == {rows[i].title for i in (0, 1, 3, 4)}
        await set_filter(pilot, screen, "is:read")
        assert shown_titles(screen) == {rows[4].title}


async def test_malformed_queries_show_a_message_and_keep_the_list(demo_dir: Path, make_app: AppFactory) -> None:
    app = make_app(demo_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        screen = main_screen(app)
        await press(pilot, "slash")
        await set_filter(pilot, screen, "has:code")
        before = [r.id for r in screen.paper_list.rows]
        for bad in ("date:2026-13-45", '"unclosed', "is:bogus", "title:", 'author:""'):
            await set_filter(pilot, screen, bad)
            assert count_text(screen).startswith("⚠"), bad
            assert len(screen.filter_bar.error) > 5, "the message is under the bar"
            assert [r.id for r in screen.paper_list.rows] == before, "the last good results stay"
            assert app.is_running
        # The next good query brings results back.
        await set_filter(pilot, screen, "date:2026-11-21")
        assert screen.paper_list.row_count == 10
        assert count_text(screen) == f"10 of {TOTAL}"


async def test_highlights_and_the_latest_query_wins(demo_dir: Path, make_app: AppFactory) -> None:
    app = make_app(demo_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        screen = main_screen(app)
        await set_filter(pilot, screen, "diffusion")
        body = screen.query_one("#abstract-body", Static).content
        assert isinstance(body, Text)
        marked = [body.plain[s.start : s.end].lower() for s in body.spans if "reverse" in str(s.style)]
        assert marked, "some words are highlighted"
        assert all("diffusion" in word for word in marked), marked
        # No filter, no highlight.
        await set_filter(pilot, screen, "")
        body = screen.query_one("#abstract-body", Static).content
        assert isinstance(body, Text)
        assert not [s for s in body.spans if "reverse" in str(s.style)]
        # Queries set faster than searches finish: only the last one's rows are shown.
        field = filter_input(screen)
        for text in ("has:code", "graph", "date:2026-11-16", "author:tanaka"):
            field.value = text
        await wait_for_workers(pilot)
        assert shown_titles(screen) == titles(lambda d: any("Tanaka" in a for a in d.authors))


async def test_a_filter_result_is_painted_in_one_frame(
    demo_dir: Path, make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The frame painted for a search's result holds the list's new rows, not only the count.

    A widget's refresh reaches its screen only when the widget next goes
    idle; painting at once (as before) painted what had reached the screen
    and left the list to the next 60 Hz tick, 17-33 ms later.
    """
    from textual.screen import Screen

    from tui.controllers.filtering import FilterController
    from tui.widgets.paper_list import PaperList

    painted: list[set[str]] = []
    asked = False
    real_paint_now, real_update = FilterController.paint_now, Screen._on_timer_update

    def paint_now(self: FilterController) -> None:
        nonlocal asked
        asked = True
        real_paint_now(self)

    def update(self: Screen[object]) -> None:
        nonlocal asked
        if asked:  # the first frame after the filter asked for one
            asked = False
            painted.append({type(w).__name__ for w in self._dirty_widgets})
        real_update(self)

    monkeypatch.setattr(FilterController, "paint_now", paint_now)
    monkeypatch.setattr(Screen, "_on_timer_update", update)
    app = make_app(demo_dir, demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        screen = main_screen(app)
        await press(pilot, "slash")
        await pilot.pause()
        count = len(screen.paper_list.rows)
        painted.clear()
        await pilot.press("g", "r", "a", "p", "h")
        await wait_for_workers(pilot)
        assert len(screen.paper_list.rows) < count
        assert painted, "the filter asked for no frame"
        assert all(PaperList.__name__ in names for names in painted), painted
