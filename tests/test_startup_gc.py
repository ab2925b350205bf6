"""The cyclic collector is paused for the start-up and back on once the list is painted.

``papertray`` turns it off before opening the store (100k rows and the
widgets are no garbage, and its passes over them cost a sixth of the start-up
CPU at 100k); the reader screen turns it back on after its first paint. A
session must never run on without it: cycles would pile up for hours.
"""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from tests.app_helpers import SIZE, AppFactory, main_screen, wait_for_workers


async def test_collector_is_back_on_after_the_first_paint(demo_dir: Path, make_app: AppFactory) -> None:
    app = make_app(demo_dir)
    gc.disable()  # as `tui.cli.main` leaves it
    try:
        async with app.run_test(size=SIZE) as pilot:
            await wait_for_workers(pilot)
            await pilot.pause()
            assert main_screen(app).paper_list.row_count > 0
            assert gc.isenabled()
    finally:
        gc.enable()


def test_a_subcommand_runs_with_the_collector_and_leaves_it_on(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """`tui.cli.main` pauses the collector only for the reader: a subcommand (an import of 100k
    papers makes cycles) runs with it on, and every way out of `main` leaves it as it found it."""
    import tui.commands.listing as listing
    from tui.cli import main

    seen: list[bool] = []
    real = listing.run_list

    def spying(args: object) -> int:
        seen.append(gc.isenabled())
        return real(args)  # type: ignore[arg-type]

    monkeypatch.setattr(listing, "run_list", spying)
    assert main(["--store", str(tmp_path / "none"), "list"]) == 1  # no store there
    assert seen == [True]
    assert gc.isenabled()
    with pytest.raises(SystemExit):
        main(["--help"])
    assert gc.isenabled()
