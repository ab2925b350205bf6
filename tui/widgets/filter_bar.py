"""The filter bar: a query input, the match count and the current view."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Label

PLACEHOLDER = '/ filter: words  "phrase"  -not  title:  author:  is:starred  in:queue  has:code  date:>=2024-03-01'


class FilterBar(Horizontal):
    """Posts ``Changed`` on every keystroke and ``Done`` when the user leaves it."""

    BINDINGS = [
        Binding("escape", "clear", "Clear filter", id="filter.clear", tooltip="Clear the filter and go back to the list"),
    ]

    class Changed(Message):
        def __init__(self, text: str) -> None:
            self.text = text
            super().__init__()

    class Done(Message):
        """Enter (keep the filter) or Escape (cleared): focus goes back to the list."""

    def compose(self) -> ComposeResult:
        yield Label("", id="filter-view")
        yield Input(placeholder=PLACEHOLDER, id="filter-input", select_on_focus=False)
        yield Label("", id="filter-count")

    @property
    def text(self) -> str:
        return self.query_one(Input).value

    def set_text(self, text: str) -> None:
        """Set the query without posting Changed (restoring a session)."""
        field = self.query_one(Input)
        with field.prevent(Input.Changed):
            field.value = text

    def set_status(self, view: str, shown: int, total: int, note: str = "") -> None:
        self.query_one("#filter-view", Label).update(f" {view} ")
        count = f"{shown:,} of {total:,}" if shown != total else f"{total:,}"
        self.query_one("#filter-count", Label).update(f" {note}{count} ")

    def set_error(self, message: str) -> None:
        # Plain text, not markup: the message quotes what was typed ("is:[/]" would crash the parser).
        self.query_one("#filter-count", Label).update(Content(f" ⚠ {message} "))

    def focus_input(self) -> None:
        self.query_one(Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Done())

    def action_clear(self) -> None:
        self.query_one(Input).value = ""
        self.post_message(self.Done())
