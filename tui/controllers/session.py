"""The session: the view, filter, selection and sort saved as they change and restored at the next start."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from textual.timer import Timer

from store.errors import StoreError
from store.views import SORTS

if TYPE_CHECKING:
    from tui.screens.main import MainScreen

SESSION_DELAY = 0.5
"""Seconds between a change of view, filter, selection or sort and its save (debounced)."""


class Saved(NamedTuple):
    """The session as the store last kept it (defaults where it holds nothing usable).

    The small records made at start-up are NamedTuples: a frozen dataclass
    compiles its methods when defined (~0.6 ms each before the first frame).
    """

    view: object = None
    query: str = ""
    selected: str | None = None
    sort: str = "date"


class SessionController:
    """Saves the reader's session through the store's writer thread, debounced."""

    def __init__(self, reader: MainScreen) -> None:
        self.reader = reader
        self.selected_id: str | None = None
        """The selected paper, kept here so the session can be saved after the widgets are gone."""
        self._timer: Timer | None = None
        self.ready = False
        """False until the saved session is restored: nothing to save before that."""

    def saved(self) -> Saved:
        """What the last session left (from any version of the file, however damaged)."""
        session = self.reader.store.meta_get("session") or {}
        if not isinstance(session, dict):
            return Saved()
        selected = session.get("selected")
        return Saved(
            view=session.get("view"),
            query=str(session.get("filter", "")),
            selected=selected if isinstance(selected, str) else None,
            sort=session.get("sort", "date") if session.get("sort") in SORTS else "date",
        )

    def changed(self) -> None:
        """Save the session (view, filter, selection, sort) soon: a dropped connection loses at most a second.

        Debounced: a burst of j presses or of typed letters is one save, and the
        save itself is queued for the store's writer thread, off the UI thread.
        """
        if self.ready and self._timer is None:
            self._timer = self.reader.set_timer(SESSION_DELAY, self.save_now)

    def save_now(self) -> None:
        """Save at once (the app is closing, or the terminal went away)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        reader = self.reader
        if reader.store.readonly or not self.ready:
            return
        state = {
            "view": reader.view.key,
            "filter": reader.filter.query,
            "selected": self.selected_id,
            "sort": reader.sort,
        }
        try:
            reader.store.meta_set("session", state)
        except StoreError:
            pass
