"""The reader's first frame is written to the terminal, not painted and dropped.

Textual holds every frame (``App.batch_update``) until the app's own mount
is done. A first screen pushed inside that mount had its first frame, list
and all, computed and thrown away; the screen's later frames only sent what
had changed since, so in a terminal the list appeared a full repaint later
(about 75 ms at 10k papers). The first screen is now pushed after the mount.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.app_helpers import SIZE, AppFactory, main_screen, wait_for_workers
from tui.app import PapertrayApp


async def test_the_readers_first_frame_is_not_held(
    demo_dir: Path, make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    frames: list[tuple[str, int]] = []
    real = PapertrayApp._display

    def noting(self: PapertrayApp, screen: Any, renderable: Any) -> None:
        if renderable is not None:
            frames.append((type(screen).__name__, self._batch_count))
        real(self, screen, renderable)

    monkeypatch.setattr(PapertrayApp, "_display", noting)
    app = make_app(demo_dir, demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        assert main_screen(app).paper_list.row_count > 0
    reader = [batch for name, batch in frames if name == "MainScreen"]
    assert reader, frames
    assert reader[0] == 0, f"the reader's first frame was held (and dropped): {frames}"
