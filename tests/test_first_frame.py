"""The reader's first frame is written to the terminal whole, not painted and dropped.

Textual holds every frame (``App.batch_update``) until the app's own mount
is done. Frames the first screen paints meanwhile are thrown away, and later
frames only send what changed since: in a terminal the list appeared a full
repaint later (about 75 ms at 10k papers). The reader is the app's first
screen itself (`PapertrayApp.get_default_screen`, no empty screen under it);
its widgets mount after the app's mount, and its first frame written is a
full one. A real terminal's view of it is `test_terminal.py`'s
``test_the_first_screen_shows_the_list_and_the_abstract_unasked``.
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
    frames: list[tuple[str, int, str]] = []
    real = PapertrayApp._display

    def noting(self: PapertrayApp, screen: Any, renderable: Any) -> None:
        if renderable is not None:
            frames.append((type(screen).__name__, self._batch_count, type(renderable).__name__))
        real(self, screen, renderable)

    monkeypatch.setattr(PapertrayApp, "_display", noting)
    app = make_app(demo_dir, demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        assert main_screen(app).paper_list.row_count > 0
        assert len(app.screen_stack) == 1, "the reader is the first screen, not pushed over an empty one"
    assert frames and frames[0][0] == "MainScreen", f"another screen was painted first: {frames}"
    written = [kind for name, batch, kind in frames if name == "MainScreen" and batch == 0]
    assert written, f"no frame of the reader was written: {frames}"
    assert written[0] == "LayoutUpdate", f"the reader's first frame written was not whole: {frames}"
