"""``?``: every key, grouped, as currently mapped, with the binding ids to remap them."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.keys import key_rows


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,question_mark,q", "close", "Close", id="help.close"),
        Binding("j,down", "scroll(1)", "Down", show=False, id="help.down"),
        Binding("k,up", "scroll(-1)", "Up", show=False, id="help.up"),
    ]

    def compose(self) -> ComposeResult:
        table = Table(box=None, padding=(0, 2, 0, 0), show_header=True, header_style="bold", expand=True)
        table.add_column("Key", style="bold cyan", no_wrap=True)
        table.add_column("Does")
        table.add_column("Binding id", style="dim", no_wrap=True)
        group = ""
        keymap = getattr(self.app, "config", None)
        for row in key_rows(keymap.keys if keymap else {}):
            if row.group != group:
                group = row.group
                table.add_row(f"[b u]{group}[/]", "", "")
            table.add_row(row.keys, row.description, row.id)
        with VerticalScroll(id="help-box", classes="dialog"):
            yield Static("[b]papertray keys[/b]  ·  remap any of them by id in config.toml  ·  Esc closes", id="help-title")
            yield Static(table, id="help-table")

    def action_close(self) -> None:
        self.dismiss(None)

    def action_scroll(self, step: int) -> None:
        box = self.query_one("#help-box", VerticalScroll)
        box.scroll_relative(y=step, animate=False)
