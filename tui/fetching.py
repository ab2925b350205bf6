"""``F`` in the reader: fetch in a worker, report progress, land papers in the Inbox."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.worker import get_current_worker

if TYPE_CHECKING:
    from tui.app import PapertrayApp


def run_fetch_worker(app: PapertrayApp) -> None:
    app.notify("Fetching Daily Papers…", timeout=3)
    app.run_worker(lambda: _fetch(app), thread=True, exclusive=True, group="fetch", exit_on_error=False, name="fetch")


def _fetch(app: PapertrayApp) -> None:
    from store.fetch import fetch_days, plan_days

    worker = get_current_worker()
    lines: list[str] = []
    failed = False

    def progress(line: str, ok: bool) -> None:
        nonlocal failed
        lines.append(line)
        failed = failed or not ok
        if not worker.is_cancelled:
            app.call_from_thread(app.notify, line, severity="information" if ok else "error", timeout=5)

    try:
        fetch_days(app.store, plan_days(app.store), on_day=progress)
    except Exception as exc:
        app.call_from_thread(app.notify, f"Fetch failed: {exc}", severity="error", timeout=8)
        return
    app.call_from_thread(_landed, app, len(lines), failed)


def _landed(app: PapertrayApp, days: int, failed: bool) -> None:
    from tui.screens.main import MainScreen
    from tui.screens.welcome import WelcomeScreen

    if isinstance(app.screen, WelcomeScreen) and not app.store.is_empty:
        app.switch_screen(MainScreen(app.store))
    elif isinstance(app.screen, MainScreen):
        app.screen.refresh_all()
    app.notify(f"Fetch finished: {days} days" + (" (some failed)" if failed else ""), timeout=5)
