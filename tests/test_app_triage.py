"""Pilot tests of triage: r/s/x, the Inbox draining, undo (also across a restart),
n/N, A, views, the session restore and two copies of the app on one store."""

from __future__ import annotations

import time
from pathlib import Path

from textual.widgets import Input

from store.model import Status
from store.store import Store
from tests.app_helpers import (
    SIZE,
    AppFactory,
    StoreOpener,
    abstract_body,
    abstract_status,
    count_text,
    list_line,
    main_screen,
    notice,
    press,
    rendered,
    screen_text,
    view_label,
    wait_for_workers,
)
from tui.screens.confirm import ConfirmScreen
from tui.screens.main import MainScreen

TOTAL = 62


def on_disk(path: Path) -> dict[str, Status]:
    """Statuses as another process would read them now."""
    with Store.open(path, readonly=True) as other:
        return other.statuses()



async def test_r_s_x_toggle_in_the_all_view(demo_dir: Path, make_app: AppFactory) -> None:
    app = make_app(demo_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        screen = main_screen(app)
        await press(pilot, "3")
        pid = screen.paper_list.current_id
        assert pid is not None
        steps = [
            ("r", Status.READ, " ", "read"),
            ("r", Status.NEW, "●", "● new"),
            ("s", Status.STARRED, "★", "★ starred"),
            ("s", Status.READ, " ", "read"),
            ("x", Status.SKIPPED, "✗", "✗ skipped"),
            ("x", Status.NEW, "●", "● new"),
            ("s", Status.STARRED, "★", "★ starred"),
        ]
        for key, status, glyph, label in steps:
            await press(pilot, key)
            assert screen.store.status(pid) is status, key
            assert screen.paper_list.current_id == pid, "the All view keeps the paper"
            assert list_line(screen, 0).startswith(glyph), key
            assert abstract_status(screen) == label, key
            assert status.value in notice(screen) or (status is Status.NEW and "new" in notice(screen))
        assert screen.paper_list.row_count == TOTAL
        assert "2 Starred 1" in screen_text(app)
        assert "1 Inbox 61" in screen_text(app)
    screen.store.flush()
    assert on_disk(demo_dir) == {pid: Status.STARRED}


async def test_five_r_presses_clear_five_papers_from_the_inbox(demo_dir: Path, make_app: AppFactory) -> None:
    app = make_app(demo_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        screen = main_screen(app)
        first_six = [r.id for r in screen.paper_list.rows[:6]]
        await press(pilot, "r", "r", "r", "r", "r")
        assert [screen.store.status(pid) for pid in first_six] == [Status.READ] * 5 + [Status.NEW]
        assert screen.paper_list.row_count == TOTAL - 5
        assert screen.paper_list.cursor_index == 0
        assert screen.paper_list.current_id == first_six[5], "the cursor moved on to the next paper"
        assert abstract_body(screen).startswith(screen.paper_list.rows[0].title)
        assert "1 Inbox 57" in screen_text(app)
        assert count_text(screen) == "57"
        # Written within moments, without waiting for the app to close (kill -9 safe).
        deadline = time.monotonic() + 3
        while len(on_disk(demo_dir)) < 5 and time.monotonic() < deadline:
            await pilot.pause(0.05)
        assert on_disk(demo_dir) == {pid: Status.READ for pid in first_six[:5]}
        # s and x drop papers from the Inbox too; from the middle, the cursor lands on the next one.
        await press(pilot, "j", "j")
        nxt = screen.paper_list.rows[3].id
        await press(pilot, "s")
        assert screen.paper_list.current_id == nxt and screen.paper_list.cursor_index == 2
        await press(pilot, "x")
        assert screen.paper_list.row_count == TOTAL - 7
        # On the last row the cursor steps back to the new last row.
        await press(pilot, "G")
        before_last = screen.paper_list.rows[-2].id
        await press(pilot, "r")
        assert screen.paper_list.current_id == before_last
        assert screen.paper_list.cursor_index == TOTAL - 9


async def test_undo_several_levels(demo_dir: Path, make_app: AppFactory) -> None:
    app = make_app(demo_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        screen = main_screen(app)
        ids = [r.id for r in screen.paper_list.rows[:3]]
        await press(pilot, "r", "s", "x")
        assert [screen.store.status(p) for p in ids] == [Status.READ, Status.STARRED, Status.SKIPPED]
        assert screen.paper_list.row_count == TOTAL - 3
        await press(pilot, "u")
        assert screen.store.status(ids[2]) is Status.NEW
        assert "undone" in notice(screen)
        assert screen.paper_list.row_count == TOTAL - 2
        await press(pilot, "u", "u")
        assert [screen.store.status(p) for p in ids] == [Status.NEW] * 3
        assert screen.paper_list.row_count == TOTAL
        await press(pilot, "u")
        assert notice(screen) == "nothing to undo"
        assert screen.store.statuses() == {}


async def test_undo_across_a_restart(demo_dir: Path, make_app: AppFactory) -> None:
    with Store.open(demo_dir) as store:
        app = make_app(store)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for_workers(pilot)
            screen = main_screen(app)
            ids = [r.id for r in screen.paper_list.rows[:2]]
            await press(pilot, "r", "s")
    assert on_disk(demo_dir) == {ids[0]: Status.READ, ids[1]: Status.STARRED}
    with Store.open(demo_dir) as store:
        app = make_app(store)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for_workers(pilot)
            screen = main_screen(app)
            assert screen.paper_list.row_count == TOTAL - 2
            await press(pilot, "u")
            assert store.status(ids[1]) is Status.NEW
            await press(pilot, "u")
            assert store.status(ids[0]) is Status.NEW
            assert screen.paper_list.row_count == TOTAL
    assert on_disk(demo_dir) == {}


async def test_n_and_shift_n_jump_between_new_papers(demo_dir: Path, open_store: StoreOpener, make_app: AppFactory) -> None:
    store = open_store(demo_dir)
    rows = store.rows()
    store.set_status([rows[1].id, rows[2].id], Status.READ)
    store.set_status([rows[4].id], Status.STARRED)
    store.meta_set("session", {"view": "all"})
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        screen = main_screen(app)
        assert view_label(screen) == "All"
        assert screen.paper_list.cursor_index == 0
        await press(pilot, "n")
        assert screen.paper_list.cursor_index == 3
        await press(pilot, "n")
        assert screen.paper_list.cursor_index == 5
        assert abstract_body(screen).startswith(rows[5].title)
        await press(pilot, "N", "N")
        assert screen.paper_list.cursor_index == 0
        await press(pilot, "N")
        assert screen.paper_list.cursor_index == 0
        assert "no more new" in notice(screen)
        assert store.statuses() == {rows[1].id: Status.READ, rows[2].id: Status.READ, rows[4].id: Status.STARRED}


async def test_capital_a_asks_then_marks_the_whole_view_read(demo_dir: Path, make_app: AppFactory) -> None:
    app = make_app(demo_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        screen = main_screen(app)
        await press(pilot, "A")
        assert isinstance(app.screen, ConfirmScreen)
        assert "62" in rendered(app.screen.query_one("#confirm-question"))
        await press(pilot, "n")
        assert isinstance(app.screen, MainScreen)
        assert screen.store.statuses() == {}, "n cancels"
        # In a filtered view only the papers shown are marked.
        screen.filter_bar.query_one(Input).value = "has:code"
        await wait_for_workers(pilot)
        await press(pilot, "A")
        assert "21" in rendered(app.screen.query_one("#confirm-question"))
        await press(pilot, "y")
        assert len(screen.store.statuses()) == 21
        assert screen.paper_list.row_count == 0
        await press(pilot, "escape", "A", "enter")
        assert len(screen.store.statuses()) == TOTAL
        assert set(screen.store.statuses().values()) == {Status.READ}
        assert screen.paper_list.row_count == 0
        assert "Inbox zero" in screen_text(app)
        # One undo step takes the whole A back.
        await press(pilot, "u")
        assert len(screen.store.statuses()) == 21


async def test_number_keys_and_tab_switch_views(demo_dir: Path, open_store: StoreOpener, make_app: AppFactory) -> None:
    store = open_store(demo_dir)
    rows = store.rows()
    store.set_status([rows[0].id], Status.STARRED)
    store.set_status([rows[1].id, rows[2].id], Status.SKIPPED)
    store.queue_add("to-read", [rows[5].id, rows[3].id])
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        screen = main_screen(app)
        expected = {
            "2": ("Starred", [rows[0].id]),
            "4": ("Skipped", [rows[1].id, rows[2].id]),
            "3": ("All", [r.id for r in rows]),
            "5": ("to-read", [rows[5].id, rows[3].id]),
            "1": ("Inbox", [r.id for r in rows[3:]]),
        }
        for key, (label, ids) in expected.items():
            await press(pilot, key)
            assert screen.view.label == label, key
            assert view_label(screen).startswith(label)
            assert [r.id for r in screen.paper_list.rows] == ids, key
        assert "1 Inbox 59   2 Starred 1   3 All 62   4 Skipped 2   5 to-read 2" in screen_text(app)
        for key, label in (("tab", "Starred"), ("shift+tab", "Inbox"), ("shift+tab", "to-read"), ("tab", "Inbox")):
            await press(pilot, key)
            assert screen.view.label == label, "Tab and shift+Tab cycle, and wrap around"
        await press(pilot, "5", "9")
        assert screen.view.label == "to-read", "a number without a view does nothing"


async def test_restart_restores_view_filter_and_selected_paper(demo_dir: Path, make_app: AppFactory) -> None:
    with Store.open(demo_dir) as store:
        app = make_app(store)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for_workers(pilot)
            screen = main_screen(app)
            await press(pilot, "3", "slash")
            screen.filter_bar.query_one(Input).value = "has:code"
            await wait_for_workers(pilot)
            await press(pilot, "enter", "j", "j", "j")
            selected = screen.paper_list.current_id
            shown = [r.id for r in screen.paper_list.rows]
    with Store.open(demo_dir) as store:
        app = make_app(store)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for_workers(pilot)
            screen = main_screen(app)
            assert screen.view.key == "all"
            assert screen.filter_bar.query_one(Input).value == "has:code"
            assert [r.id for r in screen.paper_list.rows] == shown
            assert screen.paper_list.current_id == selected
            assert screen.paper_list.cursor_index == 3
            assert count_text(screen) == f"21 of {TOTAL}"
            assert app.focused is screen.paper_list


async def test_two_apps_on_one_store_lose_nothing(demo_dir: Path, make_app: AppFactory) -> None:
    """Safe shared writing: each copy merges its changes with the other's under the lock."""
    first, second = Store.open(demo_dir), Store.open(demo_dir)
    try:
        app_a, app_b = make_app(first), make_app(second)
        async with app_a.run_test(size=SIZE) as pilot_a, app_b.run_test(size=SIZE) as pilot_b:
            await wait_for_workers(pilot_a)
            await wait_for_workers(pilot_b)
            screen_a, screen_b = main_screen(app_a), main_screen(app_b)
            ids = [r.id for r in screen_a.paper_list.rows]
            await press(pilot_a, "r", "r", "s")  # A: papers 0, 1, 2
            await press(pilot_b, "G", "x", "a")  # B: the last paper, and the new last one queued
            await press(pilot_b, "3", "g", "j", "j", "j", "r")  # B: paper 3 read, from the All view
            first.flush()
            second.flush()
            # Each app polls the store once a second; wait for both to pick up the other's writes.
            deadline = time.monotonic() + 5
            # The store learns of the other's writes first; the screen redraws a moment later.
            while time.monotonic() < deadline and (
                len(first.statuses()) < 5 or len(second.statuses()) < 5 or screen_a.paper_list.row_count != TOTAL - 5
            ):
                await pilot_a.pause(0.1)
                await pilot_b.pause(0.1)
            await wait_for_workers(pilot_a)
            await wait_for_workers(pilot_b)
            expected = {
                ids[0]: Status.READ,
                ids[1]: Status.READ,
                ids[2]: Status.STARRED,
                ids[3]: Status.READ,
                ids[-1]: Status.SKIPPED,
            }
            assert first.statuses() == expected
            assert second.statuses() == expected
            assert first.queues() == second.queues() == {"to-read": [ids[-2]]}
            # Both screens show the union: A's Inbox lost B's papers too.
            assert screen_a.paper_list.row_count == TOTAL - 5
            assert screen_b.view.key == "all" and screen_b.paper_list.row_count == TOTAL
            assert list_line(screen_b, 2).startswith("★"), "B's list shows A's star"
            assert list_line(screen_b, 0).startswith(" ") and list_line(screen_b, 4).startswith("●")
            assert "1 Inbox 57" in screen_text(app_a)
            assert "5 to-read 1" in screen_text(app_a)
    finally:
        first.close()
        second.close()
    assert on_disk(demo_dir) == expected
