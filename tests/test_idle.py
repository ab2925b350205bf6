"""Idle costs nothing: the once-a-second store check is a ``stat``, not a worker thread."""

from __future__ import annotations

from pathlib import Path

from store.model import Status
from store.store import Store
from tests.app_helpers import SIZE, AppFactory, StoreOpener, main_screen, wait_for_workers


async def test_idle_poll_starts_no_worker_until_the_store_changes(demo_dir: Path, open_store: StoreOpener, make_app: AppFactory) -> None:
    store = open_store(demo_dir)
    polls: list[bool] = []
    real_poll = store.poll

    def counted() -> bool:
        changed = real_poll()
        polls.append(changed)
        return changed

    store.poll = counted  # type: ignore[method-assign]
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        screen = main_screen(app)
        workers_before = len(app.workers)
        for _ in range(5):
            screen._poll_if_changed()
        await wait_for_workers(pilot)
        assert polls == [], "nothing changed: no poll, no worker"
        assert len(app.workers) == workers_before
        # Another process triages a paper: the next check picks it up.
        pid = screen.paper_list.rows[-1].id
        with Store.open(demo_dir) as other:
            other.set_status([pid], Status.STARRED, label="starred")
        screen._poll_if_changed()
        await wait_for_workers(pilot)
        assert polls and polls[-1] is True
        assert store.status(pid) is Status.STARRED
