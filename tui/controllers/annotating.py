"""Tags and notes from the reader: ``t`` opens the tag picker, ``e`` the note in the user's editor."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from functools import partial
from textwrap import shorten
from typing import TYPE_CHECKING

from textual.app import SuspendNotSupported

from store.errors import StoreError
from store.texrender import render_tex
from tui.editor import EditorRunner, edit_text
from tui.text import one_line

if TYPE_CHECKING:
    from tui.screens.main import MainScreen
    from tui.screens.tag_picker import TagChange


class AnnotationController:
    """Tags and notes of the paper under the cursor; keeps the list's compact tag cells current."""

    def __init__(self, reader: MainScreen) -> None:
        self.reader = reader
        self.edit: EditorRunner = edit_text
        """Runs the editor (the tests put a fake here; the app is suspended around the call)."""
        self.suspend: Callable[[], AbstractContextManager[None]] = lambda: reader.app.suspend()
        """Gives the terminal to the editor and back (`App.suspend`); a headless test has nothing to give."""

    # -- the list's tag cells ------------------------------------------------------
    def cell(self, paper_id: str) -> str:
        """The row's tag cell (``#ml +2``), asked per drawn line: one dict look-up, nothing rebuilt.

        Only the lines on screen ask (about 35), and the cell is part of the
        list's strip cache key, so a tag change redraws just that row.
        """
        return self.reader.store.tag_cell(paper_id)

    # -- tags ----------------------------------------------------------------------
    def pick_tags(self) -> None:
        from tui.screens.tag_picker import TagPickerScreen

        reader = self.reader
        pid = reader.paper_list.current_id
        if pid is None:
            return
        paper = reader.store.get(pid)
        title = shorten(one_line(render_tex(paper.title)), 36, placeholder="…") if paper is not None else pid

        def picked(change: TagChange | None) -> None:
            if not change:
                return
            add, remove = change
            if reader.guard(partial(reader.store.tag_papers, [pid], add, remove)) is not None:
                reader.triage.after_change()
                what = " ".join([*(f"+#{t}" for t in add), *(f"-#{t}" for t in remove)])
                reader.say(f"tags {what} — u undoes")

        store = reader.store
        reader.app.push_screen(TagPickerScreen(store.tag_counts(), store.tags_of(pid), f"Tags · {title}"), picked)

    # -- notes ---------------------------------------------------------------------
    def edit_note(self) -> None:
        """Suspend the app, run the editor on the note, resume; the saved text becomes the note (one undo step)."""
        reader = self.reader
        pid = reader.paper_list.current_id
        if pid is None:
            return
        if reader.store.readonly:
            reader.notify(f"cannot edit notes: {reader.store.readonly_reason}", severity="error")
            return
        before = reader.store.note(pid)
        try:
            with self.suspend():
                after = self.edit(before, f"note-{pid}")
        except StoreError as exc:
            reader.notify(str(exc), severity="error")
            return
        except SuspendNotSupported:  # Textual Web: no terminal to hand over
            reader.notify("cannot open an editor here: use `papertray note ID` in a shell", severity="error")
            return
        if after is None:
            reader.say("editor exited with an error: note not changed")
            return
        changed = reader.guard(partial(reader.store.set_note, pid, after))
        if changed:
            reader.triage.after_change()
            reader.call_after_refresh(reader.abstract.scroll_end, animate=False)  # show the note just written
            reader.say(("note saved" if after.strip() else "note deleted") + " — u undoes")
        elif changed is not None:
            reader.say("note unchanged")
