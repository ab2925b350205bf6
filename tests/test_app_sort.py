"""Sort by upvotes (issue 5) from the command palette, kept across a restart."""

from __future__ import annotations

from pathlib import Path

from tests.app_helpers import (
    SIZE,
    AppFactory,
    fill,
    main_screen,
    press,
    wait_for_workers,
)


def upvotes_shown(screen: object) -> list[int | None]:
    return [row.upvotes for row in screen.paper_list.rows]  # type: ignore[attr-defined]


async def test_palette_sorts_by_upvotes_and_back(demo_dir: Path, make_app: AppFactory) -> None:
    app = make_app(demo_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        screen = main_screen(app)
        by_date = [row.id for row in screen.paper_list.rows]
        assert upvotes_shown(screen) != sorted(upvotes_shown(screen), key=lambda v: -1 if v is None else v, reverse=True)
        await press(pilot, "ctrl+p")
        await fill(pilot, "Sort by upvotes")
        await pilot.pause(0.2)
        await press(pilot, "enter")
        await wait_for_workers(pilot)
        votes = upvotes_shown(screen)
        known = [v for v in votes if v is not None]
        assert known == sorted(known, reverse=True), "most upvoted first"
        assert votes[len(known):] == [None] * (len(votes) - len(known)), "unknown upvotes last"
        first = screen.paper_list.rows[0].id
    app.store.flush()
    app = make_app(demo_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        screen = main_screen(app)
        assert screen.paper_list.rows[0].id == first, "the order survives a restart"
        screen.sort_by("date")
        await wait_for_workers(pilot)
        assert [row.id for row in screen.paper_list.rows] == by_date
