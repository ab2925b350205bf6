"""The row of views along the top: Inbox, Starred, All, Skipped, each saved view and each queue."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.widgets import Static

from store.views import View


class ViewBar(Static):
    """Shows every view with its number key and count; the current one stands out.

    Views that do not fit are not cut in half: they are counted in a ``+N`` at
    the end (the current view is always shown).
    """

    _shown: tuple[Sequence[View], View, dict[str, int]] | None = None

    def show_views(self, views: Sequence[View], current: View, counts: dict[str, int]) -> None:
        self._shown = (views, current, counts)
        self.update(self._render_views(views, current, counts, self.size.width), layout=False)

    def on_resize(self, event: events.Resize) -> None:
        if self._shown is not None:
            self.update(self._render_views(*self._shown, event.size.width), layout=False)

    @staticmethod
    def _render_views(views: Sequence[View], current: View, counts: dict[str, int], width: int) -> Text:
        labels = []
        for number, view in enumerate(views, start=1):
            key = str(number) if number <= 9 else " "
            muted = counts.get(f"{view.key}:muted", 0)  # the Inbox says how many papers mute rules hide
            labels.append((view, f" {key} {view.label} {counts.get(view.key, 0)}{f' ({muted} muted)' if muted else ''} "))
        keep = list(range(len(labels)))
        if width > 0:
            def cells(chosen: list[int]) -> int:
                hidden = len(labels) - len(chosen)
                more = cell_len(f" +{hidden}") if hidden else 0
                return sum(cell_len(labels[i][1]) + 1 for i in chosen) + more

            # Drop views from the end (never the current one) until the rest and "+N" fit.
            while len(keep) > 1 and cells(keep) > width:
                drop = next((i for i in reversed(keep) if labels[i][0] != current), None)
                if drop is None:
                    break
                keep.remove(drop)
        text = Text(no_wrap=True, overflow="ellipsis")
        for i in keep:
            view, label = labels[i]
            text.append(label, style="reverse bold" if view == current else "")
            text.append(" ")
        hidden = len(labels) - len(keep)
        if hidden:
            text.append(f"+{hidden}", style="bold")
        return text
