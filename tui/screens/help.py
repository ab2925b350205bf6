"""``?``: every key, grouped, as currently mapped, with the binding ids to remap them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.keys import KeyRow

WIDE = 90
"""From this many columns the binding ids get a column of their own; below, they go under each description."""


def help_table(rows: Sequence[KeyRow], width: int) -> Table:
    """The keys table for a dialog ``width`` cells wide.

    The description column is never narrower than the key column: on a
    narrow terminal the binding id moves under the description instead of
    squeezing it into a column one word wide.
    """
    wide = width >= WIDE
    table = Table(box=None, padding=(0, 2, 0, 0), show_header=True, header_style="bold", expand=True)
    table.add_column("Key", style="bold cyan", no_wrap=True, ratio=1, max_width=max(8, width // 3))
    table.add_column("Does", ratio=2, min_width=min(24, width // 2))
    if wide:
        table.add_column("Binding id", style="dim", no_wrap=True)
    group = ""
    for row in rows:
        if row.group != group:
            group = row.group
            table.add_row(Text(group, style="bold underline"), "", *([""] if wide else []))
        if wide:
            table.add_row(row.keys, row.description, row.id)
        else:
            table.add_row(row.keys, Text.assemble(row.description, "\n", (row.id, "dim")))
    return table


class HelpScreen(ModalScreen[None]):
    """The keys table; the app hands it the rows (screens do not know every widget's keys)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "close", "Close", id="help.close"),
        Binding("j,down", "scroll(1)", "Down", show=False, id="help.down"),
        Binding("k,up", "scroll(-1)", "Up", show=False, id="help.up"),
    ]

    def __init__(self, rows: Sequence[KeyRow]) -> None:
        super().__init__()
        self.rows = rows
        """The table's rows, as the user has mapped the keys."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box", classes="dialog"):
            yield Static(
                "[b]papertray keys[/b]  ·  remap any of them by id in config.toml  ·  Esc or q closes", id="help-title"
            )
            yield Static("", id="help-table")

    def on_resize(self, event: events.Resize) -> None:
        box = self.query_one("#help-box", VerticalScroll)
        width = box.size.width or event.size.width
        self.query_one("#help-table", Static).update(help_table(self.rows, width))

    def action_close(self) -> None:
        self.dismiss(None)

    def action_scroll(self, step: int) -> None:
        box = self.query_one("#help-box", VerticalScroll)
        box.scroll_relative(y=step, animate=False)
