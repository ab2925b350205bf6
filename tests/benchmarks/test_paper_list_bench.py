"""Speed of the paper list at 100 vs 100k rows, and what its strip cache buys.

Run on demand (the default addopts skip benchmarks)::

    .venv/bin/pytest tests/benchmarks/test_paper_list_bench.py -m benchmark -o addopts="" -s
"""

from __future__ import annotations

import statistics
import time

import pytest
from textual.app import App, ComposeResult

from store.model import Row
from tui.widgets.paper_list import STYLESHEET, PaperList

pytestmark = pytest.mark.benchmark


def _rows(count: int) -> list[Row]:
    return [
        Row(
            id=f"2611.{index:05d}",
            title=f"A study of scaling number {index} in large language models and diffusion transformers",
            date=f"2026-{1 + index % 12:02d}-{1 + index % 28:02d}",
            has_code=index % 2 == 0,
            upvotes=index % 500,
        )
        for index in range(count)
    ]


class Host(App[None]):
    CSS_PATH = STYLESHEET

    def compose(self) -> ComposeResult:
        yield PaperList()


def _ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


async def _presses(pilot, key: str, count: int) -> tuple[float, float]:
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(count):
        start, start_cpu = time.perf_counter(), time.process_time()
        await pilot.press(key)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return _ms(wall), _ms(cpu)


@pytest.mark.parametrize("count", [100, 100_000])
async def test_paper_list_speed(count: int) -> None:
    rows = _rows(count)
    index_of = {row.id: index for index, row in enumerate(rows)}
    app = Host()
    async with app.run_test(size=(80, 20)) as pilot:
        papers = app.query_one(PaperList)
        timings: dict[str, float] = {}

        samples = []
        for _ in range(20):
            start = time.perf_counter()
            papers.set_rows(rows)
            samples.append(time.perf_counter() - start)
        timings["set_rows"] = _ms(samples)
        reordered = rows[1:] + rows[:1]
        start = time.perf_counter()
        papers.set_rows(reordered, keep_id=rows[0].id)
        timings["set_rows keep_id (scan, worst case)"] = (time.perf_counter() - start) * 1000
        start = time.perf_counter()
        papers.set_rows(rows, keep_id=rows[-1].id, index_of=index_of)
        timings["set_rows keep_id (index_of)"] = (time.perf_counter() - start) * 1000

        papers.set_rows(rows)
        papers.cursor_index = 0
        await pilot.pause()
        # Within the screen: two lines repaint.
        wall, cpu = await _presses(pilot, "j", 15)
        timings["press j, no scroll: wall"], timings["press j, no scroll: cpu"] = wall, cpu
        # At the bottom edge every press scrolls: the whole screen repaints.
        wall, cpu = await _presses(pilot, "j", 50)
        timings["press j, scrolling: wall"], timings["press j, scrolling: cpu"] = wall, cpu
        wall, cpu = await _presses(pilot, "x", 20)  # unbound key: Pilot + App overhead only
        timings["press unbound key: wall"], timings["press unbound key: cpu"] = wall, cpu

        height = papers.scrollable_content_region.height
        for label, clear in (("render screen, cache warm", False), ("render screen, cache cold", True)):
            samples = []
            for _ in range(200):
                if clear:
                    papers.refresh_rows()
                start = time.perf_counter()
                for y in range(height):
                    papers.render_line(y)
                samples.append(time.perf_counter() - start)
            timings[label] = _ms(samples)

        print(f"\nPaperList with {count:,} rows (median ms)")
        for label, value in timings.items():
            print(f"  {label:<40} {value:8.3f}")
        assert timings["set_rows"] < 5
        assert timings["render screen, cache warm"] < timings["render screen, cache cold"]
