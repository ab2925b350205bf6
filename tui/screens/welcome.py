"""Shown for an empty store: how to import, and how to try the demo."""

from __future__ import annotations

from typing import ClassVar

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Footer, Static

from store.store import Store
from tui.base import PapertrayScreen

WELCOME = """\
[b]Welcome to papertray[/b]

Your store is empty:
[dim]{root}[/dim]

Import a copy of the Hugging Face Daily Papers page:
    [b]papertray import FILE.txt[/b]

or fetch today's papers with full metadata:
    [b]papertray fetch[/b]   (or press [b]F[/b] here)

or try everything on a throwaway demo store:
    [b]papertray demo[/b]

[dim]? help · ctrl+q quit[/dim]"""


class WelcomeScreen(PapertrayScreen):
    """The first screen of an empty store; ``F`` fetches, then the reader replaces it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("F", "fetch", "Fetch", id="welcome.fetch", tooltip="Fetch today's Daily Papers")
    ]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store

    def compose(self) -> ComposeResult:
        with Vertical(id="welcome-box"):
            yield Static(WELCOME.format(root=escape(str(self.store.root))), id="welcome-text")
        yield Footer()

    def action_fetch(self) -> None:
        self.app.start_fetch()
