"""The filter: a query typed in the filter bar becomes a search in a worker, and its results one frame."""

from __future__ import annotations

from contextlib import ExitStack
from functools import partial
from typing import TYPE_CHECKING

from textual.message import Message
from textual.timer import Timer
from textual.worker import get_current_worker

from store.model import Row
from tui.textual_private import paint_now

if TYPE_CHECKING:
    from store.query import Query
    from tui.screens.main import MainScreen

HOLD_MAX = 0.05
"""Longest a filter keystroke holds the screen waiting for its results (seconds)."""


class SearchDone(Message):
    """A filter search finished in a worker; ``generation`` says whether it is still wanted."""

    def __init__(self, generation: int, rows: list[Row], error: str | None, keep_id: str | None, note: str = "") -> None:
        self.generation = generation
        self.keep_id = keep_id
        self.rows = rows
        self.error = error
        self.note = note
        """Said before the count: "titles only, indexing… " for an answer given before the index was ready."""
        super().__init__()


def _title_spans(title: str, query: Query) -> list[tuple[int, int]]:
    from store.search import highlight_spans

    return highlight_spans(title, query, field="title")


class FilterController:
    """Owns the query, the search generation and the held frame of the reader screen."""

    def __init__(self, reader: MainScreen) -> None:
        self.reader = reader
        self.query = ""
        """The filter text as typed (saved with the session)."""
        self._generation = 0
        self._spans_for = ""
        """The query the list's title highlighter was made for."""
        self._hold: ExitStack | None = None
        self._hold_timer: Timer | None = None
        self._provisional = False
        """The list shows a titles-only answer given while the search index was built."""

    @property
    def active(self) -> bool:
        """Whether a query filters the view (blank text does not)."""
        return bool(self.query.strip())

    def apply(self, text: str) -> None:
        """The filter text changed: search, or show the whole view again."""
        reader = self.reader
        self.query = text
        reader.session.changed()
        if text.strip():
            self.run_search(text, reader.paper_list.current_id)
        else:
            self._generation += 1
            reader.viewer.show(reader.view_rows, reader.paper_list.current_id)
            reader.selection.refresh_abstract()

    def run_search(self, text: str, keep_id: str | None) -> None:
        """Search the current view's rows for ``text`` off the UI thread; `done` shows the result."""
        self._generation += 1
        self.hold_frame()
        scope = list(self.reader.view_rows)
        # description: without one, Textual builds it from repr() of every argument,
        # and the repr of a 100k-row scope costs 0.3 s on the UI thread per keystroke.
        self.reader.run_worker(
            partial(self._search, text, self._generation, scope, keep_id),
            thread=True,
            exclusive=True,
            group="search",
            exit_on_error=False,
            description="filter search",
        )

    def _search(self, text: str, generation: int, scope: list[Row], keep_id: str | None) -> None:
        """Runs off the UI thread; a newer search cancels this one's result."""
        from store.query import QueryError  # rapidfuzz: not needed for the first paint

        worker = get_current_worker()
        store = self.reader.store
        note = ""
        try:
            early = None if store.search_ready else store.search_titles(text, scope=scope)
            if early is not None:  # the index is still being built: titles now, everything when it is ready
                rows, note = early, "titles only, indexing… "
            else:
                rows = store.search(text, scope=scope)
            error = None
        except QueryError as exc:
            rows, error = [], str(exc)
        if not worker.is_cancelled:
            self.reader.post_message(SearchDone(generation, rows, error, keep_id, note))

    def index_ready(self) -> None:
        """The search index is loaded: rules and saved views skipped meanwhile apply now, and an
        answer given from titles alone is replaced by the full one."""
        rules = self.reader.store.rules
        if rules.deferred:
            rules.deferred = False
            self.reader.viewer.load(self.reader.paper_list.current_id)
            self.reader.viewer.refresh_counts()
        if self._provisional and self.active:
            self.run_search(self.query, self.reader.paper_list.current_id)

    def done(self, event: SearchDone) -> None:
        """A search finished: show its rows (if it is still the latest), in the held frame."""
        if event.generation != self._generation:
            return
        reader = self.reader
        if event.error:
            reader.filter_bar.set_error(event.error)
            self.release_frame()
            return
        self._provisional = bool(event.note)
        reader.viewer.show(event.rows, event.keep_id, event.note)
        self.release_frame()
        self.paint_now()
        if event.keep_id is not None and reader.paper_list.current_id != event.keep_id:
            # The selected paper no longer matches: go to the best match, not to
            # whatever row now sits at the old cursor index.
            reader.paper_list.cursor_index = 0
        # The matches in the abstract a frame later (queued behind the paint): the
        # list and its count are what the keystroke waits for, and highlighting a
        # whole abstract costs milliseconds.
        reader.call_later(reader.selection.refresh_abstract)

    def highlight_titles(self) -> None:
        """Give the list the current query's title highlighter (once per query, not per row)."""
        query = self.query if self.active else ""
        if query == self._spans_for:
            return
        self._spans_for = query
        paper_list = self.reader.paper_list
        if not query:
            paper_list.set_title_spans(None)
            return
        from store.query import QueryError, parse_query

        try:
            parsed = parse_query(query)
        except QueryError:
            return
        paper_list.set_title_spans(partial(_title_spans, query=parsed))

    def hold_frame(self) -> None:
        """Paint a typed letter together with its results, not one frame slot apart.

        Textual paints the filter input at once and the results at its next
        frame slot, 17-33 ms later. Holding screen updates until the results
        arrive (at most ``HOLD_MAX`` seconds, so typing never looks stuck)
        makes one keystroke one frame.
        """
        if self._hold is None:
            self._hold = ExitStack()
            self._hold.enter_context(self.reader.app.batch_update())
            self._hold_timer = self.reader.set_timer(HOLD_MAX, self.release_frame)

    def release_frame(self) -> None:
        """End the hold of `hold_frame` (the results came, or ``HOLD_MAX`` passed)."""
        if self._hold_timer is not None:
            self._hold_timer.stop()
            self._hold_timer = None
        if self._hold is not None:
            hold, self._hold = self._hold, None
            hold.close()

    def paint_now(self) -> None:
        """Put the filter results on screen now rather than at the next frame slot.

        Textual paints at the tick of a 60 Hz timer, which after an idle
        frame lands 17-33 ms later; the results of a keystroke are the one
        frame the user is waiting for. (Nothing is painted while a frame is held.)
        """
        paint_now(self.reader)
