"""Views: which rows the list shows (a view, sorted, then filtered), and the counts and labels around it."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING

from textual.worker import get_current_worker

from store.errors import QueueError
from store.model import Row, Status
from store.rules import state_free
from store.views import View, all_views, saved_rows, sort_rows, view_counts, view_rows
from tui.widgets.view_bar import ViewBar

if TYPE_CHECKING:
    from tui.screens.main import MainScreen


class ViewController:
    """Fills the reader's list from the current view; the screen keeps the view and its rows."""

    def __init__(self, reader: MainScreen) -> None:
        self.reader = reader
        self._footer_for_queue = False
        """Whether the footer last showed a queue view's keys."""
        self._live_counts: dict[str, int] = {}
        """Last counts of the saved views that depend on reading state (see `refresh_counts`)."""

    def load(self, keep_id: str | None = None) -> None:
        """Recompute the current view's rows, then apply the filter (in a worker)."""
        reader = self.reader
        store = reader.store
        reader.queued = store.queued_ids()
        reader.watched = store.rules.sets(store).watched
        self.refresh_views()
        reader.view_rows = view_rows(store, reader.view)
        if reader.view.queue is None:
            reader.view_rows = sort_rows(reader.view_rows, reader.sort)
        if reader.view.status is Status.NEW and reader.watched_first and reader.watched:
            watched = reader.watched  # a stable partition: each half keeps the sort
            reader.view_rows = [r for r in reader.view_rows if r.id in watched] + [
                r for r in reader.view_rows if r.id not in watched
            ]
        if reader.filter.active:
            reader.filter.run_search(reader.filter.query, keep_id)
        else:
            self.show(reader.view_rows, keep_id)
        self.refresh_counts()
        # The queue keys (J/K/d/D) exist only in queue views: the footer must re-ask
        # check_action, but only when that changes (a footer rebuild is not free).
        in_queue = reader.view.queue is not None
        if in_queue != self._footer_for_queue:
            self._footer_for_queue = in_queue
            reader.refresh_bindings()

    def refresh_views(self) -> None:
        """The views bar's views again (built-ins, saved views, queues), after a queue or saved view changed."""
        reader, store = self.reader, self.reader.store
        reader.views = all_views(list(store.queues()), store.saved_views())
        if reader.view not in reader.views:
            reader.view = reader.views[0]

    def show(self, rows: Sequence[Row], keep_id: str | None = None, note: str = "") -> None:
        """Put ``rows`` (the view, or the filter's result) in the list, and say how many."""
        reader = self.reader
        reader.paper_list.empty_text = self._empty_text()
        reader.filter.highlight_titles()
        reader.paper_list.set_rows(rows, keep_id=keep_id)
        reader.filter_bar.clear_error()
        reader.filter_bar.set_status(self.label(), len(rows), len(reader.view_rows), note)

    def label(self) -> str:
        """The view's name for the filter bar; a queue's says where the selected paper stands."""
        view = self.reader.view
        if view.queue is not None:
            return f"{view.label} {self.queue_position() + 1} / {len(self.reader.view_rows)}"
        return view.label

    def queue_position(self) -> int:
        """Where the selected paper stands in its queue (the filter may hide others); -1 if none."""
        reader = self.reader
        pid, name = reader.paper_list.current_id, reader.view.queue
        if pid is None or name is None:
            return -1
        try:
            return reader.store.queue(name).index(pid)
        except (QueueError, ValueError):
            return -1

    def _empty_text(self) -> str:
        view = self.reader.view
        if self.reader.filter.active:
            return "No papers match the filter (Esc clears it)"
        if view.status is Status.NEW:
            return "Inbox zero. Nothing new here — press 3 for All, F to fetch"
        if view.queue is not None:
            return f"Queue {view.label} is empty — press a on a paper to add it"
        return "No papers in this view"

    def refresh_counts(self) -> None:
        """Redraw the view bar's counts; saved views with ``is:``/``in:``/``tag:``/note filters in a worker.

        Those depend on reading state, so every triage key would search them
        again on the UI thread (two such views: 40 ms a key at 100k papers).
        Their last counts show until the worker has new ones; the first time
        they are counted here.
        """
        reader = self.reader
        live = [v for v in reader.views if v.query is not None and not state_free(v.query)]
        known = {v.key: self._live_counts[v.key] for v in live if v.key in self._live_counts}
        counts = self._show_counts(known)
        if len(known) < len(live):  # counted just now
            self._live_counts.update({v.key: counts[v.key] for v in live})
        elif live:
            reader.run_worker(
                partial(self._count_live, live),
                thread=True,
                exclusive=True,
                group="view-counts",
                exit_on_error=False,
                description="saved view counts",
            )

    def _count_live(self, live: list[View]) -> None:
        """Runs off the UI thread: count the state-dependent saved views, then show them."""
        store = self.reader.store
        version = store.version
        fresh = {v.key: len(saved_rows(store, v.query)) for v in live if v.query is not None}
        if not get_current_worker().is_cancelled:
            self.reader.app.call_from_thread(self._counted_live, fresh, version)

    def _counted_live(self, fresh: dict[str, int], version: int) -> None:
        self._live_counts.update(fresh)
        if version == self.reader.store.version:  # else a newer triage has its own count on the way
            self._show_counts(self._live_counts)

    def _show_counts(self, known: dict[str, int]) -> dict[str, int]:
        """Count the views (saved views in ``known`` as given) and show the counts in the views bar."""
        reader = self.reader
        counts = view_counts(reader.store, reader.views, len(reader.store.rows()), known)
        reader.query_one(ViewBar).show_views(reader.views, reader.view, counts)
        return counts

    def switch(self, view: View) -> None:
        """Show ``view``, keeping the selected paper where it is in it too."""
        reader = self.reader
        keep = reader.paper_list.current_id
        reader.view = view
        self.load(keep_id=keep)
        reader.paper_list.focus()
        reader.session.changed()
