"""The Textual app: styles, global keys, the first screen, and the clipboard."""

from __future__ import annotations

import asyncio
import gc
import os
import signal
import threading
from collections.abc import Callable, Iterable, Mapping
from functools import cached_property
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, ClassVar, cast

from textual import events, on
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widgets import Input

from store.model import Paper
from store.rules import Rules
from store.store import Store
from tui.config import Config, load_config
from tui.css_cache import ParsedCss, cache_file
from tui.textual_private import app_is_closing, parse_css_through
from tui.type_ahead import KeyApplied, KeyRouter, NextKey, is_text
from tui.widgets.phrase_input import PhraseInput

if TYPE_CHECKING:
    from tui.clipboard import Clipboard
    from tui.keys import KeyRow

STYLES = Path(__file__).parent / "styles"


def binding_sources() -> list[list[BindingType]]:
    """The ``BINDINGS`` of every class that declares the reader's keys, in the order help shows them."""
    from tui.screens.main import MainScreen
    from tui.widgets.filter_bar import FilterBar
    from tui.widgets.paper_list import PaperList

    return [list(PaperList.BINDINGS), list(MainScreen.BINDINGS), list(FilterBar.BINDINGS), list(PapertrayApp.BINDINGS)]


def key_rows(keymap: Mapping[str, str]) -> list[KeyRow]:
    """The table of every binding of the reader (`tui.keys.key_rows`), with ``keymap`` applied."""
    from tui.keys import key_rows as keys_table  # help and the README's table only

    return keys_table(keymap, binding_sources())

HANG_UP_GRACE = 0.8
"""Seconds the hang-up gets to save before the process ends regardless."""


class PapertrayApp(App[None]):
    """Thin on purpose: screens own their keys, ``store/`` owns the data."""

    TITLE = "papertray"
    CSS_PATH: ClassVar[list[str | PurePath]] = [STYLES / "app.tcss", STYLES / "paper_list.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", id="app.help", tooltip="Every key, and what it does"),
        # The action is not "back": that name is Textual's own (async) App.action_back.
        Binding(
            "q", "back_out", "Quit", id="app.back", tooltip="Quit (in a dialog or the zoomed abstract: close it first)"
        ),
        Binding(
            "ctrl+q,ctrl+c",
            "quit",
            "Quit",
            show=False,
            id="app.quit",
            tooltip="Quit papertray, from anywhere",
            priority=True,
        ),
    ]

    def __init__(self, store: Store, *, config: Config | None = None, demo: bool = False) -> None:
        driver = None
        if os.name == "posix":
            from tui.terminal import HangUpDriver

            driver = HangUpDriver
        super().__init__(driver_class=driver)
        self.at_hang_up: list[Callable[[], None]] = []
        """Clean-ups to run when the terminal goes away (the demo's temporary store)."""
        self._hung_up = False
        self.store = store
        self.config = config or load_config()
        store.rules = Rules(self.config.watch, self.config.mute)
        store.rules.wait_for_index = False  # the first paint never waits for an index build
        self.demo = demo
        if self.config.keys:
            self.set_keymap(self.config.keys)
        self.keys = KeyRouter(self)
        self._welcome_first = False
        """An empty store at start: the welcome screen goes over Textual's own first screen (`get_default_screen`)."""
        self.parsed_css = ParsedCss(cache_file())
        """Parsed CSS kept between runs (`tui.css_cache`): written after start-up when this run parsed anew."""
        parse_css_through(self.stylesheet, self.parsed_css.rules)

    # -- keys, in the order they arrive (see tui/type_ahead.py) ----------------------
    async def on_event(self, event: events.Event) -> None:
        # A paste waits its turn like a key: sent on at once, it overtook the keys held before it.
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded:
            if not self.keys.hold(event):
                await self._route_key(event)
            return
        await super().on_event(event)

    async def _route_key(self, event: events.Key | events.Paste) -> None:
        """Forward one key (or paste) as Textual would, then hold the next until this one settles."""
        if app_is_closing(self):
            return  # starting or closing: no one to give the key to
        target: object = self.focused or self.screen
        await super().on_event(event)
        typing = isinstance(target, Input) and is_text(event)
        if typing:
            await self._forward_typed(cast(Input, target))
        self.keys.started(target, settle=not typing)

    async def _forward_typed(self, field: Input) -> None:
        """Give ``field`` the text (printable keys, pastes) held behind what it just got, without waiting.

        Typed text cannot move focus. A `PhraseInput` gets each run of typed
        keys as one paste (one insertion, one change); another field gets each
        key, as typed. Pastes go as they came, in their place.
        """
        typed: list[events.Key] = []

        async def flush() -> None:
            if typed and isinstance(field, PhraseInput):
                field.post_message(events.Paste("".join(key.character or "" for key in typed)))
            else:
                for key in typed:
                    await super(PapertrayApp, self).on_event(key)
            typed.clear()

        while (event := self.keys.next_typed()) is not None:
            if isinstance(event, events.Paste):
                await flush()
                await super().on_event(event)
            else:
                typed.append(event)
        await flush()

    @on(KeyApplied)
    def _key_applied(self, message: KeyApplied) -> None:
        message.stop()
        message.done.set()

    @on(NextKey)
    async def _next_key(self, message: NextKey) -> None:
        event = self.keys.next_key()
        if event is not None:
            await self._route_key(event)

    def on_mount(self) -> None:
        if not self.is_headless:
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGHUP, signal.SIGTERM):
                loop.add_signal_handler(sig, self.hang_up)
        if self.demo:
            self.sub_title = "demo store (throwaway)"
        else:
            self.sub_title = str(self.store.root)
        if self._welcome_first:
            from tui.screens.welcome import WelcomeScreen

            # Pushed over Textual's own first screen: importing or fetching switches it for the reader.
            # After the app's mount, not in it: Textual holds every frame until the mount is done.
            self.call_later(self.push_screen, WelcomeScreen(self.store))
        self.set_timer(5.0, gc.enable)  # a first screen other than the reader's (see `tui.cli.main`)
        self.set_timer(0.5, self.save_parsed_css)
        if self.config.error:
            self.notify(self.config.error, severity="warning", timeout=8)
        for line in self.store.rules.errors:
            self.notify(f"config.toml: {line}", severity="warning", timeout=10)
        if self.store.readonly:
            self.notify("Store is read-only: reading works, changes are not saved", severity="warning", timeout=8)

    def save_parsed_css(self) -> None:
        """Write the parsed CSS file (`tui.css_cache`) in a thread, if this run parsed something new."""
        if self.parsed_css.changed:
            self.run_worker(self.parsed_css.save, thread=True, group="css-cache", exit_on_error=False)

    def hang_up(self) -> None:
        """The terminal went away (SIGHUP, end of input, EIO), or SIGTERM: save, clean up, exit now.

        Nothing is left to draw on, so the usual shutdown (which restores the
        terminal through writes that now fail or block) is skipped: the
        session and every pending store write go to disk, then the process ends.
        """
        if self._hung_up:
            return
        self._hung_up = True
        # Whatever happens below (a lock held at the wrong moment), the process ends within a second.
        watchdog = threading.Timer(HANG_UP_GRACE, os._exit, args=(128 + signal.SIGHUP,))
        watchdog.daemon = True
        watchdog.start()
        from tui.screens.main import MainScreen

        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                screen.session.save_now()
        try:
            self.store.close()
        finally:
            for cleanup in self.at_hang_up:
                try:
                    cleanup()
                except Exception:
                    pass
            os._exit(128 + signal.SIGHUP)

    def get_default_screen(self) -> Screen[None]:
        """The reader is the app's first screen itself, not pushed over an empty one.

        Pushed, it cost an empty screen's mount, layout and restyle, and then a
        restyle of every widget of the reader, before its first frame (~5 ms).
        Its widgets mount after the app's own mount, so its first frame is not
        one Textual holds back (`tests/test_first_frame.py`). An empty store
        gets Textual's own first screen, with the welcome screen on top.
        """
        self._welcome_first = self.store.is_empty  # decided once: an import may fill the store meanwhile
        if self._welcome_first:
            return super().get_default_screen()
        from tui.screens.main import MainScreen

        return MainScreen(self.store)

    def action_back_out(self) -> None:
        """``q``: back out one level, like newsboat: un-zoom the abstract, else quit.

        App bindings do not reach a dialog: each binds ``q`` to close itself
        (where a text field has focus, the field takes the letter first).
        """
        from tui.screens.main import MainScreen

        screen = self.screen
        if not (isinstance(screen, MainScreen) and screen.unzoom()):
            self.exit()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back_out":
            from textual.widgets import Input

            # In a text field q is a letter: shown dimmed, and the field gets it.
            return None if isinstance(self.focused, Input) else True
        return True

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.key_rows()))

    def key_rows(self) -> list[KeyRow]:
        """Every key as the user has mapped them: what help and the command palette show."""
        return key_rows(self.config.keys)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Show a toast; its message is always plain text, whatever ``markup`` says.

        Messages carry paths, URLs, queue names and error text that quote input
        from outside. Read as markup, a ``[/]`` in them raises MarkupError when the
        toast is drawn, which ends the app, and ``[x]`` silently vanishes.
        """
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    # -- clipboard and links -------------------------------------------------------
    @cached_property
    def copier(self) -> Clipboard:
        """Made at the first copy: the clipboard module is not needed for the first paint."""
        from tui.clipboard import Clipboard, ClipboardMode

        return Clipboard(self.copy_to_clipboard, mode=ClipboardMode(self.config.clipboard))

    def copy_text(self, text: str, what: str, note: str | None = None, *, show: bool = False) -> bool:
        """Copy and say what was copied and how ("BibTeX copied (OSC 52)"), then ``note``.

        With ``show``, the text itself is named (a link): "Copied https://github.com/org/repo (OSC 52)".
        """
        result = self.copier.copy(text)
        if result.ok and note:
            self.notify(f"{what} copied ({result.method}), {note}", severity="warning", timeout=8)
        elif result.ok:
            extra = what.partition(" (")[2]  # "GitHub link (1 of 2; y again for the next)"
            message = (
                f"Copied {text} ({result.method})" + (f" — {extra[:-1]}" if extra else "")
                if show
                else f"{what} copied ({result.method})"
            )
            self.notify(message, timeout=4)
        else:
            self.notify(f"{what} not copied: {result.detail}", severity="error")
        return result.ok

    def copy_citation(self, paper: Paper, fmt: str | None) -> None:
        from store.citations import CitationError, CitationFormat, format_citation, missing_facts

        chosen = CitationFormat(fmt or self.config.citation)
        try:
            text = format_citation(paper, chosen)
        except CitationError as exc:
            self.notify(str(exc), severity="warning")
            return
        self.copy_text(text, chosen.label, missing_facts(paper, chosen))

    def open_link(self, url: str) -> None:
        """Open in a browser where there is one; over SSH, copy instead."""
        import webbrowser  # here, not at start-up: most sessions never open a link

        from store.links import is_web_url

        if not is_web_url(url):
            self.notify("Refused to open a link that is not http(s)", severity="error")
            return
        remote = bool(os.environ.get("SSH_TTY") or os.environ.get("SSH_CONNECTION"))
        has_display = (
            bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
            or os.name == "nt"
            or os.uname().sysname == "Darwin"
        )
        if remote or not has_display:
            if self.copy_text(url, "Link", show=True):
                self.notify("No browser here (SSH or no display): the link is on your clipboard", timeout=6)
            return
        try:
            opened = webbrowser.open(url, new=2)
        except webbrowser.Error:
            opened = False
        if opened:
            self.notify(f"Opened {url}", timeout=3)
        else:
            self.copy_text(url, "Link")

    def start_fetch(self) -> None:
        from tui.fetching import run_fetch_worker

        run_fetch_worker(self)

    # -- command palette -------------------------------------------------------------
    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        from tui.palette import screen_commands

        yield from screen_commands(self, screen)
