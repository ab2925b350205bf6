"""``Q``: pick a queue by typing; a new name creates the queue."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from store.errors import QueueError
from store.state import check_queue_name
from store.store import Store


class QueuePickerScreen(ModalScreen[str | None]):
    """Returns the chosen (or new) queue name; rename/delete live in the palette."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="picker.cancel"),
        Binding("down", "move(1)", "Down", show=False, id="picker.down"),
        Binding("up", "move(-1)", "Up", show=False, id="picker.up"),
    ]

    def __init__(self, store: Store, title: str = "Add to queue", *, allow_new: bool = True) -> None:
        super().__init__()
        self.store = store
        self.title_text = title
        self.allow_new = allow_new
        """False for rename/delete: only existing queues can be picked."""

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-box", classes="dialog"):
            yield Label(f"[b]{self.title_text}[/b]  type to filter · Enter picks · a new name creates it")
            yield Input(placeholder="queue name", id="picker-input")
            yield OptionList(id="picker-options")
            yield Label("", id="picker-hint")

    _navigated = False
    """Whether ↑/↓ chose a listed queue since the last keystroke in the input."""

    def on_mount(self) -> None:
        self._fill("")
        self.query_one(Input).focus()

    def _fill(self, text: str) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        wanted = text.strip().casefold()
        queues = self.store.queues()
        names = [n for n in queues if wanted in n.casefold()]
        for name in names:
            options.add_option(Option(f"{name}  ({len(queues[name])})", id=name))
        hint = self.query_one("#picker-hint", Label)
        self._navigated = False
        typed = text.strip()
        if typed and typed not in queues and self.allow_new:
            try:
                check_queue_name(typed)
                more = " · ↓ picks a listed one" if names else ""
                hint.update(Content.from_markup("Enter creates queue [b]$name[/b]$more", name=typed, more=more))
            except QueueError as exc:
                hint.update(Content.from_markup("[red]$error[/red]", error=str(exc)))  # quotes what was typed
            options.highlighted = None
            return
        hint.update("")
        if names:
            options.highlighted = names.index(typed) if typed in names else 0

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        """Enter: the typed name when it is new (unless ↑/↓ picked a listed one), else the highlighted queue.

        A new name that is part of an existing one ("read" beside "to-read")
        must still be creatable, so a partial match never wins by itself.
        """
        options = self.query_one(OptionList)
        typed = event.value.strip()
        if typed and typed not in self.store.queues() and not self._navigated and self.allow_new:
            try:
                self.dismiss(check_queue_name(typed))
            except QueueError as exc:
                self.query_one("#picker-hint", Label).update(Content.from_markup("[red]$error[/red]", error=str(exc)))
            return
        if options.highlighted is not None and options.option_count:
            option = options.get_option_at_index(options.highlighted)
            self.dismiss(option.id)
            return
        try:
            self.dismiss(check_queue_name(event.value))
        except QueueError as exc:
            self.query_one("#picker-hint", Label).update(Content.from_markup("[red]$error[/red]", error=str(exc)))

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            current = options.highlighted if options.highlighted is not None else -1 if step > 0 else 0
            options.highlighted = (current + step) % options.option_count
            self._navigated = True

    def action_cancel(self) -> None:
        self.dismiss(None)
