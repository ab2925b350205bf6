"""The row of views along the top: Inbox, Starred, All, Skipped and each queue."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

from store.views import View


class ViewBar(Static):
    """Shows every view with its number key and count; the current one stands out."""

    def show_views(self, views: Sequence[View], current: View, counts: dict[str, int]) -> None:
        text = Text(no_wrap=True, overflow="ellipsis")
        for number, view in enumerate(views, start=1):
            key = str(number) if number <= 9 else " "
            label = f" {key} {view.label} {counts.get(view.key, 0)} "
            style = "reverse bold" if view == current else ""
            text.append(label, style=style)
            text.append(" ")
        self.update(text, layout=False)
