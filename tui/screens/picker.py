"""The dialog both pickers share: a title line, a field to type in, a list of matches and a hint line.

The queue picker and the tag picker differ in what their rows mean and what
Enter does; the layout, the arrow keys that move through the matches while the
field keeps focus, Esc, and the hint line are this one class.
"""

from __future__ import annotations

from typing import ClassVar, Generic, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList

ResultType = TypeVar("ResultType")


class PickerScreen(ModalScreen[ResultType], Generic[ResultType]):
    """Subclasses set `PLACEHOLDER`, give `help_text` and fill the list in `_fill`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "move(1)", "Down", show=False, id="picker.down"),
        Binding("up", "move(-1)", "Up", show=False, id="picker.up"),
    ]

    PLACEHOLDER: ClassVar[str] = ""
    """What the empty field says it takes."""

    title_text = ""
    """The dialog's title (what is being picked for)."""

    def help_text(self) -> str:
        """The keys, after the title: "type to narrow · Enter … · Esc cancels"."""
        return "Esc cancels"

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-box", classes="dialog"):
            yield Label(Content.from_markup("[b]$title[/b]  $help", title=self.title_text, help=self.help_text()))
            yield Input(placeholder=self.PLACEHOLDER, id="picker-input")
            yield OptionList(id="picker-options")
            yield Label("", id="picker-hint")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one(Input).focus()

    def _fill(self, text: str) -> None:
        """Show the rows matching ``text``."""
        raise NotImplementedError

    def show_hint(self, text: str, *, error: bool = False) -> None:
        """The line under the list; an error in red. What was typed is quoted as text, never markup."""
        content = Content.from_markup("[red]$text[/red]", text=text) if error else Content(text)
        self.query_one("#picker-hint", Label).update(content)

    def action_move(self, step: int) -> None:
        """↓/↑ move through the matches while the field keeps focus (and wrap around)."""
        options = self.query_one(OptionList)
        if options.option_count:
            current = options.highlighted if options.highlighted is not None else -1 if step > 0 else 0
            options.highlighted = (current + step) % options.option_count

    def action_cancel(self) -> None:
        self.dismiss(None)
