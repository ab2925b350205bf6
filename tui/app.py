"""The Textual app: styles, global keys, the first screen, and the clipboard."""

from __future__ import annotations

import os
import webbrowser
from collections.abc import Iterable
from pathlib import Path

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import Screen

from store.links import is_web_url
from store.model import Paper
from store.store import Store
from tui.clipboard import Clipboard, ClipboardMode
from tui.config import Config, load_config

STYLES = Path(__file__).parent / "styles"


class PapertrayApp(App[None]):
    """Thin on purpose: screens own their keys, ``store/`` owns the data."""

    TITLE = "papertray"
    CSS_PATH = [STYLES / "app.tcss", STYLES / "paper_list.tcss"]
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", id="app.quit", tooltip="Quit papertray", priority=True),
        Binding("question_mark", "help", "Help", id="app.help", tooltip="Every key, and what it does"),
    ]

    def __init__(self, store: Store, *, config: Config | None = None, demo: bool = False) -> None:
        super().__init__()
        self.store = store
        self.config = config or load_config()
        self.demo = demo
        self.copier = Clipboard(self.copy_to_clipboard, mode=ClipboardMode(self.config.clipboard))
        if self.config.keys:
            self.set_keymap(self.config.keys)

    def on_mount(self) -> None:
        if self.demo:
            self.sub_title = "demo store (throwaway)"
        else:
            self.sub_title = str(self.store.root)
        self.push_screen(self._first_screen())
        if self.config.error:
            self.notify(self.config.error, severity="warning", timeout=8)
        if self.store.readonly:
            self.notify("Store is read-only: reading works, changes are not saved", severity="warning", timeout=8)

    def _first_screen(self) -> Screen[None]:
        if self.store.is_empty:
            from tui.screens.welcome import WelcomeScreen

            return WelcomeScreen(self.store)
        from tui.screens.main import MainScreen

        return MainScreen(self.store)

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

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
    def copy_text(self, text: str, what: str, note: str | None = None) -> bool:
        """Copy and say what was copied and how ("BibTeX copied (OSC 52)"), then ``note``."""
        result = self.copier.copy(text)
        if result.ok and note:
            self.notify(f"{what} copied ({result.method}), {note}", severity="warning", timeout=8)
        elif result.ok:
            self.notify(f"{what} copied ({result.method})", timeout=4)
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
        if not is_web_url(url):
            self.notify("Refused to open a link that is not http(s)", severity="error")
            return
        remote = bool(os.environ.get("SSH_TTY") or os.environ.get("SSH_CONNECTION"))
        has_display = bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")) or os.name == "nt" or os.uname().sysname == "Darwin"
        if remote or not has_display:
            if self.copy_text(url, "Link"):
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
