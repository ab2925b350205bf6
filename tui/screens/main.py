"""The reader: list pane, abstract pane, filter bar, views and triage keys."""

from __future__ import annotations

import gc
from collections.abc import Callable, Sequence
from functools import partial

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Static
from textual.worker import Worker, WorkerState, get_current_worker

from store.errors import QueueError, StoreError
from store.links import is_web_url
from store.model import DEFAULT_QUEUE, Paper, Row, Status
from store.store import Store
from store.views import SORTS, View, all_views, sort_rows, view_counts, view_rows
from tui.widgets.abstract_pane import AbstractPane
from tui.widgets.filter_bar import FilterBar
from tui.widgets.paper_list import PaperList
from tui.widgets.view_bar import ViewBar

REORDER = Binding.Group("Reorder", compact=True)
"""J and K share one footer item ("JK Reorder"): a queue view has many keys to show."""

NARROW = 100
"""Below this many columns the list and the abstract stack."""

HOLD_MAX = 0.05
"""Longest a filter keystroke holds the screen waiting for its results (seconds)."""

TRIAGE_VERB = {Status.READ: "read", Status.STARRED: "starred", Status.SKIPPED: "skipped", Status.NEW: "new"}


class SearchDone(Message):
    """A filter search finished in a worker; ``generation`` says whether it is still wanted."""

    def __init__(self, generation: int, rows: list[Row], error: str | None, keep_id: str | None, note: str = "") -> None:
        self.generation = generation
        self.keep_id = keep_id
        self.rows = rows
        self.error = error
        self.note = note
        super().__init__()


class PaperLoaded(Message):
    def __init__(self, paper: Paper | None, paper_id: str) -> None:
        self.paper = paper
        self.paper_id = paper_id
        super().__init__()


class MainScreen(Screen[None]):
    """Owns the triage and queue keys: they act on the paper under the list's cursor."""

    AUTO_FOCUS = "PaperList"
    """Focus the list from the start: focusing the filter input first and then
    moving away restyled the whole screen twice before the first paint."""

    BINDINGS = [
        Binding("slash", "focus_filter", "Filter", id="filter.focus", tooltip="Type a query; results update as you type"),
        Binding("escape", "clear_filter", "Clear", show=False, id="filter.clear_list", tooltip="Clear the filter"),
        Binding("enter", "zoom", "Zoom", id="abstract.zoom", tooltip="Show the abstract full screen, and back"),
        Binding("space", "abstract_page(1)", "Abstract ↓", show=False, id="abstract.down", tooltip="Scroll the abstract down"),
        Binding("b", "abstract_page(-1)", "Abstract ↑", show=False, id="abstract.up", tooltip="Scroll the abstract up"),
        Binding("r", "triage('read')", "Read", id="triage.read", tooltip="Mark read (again: back to new)"),
        Binding("s", "triage('starred')", "Star", id="triage.star", tooltip="Star (again: unstar)"),
        Binding("x", "triage('skipped')", "Skip", id="triage.skip", tooltip="Skip (again: back to new)"),
        Binding("u", "undo", "Undo", id="triage.undo", tooltip="Undo the last action (survives restarts)"),
        Binding("n", "next_new(1)", "Next new", show=False, id="triage.next_new", tooltip="Jump to the next new paper"),
        Binding("N", "next_new(-1)", "Prev new", show=False, id="triage.prev_new", tooltip="Jump to the previous new paper"),
        Binding("A", "all_read", "All read", show=False, id="triage.all_read", tooltip="Mark every paper in this view read"),
        Binding("q", "toggle_queue", "Queue", id="queue.toggle", tooltip=f"Add to / remove from '{DEFAULT_QUEUE}'"),
        Binding("Q", "queue_picker", "Queues…", show=False, id="queue.pick", tooltip="Add to a queue of your choice"),
        Binding("J,shift+down", "queue_move(1)", "Move down", id="queue.down", tooltip="Move down in this queue", group=REORDER),
        Binding("K,shift+up", "queue_move(-1)", "Move up", id="queue.up", tooltip="Move up in this queue", group=REORDER),
        Binding("d", "queue_remove", "Remove", id="queue.remove", tooltip="Remove from this queue"),
        Binding("D", "queue_done", "Done", id="queue.done", tooltip="Mark read and take out of this queue"),
        Binding("c", "cite", "Cite", id="cite.copy", tooltip="Copy the citation (default format)"),
        Binding("C", "cite_choose", "Cite as…", show=False, id="cite.choose", tooltip="Choose a citation format to copy"),
        Binding("y", "copy_link", "Copy code", id="link.copy", tooltip="Copy the GitHub link (again: the next one)"),
        Binding("o", "open_link", "Open", show=False, id="link.open", tooltip="Open the GitHub link (or the paper) in a browser"),
        Binding("F", "fetch", "Fetch", show=False, id="fetch.run", tooltip="Fetch today's Daily Papers"),
        Binding("tab", "cycle_view(1)", "Next view", show=False, id="view.next", tooltip="Next view"),
        Binding("shift+tab", "cycle_view(-1)", "Prev view", show=False, id="view.prev", tooltip="Previous view"),
        *(
            Binding(str(n), f"view({n})", f"View {n}", show=False, id=f"view.{n}", tooltip=f"Go to view {n}")
            for n in range(1, 10)
        ),
    ]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.views: list[View] = all_views(list(store.queues()))
        self.view: View = self.views[0]
        self._view_rows: list[Row] = []
        self._generation = 0
        self._provisional = False
        """The list shows a titles-only answer given while the search index was built."""
        self._query = ""
        self._spans_for: str = ""
        self._current: Paper | None = None
        self._selected_id: str | None = None
        """Kept here so the session can be saved after the widgets are gone."""
        self._link_cycle: tuple[str, int, float] = ("", 0, 0.0)
        self._hold_timer: Timer | None = None
        self._write_warned = False
        """Whether the notice line shows a failed write (to say when writing works again)."""
        self._sort = "date"
        """List order outside queues: "date" or "upvotes" (saved with the session)."""
        self._footer_for_queue = False
        """Whether the footer last showed a queue view's keys."""

    # -- layout ------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield ViewBar(id="view-bar")
        yield FilterBar(id="filter-bar")
        with Horizontal(id="panes"):
            yield PaperList(id="paper-list", status_of=self.store.status, queued=self._is_queued)
            yield AbstractPane(id="abstract-pane")
        yield Static("", id="notice")
        yield Footer()

    def on_resize(self, event: events.Resize) -> None:
        """Stack the panes under ``NARROW`` columns (see ``MainScreen.-narrow`` in app.tcss).

        Only the narrow class exists: a wide terminal changes no class at start,
        which spares a restyle of every widget before the first paint.
        """
        self.set_class(event.size.width < NARROW, "-narrow")

    def on_mount(self) -> None:
        session = self.store.meta_get("session") or {}
        wanted = session.get("view") if isinstance(session, dict) else None
        self.view = next((v for v in self.views if v.key == wanted), self.views[0])
        query = str(session.get("filter", "")) if isinstance(session, dict) else ""
        selected = session.get("selected") if isinstance(session, dict) else None
        self._sort = session.get("sort", "date") if isinstance(session, dict) and session.get("sort") in SORTS else "date"
        self.filter_bar.set_text(query)
        self._query = query
        self._load_view(keep_id=selected if isinstance(selected, str) else None)
        self.paper_list.focus()
        # After the first paint: loading the index at mount competes with it for the GIL.
        self.call_after_refresh(self.warm_search)
        self.call_after_refresh(gc.freeze)
        # The list's rows (100k tuples at scale) live as long as the app: frozen,
        # the cyclic collector stops re-scanning them during keystrokes.
        self.set_interval(1.0, self.poll_store)

    @property
    def paper_list(self) -> PaperList:
        return self.query_one(PaperList)

    @property
    def filter_bar(self) -> FilterBar:
        return self.query_one(FilterBar)

    @property
    def abstract(self) -> AbstractPane:
        return self.query_one(AbstractPane)

    def _is_queued(self, paper_id: str) -> bool:
        return paper_id in self._queued

    # -- views -------------------------------------------------------------------
    def _load_view(self, keep_id: str | None = None) -> None:
        """Recompute the current view's rows, then apply the filter (in a worker)."""
        self._queued = self.store.queued_ids()
        self.views = all_views(list(self.store.queues()))
        if self.view not in self.views:
            self.view = self.views[0]
        self._view_rows = view_rows(self.store, self.view)
        if self.view.queue is None:
            self._view_rows = sort_rows(self._view_rows, self._sort)
        if self._query.strip():
            self._run_search(self._query, keep_id)
        else:
            self._show(self._view_rows, keep_id)
        self._refresh_counts()
        # The queue keys (J/K/d/D) exist only in queue views: the footer must re-ask
        # check_action, but only when that changes (a footer rebuild is not free).
        in_queue = self.view.queue is not None
        if in_queue != self._footer_for_queue:
            self._footer_for_queue = in_queue
            self.refresh_bindings()

    def _show(self, rows: Sequence[Row], keep_id: str | None = None, note: str = "") -> None:
        self.paper_list.empty_text = self._empty_text()
        self.paper_list.set_rows(rows, keep_id=keep_id)
        self.filter_bar.set_status(self._view_label(), len(rows), len(self._view_rows), note)

    def _view_label(self) -> str:
        if self.view.queue is not None:
            return f"{self.view.label} {self._queue_position() + 1} / {len(self._view_rows)}"
        return self.view.label

    def _queue_position(self) -> int:
        """Where the selected paper stands in its queue (the filter may hide others); -1 if none."""
        pid, name = self.paper_list.current_id, self.view.queue
        if pid is None or name is None:
            return -1
        try:
            return self.store.queue(name).index(pid)
        except (QueueError, ValueError):
            return -1

    def _empty_text(self) -> str:
        if self._query.strip():
            return "No papers match the filter (Esc clears it)"
        if self.view.status is Status.NEW:
            return "Inbox zero. Nothing new here — press 3 for All, F to fetch"
        if self.view.queue is not None:
            return f"Queue {self.view.label} is empty — press q on a paper to add it"
        return "No papers in this view"

    def _refresh_counts(self) -> None:
        counts = view_counts(self.store, self.views, len(self.store.rows()))
        self.query_one(ViewBar).show_views(self.views, self.view, counts)

    def sort_by(self, by: str) -> None:
        """Order the list by date (as published) or by upvotes; queues keep their own order."""
        self._sort = by
        self._load_view(keep_id=self.paper_list.current_id)
        self._save_session()
        self._say(f"sorted by {by}" + (" (queues keep their order)" if self.view.queue else ""))

    def action_view(self, number: int) -> None:
        if 1 <= number <= len(self.views):
            self._switch(self.views[number - 1])

    def action_cycle_view(self, step: int) -> None:
        index = self.views.index(self.view)
        self._switch(self.views[(index + step) % len(self.views)])

    def _switch(self, view: View) -> None:
        keep = self.paper_list.current_id
        self.view = view
        self._load_view(keep_id=keep)
        self.paper_list.focus()
        self._save_session()

    # -- filter ------------------------------------------------------------------
    def action_focus_filter(self) -> None:
        self.filter_bar.focus_input()

    def action_clear_filter(self) -> None:
        if self.filter_bar.text:
            self.filter_bar.set_text("")
            self._apply_query("")

    @on(FilterBar.Changed)
    def _filter_changed(self, event: FilterBar.Changed) -> None:
        self._apply_query(event.text)

    @on(FilterBar.Done)
    def _filter_done(self) -> None:
        if not self.filter_bar.text and self._query:
            self._apply_query("")
        self.paper_list.focus()
        self._save_session()

    def _apply_query(self, text: str) -> None:
        self._query = text
        if text.strip():
            self._run_search(text, self.paper_list.current_id)
        else:
            self._generation += 1
            self._show(self._view_rows, self.paper_list.current_id)
            self._refresh_abstract()

    def _run_search(self, text: str, keep_id: str | None) -> None:
        self._generation += 1
        self._hold_frame()
        self.search(text, self._generation, list(self._view_rows), keep_id)

    # description: without one, Textual builds it from repr() of every argument,
    # and the repr of a 100k-row scope costs 0.3 s on the UI thread per keystroke.
    @work(thread=True, exclusive=True, group="search", exit_on_error=False, description="filter search")
    def search(self, text: str, generation: int, scope: list[Row], keep_id: str | None) -> None:
        """Runs off the UI thread; a newer search cancels this one's result."""
        from store.query import QueryError  # rapidfuzz: not needed for the first paint

        worker = get_current_worker()
        note = ""
        try:
            early = None if self.store.search_ready else self.store.search_titles(text, scope=scope)
            if early is not None:  # the index is still being built: titles now, everything when it is ready
                rows, note = early, "titles only, indexing… "
            else:
                rows = self.store.search(text, scope=scope)
            error = None
        except QueryError as exc:
            rows, error = [], str(exc)
        if not worker.is_cancelled:
            self.post_message(SearchDone(generation, rows, error, keep_id, note))

    @on(SearchDone)
    def _search_done(self, event: SearchDone) -> None:
        if event.generation != self._generation:
            return
        if event.error:
            self.filter_bar.set_error(event.error)
            self._release_frame()
            return
        self._provisional = bool(event.note)
        self._show(event.rows, event.keep_id, event.note)
        self._release_frame()
        self._paint_now()
        if event.keep_id is not None and self.paper_list.current_id != event.keep_id:
            # The selected paper no longer matches: go to the best match, not to
            # whatever row now sits at the old cursor index.
            self.paper_list.cursor_index = 0
        self._refresh_abstract()

    def _hold_frame(self) -> None:
        """Paint a typed letter together with its results, not one frame slot apart.

        Textual paints the filter input at once and the results at its next
        frame slot, 17-33 ms later. Holding screen updates until the results
        arrive (at most ``HOLD_MAX`` seconds, so typing never looks stuck)
        makes one keystroke one frame.
        """
        if self._hold_timer is None:
            self.app._begin_batch()
            self._hold_timer = self.set_timer(HOLD_MAX, self._release_frame)

    def _paint_now(self) -> None:
        """Put the filter results on screen now rather than at the next frame slot.

        Textual paints at the tick of a 60 Hz timer, which after an idle
        frame lands 17-33 ms later; the results of a keystroke are the one
        frame the user is waiting for.
        """
        if not self.app._batch_count and self.is_current:
            self._on_timer_update()

    def _release_frame(self) -> None:
        if self._hold_timer is not None:
            self._hold_timer.stop()
            self._hold_timer = None
            self.app._end_batch()

    @work(thread=True, exclusive=True, group="index", exit_on_error=False)
    def warm_search(self) -> None:
        """Build or load the search index before the first keystroke needs it."""
        self.store.search_index()
        self.app.call_from_thread(self._index_ready)

    def _index_ready(self) -> None:
        """Answers given from titles alone while the index was built are replaced by full ones."""
        if self._provisional and self._query.strip():
            self._run_search(self._query, self.paper_list.current_id)

    # -- the selected paper -------------------------------------------------------
    @on(PaperList.Highlighted)
    def _highlighted(self, event: PaperList.Highlighted) -> None:
        self._selected_id = event.paper_id
        if self.view.queue is not None:
            self.filter_bar.set_status(self._view_label(), self.paper_list.row_count, len(self._view_rows))
        if event.paper_id is None:
            self._current = None
            self.abstract.show(None)
            return
        self.load_paper(event.paper_id)

    @work(thread=True, exclusive=True, group="abstract", exit_on_error=False)
    def load_paper(self, paper_id: str) -> None:
        """Abstracts come from disk: never on the UI thread."""
        paper = self.store.get(paper_id)
        if not get_current_worker().is_cancelled:
            self.post_message(PaperLoaded(paper, paper_id))

    @on(PaperLoaded)
    def _paper_loaded(self, event: PaperLoaded) -> None:
        if event.paper_id != self.paper_list.current_id:
            return
        self._current = event.paper
        self._refresh_abstract()

    def _refresh_abstract(self) -> None:
        paper = self._current
        if paper is None or paper.id != self.paper_list.current_id:
            return
        spans = self.store.highlight(paper.abstract, self._query) if self._query.strip() else []
        self.abstract.show(paper, self.store.status(paper.id), self.store.queues_of(paper.id), spans)

    def action_abstract_page(self, direction: int) -> None:
        self.abstract.page(direction)

    def action_zoom(self) -> None:
        self.toggle_class("zoomed")

    # -- triage --------------------------------------------------------------------
    def action_triage(self, status: str) -> None:
        pid = self.paper_list.current_id
        if pid is None:
            return
        result = self._guard(partial(self.store.toggle, pid, Status(status)))
        if result is None:
            return
        if self.view.drops_triaged and result is not Status.NEW:
            self._drop_current()
        else:
            self._after_change()
        self._say(f"{TRIAGE_VERB[result]} — u undoes")
        # The list and the status line now, the next paper's abstract a frame later.
        self._paint_now()

    def _drop_current(self) -> None:
        """In the Inbox the triaged paper leaves; the cursor lands on the next one."""
        index = self.paper_list.cursor_index
        rows = list(self.paper_list.rows)
        gone = rows.pop(index)
        if self._query.strip():
            self._view_rows = [r for r in self._view_rows if r.id != gone.id]
        else:
            self._view_rows = rows
        self._show(rows)
        self._refresh_counts()

    def _after_change(self) -> None:
        self._queued = self.store.queued_ids()
        self.paper_list.refresh_rows()
        self._refresh_abstract()
        self._refresh_counts()

    def action_undo(self) -> None:
        label = self._guard(self.store.undo)
        if label is None:
            self._say("nothing to undo")
            return
        self._load_view(keep_id=self.paper_list.current_id)
        self._say(f"undone: {label}")

    def action_next_new(self, step: int) -> None:
        rows = self.paper_list.rows
        index = self.paper_list.cursor_index + step
        while 0 <= index < len(rows):
            if self.store.status(rows[index].id) is Status.NEW:
                self.paper_list.cursor_index = index
                return
            index += step
        self._say("no more new papers this way")

    def action_all_read(self) -> None:
        from tui.screens.confirm import ConfirmScreen

        ids = [r.id for r in self.paper_list.rows if self.store.status(r.id) is not Status.READ]
        if not ids:
            self._say("every paper here is read already")
            return

        def done(ok: bool | None) -> None:
            if ok:
                count = self._guard(partial(self.store.set_status, ids, Status.READ, label=f"marked {len(ids)} read"))
                self._load_view()
                if count is not None:
                    self._say(f"{count} papers marked read — u undoes")

        self.app.push_screen(ConfirmScreen(f"Mark all {len(ids):,} papers in this view read?"), done)

    # -- queues ----------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("queue_move", "queue_remove", "queue_done"):
            return self.view.queue is not None
        return True

    def action_toggle_queue(self) -> None:
        pid = self.paper_list.current_id
        if pid is None:
            return
        added = self._guard(partial(self.store.queue_toggle, DEFAULT_QUEUE, pid))
        if added is None:
            return
        if self.view.queue == DEFAULT_QUEUE and not added:
            self._load_view()
        else:
            self._after_change()
        self.views = all_views(list(self.store.queues()))
        self._refresh_counts()
        self._say(f"{'added to' if added else 'removed from'} {DEFAULT_QUEUE}")

    def action_queue_picker(self) -> None:
        from tui.screens.queue_picker import QueuePickerScreen

        pid = self.paper_list.current_id
        if pid is None:
            return

        def picked(name: str | None) -> None:
            if not name:
                return
            if self._guard(partial(self.store.queue_add, name, [pid])) is not None:
                self._after_change()
                self.views = all_views(list(self.store.queues()))
                self._refresh_counts()
                self._say(f"added to {name}")

        self.app.push_screen(QueuePickerScreen(self.store), picked)

    def action_queue_move(self, step: int) -> None:
        pid, name = self.paper_list.current_id, self.view.queue
        if pid is None or name is None:
            return
        target = self._queue_position() + step
        if target < 0 or self._guard(partial(self.store.queue_move, name, pid, target)) is None:
            return
        self._load_view(keep_id=pid)

    def action_queue_remove(self) -> None:
        pid, name = self.paper_list.current_id, self.view.queue
        if pid is None or name is None:
            return
        if self._guard(partial(self.store.queue_remove, name, [pid])) is not None:
            self._load_view()
            self._say(f"removed from {name} — u undoes")

    def action_queue_done(self) -> None:
        pid, name = self.paper_list.current_id, self.view.queue
        if pid is None or name is None:
            return
        if self._ran(partial(self.store.queue_done, name, pid)):
            self._load_view()
            self._say(f"done: read and out of {name} — u undoes")

    # -- citations and links ----------------------------------------------------------
    def _selected_paper(self) -> Paper | None:
        """The paper under the cursor, read now if its abstract has not loaded yet.

        ``_current`` lags the cursor by one worker round trip; a quick ``j c``
        must never copy the previous paper's citation.
        """
        pid = self.paper_list.current_id
        if pid is None:
            return None
        if self._current is not None and self._current.id == pid:
            return self._current
        return self.store.get(pid)

    def action_cite(self) -> None:
        paper = self._selected_paper()
        if paper is not None:
            self.app.copy_citation(paper, None)  # type: ignore[attr-defined]

    def action_cite_choose(self) -> None:
        from tui.screens.cite_chooser import CitationChooserScreen

        paper = self._selected_paper()
        if paper is None:
            return

        def chosen(fmt: str | None) -> None:
            if fmt:
                self.app.copy_citation(paper, fmt)  # type: ignore[attr-defined]

        self.app.push_screen(CitationChooserScreen(paper), chosen)

    def action_copy_link(self) -> None:
        import time

        paper = self._selected_paper()
        if paper is None:
            return
        if not paper.github:
            self.notify("This paper has no GitHub link; nothing copied", severity="warning")
            return
        last_id, last_index, last_time = self._link_cycle
        index = (last_index + 1) % len(paper.github) if last_id == paper.id and time.monotonic() - last_time < 3 else 0
        self._link_cycle = (paper.id, index, time.monotonic())
        suffix = f" ({index + 1} of {len(paper.github)}; y again for the next)" if len(paper.github) > 1 else ""
        if not is_web_url(paper.github[index]):  # importers clean links, but a store file can be edited by hand
            self.notify("Refused to copy a link that is not http(s)", severity="error")
            return
        self.app.copy_text(paper.github[index], f"GitHub link{suffix}")  # type: ignore[attr-defined]

    def action_open_link(self) -> None:
        paper = self._selected_paper()
        if paper is None:
            return
        url = paper.github[0] if paper.github else paper.url
        if not url:
            self.notify("This paper has no link to open", severity="warning")
            return
        self.app.open_link(url)  # type: ignore[attr-defined]

    def action_fetch(self) -> None:
        self.app.start_fetch()  # type: ignore[attr-defined]

    # -- other processes, errors, session ------------------------------------------------
    @work(thread=True, exclusive=True, group="poll", exit_on_error=False)
    def poll_store(self) -> None:
        if self.store.poll():
            self.app.call_from_thread(self._external_change)

    def _external_change(self) -> None:
        self._load_view(keep_id=self.paper_list.current_id)
        if self.store.write_error:
            self._say(f"⚠ {self.store.write_error}")
            self._write_warned = True
        elif self._write_warned:
            self._write_warned = False
            self._say("✓ writing works again: every change is saved")

    def refresh_all(self) -> None:
        """After an import or fetch in this process."""
        self._load_view(keep_id=self.paper_list.current_id)

    def _guard(self, call):  # type: ignore[no-untyped-def]
        """Run a store call; a refusal becomes a notification, never a crash."""
        try:
            return call()
        except (StoreError, QueueError) as exc:
            self.notify(str(exc), severity="error")
            return None

    def _ran(self, call: Callable[[], object]) -> bool:
        """Run a store call that returns nothing: True unless it was refused.

        ``_guard`` alone cannot tell such a call's ``None`` from a refusal.
        """
        return self._guard(lambda: (call(), True)[1]) is not None

    def _say(self, text: str) -> None:
        self.query_one("#notice", Static).update(Content(text), layout=False)  # paths, names: never markup

    def _save_session(self) -> None:
        if self.store.readonly:
            return
        try:
            self.store.meta_set("session", {"view": self.view.key, "filter": self._query, "selected": self._selected_id, "sort": self._sort})
        except StoreError:
            pass

    def on_unmount(self) -> None:
        self._release_frame()
        self._save_session()

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.notify(f"{event.worker.name}: {event.worker.error}", severity="error")
