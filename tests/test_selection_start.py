"""The abstract's worker, deferred until the first frame, is not started for a paper the cursor has left.

Before the first frame the worker's start waits (its thread took the GIL from
the frame being built). A key that moves the cursor right after the frame
starts the new paper's worker; the deferred start of the old one, run after
it, would cancel it (one worker group, exclusive) and no abstract would show.
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from tui.controllers.selection import SelectionController


class Reader(SimpleNamespace):
    """Just what `SelectionController.highlighted` touches."""

    def __init__(self) -> None:
        super().__init__(
            session=SimpleNamespace(selected_id=None, changed=lambda: None),
            view=SimpleNamespace(queue=None),
            paper_list=SimpleNamespace(current_id=None),
        )
        self.started: list[Any] = []
        self.deferred: list[Callable[[], object]] = []

    def run_worker(self, work: Any, **kwargs: object) -> None:
        self.started.append(work.args[0])  # partial(self.load, paper_id)

    def call_after_refresh(self, callback: Callable[..., object], *args: object) -> None:
        self.deferred.append(lambda: callback(*args))


def test_a_start_deferred_past_the_first_frame_does_not_cancel_the_current_papers() -> None:
    reader = Reader()
    selection = SelectionController(reader)  # type: ignore[arg-type]
    reader.paper_list.current_id = "A"
    selection.highlighted("A")  # before the first frame: deferred
    assert reader.started == []
    selection.painted = True
    reader.paper_list.current_id = "B"
    selection.highlighted("B")  # a key right after the frame: started at once
    for callback in reader.deferred:
        callback()
    assert reader.started == ["B"], "the deferred start for A ran after B's and would cancel it"


def test_a_deferred_start_runs_when_the_cursor_stayed() -> None:
    reader = Reader()
    selection = SelectionController(reader)  # type: ignore[arg-type]
    reader.paper_list.current_id = "A"
    selection.highlighted("A")
    for callback in reader.deferred:
        callback()
    assert reader.started == ["A"]
