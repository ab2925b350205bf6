"""The selected paper: reading it off the UI thread, and drawing its abstract pane."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.message import Message
from textual.worker import get_current_worker

from store.model import Paper
from store.texrender import render_tex
from tui.text import one_line

if TYPE_CHECKING:
    from tui.screens.main import MainScreen


class PaperLoaded(Message):
    """A paper (abstract and all) was read from disk in a worker."""

    def __init__(self, paper: Paper | None, paper_id: str) -> None:
        self.paper = paper
        self.paper_id = paper_id
        super().__init__()


class SelectionController:
    """Follows the list's cursor with the abstract pane, one worker round trip behind it."""

    def __init__(self, reader: MainScreen) -> None:
        self.reader = reader
        self.current: Paper | None = None
        """The paper whose abstract is shown (lags the cursor by one worker round trip)."""
        self.painted = False
        """Whether the reader's first frame is out (`MainScreen.on_mount` sets it after the first refresh)."""

    def highlighted(self, paper_id: str | None) -> None:
        """The cursor is on ``paper_id`` (None: the list is empty)."""
        reader = self.reader
        session = reader.session
        if paper_id is not None and paper_id != session.selected_id:
            session.selected_id = paper_id
            session.changed()
        if reader.view.queue is not None:
            reader.filter_bar.set_status(reader.viewer.label(), reader.paper_list.row_count, len(reader.view_rows))
        if paper_id is None:
            self.current = None
            reader.abstract.show(None)
            return
        if self.painted:
            self._start(paper_id)
        else:
            # Started before the first frame, the worker's thread took the GIL from
            # the frame being built (~10 ms at start-up); the abstract follows a frame later.
            reader.call_after_refresh(self._start_if_current, paper_id)

    def _start(self, paper_id: str) -> None:
        self.reader.run_worker(
            partial(self.load, paper_id), thread=True, exclusive=True, group="abstract", exit_on_error=False
        )

    def _start_if_current(self, paper_id: str) -> None:
        """A deferred start, unless the cursor has moved on (its own start is under way: this one would cancel it)."""
        if paper_id == self.reader.paper_list.current_id:
            self._start(paper_id)

    def load(self, paper_id: str) -> None:
        """Abstracts come from disk: never on the UI thread."""
        paper = self.reader.store.get(paper_id)
        if not get_current_worker().is_cancelled:
            self.reader.post_message(PaperLoaded(paper, paper_id))

    def loaded(self, event: PaperLoaded) -> None:
        """Show the paper read by `load`, unless the cursor has moved on."""
        if event.paper_id != self.reader.paper_list.current_id:
            return
        self.current = event.paper
        self.refresh_abstract()

    def refresh_abstract(self) -> None:
        """Redraw the abstract pane for the selected paper (its status, queues and filter matches)."""
        reader = self.reader
        paper = self.current
        if paper is None or paper.id != reader.paper_list.current_id:
            return
        store, query = reader.store, reader.filter.query
        spans = store.highlight(render_tex(paper.abstract), query) if reader.filter.active else []
        title_spans = store.highlight(one_line(render_tex(paper.title)), query) if reader.filter.active else []
        status, queues = store.status(paper.id), store.queues_of(paper.id)
        reader.abstract.show(paper, status, queues, spans, title_spans, store.tags_of(paper.id), store.note(paper.id))

    def selected_paper(self) -> Paper | None:
        """The paper under the cursor, read now if its abstract has not loaded yet.

        `current` lags the cursor by one worker round trip; a quick ``j c``
        must never copy the previous paper's citation.
        """
        pid = self.reader.paper_list.current_id
        if pid is None:
            return None
        if self.current is not None and self.current.id == pid:
            return self.current
        return self.reader.store.get(pid)

