"""The cyclic collector is paused for the start-up and back on once the list is painted.

``papertray`` turns it off before opening the store (100k rows and the
widgets are no garbage, and its passes over them cost a sixth of the start-up
CPU at 100k); the reader screen turns it back on after its first paint. A
session must never run on without it: cycles would pile up for hours.
"""

from __future__ import annotations

import gc
from pathlib import Path

from tests.app_helpers import SIZE, AppFactory, main_screen, wait_for_workers


async def test_collector_is_back_on_after_the_first_paint(demo_dir: Path, make_app: AppFactory) -> None:
    app = make_app(demo_dir)
    gc.disable()  # as `tui.commands.app.run_app` leaves it
    try:
        async with app.run_test(size=SIZE) as pilot:
            await wait_for_workers(pilot)
            await pilot.pause()
            assert main_screen(app).paper_list.row_count > 0
            assert gc.isenabled()
    finally:
        gc.enable()
