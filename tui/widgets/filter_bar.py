"""The filter bar: a query input, the match count and the current view."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Label

from tui.widgets.phrase_input import PhraseInput

PLACEHOLDER = '/ filter: words  "phrase"  -not  title:  author:  is:starred  in:queue  has:code  date:>=2024-03-01'


COUNT_WIDTH = 22
"""Cells kept for "12,345 of 100,000": a steady width needs no layout pass."""


class FilterBar(Vertical):
    """Posts ``Changed`` on every keystroke and ``Done`` when the user leaves it.

    A malformed query keeps the typed text where it is: the warning goes on a
    line of its own under the bar (at any width), shown only while it applies.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape", "clear", "Clear filter", id="filter.clear", tooltip="Clear the filter and go back to the list"
        ),
        Binding(
            "down",
            "move(1)",
            "Next paper",
            show=False,
            id="filter.down",
            tooltip="Move the list selection down while typing",
        ),
        Binding(
            "up",
            "move(-1)",
            "Previous paper",
            show=False,
            id="filter.up",
            tooltip="Move the list selection up while typing",
        ),
    ]

    class Move(Message):
        """↓/↑ in the filter: move the list's selection, keep typing."""

        def __init__(self, step: int) -> None:
            self.step = step
            super().__init__()

    class Changed(Message):
        def __init__(self, text: str) -> None:
            self.text = text
            super().__init__()

    class Done(Message):
        """Enter (keep the filter) or Escape (cleared): focus goes back to the list."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._view_text = ""
        self._count_text = ""
        self._error = ""
        self._error_label: Label | None = None
        """Made at the first malformed query: a hidden widget still costs the first frame its mount and styles."""

    def compose(self) -> ComposeResult:
        with Horizontal(id="filter-row"):
            yield Label("", id="filter-view")
            yield PhraseInput(placeholder=PLACEHOLDER, id="filter-input", select_on_focus=False)
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
        """Show the view and the count; cheap enough to call on every keystroke.

        The count is padded to a steady width and only changed labels are
        touched, so a keystroke repaints two labels without a layout pass.
        """
        view_text = f" {view} "
        if view_text != self._view_text:
            self._view_text = view_text
            self.query_one("#filter-view", Label).update(view_text)
        count = f"{shown:,} of {total:,}" if shown != total else f"{total:,}"
        count_text = f" {note}{count} ".rjust(COUNT_WIDTH)
        if count_text != self._count_text:
            same_width = len(count_text) == len(self._count_text)
            self._count_text = count_text
            self.query_one("#filter-count", Label).update(count_text, layout=not same_width)

    def set_error(self, message: str) -> None:
        """Show why the query is malformed, under the bar; the typed text stays as typed."""
        # Plain text, not markup: the message quotes what was typed ("is:[/]" would crash the parser).
        self._count_text = ""
        self.query_one("#filter-count", Label).update(" ⚠ ")
        self._error = message
        if self._error_label is None:
            self._error_label = Label("", id="filter-error")
            self.mount(self._error_label)
        error = self._error_label
        error.update(Content(f"⚠ {message}"))
        error.display = True

    @property
    def error(self) -> str:
        """The malformed query's message on show, or ""."""
        return self._error

    def clear_error(self) -> None:
        if self._error and self._error_label is not None:
            self._error = ""
            self._error_label.display = False

    def action_move(self, step: int) -> None:
        self.post_message(self.Move(step))

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
