"""``C``: choose a citation format; a preview shows exactly what will be copied."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from store.citations import CitationError, CitationFormat, can_cite, format_citation
from store.model import Paper
from tui.text import inert


class CitationChooserScreen(ModalScreen[str | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "cancel", "Cancel", id="chooser.cancel"),
        Binding("j", "move(1)", "Down", show=False, id="chooser.down"),
        Binding("k", "move(-1)", "Up", show=False, id="chooser.up"),
    ]

    def __init__(self, paper: Paper) -> None:
        super().__init__()
        self.paper = paper

    def compose(self) -> ComposeResult:
        with Vertical(id="chooser-box", classes="dialog"):
            yield Label("[b]Copy citation as[/b]  ·  Enter copies · Esc cancels")
            yield OptionList(
                *(
                    Option(f"{n}  {fmt.label}", id=fmt.value, disabled=not can_cite(self.paper, fmt))
                    for n, fmt in enumerate(CitationFormat, start=1)
                ),
                id="chooser-options",
            )
            yield Static("", id="chooser-preview", markup=False)

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()
        self._preview(CitationFormat.BIBTEX.value)

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id:
            self._preview(event.option.id)

    def _preview(self, fmt: str) -> None:
        try:
            text = format_citation(self.paper, CitationFormat(fmt))
        except CitationError as exc:
            text = str(exc)
        self.query_one("#chooser-preview", Static).update(inert(text))

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if step > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()

    def action_cancel(self) -> None:
        self.dismiss(None)
