"""Triage and queues: the keys that change a paper's status or its place in a reading queue."""

from __future__ import annotations

from functools import partial
from textwrap import shorten
from typing import TYPE_CHECKING

from store.model import DEFAULT_QUEUE, Status
from store.texrender import render_tex
from tui.text import one_line

if TYPE_CHECKING:
    from tui.screens.main import MainScreen

TRIAGE_VERB = {Status.READ: "read", Status.STARRED: "starred", Status.SKIPPED: "skipped", Status.NEW: "new"}


class TriageController:
    """Acts on the paper under the reader's cursor, through the store, and says what it did."""

    def __init__(self, reader: MainScreen) -> None:
        self.reader = reader

    # -- triage --------------------------------------------------------------------
    def triage(self, status: str) -> None:
        """``r``/``s``/``x``: toggle ``status``; in the Inbox the paper leaves the list."""
        reader = self.reader
        pid = reader.paper_list.current_id
        if pid is None:
            return
        result = reader.guard(partial(reader.store.toggle, pid, Status(status)))
        if result is None:
            return
        if reader.view.drops_triaged and result is not Status.NEW:
            self._drop_current()
        else:
            self.after_change()
        reader.say(f"{TRIAGE_VERB[result]} — u undoes")
        # The list and the status line now, the next paper's abstract a frame later.
        reader.filter.paint_now()

    def _drop_current(self) -> None:
        """In the Inbox the triaged paper leaves; the cursor lands on the next one."""
        reader = self.reader
        index = reader.paper_list.cursor_index
        rows = list(reader.paper_list.rows)
        gone = rows.pop(index)
        if reader.filter.active:
            reader.view_rows = [r for r in reader.view_rows if r.id != gone.id]
        else:
            reader.view_rows = rows
        reader.viewer.show(rows)
        reader.viewer.refresh_counts()

    def after_change(self) -> None:
        """A status or queue changed in place: redraw the marks, the abstract and the counts."""
        reader = self.reader
        reader.queued = reader.store.queued_ids()
        reader.paper_list.refresh_rows()
        reader.selection.refresh_abstract()
        reader.viewer.refresh_counts()

    def undo(self) -> None:
        reader = self.reader
        ids = reader.store.undo_ids()
        label = reader.guard(reader.store.undo)
        if label is None:
            reader.say("nothing to undo")
            return
        reader.viewer.load(keep_id=reader.paper_list.current_id)
        paper = reader.store.get(ids[0]) if len(ids) == 1 else None
        what = (
            f" — {shorten(one_line(render_tex(paper.title)), 60)}" if paper is not None else f" ({len(ids)} papers)" if len(ids) > 1 else ""
        )
        reader.say(f"undone: {label}{what}")

    def next_new(self, step: int) -> None:
        reader = self.reader
        rows = reader.paper_list.rows
        index = reader.paper_list.cursor_index + step
        while 0 <= index < len(rows):
            if reader.store.status(rows[index].id) is Status.NEW:
                reader.paper_list.cursor_index = index
                return
            index += step
        reader.say("no more new papers this way")

    def all_read(self) -> None:
        from tui.screens.confirm import ConfirmScreen

        reader = self.reader
        ids = [r.id for r in reader.paper_list.rows if reader.store.status(r.id) is not Status.READ]
        if not ids:
            reader.say("every paper here is read already")
            return

        def done(ok: bool | None) -> None:
            if ok:
                count = reader.guard(
                    partial(reader.store.set_status, ids, Status.READ, label=f"marked {len(ids)} read")
                )
                reader.viewer.load()
                if count is not None:
                    reader.say(f"{count} papers marked read — u undoes")

        reader.app.push_screen(ConfirmScreen(f"Mark all {len(ids):,} papers in this view read?"), done)

    # -- queues ----------------------------------------------------------------------
    def toggle_queue(self) -> None:
        reader = self.reader
        pid = reader.paper_list.current_id
        if pid is None:
            return
        added = reader.guard(partial(reader.store.queue_toggle, DEFAULT_QUEUE, pid))
        if added is None:
            return
        if reader.view.queue == DEFAULT_QUEUE and not added:
            reader.viewer.load()
        else:
            self.after_change()
        reader.viewer.refresh_views()
        reader.viewer.refresh_counts()
        reader.say(f"{'added to' if added else 'removed from'} {DEFAULT_QUEUE}")

    def queue_picker(self) -> None:
        from tui.screens.queue_picker import QueuePickerScreen

        reader = self.reader
        pid = reader.paper_list.current_id
        if pid is None:
            return

        def picked(name: str | None) -> None:
            if not name:
                return
            if reader.guard(partial(reader.store.queue_add, name, [pid])) is not None:
                self.after_change()
                reader.viewer.refresh_views()
                reader.viewer.refresh_counts()
                reader.say(f"added to {name}")

        reader.app.push_screen(QueuePickerScreen(reader.store), picked)

    def queue_move(self, step: int) -> None:
        reader = self.reader
        pid, name = reader.paper_list.current_id, reader.view.queue
        if pid is None or name is None:
            return
        target = reader.viewer.queue_position() + step
        if target < 0 or reader.guard(partial(reader.store.queue_move, name, pid, target)) is None:
            return
        reader.viewer.load(keep_id=pid)

    def queue_remove(self) -> None:
        reader = self.reader
        pid, name = reader.paper_list.current_id, reader.view.queue
        if pid is None or name is None:
            return
        if reader.guard(partial(reader.store.queue_remove, name, [pid])) is not None:
            reader.viewer.load()
            reader.say(f"removed from {name} — u undoes")

    def queue_done(self) -> None:
        reader = self.reader
        pid, name = reader.paper_list.current_id, reader.view.queue
        if pid is None or name is None:
            return
        if reader.ran(partial(reader.store.queue_done, name, pid)):
            reader.viewer.load()
            reader.say(f"done: read and out of {name} — u undoes")
