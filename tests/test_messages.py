"""Messages say what happened: what was copied, where a file went, which paper an
undo gave back; and the status line does not linger.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.app_helpers import SIZE, AppFactory, main_screen, notice, notifications, press, wait_for_workers
from tests.test_app_queues import go_to_title
from tui.palette import export_view
from tui.screens.prompt import PromptScreen
from tui.widgets import notice as main_module


async def test_y_names_the_link_it_copied(demo_dir: Path, make_app: AppFactory) -> None:
    app = make_app(demo_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        screen = main_screen(app)
        await go_to_title(pilot, screen, "Kernel Fusion Compilers")
        link = screen._current.github[0]  # type: ignore[union-attr]
        await press(pilot, "y")
        assert f"Copied {link} (OSC 52)" in notifications(app)


async def test_export_names_the_absolute_path(
    demo_dir: Path, make_app: AppFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = make_app(demo_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        export_view(app, main_screen(app), "bibtex")
        await wait_for_workers(pilot)
        assert isinstance(app.screen, PromptScreen)
        await press(pilot, "enter")
        written = [n for n in notifications(app) if n.startswith("Exported")]
        assert written, notifications(app)
        path = written[-1].split(" to ", 1)[1]
        assert os.path.isabs(path) and Path(path).is_file() and Path(path).parent == tmp_path


async def test_undo_names_the_paper(demo_dir: Path, make_app: AppFactory) -> None:
    app = make_app(demo_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        screen = main_screen(app)
        title = screen.paper_list.rows[0].title
        await press(pilot, "s", "u")
        assert notice(screen).startswith("undone: starred — ")
        assert title[:30] in notice(screen)


async def test_status_line_clears_at_the_next_key_and_by_itself(
    demo_dir: Path, make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(main_module, "NOTICE_TIME", 0.2)
    app = make_app(demo_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        screen = main_screen(app)
        await press(pilot, "s")
        assert "starred" in notice(screen)
        await press(pilot, "j")
        assert notice(screen) == "", "the next key clears it"
        await press(pilot, "s")
        assert "starred" in notice(screen)
        await pilot.pause(0.5)
        assert notice(screen) == "", "and it goes by itself"
