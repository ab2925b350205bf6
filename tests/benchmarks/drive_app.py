"""Benchmark driver: papertray on a store, headless, exiting right after the first painted list.

Run by ``bench_tui.py`` in a fresh process per measurement::

    python tests/benchmarks/drive_app.py STORE [--search]

Prints one JSON line: ``time.monotonic()`` marks (``start`` is the first line
of this script, then ``imports``, ``store``, ``paint``, ``end``), and at the
first paint ``cpu_paint`` (process CPU seconds, all threads) and
``rss_paint_kb`` (peak RSS so far). The parent compares the marks with its
own clock (CLOCK_MONOTONIC is system-wide).

``--search`` stays on after the first paint until the app's own worker has
loaded (or built) the search index and one search has run: the memory figure
of a session that has used the filter.
"""

from __future__ import annotations

import time

START = time.monotonic()

import json  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
from typing import Any  # noqa: E402

from paint_probe import PaintProbe  # noqa: E402

from store.store import Store  # noqa: E402
from tui.app import PapertrayApp  # noqa: E402
from tui.config import Config  # noqa: E402
from tui.screens.main import MainScreen  # noqa: E402
from tui.widgets.paper_list import PaperList  # noqa: E402

IMPORTED = time.monotonic()
SEARCH = "diffusion models"
TIMEOUT = 120.0
"""Seconds before giving up on a first paint (the parent then reports the failure)."""

_render_line = PaperList.render_line
_rows_drawn = False


def _render_line_noting_rows(self: PaperList, y: int) -> Any:
    """PaperList.render_line, noting that a line with papers was drawn."""
    global _rows_drawn
    if self.row_count:
        _rows_drawn = True
    return _render_line(self, y)


PaperList.render_line = _render_line_noting_rows  # type: ignore[method-assign]


class FirstPaint(PaintProbe, PapertrayApp):
    """The real app; only notes its first frame with papers in the list, then exits."""

    def __init__(self, store: Store, *, search: bool) -> None:
        super().__init__(store, config=Config())
        self.marks: dict[str, float] = {}
        self.search_after = search

    def on_mount(self) -> None:
        # No super() call: Textual runs the on_mount of every class in the MRO
        # itself, and calling PapertrayApp.on_mount again would push a second screen.
        self.set_timer(TIMEOUT, self.exit)

    def on_frame(self, at: float) -> None:
        if "paint" in self.marks or not _rows_drawn or not isinstance(self.screen, MainScreen):
            return
        self.marks["paint"] = time.monotonic()
        self.marks["cpu_paint"] = time.process_time()
        self.marks["rss_paint_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        if self.search_after:
            self.run_worker(self._search, thread=True, group="bench")
        else:
            self.exit()

    def _search(self) -> None:
        found = self.store.search(SEARCH)
        self.marks["searched"] = time.monotonic()
        self.marks["found"] = len(found)
        self.call_from_thread(self.exit)


def main() -> None:
    search = "--search" in sys.argv[2:]
    with Store.open(sys.argv[1]) as store:
        opened = time.monotonic()
        app = FirstPaint(store, search=search)
        app.run(headless=True, size=(120, 36))
    print(json.dumps({"start": START, "imports": IMPORTED, "store": opened, **app.marks, "end": time.monotonic()}))


if __name__ == "__main__":
    main()
