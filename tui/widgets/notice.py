"""The status line under the panes: says what the last action did, then clears itself."""

from __future__ import annotations

from textual.content import Content
from textual.timer import Timer
from textual.widgets import Static

NOTICE_TIME = 4.0
"""Seconds the status line keeps its message (the next key clears it sooner)."""


class Notice(Static):
    """One line of plain text (paths, queue names: never markup), gone after ``NOTICE_TIME`` s."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.shown = False
        """Whether a message is on the line (the next key clears it)."""
        self._timer: Timer | None = None

    def say(self, text: str) -> None:
        """Show ``text`` ("" clears the line)."""
        self.update(Content(text), layout=False)
        self.shown = bool(text)
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if text:
            self._timer = self.set_timer(NOTICE_TIME, self.clear)

    def clear(self) -> None:
        """Empty the line."""
        self.say("")
