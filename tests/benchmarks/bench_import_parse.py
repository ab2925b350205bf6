"""Speed of ``parse_page_copy`` on a synthetic 10,000-paper page copy.

Run on demand (the default run skips benchmarks)::

    .venv/bin/pytest -n 0 tests/benchmarks/bench_import_parse.py -m benchmark -s

or as a script: ``.venv/bin/python tests/benchmarks/bench_import_parse.py``.
The target is well above 7,000 papers/s on the 2-core reference machine.
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from store.importers.pagecopy import parse_page_copy
from tests.pagecopy_synth import make_page

PAPERS = 10_000
RUNS = 7
TARGET_PER_SECOND = 7_000


def measure(compact: bool = False, runs: int = RUNS) -> tuple[float, int]:
    """Median papers/second over ``runs`` parses, and the page size in bytes."""
    text = make_page(PAPERS, compact=compact)
    rates = []
    for _ in range(runs):
        start = time.perf_counter()
        drafts = parse_page_copy(text, source="bench", today=dt.date(2025, 6, 1))
        rates.append(len(drafts) / (time.perf_counter() - start))
        assert len(drafts) == PAPERS
    return statistics.median(rates), len(text.encode("utf-8"))


@pytest.mark.benchmark
@pytest.mark.parametrize("compact", [False, True], ids=["blank-lines", "compact"])
def test_parse_speed(compact: bool) -> None:
    rate, size = measure(compact)
    print(
        f"\nparse_page_copy {'compact' if compact else 'blank-lines'}: {PAPERS} papers, {size / 1e6:.1f} MB, "
        f"median {rate:,.0f} papers/s over {RUNS} runs"
    )
    assert rate > TARGET_PER_SECOND


if __name__ == "__main__":
    for layout in (False, True):
        rate, size = measure(layout)
        name = "compact" if layout else "blank-lines"
        print(f"{name:12} {PAPERS} papers, {size / 1e6:.1f} MB: median {rate:,.0f} papers/s")
