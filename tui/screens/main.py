"""The reader screen: the list, abstract and filter panes, the views, and the keys that act on them.

The screen lays out the widgets, shows a view's rows and the selected paper's
abstract, and owns every reader key; what a key does beyond that lives in
the controllers it holds (`tui.controllers`): filtering, triage and queues,
copying and links, the session, and the store's news.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, ClassVar, TypeVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Footer
from textual.worker import Worker, WorkerState

from store.errors import QueueError, StoreError
from store.model import DEFAULT_QUEUE, Paper, Row
from store.store import Store
from store.views import View, all_views
from tui.base import PapertrayScreen, settle_collector
from tui.controllers.annotating import AnnotationController
from tui.controllers.filtering import FilterController, SearchDone
from tui.controllers.selection import PaperLoaded, SelectionController
from tui.controllers.session import SessionController
from tui.controllers.store_news import StoreChanged, StoreNews
from tui.controllers.views import ViewController
from tui.widgets.abstract_pane import AbstractPane
from tui.widgets.filter_bar import FilterBar
from tui.widgets.notice import Notice
from tui.widgets.paper_list import PaperList
from tui.widgets.view_bar import ViewBar

if TYPE_CHECKING:
    from tui.controllers.bib_sync import BibSyncController
    from tui.controllers.copying import CopyController
    from tui.controllers.triage import TriageController

T = TypeVar("T")

REORDER = Binding.Group("Reorder", compact=True)
"""J and K share one footer item ("JK Reorder"): a queue view has many keys to show."""

NARROW = 100
"""Below this many columns the list and the abstract stack."""

WAY_OUT = ("app.help", "app.back")
"""Binding ids the footer shows first, so a narrow footer never cuts the way out."""

FOOTER_SPARE = ("list.down", "list.up")
"""Binding ids the footer leaves out in a queue view (j/k still work)."""


class MainScreen(PapertrayScreen):
    """Owns the triage and queue keys: they act on the paper under the list's cursor."""

    AUTO_FOCUS = "PaperList"
    """Focus the list from the start: focusing the filter input first and then
    moving away restyled the whole screen twice before the first paint."""

    BINDINGS: ClassVar[list[BindingType]] = [
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
        Binding("a", "toggle_queue", "To-read", id="queue.toggle", tooltip=f"Add to / remove from '{DEFAULT_QUEUE}'"),
        Binding("plus", "queue_picker", "Queue…", show=False, id="queue.pick", tooltip="Add to a queue of your choice"),
        Binding("J,shift+down", "queue_move(1)", "Move down", id="queue.down", tooltip="Move down in this queue", group=REORDER),
        Binding("K,shift+up", "queue_move(-1)", "Move up", id="queue.up", tooltip="Move up in this queue", group=REORDER),
        Binding("d", "queue_remove", "Remove", id="queue.remove", tooltip="Remove from this queue"),
        Binding("D", "queue_done", "Done", id="queue.done", tooltip="Mark read and take out of this queue"),
        Binding("t", "pick_tags", "Tags", show=False, id="tag.pick", tooltip="Tag the paper: type to filter, Space ticks, Enter applies"),
        Binding("e", "edit_note", "Note", show=False, id="note.edit", tooltip="Edit the paper's note in $VISUAL/$EDITOR"),
        Binding("c", "cite", "Cite", id="cite.copy", tooltip="Copy the citation (default format)"),
        Binding("C", "cite_choose", "Cite as…", show=False, id="cite.choose", tooltip="Choose a citation format to copy"),
        Binding("y", "copy_link", "Copy code", id="link.copy", tooltip="Copy the GitHub link (again: the next one)"),
        Binding("o", "open_link", "Open", show=False, id="link.open", tooltip="Open the GitHub link (or the paper) in a browser"),
        Binding("p", "open_pdf", "PDF", show=False, id="link.pdf", tooltip="Open the arXiv PDF in a browser (over SSH: copy its link)"),
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
        self.views: list[View] = all_views(list(store.queues()), store.saved_views())
        self.view: View = self.views[0]
        self.view_rows: list[Row] = []
        """The current view's rows, sorted, before the filter."""
        self.queued: frozenset[str] = frozenset()
        """Ids of the papers in any queue (the list's ``≡`` mark)."""
        self.watched: frozenset[str] = frozenset()
        """Ids a watch rule matches (the list's ``♦`` mark); `watched_first` sorts them first in the Inbox."""
        self.watched_first = store.meta_get("watched_first") is True
        self.sort = "date"
        """List order outside queues: "date" or "upvotes" (saved with the session)."""
        self._shown_once = False
        self.notice = Notice(id="notice")
        """The status line (`say`)."""
        self.viewer = ViewController(self)
        self.selection = SelectionController(self)
        self.filter = FilterController(self)
        self.session = SessionController(self)
        self.news = StoreNews(self)
        self.notes = AnnotationController(self)

    # -- layout ------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield ViewBar(id="view-bar")
        yield FilterBar(id="filter-bar")
        with Horizontal(id="panes"):
            yield (
                paper_list := PaperList(
                    id="paper-list", status_of=self.store.status, queued=self._is_queued, watched=lambda pid: pid in self.watched
                )
            )
            paper_list.tags_of = self.notes.cell
            yield AbstractPane(id="abstract-pane")
        yield self.notice
        yield Footer()

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        """The first showing skips Textual's restyle of every widget, styled moments before at mount.

        Runs before Textual's own handler (subclass first). Coming back to the
        reader from a dialog restyles as usual: the theme may have changed meanwhile.
        """
        if not self._shown_once:
            self._shown_once = True
            event.refresh_styles = False

    def on_resize(self, event: events.Resize) -> None:
        """Stack the panes under ``NARROW`` columns (see ``MainScreen.-narrow`` in app.tcss).

        Only the narrow class exists: a wide terminal changes no class at start,
        which spares a restyle of every widget before the first paint.
        """
        self.set_class(event.size.width < NARROW, "-narrow")

    def on_mount(self) -> None:
        saved = self.session.saved()
        self.view = next((v for v in self.views if v.key == saved.view), self.views[0])
        self.sort = saved.sort
        self.filter_bar.set_text(saved.query)
        self.filter.query = saved.query
        self.viewer.load(keep_id=saved.selected)
        self.session.ready = True
        self.paper_list.focus()
        # Loading a cached index waits until the first frame has reached the terminal: the
        # writer thread needs the GIL for tens of ms to send it, and a load right after the
        # refresh held it. A build in a child process (no cache, a big store) starts with the
        # first frame: it takes seconds on the other cores, and this process only waits for it.
        if self.store.search_builds_apart:
            self.call_after_refresh(self.warm_search)
        else:
            self.set_timer(0.15, self.warm_search)
        self.call_after_refresh(self._first_frame_out)
        self.news.start()
        self.call_after_refresh(lambda: self.bibs.start())  # after the first paint, like the search index

    # The controllers no key of the first frame needs are made (and imported) at first use.
    @cached_property
    def triage(self) -> TriageController:
        from tui.controllers.triage import TriageController

        return TriageController(self)

    @cached_property
    def copying(self) -> CopyController:
        from tui.controllers.copying import CopyController

        return CopyController(self)

    @cached_property
    def bibs(self) -> BibSyncController:
        from tui.controllers.bib_sync import BibSyncController

        return BibSyncController(self)

    def _first_frame_out(self) -> None:
        """What waits for the first frame: the abstract's worker, the collector."""
        self.selection.painted = True
        # The list's rows (100k tuples at scale) live as long as the app: frozen,
        # the cyclic collector stops re-scanning them during keystrokes.
        settle_collector()  # also ends the start-up's pause of the collector

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
        return paper_id in self.queued

    # -- views -------------------------------------------------------------------
    def refresh_all(self) -> None:
        """After an import, a fetch or a queue renamed in this process."""
        self.viewer.load(keep_id=self.paper_list.current_id)

    def sort_by(self, by: str) -> None:
        """Order the list by date (as published) or by upvotes; queues keep their own order."""
        self.sort = by
        self.viewer.load(keep_id=self.paper_list.current_id)
        self.session.changed()
        self.say(f"sorted by {by}" + (" (queues keep their order)" if self.view.queue else ""))

    def action_view(self, number: int) -> None:
        if 1 <= number <= len(self.views):
            self.viewer.switch(self.views[number - 1])

    def action_cycle_view(self, step: int) -> None:
        index = self.views.index(self.view)
        self.viewer.switch(self.views[(index + step) % len(self.views)])

    # -- filter ------------------------------------------------------------------
    def action_focus_filter(self) -> None:
        self.filter_bar.focus_input()

    def action_clear_filter(self) -> None:
        """Esc: un-zoom the abstract first, else clear the filter."""
        if self.unzoom():
            return
        if self.filter_bar.text:
            self.filter_bar.set_text("")
            self.filter.apply("")

    @on(FilterBar.Changed)
    def _filter_changed(self, event: FilterBar.Changed) -> None:
        # A phrase typed in one burst is many Changed messages, queued behind the
        # keys: when the field already holds newer text, this one is stale and its
        # own Changed follows. Searching only for the text on screen keeps a burst
        # one search and one frame instead of a painted answer per letter.
        if event.text == self.filter_bar.text:
            self.filter.apply(event.text)

    @on(FilterBar.Move)
    def _filter_move(self, event: FilterBar.Move) -> None:
        rows = self.paper_list.row_count
        if rows:
            self.paper_list.cursor_index = max(0, min(rows - 1, self.paper_list.cursor_index + event.step))

    @on(FilterBar.Done)
    def _filter_done(self) -> None:
        if not self.filter_bar.text and self.filter.query:
            self.filter.apply("")
        self.paper_list.focus()
        self.session.changed()

    @on(SearchDone)
    def _search_done(self, event: SearchDone) -> None:
        self.filter.done(event)

    @work(thread=True, exclusive=True, group="index", exit_on_error=False)
    def warm_search(self) -> None:
        """Build or load the search index before the first keystroke needs it."""
        self.store.warm_search(self.view_rows)
        self.app.call_from_thread(self.filter.index_ready)

    # -- the selected paper -------------------------------------------------------
    @on(PaperList.Highlighted)
    def _highlighted(self, event: PaperList.Highlighted) -> None:
        self.selection.highlighted(event.paper_id)

    @on(PaperLoaded)
    def _paper_loaded(self, event: PaperLoaded) -> None:
        self.selection.loaded(event)

    @property
    def _current(self) -> Paper | None:
        """The paper whose abstract is shown (`SelectionController.current`); the tests read it."""
        return self.selection.current

    def action_abstract_page(self, direction: int) -> None:
        self.abstract.page(direction)

    def action_zoom(self) -> None:
        self.toggle_class("zoomed")

    def unzoom(self) -> bool:
        """Leave the zoomed abstract; False if it was not zoomed."""
        if not self.has_class("zoomed"):
            return False
        self.remove_class("zoomed")
        return True

    # -- keys handed to the controllers ---------------------------------------------
    def action_triage(self, status: str) -> None:
        self.triage.triage(status)

    def action_undo(self) -> None:
        self.triage.undo()

    def action_next_new(self, step: int) -> None:
        self.triage.next_new(step)

    def action_all_read(self) -> None:
        self.triage.all_read()

    def action_toggle_queue(self) -> None:
        self.triage.toggle_queue()

    def action_queue_picker(self) -> None:
        self.triage.queue_picker()

    def action_queue_move(self, step: int) -> None:
        self.triage.queue_move(step)

    def action_queue_remove(self) -> None:
        self.triage.queue_remove()

    def action_queue_done(self) -> None:
        self.triage.queue_done()

    def action_pick_tags(self) -> None:
        self.notes.pick_tags()

    def action_edit_note(self) -> None:
        self.notes.edit_note()

    def action_cite(self) -> None:
        self.copying.cite()

    def action_cite_choose(self) -> None:
        self.copying.cite_choose()

    def action_copy_link(self) -> None:
        self.copying.copy_link()

    def action_open_link(self) -> None:
        self.copying.open_link()

    def action_open_pdf(self) -> None:
        self.copying.open_pdf()

    def action_fetch(self) -> None:
        self.app.start_fetch()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("queue_move", "queue_remove", "queue_done"):
            return self.view.queue is not None
        return True

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """Textual's active bindings, with help and quit first (the footer shows them in this order).

        In a queue view the reorder keys need the room, so "jk Move" leaves the footer.
        """
        bindings = super().active_bindings
        if self.view.queue is not None:
            bindings = {k: b for k, b in bindings.items() if b.binding.id not in FOOTER_SPARE}
        first = {k: b for k, b in bindings.items() if b.binding.id in WAY_OUT}
        return {**first, **{k: b for k, b in bindings.items() if k not in first}}

    # -- store calls, the notice line, the store's news ------------------------------------
    def guard(self, call: Callable[[], T]) -> T | None:
        """Run a store call; a refusal becomes a notification, never a crash."""
        try:
            return call()
        except (StoreError, QueueError) as exc:
            self.notify(str(exc), severity="error")
            return None

    def ran(self, call: Callable[[], object]) -> bool:
        """Run a store call that returns nothing: True unless it was refused.

        `guard` alone cannot tell such a call's ``None`` from a refusal.
        """
        return self.guard(lambda: (call(), True)[1]) is not None

    def say(self, text: str) -> None:
        """The status line: says what the last action did, and clears itself after a few seconds."""
        self.notice.say(text)

    def on_key(self, event: events.Key) -> None:
        """The next key clears the status line (its own action may say something new)."""
        if self.notice.shown:
            self.notice.clear()

    @on(StoreChanged)
    def _store_changed(self) -> None:
        self.news.show_write_state()

    def _poll_if_changed(self) -> None:
        """The once-a-second check (`StoreNews.poll_if_changed`); the tests call it directly."""
        self.news.poll_if_changed()

    def _external_change(self) -> None:
        """Another process wrote (`StoreNews.external_change`); the tests call it directly."""
        self.news.external_change()

    def on_unmount(self) -> None:
        self.filter.release_frame()
        self.session.save_now()
        self.bibs.stop()  # the last triage reaches the .bib files (a quick write; bounded wait)

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.notify(f"{event.worker.name}: {event.worker.error}", severity="error")
