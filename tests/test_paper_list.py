"""Behaviour tests for the paper list (tui/widgets/paper_list.py), driven by Pilot."""

from __future__ import annotations

import html
import re
import statistics
import time
from collections.abc import Sequence

import pytest
from rich.cells import cell_len
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Footer

from store.model import Row, Status
from tui.widgets.paper_list import CODE_MARK, QUEUE_MARK, STYLESHEET, PaperList

SIZE = (80, 20)
WIDTH = 78  # 80 columns minus the reserved scrollbar gutter (scrollbar-gutter: stable)
HEIGHT = 20


def make_rows(count: int, *, prefix: str = "p") -> list[Row]:
    return [
        Row(
            id=f"{prefix}{index}",
            title=f"Paper number {index}",
            date=f"2026-11-{1 + index % 28:02d}",
            has_code=index % 2 == 0,
            upvotes=index if index % 3 else None,
        )
        for index in range(count)
    ]


class Host(App[None]):
    """A bare app holding one PaperList; records the Highlighted messages it gets."""

    CSS_PATH = STYLESHEET

    def __init__(
        self,
        rows: Sequence[Row] = (),
        statuses: dict[str, Status] | None = None,
        queue: set[str] | None = None,
    ) -> None:
        super().__init__()
        self.rows = rows
        self.statuses = statuses if statuses is not None else {}
        self.queue = queue if queue is not None else set()
        self.highlighted: list[tuple[str | None, int]] = []

    def compose(self) -> ComposeResult:
        yield PaperList(
            self.rows,
            status_of=lambda paper_id: self.statuses.get(paper_id, Status.NEW),
            queued=self.queue.__contains__,
            id="papers",
        )

    def on_paper_list_highlighted(self, message: PaperList.Highlighted) -> None:
        self.highlighted.append((message.paper_id, message.index))


def line(widget: PaperList, y: int) -> str:
    return widget.render_line(y).text


# ----------------------------------------------------------------- navigation


async def test_keys_move_the_cursor_and_post_highlighted() -> None:
    app = Host(make_rows(100))
    async with app.run_test(size=SIZE) as pilot:
        papers = app.query_one(PaperList)
        await pilot.pause()
        assert papers.has_focus
        assert app.highlighted == [("p0", 0)]  # announced on mount

        await pilot.press("j", "j", "down")
        assert (papers.cursor_index, papers.current_id) == (3, "p3")
        await pilot.press("k", "up")
        assert (papers.cursor_index, papers.current_id) == (1, "p1")
        await pilot.press("G")
        assert (papers.cursor_index, papers.current_id) == (99, "p99")
        await pilot.press("g")
        assert papers.cursor_index == 0
        await pilot.press("end")
        assert papers.cursor_index == 99
        await pilot.press("home")
        assert papers.cursor_index == 0
        await pilot.pause()
        assert app.highlighted == [
            ("p0", 0),
            ("p1", 1),
            ("p2", 2),
            ("p3", 3),
            ("p2", 2),
            ("p1", 1),
            ("p99", 99),
            ("p0", 0),
            ("p99", 99),
            ("p0", 0),
        ]


async def test_moving_past_the_ends_does_nothing() -> None:
    app = Host(make_rows(3))
    async with app.run_test(size=SIZE) as pilot:
        papers = app.query_one(PaperList)
        await pilot.press("k", "up")
        assert papers.cursor_index == 0
        await pilot.press("G", "j", "down", "pagedown")
        assert papers.cursor_index == 2
        await pilot.pause()
        assert app.highlighted == [("p0", 0), ("p2", 2)]


async def test_page_keys_move_a_screen_and_keep_the_cursor_in_place() -> None:
    app = Host(make_rows(100))
    async with app.run_test(size=SIZE) as pilot:
        papers = app.query_one(PaperList)
        await pilot.press("pagedown")
        assert papers.cursor_index == HEIGHT
        assert papers.visible_range == range(HEIGHT, 2 * HEIGHT)
        await pilot.press("j", "pagedown")
        assert papers.cursor_index == 2 * HEIGHT + 1
        assert papers.visible_range == range(2 * HEIGHT, 3 * HEIGHT)
        await pilot.press("pageup")
        assert papers.cursor_index == HEIGHT + 1
        assert papers.visible_range == range(HEIGHT, 2 * HEIGHT)
        await pilot.press("pageup", "pageup")
        assert papers.cursor_index == 0
        assert papers.visible_range.start == 0
        await pilot.press("G", "pageup")
        assert papers.cursor_index == 99 - HEIGHT


async def test_cursor_stays_visible_with_minimal_scrolling() -> None:
    app = Host(make_rows(100))
    async with app.run_test(size=SIZE) as pilot:
        papers = app.query_one(PaperList)
        for _ in range(HEIGHT - 1):
            await pilot.press("j")
        assert papers.visible_range == range(0, HEIGHT)  # last row on screen, no scroll yet
        await pilot.press("j")
        assert papers.visible_range == range(1, HEIGHT + 1)  # one line, not a page
        await pilot.press("G")
        assert papers.visible_range == range(100 - HEIGHT, 100)
        await pilot.press("k")
        assert papers.visible_range == range(100 - HEIGHT, 100)
        await pilot.press("g")
        assert papers.visible_range == range(0, HEIGHT)


async def test_clicking_a_row_moves_the_cursor() -> None:
    app = Host(make_rows(100))
    async with app.run_test(size=SIZE) as pilot:
        papers = app.query_one(PaperList)
        await pilot.press("pagedown")  # scrolled by HEIGHT
        assert await pilot.click(PaperList, offset=(10, 3))
        assert papers.cursor_index == HEIGHT + 3
        assert papers.current_id == f"p{HEIGHT + 3}"


def test_bindings_have_ids_and_tooltips() -> None:
    bindings = [binding for binding in PaperList.BINDINGS if isinstance(binding, Binding)]
    assert len(bindings) == len(PaperList.BINDINGS)
    assert all(binding.id and binding.tooltip for binding in bindings)
    ids = {binding.key: binding.id for binding in bindings}
    assert ids == {
        "j": "list.down",
        "down": "list.down",
        "k": "list.up",
        "up": "list.up",
        "g": "list.first",
        "home": "list.first",
        "G": "list.last",
        "end": "list.last",
        "pageup": "list.page_up",
        "pagedown": "list.page_down",
    }
    shown = {binding.key for binding in bindings if binding.show}
    assert shown == {"j", "k"}  # arrows and the rest stay out of a crowded footer


# ------------------------------------------------------------------ set_rows


async def test_set_rows_keeps_the_cursor_on_keep_id() -> None:
    rows = make_rows(50)
    app = Host(rows)
    async with app.run_test(size=SIZE) as pilot:
        papers = app.query_one(PaperList)
        await pilot.press("j", "j", "j")
        assert papers.current_id == "p3"

        reordered = list(reversed(rows))
        papers.set_rows(reordered, keep_id="p3")
        assert (papers.cursor_index, papers.current_id) == (46, "p3")
        assert papers.rows is reordered  # stored as is
        assert 46 in papers.visible_range

        papers.set_rows(rows[:10], keep_id="p3", index_of={row.id: i for i, row in enumerate(rows[:10])})
        assert (papers.cursor_index, papers.current_id) == (3, "p3")
        await pilot.pause()
        assert app.highlighted[-2:] == [("p3", 46), ("p3", 3)]


async def test_set_rows_uses_the_given_index_of() -> None:
    rows = make_rows(10)
    app = Host(rows)
    async with app.run_test(size=SIZE):
        papers = app.query_one(PaperList)
        # A deliberately different map proves the widget trusts it instead of scanning.
        papers.set_rows(rows, keep_id="p1", index_of={"p1": 7})
        assert papers.cursor_index == 7
        assert papers.index_of("p1") == 7


async def test_set_rows_without_keep_id_clamps_the_old_index() -> None:
    app = Host(make_rows(50))
    async with app.run_test(size=SIZE) as pilot:
        papers = app.query_one(PaperList)
        await pilot.press("G")
        assert papers.cursor_index == 49
        papers.set_rows(make_rows(60, prefix="q"), keep_id="p49")  # gone: keep the index
        assert (papers.cursor_index, papers.current_id) == (49, "q49")
        papers.set_rows(make_rows(5, prefix="r"))
        assert (papers.cursor_index, papers.current_id) == (4, "r4")
        assert papers.visible_range == range(0, 5)
        await pilot.pause()
        assert app.highlighted[-2:] == [("q49", 49), ("r4", 4)]


async def test_empty_rows_show_the_empty_text() -> None:
    app = Host(make_rows(5))
    async with app.run_test(size=SIZE) as pilot:
        papers = app.query_one(PaperList)
        papers.set_rows([])
        await pilot.pause()
        assert papers.current_id is None
        assert papers.row_count == 0
        assert app.highlighted[-1] == (None, 0)
        await pilot.press("j", "G", "pagedown")
        assert papers.cursor_index == 0

        middle = line(papers, HEIGHT // 2)
        assert middle.strip() == "No papers match"
        left = len(middle) - len(middle.lstrip())
        right = len(middle) - len(middle.rstrip())
        assert abs(left - right) <= 1
        assert line(papers, 0).strip() == ""

        papers.empty_text = "Nothing in this queue"
        assert line(papers, HEIGHT // 2).strip() == "Nothing in this queue"


async def test_index_of_finds_rows_lazily() -> None:
    rows = make_rows(20)
    app = Host(rows)
    async with app.run_test(size=SIZE):
        papers = app.query_one(PaperList)
        assert papers.index_of("p7") == 7
        assert papers.index_of("nope") is None
        papers.set_rows(rows[10:])
        assert papers.index_of("p17") == 7  # the map follows the new rows


# ----------------------------------------------------------------- rendering


async def test_row_shows_glyphs_marks_upvotes_and_date_at_the_right_edge() -> None:
    rows = [
        Row(id="a", title="New paper", date="2026-11-20", has_code=True, upvotes=123),
        Row(id="b", title="Read paper", date="2026-11-19", has_code=False, upvotes=None),
        Row(id="c", title="Starred paper", date="2026-11-18", has_code=False, upvotes=12_345),
        Row(id="d", title="Skipped paper", date=None, has_code=False, upvotes=0),
    ]
    statuses = {"b": Status.READ, "c": Status.STARRED, "d": Status.SKIPPED}
    app = Host(rows, statuses=statuses, queue={"a", "c"})
    async with app.run_test(size=SIZE):
        papers = app.query_one(PaperList)
        lines = [line(papers, y) for y in range(4)]
        assert all(cell_len(text) == WIDTH for text in lines)
        assert lines[0].startswith(f"●{QUEUE_MARK}{CODE_MARK} New paper ")
        assert lines[0].endswith(" ▲123 2026-11-20")
        assert lines[1].startswith("    Read paper ")
        assert lines[1].endswith("      2026-11-19")
        assert lines[2].startswith(f"★{QUEUE_MARK}  Starred paper ")
        assert lines[2].endswith(" ▲12k 2026-11-18")
        assert lines[3].startswith("✗   Skipped paper ")
        assert lines[3].endswith("   ▲0           ")
        assert line(papers, 4).strip() == ""  # past the last row


async def test_status_styles_and_focus_aware_cursor() -> None:
    rows = make_rows(3)
    app = Host(rows, statuses={"p1": Status.READ, "p2": Status.SKIPPED})
    async with app.run_test(size=SIZE) as pilot:
        papers = app.query_one(PaperList)

        def title_style(y: int):
            return next(seg.style for seg in papers.render_line(y) if "Paper number" in seg.text)

        assert title_style(1).bold is not True
        assert title_style(2).dim is True
        await pilot.press("j")  # cursor off the new row
        assert title_style(0).bold is True
        focused = title_style(1).bgcolor
        assert focused != title_style(0).bgcolor  # cursor row is highlighted
        app.set_focus(None)
        await pilot.pause()
        blurred = title_style(1).bgcolor
        assert blurred not in (focused, title_style(0).bgcolor)


async def test_long_title_is_cut_with_an_ellipsis() -> None:
    rows = [Row(id="x", title="Long " * 40, date="2026-01-01", has_code=False, upvotes=7)]
    app = Host(rows)
    async with app.run_test(size=SIZE):
        text = line(app.query_one(PaperList), 0)
        assert cell_len(text) == WIDTH
        title_cells = WIDTH - 4 - 6 - 11  # prefix, upvotes column, date column
        assert text[4 : 4 + title_cells] == ("Long " * 40)[: title_cells - 1] + "…"
        assert text.endswith("   ▲7 2026-01-01")


@pytest.mark.parametrize(
    "title",
    [
        "大規模言語モデルの推論能力に関する包括的な調査と新しいベンチマークの提案について",
        "Emoji 🚀🔥 paper 😀 with 👨‍👩‍👧 family and more words to overflow the column width here",
        "短",
        "Mixed 中文 and English with a wide char right at the cut 中中中中中中中中中中中中中中中",
    ],
)
async def test_wide_titles_keep_the_columns_aligned(title: str) -> None:
    rows = [
        Row(id="w", title=title, date="2026-02-03", has_code=True, upvotes=42),
        Row(id="n", title="Narrow ascii title", date="2026-02-04", has_code=True, upvotes=42),
    ]
    app = Host(rows)
    async with app.run_test(size=SIZE):
        papers = app.query_one(PaperList)
        wide, narrow = line(papers, 0), line(papers, 1)
        assert cell_len(wide) == cell_len(narrow) == WIDTH
        assert wide.endswith("  ▲42 2026-02-03")
        # The upvote column starts at the same cell on both rows.
        assert cell_len(wide[: wide.index("▲")]) == cell_len(narrow[: narrow.index("▲")])


async def test_control_characters_in_titles_are_inert() -> None:
    title = "Evil\x1b[2J\x1b]0;pwned\x07 \u202eTrojan\u202c\x00 \x9b31m end"
    rows = [Row(id="e", title=title, date="2026-\x1b[5m", has_code=False)]
    app = Host(rows)
    async with app.run_test(size=SIZE):
        strip = app.query_one(PaperList).render_line(0)
        text = strip.text
        for bad in ("\x1b", "\x07", "\x00", "\x9b", "\u202e", "\u202c"):
            assert bad not in text
        assert "Evil␛[2J␛]0;pwned␇ �Trojan�␀ �31m end" in text
        assert strip.cell_length == WIDTH == cell_len(text)


async def test_narrow_widths_drop_upvotes_then_date() -> None:
    rows = [Row(id="z", title="A title that is fairly long", date="2026-11-20", has_code=False, upvotes=5)]
    app = Host(rows)
    async with app.run_test(size=(34, 5)) as pilot:
        papers = app.query_one(PaperList)
        text = line(papers, 0)
        assert cell_len(text) == 32
        assert text.endswith(" 2026-11-20") and "▲" not in text
        await pilot.resize_terminal(20, 5)
        text = line(papers, 0)
        assert cell_len(text) == 18
        assert "2026" not in text and text.endswith("…")


async def test_refresh_rows_repaints_status_changes() -> None:
    rows = make_rows(3)
    app = Host(rows)
    async with app.run_test(size=SIZE) as pilot:
        papers = app.query_one(PaperList)
        assert line(papers, 1).startswith("●")
        app.statuses["p1"] = Status.STARRED
        app.queue.add("p1")
        papers.refresh_rows()
        await pilot.pause()
        assert line(papers, 1).startswith(f"★{QUEUE_MARK}")
        assert papers.cursor_index == 0


async def test_rendered_rows_are_cached() -> None:
    app = Host(make_rows(30))
    async with app.run_test(size=SIZE):
        papers = app.query_one(PaperList)
        first = papers.render_line(5)
        assert papers.render_line(5) is first  # served from the LRU
        app.statuses["p5"] = Status.READ  # part of the key: no stale glyph
        assert papers.render_line(5) is not first
        assert papers.render_line(5).text.startswith(" ")


def screen_text(app: App[None]) -> str:
    """Visible text of the whole screen, from the SVG export (runs of blanks are lost)."""
    svg = app.export_screenshot().split("</style>")[-1]
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


async def test_rows_reach_the_screen_and_the_footer_shows_j_k() -> None:
    class WithFooter(Host):
        def compose(self) -> ComposeResult:
            yield from super().compose()
            yield Footer()

    rows = make_rows(40)
    app = WithFooter(rows, statuses={"p1": Status.STARRED}, queue={"p1"})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "●" in text and f"★{QUEUE_MARK}" in text
        assert "Paper number 3" in text and "2026-11-04" in text
        assert "Paper number 39" not in text  # off screen
        assert "jkMove" in text.replace(" ", "")


def test_css_lives_in_the_tcss_file() -> None:
    assert "DEFAULT_CSS" not in PaperList.__dict__
    css = STYLESHEET.read_text(encoding="utf-8")
    for component in PaperList.COMPONENT_CLASSES:
        assert f".{component}" in css


# --------------------------------------------------------------------- speed


@pytest.fixture(scope="module")
def many_rows() -> list[Row]:
    return [
        Row(
            id=f"2611.{index:05d}",
            title=f"A study of scaling number {index} in large language models and diffusion transformers",
            date=f"2026-{1 + index % 12:02d}-{1 + index % 28:02d}",
            has_code=index % 2 == 0,
            upvotes=index % 500,
        )
        for index in range(100_000)
    ]


async def test_100k_rows_set_instantly_and_keys_repaint_fast(many_rows: list[Row]) -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        papers = app.query_one(PaperList)
        start = time.perf_counter()
        papers.set_rows(many_rows)
        set_ms = (time.perf_counter() - start) * 1000
        shuffled = many_rows[1:] + many_rows[:1]  # the kept paper is now last: worst-case scan
        start = time.perf_counter()
        papers.set_rows(shuffled, keep_id=many_rows[0].id)
        keep_ms = (time.perf_counter() - start) * 1000
        assert papers.cursor_index == 99_999
        assert set_ms < 500
        assert keep_ms < 500

        papers.set_rows(many_rows)
        papers.cursor_index = 50_000
        await pilot.pause()
        wall: list[float] = []
        cpu: list[float] = []
        for _ in range(50):
            start, start_cpu = time.perf_counter(), time.process_time()
            await pilot.press("j")
            wall.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        assert papers.cursor_index == 50_050
        assert line(papers, HEIGHT - 1).startswith("●")
        wall_ms, cpu_ms = statistics.median(wall) * 1000, statistics.median(cpu) * 1000
        print(
            f"\n100k rows: set_rows {set_ms:.2f} ms, keep_id scan {keep_ms:.2f} ms, "
            f"press j median wall {wall_ms:.1f} ms / cpu {cpu_ms:.2f} ms"
        )
        # Wall time is mostly Pilot's own idle waits (2-3 x 20 ms sleeps); the
        # CPU spent per key (handling + repaint + compositing) is the real cost.
        assert cpu_ms < 25
        assert wall_ms < 200
