"""Shared fixtures and helpers for the Textual pilot and snapshot tests.

Not a conftest: test modules import what they use, so a reader sees where a
fixture comes from. Fixtures here:

* ``isolated`` (autouse in every module that imports it): the config file is a
  temporary path (``PAPERTRAY_CONFIG``), no display and no SSH variables, so
  the clipboard takes the OSC 52 path and `App.clipboard` holds what was copied;
  the cursor of every ``Input`` stops blinking, so screenshots are stable.
* ``demo_dir``: a fresh demo store directory (copied from one built per session).
* ``open_store``: opens `Store` objects on a directory and closes them at teardown.
* ``make_app``: a `PapertrayApp` on a store, with the config read from the
  temporary file (write ``config_file`` first to change keys or formats).

Pilot helpers: ``wait_for_workers`` (after every key that may start a search
or an abstract load), ``press``, ``type_text``, ``fill``; readers of what is
on screen: ``screen_text``, ``list_line``, ``rendered``, ``count_text``...
"""

from __future__ import annotations

import shutil
import unicodedata
from collections.abc import Callable, Iterator
from io import StringIO
from pathlib import Path

import pytest
from rich.console import Console
from rich.text import Text
from textual import events
from textual.app import App
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key
from textual.pilot import Pilot
from textual.widgets import Input, Label, Static
from textual.worker import WorkerCancelled

from store.model import Row, Status
from store.store import Store
from tui.app import PapertrayApp
from tui.commands.app import make_demo_store
from tui.screens.main import MainScreen

SIZE = (120, 36)
"""The terminal size of the issue's main screen and of the screenshots."""

NARROW = (70, 24)
SMALLEST = (60, 20)

StoreOpener = Callable[[Path], Store]
AppFactory = Callable[..., PapertrayApp]


# -- fixtures ------------------------------------------------------------------------
@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    """Where the app reads its config in tests (absent until a test writes it)."""
    return tmp_path / "config.toml"


@pytest.fixture(autouse=True)
def isolated(config_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No user config, no display, no SSH, no blinking cursor (see the module docstring)."""
    monkeypatch.setenv("PAPERTRAY_CONFIG", str(config_file))
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "SSH_TTY", "SSH_CONNECTION", "WSL_DISTRO_NAME", "WSL_INTEROP"):
        monkeypatch.delenv(name, raising=False)
    stop_cursor_blink(monkeypatch)


def stop_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """A blinking cursor would make two screenshots of the same screen differ."""
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo-template") / "store"
    make_demo_store(path).close()
    return path


@pytest.fixture
def demo_dir(demo_template: Path, tmp_path: Path) -> Path:
    """A demo store of its own for each test: 62 papers, everything new."""
    path = tmp_path / "store"
    shutil.copytree(demo_template, path)
    return path


@pytest.fixture
def open_store() -> Iterator[StoreOpener]:
    opened: list[Store] = []

    def opener(path: Path) -> Store:
        store = Store.open(path)
        opened.append(store)
        return store

    yield opener
    for store in opened:
        store.close()


@pytest.fixture
def make_app(open_store: StoreOpener) -> AppFactory:
    """``make_app(path_or_store, demo=False)``: config comes from ``config_file``."""

    def factory(where: Path | Store, **kwargs: object) -> PapertrayApp:
        store = where if isinstance(where, Store) else open_store(where)
        return PapertrayApp(store, **kwargs)  # type: ignore[arg-type]

    return factory


# -- helpers for pilots ----------------------------------------------------------------
def _busy(app: App[object]) -> bool:
    """Whether any message is queued anywhere in the app, or a worker runs."""
    if not app._message_queue.empty() or any(worker.is_running for worker in app.workers):
        return True
    router = getattr(app, "keys", None)
    if router is not None and router.busy and not app._exit:  # keys of a burst still waiting their turn
        return True
    for screen in app.screen_stack:
        for node in screen.walk_children(with_self=True):
            if not node._message_queue.empty() or node._next_callbacks:
                return True
    return False


async def wait_for_workers(pilot: Pilot[object]) -> None:
    """Wait until no worker runs and every message (theirs and the rest) is handled.

    One message can start the next worker (a search result moves the cursor,
    which loads an abstract), so this goes round until two rounds in a row
    find every queue empty and no worker running. It waits on the message
    queues, not with ``pilot.pause()``, which sleeps at least 20 ms each time.
    """
    app = pilot.app
    quiet = 0
    for _ in range(200):
        for worker in list(app.workers):
            try:
                await worker.wait()
            except WorkerCancelled:
                pass  # a newer search or abstract load replaced it: expected
        await pilot._wait_for_screen()
        app.screen._on_timer_update()  # lay out and paint what changed, as pause() does
        quiet = 0 if _busy(app) else quiet + 1
        if quiet >= 2:
            return
    raise AssertionError(f"the app never settled; workers: {list(app.workers)}")


def key_event(key: str) -> events.Key:
    """The event a terminal sends for ``key``, built as ``Pilot.press`` builds it."""
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    try:
        char: str | None = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


async def press(pilot: Pilot[object], *keys: str) -> None:
    """Press keys one by one; after each, wait for its effects and the workers it started.

    The same key events as ``pilot.press``, but synchronised on the message
    queues and workers instead of ``pilot.press``'s "wait until the process
    looks idle" (at least 40 ms a key, 180 ms on a busy machine: most of the
    suite's time).
    """
    app = pilot.app
    for key in keys:
        event = key_event(key)
        event.set_sender(app)
        app.post_message(event)
        await wait_for_workers(pilot)


async def type_text(pilot: Pilot[object], text: str) -> None:
    """Type characters as key presses, as a user would (space included)."""
    await press(pilot, *("space" if ch == " " else ch for ch in text))


async def fill(pilot: Pilot[object], text: str) -> None:
    """Put ``text`` in the focused input at once, as a paste would (one Changed event)."""
    field = pilot.app.focused
    assert isinstance(field, Input), f"focus is on {field!r}, not an input"
    field.value = text
    field.cursor_position = len(text)
    await wait_for_workers(pilot)


def main_screen(app: App[object]) -> MainScreen:
    """The reader screen, even when a dialog is on top of it."""
    for screen in reversed(app.screen_stack):
        if isinstance(screen, MainScreen):
            return screen
    raise AssertionError(f"no MainScreen in {app.screen_stack}")


def rendered(widget: Static | Label) -> str:
    """The plain text a Static or Label shows now (a Rich renderable is rendered 200 wide)."""
    content = widget.content
    if isinstance(content, Text):
        return content.plain
    if isinstance(content, str):
        return Text.from_markup(content).plain
    console = Console(file=StringIO(), width=200, color_system=None)
    console.print(content)
    return console.file.getvalue()  # type: ignore[attr-defined]


def screen_text(app: App[object]) -> str:
    """Everything the current screen draws, as plain text lines (what a user sees)."""
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.text for strip in strips)


async def footer_text(pilot: Pilot[object]) -> str:
    """The footer line. The footer rebuilds itself after a refresh, so pause first."""
    await pilot.pause()
    return screen_text(pilot.app).splitlines()[-1]


def list_line(screen: MainScreen, index: int) -> str:
    """The text of list row ``index`` as drawn; the row must be on screen."""
    paper_list = screen.paper_list
    top = round(paper_list.scroll_y)
    assert top <= index < top + paper_list.scrollable_content_region.height, f"row {index} is not on screen"
    return paper_list.render_line(index - top).text


def rows_by_title(rows: list[Row], fragment: str) -> Row:
    matches = [row for row in rows if fragment in row.title]
    assert len(matches) == 1, f"{fragment!r} matches {len(matches)} rows"
    return matches[0]


def count_text(screen: MainScreen) -> str:
    return rendered(screen.query_one("#filter-count", Label)).strip()


def view_label(screen: MainScreen) -> str:
    return rendered(screen.query_one("#filter-view", Label)).strip()


def notice(screen: MainScreen) -> str:
    return rendered(screen.query_one("#notice", Static)).strip()


def abstract_body(screen: MainScreen) -> str:
    """Title, authors, facts, links and abstract of the paper shown."""
    return rendered(screen.query_one("#abstract-body", Static))


def abstract_status(screen: MainScreen) -> str:
    """The status line of the abstract pane ("★ starred  in to-read")."""
    return rendered(screen.query_one("#abstract-status", Static))


def notifications(app: App[object]) -> list[str]:
    """Messages of the toasts on screen now."""
    return [n.message for n in app._notifications]


# -- a lived-in demo store, for snapshots and screenshots ------------------------------
def seed_demo_state(store: Store) -> None:
    """Triage a demo store the way a few days of use would, so every glyph shows.

    Deterministic: it picks papers by title, not by chance or by date.
    """
    rows = store.rows()

    def pick(fragment: str) -> str:
        return rows_by_title(rows, fragment).id

    store.set_status([pick("Sparse Autoencoders"), pick("Kernel Fusion")], Status.STARRED)
    store.set_status([pick("Open-Vocabulary"), pick("Privacy Auditing"), pick("Tabular Foundation")], Status.READ)
    store.set_status([pick("Audio-Visual Diarisation")], Status.SKIPPED)
    store.queue_add(
        "to-read",
        [pick("Curriculum Reinforcement"), pick("Event Cameras"), pick("Long-Horizon Tool Use"), pick("Kernel Fusion")],
    )
    store.queue_add("reading-group", [pick("Sparse Autoencoders"), pick("Linear-Time Graph")])
    store.meta_set("session", {"view": "all", "filter": "", "selected": pick("Curriculum Reinforcement")})


def annotate_demo(store: Store) -> None:
    """Tags on a few new demo papers; tags and a note on "Curriculum Reinforcement…" (snapshots and screenshots)."""
    ids = [r.id for r in store.rows() if store.status(r.id).value == "new"]
    chosen = next(r.id for r in store.rows() if r.title.startswith("Curriculum Reinforcement"))
    store.tag_papers([chosen], add=["lean", "thesis", "to-cite"])
    store.tag_papers(ids[1:4], add=["diffusion"])
    store.tag_papers(ids[2:3], add=["rl"])
    store.set_note(chosen, "Compare with the **Lean** baseline.\n\n- sampling cost: O(T) steps\n- ask about code")
    store.flush()
