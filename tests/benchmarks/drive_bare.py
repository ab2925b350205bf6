"""Benchmark driver: a bare Textual app (a ``Static`` and a ``Footer``), exiting after its first paint.

The yardstick for ``drive_app.py``, measured the same way: run headless in a
fresh process, the frame encoded as for a terminal (`paint_probe`), one JSON
line of ``time.monotonic()`` marks on stdout (``start``, ``imports``,
``paint``, ``end``) plus ``cpu_paint`` and ``rss_paint_kb`` at the first paint::

    python tests/benchmarks/drive_bare.py
"""

from __future__ import annotations

import time

START = time.monotonic()

import json  # noqa: E402
import resource  # noqa: E402

from paint_probe import PaintProbe  # noqa: E402
from textual.app import App, ComposeResult  # noqa: E402
from textual.widgets import Footer, Static  # noqa: E402

IMPORTED = time.monotonic()


class Bare(PaintProbe, App[None]):
    """Hello world with a footer: the least a Textual app paints."""

    def __init__(self) -> None:
        super().__init__()
        self.marks: dict[str, float] = {}

    def compose(self) -> ComposeResult:
        yield Static("papertray")
        yield Footer()

    def on_frame(self, at: float) -> None:
        if "paint" not in self.marks:
            self.marks["paint"] = time.monotonic()
            self.marks["cpu_paint"] = time.process_time()
            self.marks["rss_paint_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            self.exit()


def main() -> None:
    app = Bare()
    app.run(headless=True, size=(120, 36))
    print(json.dumps({"start": START, "imports": IMPORTED, **app.marks, "end": time.monotonic()}))


if __name__ == "__main__":
    main()
