"""Hostile text in the reader: nothing reaches the terminal or the clipboard, the layout holds.

Titles, abstracts, authors and links come from web pages and JSON feeds. They
may hold escape sequences (clear the screen, set the clipboard with OSC 52,
hide a link behind OSC 8, retitle the window), a C1 CSI, bidi overrides, NUL,
or a 10,000-character line. These tests run the real app on such a store and
look at the bytes a terminal would receive.

Textual's headless driver draws nothing, so `terminal` makes it claim not to
be headless and keeps what it is given: exactly what the Linux driver would
write to the terminal.
"""

from __future__ import annotations

import base64
import re
import subprocess
import webbrowser
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
from rich.cells import cell_len
from textual.drivers.headless_driver import HeadlessDriver
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widgets import Label

from store.drafts import PaperDraft
from store.importers.hfjson import parse_api_response
from store.store import Store
from tests.app_helpers import (
    main_screen,
    notice,
    notifications,
    press,
    rendered,
    screen_text,
    wait_for_workers,
)
from tui.app import PapertrayApp
from tui.screens.help import HelpScreen
from tui.screens.main import MainScreen

CSI_CLEAR = "\x1b[2J\x1b[H"
OSC52 = "\x1b]52;c;ZXZpbA==\x07"
OSC8 = "\x1b]8;;https://evil.example/\x1b\\click here\x1b]8;;\x1b\\"
OSC_TITLE = "\x1b]0;pwned\x07"
C1_CSI = "\x9b31m"
BIDI = "\u202eevil\u202c"
NUL = "a\x00b"
EVIL = CSI_CLEAR + OSC52 + OSC8 + OSC_TITLE + C1_CSI + BIDI + NUL
LONG = "W" * 10_000
"""One unbreakable 10,000-character line."""

DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}$")

# Escape sequences Textual itself writes: colours (SGR), cursor moves, private
# modes, and OSC 22 (mouse pointer shape). Everything else must be absent.
_TEXTUAL_SEQUENCES = re.compile(
    r"\x1b\[[0-9;:]*m"  # SGR
    r"|\x1b\[\d+(?:;\d+)?[HfABCDG]"  # cursor position / moves
    r"|\x1b\[\?[0-9;]+[hl]"  # private modes (cursor, mouse, sync output)
    r"|\x1b\]22;[a-z-]+\x07"  # pointer shape
)
_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""After removing Textual's sequences: any C0 (but LF and TAB), DEL, C1 or bidi control is injected."""


# --------------------------------------------------------------------------- fixtures


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the app writes to the terminal, chunk by chunk."""
    written: list[str] = []
    monkeypatch.setattr(HeadlessDriver, "is_headless", property(lambda self: False))
    monkeypatch.setattr(HeadlessDriver, "write", lambda self, data: written.append(data))
    return written


def hostile_drafts() -> list[PaperDraft]:
    """Papers with hostile text in every field, newest first (dates decide list order)."""
    api_entry = {
        "paper": {
            "id": "2601.00001",
            "title": f"Via the API {EVIL}",
            "summary": f"API abstract {EVIL} github.com/lab/repo{OSC52} more",
            "authors": [{"name": f"Eve {EVIL}"}, {"name": BIDI}],
            "githubRepo": f"https://github.com/{OSC52}",
            "projectPage": f"javascript:alert(1)//{OSC52}",
            "ai_keywords": [EVIL],
            "upvotes": 7,
        },
        "publishedAt": "2026-01-09T00:00:00Z",
    }
    (from_api,) = parse_api_response(orjson.dumps([api_entry]), source="hostile.json")
    return [
        from_api,
        PaperDraft(
            title=f"Escapes {EVIL} in the title",
            abstract=f"First line {EVIL}\r\nsecond\u2028third\tfourth {OSC8}",
            authors=(f"Mallory {EVIL}", NUL, BIDI),
            date="2026-01-08",
            links=("javascript:alert(1)", f"https://ok.example/{OSC52}"),
            keywords=(EVIL,),
        ),
        PaperDraft(title=f"Long {LONG}", abstract=f"{LONG}\n{LONG}", authors=(LONG,), date="2026-01-07"),
        PaperDraft(title=f"Bidi {BIDI} and NUL {NUL}", abstract=f"{BIDI} {NUL} {C1_CSI}", date="2026-01-06"),
        PaperDraft(title="A plain paper", abstract="Nothing to see here, a plain abstract.", date="2026-01-05"),
    ]


@pytest.fixture
def hostile_store(tmp_path: Path) -> Iterator[Store]:
    store = Store.open(tmp_path / "hostile")
    store.add_drafts(hostile_drafts(), source="hostile")
    yield store
    store.close()


def injected(output: str) -> list[str]:
    """Control characters in the output that Textual did not put there."""
    rest = _TEXTUAL_SEQUENCES.sub("", output)
    return sorted({repr(m.group(0)) for m in _FORBIDDEN.finditer(rest)})


def regions(app: PapertrayApp) -> dict[str, Region]:
    screen = main_screen(app)
    return {name: screen.query_one(f"#{name}").region for name in ("paper-list", "abstract-pane", "notice", "filter-bar")}


def assert_screen_fits(app: PapertrayApp) -> None:
    """Every line of the screen is exactly as wide as the terminal: nothing overflowed."""
    width = app.size.width
    for number, strip in enumerate(app.screen._compositor.render_strips()):
        assert strip.cell_length == width, f"screen line {number} is {strip.cell_length} cells, not {width}"


def assert_list_columns(screen: MainScreen) -> None:
    """Every drawn row is the list's width and ends with its date, right-aligned."""
    paper_list = screen.paper_list
    width = paper_list.scrollable_content_region.width
    shown = paper_list.visible_range
    assert len(shown) > 0
    for y in range(len(shown)):
        line = paper_list.render_line(y).text
        assert cell_len(line) == width, (y, line[:40])
        assert DATE_RE.search(line), (y, line[-20:])
        assert cell_len(line[:-10]) == width - 10


async def visit_every_paper(pilot: Pilot[None]) -> None:
    """Move across every paper, zoom in and out on each, open and close help."""
    app = pilot.app
    screen = main_screen(app)
    before = regions(app)
    for index in range(screen.paper_list.row_count):
        screen.paper_list.cursor_index = index
        await wait_for_workers(pilot)
        assert screen._current is not None and screen._current.id == screen.paper_list.current_id
        assert regions(app) == before, f"layout moved on paper {index}"
        assert_screen_fits(app)
        assert_list_columns(screen)
        await press(pilot, "space", "space", "b")  # scroll the abstract
        await press(pilot, "enter")
        assert screen.has_class("zoomed")
        assert_screen_fits(app)
        await press(pilot, "enter")
        assert regions(app) == before
    await press(pilot, "question_mark")
    assert isinstance(app.screen, HelpScreen)
    assert_screen_fits(app)
    await press(pilot, "escape")
    assert app.screen is screen


# --------------------------------------------------------------------------- terminal and clipboard


async def test_hostile_text_never_reaches_the_terminal_or_the_clipboard(hostile_store: Store, terminal: list[str]) -> None:
    app = PapertrayApp(hostile_store)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for_workers(pilot)
        await visit_every_paper(pilot)
        await press(pilot, "y", "o")  # copy code link, open link: on the last paper
        main_screen(app).paper_list.cursor_index = 1
        await press(pilot, "y", "o")  # the paper with javascript: and OSC 52 links
        drawn = screen_text(app)
        clipboard = app.clipboard
    output = "".join(terminal)
    assert len(output) > 10_000, "the app drew nothing: the capture does not work"
    assert "\u241b" in output, "the hostile titles were not drawn at all (expected ␛ in their place)"
    assert injected(output) == []
    for sequence in ("\x1b]52", "\x1b[2J", "\x1b]8;", "\x1b]0;", "\x9b"):
        assert sequence not in output
    assert clipboard == ""  # nothing asked for a copy that could be made: nothing copied
    assert "Escapes" in drawn or "Via the API" in drawn


_OSC52_RE = re.compile(r"\x1b\]52;c;([A-Za-z0-9+/=]*)\x07")


async def test_a_citation_asked_for_is_the_only_copy_and_carries_no_escapes(
    hostile_store: Store, terminal: list[str]
) -> None:
    app = PapertrayApp(hostile_store)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for_workers(pilot)
        screen = main_screen(app)
        for index in range(screen.paper_list.row_count):
            screen.paper_list.cursor_index = index
            await wait_for_workers(pilot)
            await press(pilot, "c")
        clipboard = app.clipboard
    output = "".join(terminal)
    payloads = [base64.b64decode(p).decode("utf-8") for p in _OSC52_RE.findall(output)]
    assert len(payloads) == 5  # one per paper, each asked for with c
    assert payloads[-1] == clipboard
    for payload in payloads:
        # No C0/C1 control survives into a citation (newlines separate BibTeX fields).
        assert re.findall("[\x00-\x09\x0b-\x1f\x7f-\x9f]", payload) == [], payload[:200]
    assert "pwned" in payloads[1] and "\x1b" not in payloads[1]  # the text stays, the escapes go
    assert injected(_OSC52_RE.sub("", output)) == []


async def test_copy_and_open_refuse_links_that_are_not_web_links(
    hostile_store: Store, terminal: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url) or True)
    app = PapertrayApp(hostile_store)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for_workers(pilot)
        screen = main_screen(app)
        screen.paper_list.cursor_index = 1  # links: javascript:alert(1), https://ok.example/<OSC 52>
        await wait_for_workers(pilot)
        assert screen._current is not None and screen._current.url == "javascript:alert(1)"
        await press(pilot, "o")
        assert opened == []
        assert any("not http(s)" in n for n in notifications(app))
        assert app.clipboard == ""
    assert not any("\x1b]52" in chunk for chunk in terminal)


async def test_a_github_field_holding_a_script_link_is_not_copied(tmp_path: Path, terminal: list[str]) -> None:
    """The importers clean GitHub links, but a store file can be edited by hand."""
    store = Store.open(tmp_path / "s")
    store.add_drafts([PaperDraft(title="Forged", abstract="x" * 50, date="2026-01-01", github=("javascript:alert(1)",))], source="t")
    app = PapertrayApp(store)
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            await wait_for_workers(pilot)
            await press(pilot, "y", "o")
            assert app.clipboard == ""
            # Stored links are normalised on read (store.links): the forged one is dropped before the UI sees it.
            assert "This paper has no GitHub link; nothing copied" in notifications(app)
            assert "This paper has no link to open" in notifications(app)
    finally:
        store.close()
    assert not any("\x1b]52" in chunk for chunk in terminal)


def test_the_api_importer_keeps_only_clean_links_from_hostile_json() -> None:
    (draft,) = [d for d in hostile_drafts() if d.arxiv_id]
    assert draft.github == ("https://github.com/lab/repo",)  # from the abstract; githubRepo held an escape
    assert draft.links == ("https://huggingface.co/papers/2601.00001",)  # the javascript: project page is gone
    assert "\x1b" in draft.title  # stored as it came: making it inert is the reader's job


# --------------------------------------------------------------------------- opening links


def test_open_link_refuses_what_is_not_http(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr(webbrowser, "open", lambda *a, **k: calls.append(("webbrowser", a)) or True)
    app = PapertrayApp.__new__(PapertrayApp)
    monkeypatch.setattr(PapertrayApp, "notify", lambda self, message, **kw: calls.append(("notify", message)))
    monkeypatch.setattr(PapertrayApp, "copy_text", lambda self, text, what: calls.append(("copy", text)) or True)
    for url in ("javascript:alert(1)", "file:///etc/passwd", "https://x.example/\x1b]52;c;QQ==\x07", "https://a b",
                "ftp://x.example", " https://x.example", "data:text/html,<script>", ""):
        calls.clear()
        PapertrayApp.open_link(app, url)
        assert calls == [("notify", "Refused to open a link that is not http(s)")], url


def test_open_link_goes_through_webbrowser_never_a_shell(monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[tuple[str, object]] = []

    def no_shell(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"a process was started: {args}")

    for name in ("Popen", "run", "call", "check_call", "check_output"):
        monkeypatch.setattr(subprocess, name, no_shell)
    monkeypatch.setattr("os.system", no_shell)
    monkeypatch.setattr("os.popen", no_shell)
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr(webbrowser, "open", lambda url, new=0, autoraise=True: opened.append((url, new)) or True)
    app = PapertrayApp.__new__(PapertrayApp)
    monkeypatch.setattr(PapertrayApp, "notify", lambda self, message, **kw: None)
    shellish = "https://example.org/paper?x=1&y=$(id);`id`|id>x"
    PapertrayApp.open_link(app, shellish)
    assert opened == [(shellish, 2)]  # handed over verbatim, as one argument
    opened.clear()
    PapertrayApp.open_link(app, "https://example.org/paper?x=1; rm -rf ~")
    assert opened == []  # whitespace: not a web URL, refused before any open


# --------------------------------------------------------------------------- tiny terminal


async def test_the_app_starts_and_stays_usable_at_40_by_10(hostile_store: Store, terminal: list[str]) -> None:
    app = PapertrayApp(hostile_store)
    async with app.run_test(size=(40, 10)) as pilot:
        await wait_for_workers(pilot)
        screen = main_screen(app)
        assert screen.paper_list.region.width > 0
        keys = ["j", "j", "k", "G", "g", "enter", "space", "b", "enter", "question_mark", "j", "escape", "tab",
                "shift+tab", "1", "3", "slash", "a", "t", "t", "escape", "escape", "s", "u", "r", "x", "u", "a", "a",
                "n", "N", "pagedown", "pageup", "c", "y", "o"]
        for key in keys:
            await press(pilot, key)
            assert_screen_fits(app)
        assert app.is_running
        assert app.screen is screen
        await press(pilot, "3", "g", "j")
        assert screen.paper_list.cursor_index == 1
        assert screen._current is not None and screen._current.id == screen.paper_list.current_id
    # c copied a citation (OSC 52, asked for); apart from that, nothing Textual did not write itself.
    assert injected(_OSC52_RE.sub("", "".join(terminal))) == []


# --------------------------------------------------------------------------- wide characters


CJK = "注意力机制稀疏路由长文档检索增强生成模型评测基准视觉语言对齐"
EMOJI = "🦜🧠📄🔍🚀🌏🧪📈🤖🎯"


def wide_titles(count: int) -> list[str]:
    """Titles made only of CJK characters or emoji (two cells each), of varied lengths."""
    titles = []
    for n in range(count):
        alphabet = CJK if n % 2 else EMOJI
        length = 3 + n % 47
        titles.append("".join(alphabet[(n + i * 7) % len(alphabet)] for i in range(length)) + f"{n:05d}")
    return titles


@pytest.fixture(scope="module")
def wide_store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("wide") / "store"
    drafts = [
        PaperDraft(title=title, abstract="摘要 " * 20, date=f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}",
                   upvotes=n if n % 3 else None, github=("https://github.com/a/b",) if n % 5 == 0 else ())
        for n, title in enumerate(wide_titles(10_000))
    ]
    with Store.open(root) as store:
        store.add_drafts(drafts, source="wide")
        assert len(store.rows()) == 10_000
    return root


@pytest.mark.parametrize("size", [(120, 36), (47, 12)])
async def test_ten_thousand_wide_titles_keep_the_date_column_aligned(wide_store_dir: Path, size: tuple[int, int]) -> None:
    with Store.open(wide_store_dir) as store:
        app = PapertrayApp(store)
        async with app.run_test(size=size) as pilot:
            await wait_for_workers(pilot)
            screen = main_screen(app)
            assert screen.paper_list.row_count == 10_000
            width = screen.paper_list.scrollable_content_region.width
            checked = 0
            for keys in ([], ["pagedown"], ["pagedown"] * 5, ["G"], ["pageup"], ["g"]):
                await press(pilot, *keys)
                for y in range(len(screen.paper_list.visible_range)):
                    line = screen.paper_list.render_line(y).text
                    assert cell_len(line) == width, (size, y, line)
                    if width - 4 >= 16 + 11:  # the date column is shown at this width
                        assert DATE_RE.search(line), (size, y, line)
                        assert cell_len(line[:-10]) == width - 10
                    checked += 1
                assert_screen_fits(app)
            assert checked >= 6


# --------------------------------------------------------------------------- text that looks like markup


async def test_markup_in_what_is_typed_or_quoted_is_shown_as_typed(hostile_store: Store) -> None:
    """Found here: ``is:[/]`` in the filter bar, or ``[/]`` typed as a queue name, ended the app.

    Textual reads ``Label``/``Static``/toast text as markup by default; the error
    messages quote what was typed, and ``[/]`` is a closing tag with nothing to
    close (MarkupError while drawing).
    """
    app = PapertrayApp(hostile_store)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for_workers(pilot)
        screen = main_screen(app)
        await press(pilot, "slash", *"is:", "left_square_bracket", "slash", "right_square_bracket")
        assert app.is_running
        assert "unknown status '[/]'" in rendered(screen.query_one("#filter-error", Label))
        await press(pilot, "escape", "escape")

        await press(pilot, "plus", "left_square_bracket", "slash", "right_square_bracket")
        assert app.is_running
        assert "'[/]'" in rendered(app.screen.query_one("#picker-hint", Label))
        await press(pilot, "enter")
        assert app.is_running and "'[/]'" in rendered(app.screen.query_one("#picker-hint", Label))
        await press(pilot, "escape")

        app.notify("queue name '[/]' and [bold]not bold[/bold]", severity="error")
        screen.notify("from a screen: [/]")
        await pilot.pause(0.2)
        assert all(not n.markup for n in app._notifications)
        assert "queue name '[/]' and [bold]not bold[/bold]" in notifications(app)

        hostile_store.write_error = f"{hostile_store.root}/[/]/state.json: cannot write (No space left on device)"
        screen._external_change()
        await pilot.pause()
        assert "[/]/state.json: cannot write" in notice(screen)
        hostile_store.write_error = None
        screen._external_change()
        await pilot.pause()
        assert "writing works again" in notice(screen)
        assert app.is_running and app.screen is screen
