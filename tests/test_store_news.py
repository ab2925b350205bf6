"""The reader learns of failed writes (and of writing working again) from the store, not by polling for them."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from textual.pilot import Pilot

from store.errors import StoreError
from tests.app_helpers import SIZE, AppFactory, StoreOpener, main_screen, notice, press, wait_for_workers
from tui.screens.main import MainScreen


async def _wait_for_notice(pilot: Pilot[None], screen: MainScreen, text: str, seconds: float = 8.0) -> str:
    """The notice line once it shows ``text`` (or as it is after ``seconds``): the writer thread takes its time."""
    deadline = time.monotonic() + seconds
    shown = ""
    while time.monotonic() < deadline:
        await pilot.pause(0.05)
        shown = notice(screen)
        if text in shown:
            return shown
    return shown


async def test_a_failed_write_and_its_recovery_reach_the_notice_line_without_polling(
    demo_dir: Path, open_store: StoreOpener, make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(demo_dir)
    monkeypatch.setattr(store, "poll_wanted", lambda: False)  # the once-a-second check sees nothing
    real_flush = store.flush

    def full_disk() -> None:
        raise StoreError("state.json: cannot write (No space left on device); changes kept in memory")

    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        screen = main_screen(app)
        monkeypatch.setattr(store, "flush", full_disk)
        await press(pilot, "s")  # the writer thread tries to save the star, and fails
        shown = await _wait_for_notice(pilot, screen, "No space left")
        assert "⚠" in shown and "No space left on device" in shown, shown
        assert any("not being saved" in n.message for n in app._notifications), "the failure stays in sight"
        monkeypatch.setattr(store, "flush", real_flush)  # the disk has room again: the writer's retry works
        shown = await _wait_for_notice(pilot, screen, "writing works again")
        assert "writing works again" in shown, shown
        assert store.write_error is None
        assert not any("not being saved" in n.message for n in app._notifications)
