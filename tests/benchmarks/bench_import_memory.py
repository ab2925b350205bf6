"""Import at scale: ``papertray import`` of ten 10k-paper page copies (100k papers), its rate and peak RSS.

Issue 13's goal: at most 500 MB of peak RSS (newsboat takes 565 MB for the
same papers; papertray took 1.89 GB when it built its caches in memory) at
no less than today's rate (about 9k papers/s on the 2-core machine). The
import runs in a child process, as a user runs it; its peak RSS is the
child's ``ru_maxrss``. The rate is asserted against the same floor as the
10k benchmark in `bench_store` (the machine is shared and noisy).

Run on demand::

    .venv/bin/pytest -p no:cacheprovider -n 0 -m benchmark tests/benchmarks/bench_import_memory.py -s
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.benchmarks.bench_store import IMPORT_TARGET
from tests.benchmarks.bench_stores import ROOT
from tests.benchmarks.gen_store import make_page_copy

FILES = 10
PER_FILE = 10_000
RSS_GOAL_MB = 500


@pytest.mark.benchmark
def test_import_100k_memory(tmp_path: Path) -> None:
    pages = []
    for seed in range(FILES):
        page = tmp_path / f"page{seed}.txt"
        page.write_text(make_page_copy(PER_FILE, seed), encoding="utf-8")
        pages.append(str(page))
    command = [sys.executable, "-m", "tui.cli", "--store", str(tmp_path / "store"), "import", "--year", "2025", *pages]
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    took = time.perf_counter() - start
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.count(f"{PER_FILE} papers (") == FILES
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    rate = FILES * PER_FILE / took
    print(f"\nimport of {FILES} × {PER_FILE:,} papers: {took:.1f} s ({rate:,.0f} papers/s), peak RSS {peak_mb:.0f} MB")
    assert peak_mb <= RSS_GOAL_MB
    assert rate >= IMPORT_TARGET
