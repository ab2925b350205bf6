"""The filter bar while typing: a malformed query keeps its text and says why, at
every width; ↓/↑ move the list's selection without leaving the filter.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from tests.app_helpers import AppFactory, main_screen, press, screen_text, type_text, wait_for_workers
from tui.widgets.abstract_pane import paper_text


@pytest.mark.parametrize("width", [40, 60, 80, 120])
async def test_malformed_query_keeps_the_text_and_shows_the_warning(width: int, demo_dir: Path, make_app: AppFactory) -> None:
    app = make_app(demo_dir)
    async with app.run_test(size=(width, 24)) as pilot:
        await wait_for_workers(pilot)
        screen = main_screen(app)
        await press(pilot, "slash")
        await type_text(pilot, "is:wat")
        await pilot.pause()
        text = screen_text(app)
        assert screen.filter_bar.error, "the query is malformed"
        assert "is:wat" in text.splitlines()[1], f"the typed text is still on the filter line:\n{text}"
        assert "⚠" in text and "unknown status" in text, text
        # Fixed: the warning goes away, the count comes back.
        await press(pilot, "backspace", "backspace", "backspace", "backspace")
        await type_text(pilot, "new")
        await pilot.pause()
        assert not screen.filter_bar.error
        assert "unknown status" not in screen_text(app)


async def test_arrows_move_the_selection_while_typing(demo_dir: Path, make_app: AppFactory) -> None:
    app = make_app(demo_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for_workers(pilot)
        screen = main_screen(app)
        await press(pilot, "slash")
        await type_text(pilot, "graph")
        assert screen.paper_list.row_count > 2
        first = screen.paper_list.current_id
        await press(pilot, "down", "down", "up")
        assert isinstance(app.focused, Input), "still typing"
        assert screen.paper_list.cursor_index == 1
        assert screen.paper_list.current_id != first
        await type_text(pilot, "s")
        assert screen.filter_bar.text == "graphs"


async def test_matches_are_highlighted_in_titles(demo_dir: Path, make_app: AppFactory) -> None:
    app = make_app(demo_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for_workers(pilot)
        screen = main_screen(app)
        await press(pilot, "slash")
        await type_text(pilot, "graph")
        await pilot.pause()
        lit = [seg.text for seg in screen.paper_list.render_line(0) if seg.style is not None and seg.style.reverse]
        assert any(text.lower().startswith("graph") for text in lit), lit
        assert screen._current is not None and screen._current.id == screen.paper_list.current_id
        title = paper_text(screen._current, (), screen.store.highlight(screen._current.title, "graph"))
        title_end = title.plain.index("\n")
        assert any(span.start < title_end and "reverse" in str(span.style) for span in title.spans), "the abstract pane's title too"
        shown = screen.abstract._shown
        assert shown is not None and shown[2], "the pane was given the title's spans"
        # No filter, no highlights.
        await press(pilot, "escape")
        assert not [seg for seg in screen.paper_list.render_line(0) if seg.style is not None and seg.style.reverse and seg.text.strip()]
