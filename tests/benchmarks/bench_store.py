"""Store speed at 100k papers: triage cost for the caller, durability delay, import rate, open time.

Run on demand (the default run skips benchmarks)::

    .venv/bin/pytest -n 0 -m benchmark tests/benchmarks/bench_store.py -s

or as a script: ``.venv/bin/python tests/benchmarks/bench_store.py``. It
builds a 100k-paper store from ``gen_store.make_drafts`` (about half a
minute), then prints one table: the median of each measurement, the
baseline measured in the same run, and their ratio.

* triage: ``Store.toggle`` as the caller pays it (the write happens on the
  writer thread), against a bare ``dict`` assignment and one ``fsync``'d
  100-byte append;
* durable: from ``toggle`` returning until ``state.json`` on disk was
  replaced (the writer's coalescing delay plus the write), and a
  synchronous ``flush()``, with 200 and with 20,000 statuses in the store;
* import: ``papertray import`` of a 10,000-paper page copy (read, parse,
  merge, write, caches) into an empty store, against reading and splitting
  the file;
* open: ``Store.open`` + ``rows()`` with the list cache and without it,
  against reading ``papers.json``'s bytes.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from store.atomic import identity
from store.model import Status
from store.store import Store
from tests.benchmarks.gen_store import make_drafts, make_page_copy
from tui.cli import main as cli_main

PAPERS = 100_000
TRIAGE_CALLS = 200
IMPORT_PAPERS = 10_000
IMPORT_TARGET = 7_000
TRIAGE_TARGET = 0.010


@dataclass
class Line:
    what: str
    median: float
    baseline_name: str
    baseline: float
    unit: str = "s"

    def cells(self) -> list[str]:
        ratio = self.median / self.baseline if self.baseline else float("inf")
        return [self.what, _fmt(self.median, self.unit), self.baseline_name, _fmt(self.baseline, self.unit), f"{ratio:.3g}x"]


def _fmt(value: float, unit: str) -> str:
    if unit == "/s":
        return f"{value:,.0f}/s"
    if value < 1e-3:
        return f"{value * 1e6:,.1f} µs"
    if value < 1:
        return f"{value * 1e3:,.2f} ms"
    return f"{value:,.2f} s"


def print_table(lines: list[Line]) -> None:
    header = ["measurement", "median", "baseline", "baseline median", "ratio"]
    rows = [header, *(line.cells() for line in lines)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    print()
    for index, row in enumerate(rows):
        cells = enumerate(zip(row, widths, strict=True))
        print("  ".join(cell.ljust(width) if i in (0, 2) else cell.rjust(width) for i, (cell, width) in cells))
        if index == 0:
            print("  ".join("-" * w for w in widths))


def timed(func: Callable[[], object]) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def median_of(func: Callable[[], object], runs: int) -> float:
    return statistics.median(timed(func) for _ in range(runs))


# -- the 100k store ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def big_store() -> Iterator[Path]:
    base = Path(tempfile.mkdtemp(prefix="papertray-bench-"))
    root = base / "store"
    started = time.perf_counter()
    drafts = make_drafts(PAPERS)
    with Store.open(root) as store:
        store.add_drafts(drafts, source="bench")
    del drafts
    print(f"\n100k store built in {time.perf_counter() - started:.1f} s: papers.json {os.path.getsize(root / 'papers.json') / 1e6:.0f} MB")
    try:
        yield root
    finally:
        shutil.rmtree(base, ignore_errors=True)


RESULTS: list[Line] = []


def baseline_dict(calls: int) -> float:
    target: dict[str, str] = {}
    samples = []
    for i in range(calls):
        key = f"k{i}"
        start = time.perf_counter()
        target[key] = "starred"
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def baseline_fsync_append(directory: Path, calls: int) -> float:
    path = directory / "append.log"
    samples = []
    with open(path, "ab") as handle:
        for _ in range(calls):
            start = time.perf_counter()
            handle.write(b"x" * 99 + b"\n")
            handle.flush()
            os.fsync(handle.fileno())
            samples.append(time.perf_counter() - start)
    path.unlink()
    return statistics.median(samples)


def wait_durable(path: Path, before: object, timeout: float = 10.0) -> float:
    """Seconds until ``path`` is replaced on disk (polled with stat)."""
    start = time.perf_counter()
    while identity(path) == before:
        if time.perf_counter() - start > timeout:
            raise AssertionError(f"{path} not written within {timeout} s")
        time.sleep(0.0005)
    return time.perf_counter() - start


@pytest.mark.benchmark
def test_triage_cost_and_durability(big_store: Path, tmp_path: Path) -> None:
    with Store.open(big_store) as store:
        rows = store.rows()
        assert len(rows) == PAPERS
        ids = [row.id for row in rows]
        samples = []
        for pid in ids[:TRIAGE_CALLS]:
            start = time.perf_counter()
            store.toggle(pid, Status.STARRED)
            samples.append(time.perf_counter() - start)
        triage = statistics.median(samples)
        worst = max(samples)
        p95 = sorted(samples)[int(len(samples) * 0.95)]
        store.flush()
        RESULTS.append(Line(f"toggle() at 100k, {TRIAGE_CALLS} calls", triage, "dict assignment", baseline_dict(TRIAGE_CALLS)))
        append = baseline_fsync_append(tmp_path, TRIAGE_CALLS)
        RESULTS.append(Line("toggle() at 100k (same)", triage, "fsync'd 100-byte append", append))
        print(f"\ntoggle: median {triage * 1e6:.1f} µs, p95 {p95 * 1e6:.1f} µs, max {worst * 1e3:.2f} ms")

        state = big_store / "state.json"
        for statuses in (TRIAGE_CALLS, 20_000):
            if statuses > TRIAGE_CALLS:
                for pid in ids[TRIAGE_CALLS:statuses]:
                    store.set_status([pid], Status.READ)
                store.flush()
            size = os.path.getsize(state)
            background = []
            for pid in ids[-30:]:
                before = identity(state)
                store.toggle(pid, Status.SKIPPED)
                background.append(wait_durable(state, before))
                time.sleep(0.1)
            sync = []
            for pid in ids[-60:-30]:
                store.toggle(pid, Status.SKIPPED)
                sync.append(timed(store.flush))
            label = f"{statuses:,} statuses, state.json {size / 1e3:,.0f} kB"
            RESULTS.append(Line(f"toggle -> on disk (writer), {label}", statistics.median(background), "fsync'd 100-byte append", append))
            RESULTS.append(Line(f"flush() now, {label}", statistics.median(sync), "fsync'd 100-byte append", append))
    assert p95 < TRIAGE_TARGET, f"triage p95 {p95 * 1e3:.2f} ms"
    assert statistics.median(background) < 1.0, "a change must be on disk well within a second"


@pytest.mark.benchmark
def test_import_rate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = make_page_copy(IMPORT_PAPERS)
    page = tmp_path / "page.txt"
    page.write_text(text, encoding="utf-8")

    def read_and_split() -> None:
        blocks = page.read_text(encoding="utf-8").split("\n\n")
        assert len(blocks) > IMPORT_PAPERS

    def cli_import(index: list[int] = [0]) -> None:  # noqa: B006 - a counter across calls
        index[0] += 1
        store = tmp_path / f"store{index[0]}"
        assert cli_main(["--store", str(store), "import", "--year", "2025", str(page)]) == 0

    cli_import()  # warm up imports and the parser's caches
    took = median_of(cli_import, 5)
    base = median_of(read_and_split, 5)
    output = capsys.readouterr().out
    assert f"{IMPORT_PAPERS} papers ({IMPORT_PAPERS} new, 0 already in store)" in output
    rate = IMPORT_PAPERS / took
    with capsys.disabled():
        what = f"papertray import, {IMPORT_PAPERS:,}-paper page copy"
        RESULTS.append(Line(what, rate, "read + split the file", IMPORT_PAPERS / base, unit="/s"))
        print(f"\nimport: {rate:,.0f} papers/s ({took:.2f} s for {IMPORT_PAPERS:,}; target {IMPORT_TARGET:,}/s)")
    assert rate >= IMPORT_TARGET


@pytest.mark.benchmark
def test_open_time(big_store: Path) -> None:
    def open_and_rows() -> None:
        with Store.open(big_store) as store:
            assert len(store.rows()) == PAPERS

    def cold() -> None:
        shutil.rmtree(big_store / "cache", ignore_errors=True)
        open_and_rows()

    open_and_rows()
    warm = median_of(open_and_rows, 5)
    cold_time = median_of(cold, 3)
    base = median_of(lambda: (big_store / "papers.json").read_bytes(), 5)
    RESULTS.append(Line("Store.open + rows() at 100k, warm cache", warm, "read papers.json bytes", base))
    RESULTS.append(Line("Store.open + rows() at 100k, no cache", cold_time, "read papers.json bytes", base))


@pytest.mark.benchmark
def test_print_table() -> None:
    """Last: the table of everything measured above."""
    assert RESULTS, "run the whole file"
    print_table(RESULTS)


if __name__ == "__main__":
    raise SystemExit(pytest.main([__file__, "-m", "benchmark", "-s", "-p", "no:randomly", "-q"]))
