"""Speed of the search index at 1k / 10k / 100k synthetic papers, against a naive scan.

Run on demand (the default run skips benchmarks)::

    .venv/bin/pytest -n 0 tests/benchmarks/bench_search.py -m benchmark -s

or as a script: ``.venv/bin/python tests/benchmarks/bench_search.py [SIZES...]``.

Every figure is a median over several runs. Searches are *cold*: the
per-term cache is cleared before each one, so the figure is what a brand-new
query costs (live typing reuses the unchanged words and is cheaper; the
"keystrokes" line measures that). The baseline, measured in the same run on
the same papers, is the obvious linear scan: every query word as a substring
of a pre-lowercased ``title + authors + abstract``, with no typos, no
ranking and no accent folding. Targets: <= 33 ms at 10k and <= 100 ms at 100k
for the typical queries.
"""

from __future__ import annotations

import gc
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from store.query import Query
from store.search import SearchDoc, SearchIndex, parse_query
from tests.benchmarks.synth import make_docs

SIZES = (1_000, 10_000, 100_000)
RUNS = 7
TARGET_MS = {10_000: 33.0, 100_000: 100.0}

TYPICAL = [
    ("one word", "diffusion "),
    ("typo", "transfomer "),
    ("word + prefix typed", "graph neur"),
    ("typo + word + prefix", "reinforcment learning polic"),
    ("two words, one common", "sparse model "),
    ("author", "author:müller "),
]
OTHER = [
    ("phrase", '"question answering"'),
    ("word + filters", "attention has:code date:>=2024-03"),
    ("first letter typed", "m"),
    ("is:new only (callbacks)", "is:new"),
]
KEYSTROKES = "reinforcment learning polic"


def _median_ms(action: Callable[[], object], runs: int = RUNS) -> float:
    return _medians_ms(action, runs)[0]


def _medians_ms(action: Callable[[], object], runs: int = RUNS) -> tuple[float, float]:
    """Median wall time and median CPU time of ``action``, in ms.

    CPU time is what the target is checked against: other processes on a
    shared machine stretch wall time, not the work the search does.
    """
    walls, cpus = [], []
    for _ in range(runs):
        start, cpu = time.perf_counter(), time.process_time()
        action()
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - start)
    return statistics.median(walls) * 1000, statistics.median(cpus) * 1000


def _naive(docs: list[SearchDoc], haystacks: list[str]) -> Callable[[Query], list[str]]:
    def scan(query: Query) -> list[str]:
        words = [token for term in query.include for token in term.tokens]
        dates = [f for f in query.filters if f.kind == "date"]
        code = any(f.kind == "has" for f in query.filters)
        return [
            d.id
            for d, hay in zip(docs, haystacks, strict=False)
            if all(w in hay for w in words)
            and (not code or d.has_code)
            and all(f.accepts_date(d.date) for f in dates)
        ]

    return scan


def measure(n: int) -> dict[str, object]:
    """All figures for one corpus size."""
    docs = make_docs(n)
    haystacks = [f"{d.title}\n{d.authors}\n{d.abstract}".lower() for d in docs]
    scan = _naive(docs, haystacks)
    gc.collect()
    start, cpu = time.perf_counter(), time.process_time()
    index = SearchIndex.build(docs)
    build_s, build_cpu_s = time.perf_counter() - start, time.process_time() - cpu
    start = time.perf_counter()
    data = index.to_bytes()
    dump_s = time.perf_counter() - start
    load_ms = _median_ms(lambda: SearchIndex.from_bytes(data), runs=5)
    fresh = SearchIndex.from_bytes(data)
    start = time.perf_counter()
    fresh.search(parse_query('transfomer "language models"'), status_of=_status, queues_of=_queues)
    first_ms = (time.perf_counter() - start) * 1000
    fresh = SearchIndex.from_bytes(data)
    start = time.perf_counter()
    fresh.warm()
    warm_ms = (time.perf_counter() - start) * 1000

    rows = []
    for label, text in TYPICAL + OTHER:
        query = parse_query(text)

        def cold(query: Query = query) -> list[str]:
            index.clear_cache()
            return index.search(query, status_of=_status, queues_of=_queues)

        hits = len(cold())
        ms, cpu_ms = _medians_ms(cold)
        base_ms = _median_ms(lambda query=query: scan(query), runs=3 if n >= 100_000 else RUNS)
        rows.append((label, text, hits, ms, cpu_ms, base_ms, label in dict(TYPICAL)))

    index.clear_cache()
    strokes = []
    for end in range(1, len(KEYSTROKES) + 1):
        query = parse_query(KEYSTROKES[:end])
        start = time.perf_counter()
        index.search(query, status_of=_status, queues_of=_queues)
        strokes.append((time.perf_counter() - start) * 1000)
    return {
        "n": n,
        "rows": rows,
        "build_s": build_s,
        "build_cpu_s": build_cpu_s,
        "load_average": os.getloadavg()[0],
        "dump_s": dump_s,
        "bytes": len(data),
        "load_ms": load_ms,
        "first_ms": first_ms,
        "warm_ms": warm_ms,
        "strokes": strokes,
    }


def _status(_: str) -> str:
    return "new"


def _queues(_: str) -> frozenset[str]:
    return frozenset()


def report(result: dict[str, object]) -> str:
    n = result["n"]
    lines = [
        f"\n=== {n:,} papers (load average {result['load_average']:.1f} on {os.cpu_count()} CPUs) ===",
        f"build {result['build_s']:.2f} s ({result['build_cpu_s']:.2f} s CPU) | to_bytes {result['dump_s']:.2f} s | "
        f"{result['bytes'] / 1e6:.1f} MB | from_bytes {result['load_ms']:.1f} ms | "
        f"first search after load {result['first_ms']:.1f} ms (or warm() {result['warm_ms']:.1f} ms in the worker)",
        f"{'query':24} {'text':37} {'hits':>6} {'index ms':>9} {'(cpu)':>7} {'naive ms':>9} {'speed-up':>8}",
    ]
    for label, text, hits, ms, cpu_ms, base_ms, _typical in result["rows"]:  # type: ignore[attr-defined]
        lines.append(
            f"{label:24} {text!r:37} {hits:6d} {ms:9.2f} {cpu_ms:7.2f} {base_ms:9.2f} {base_ms / ms:7.1f}x"
        )
    typical = [ms for *_, ms, _c, _b, t in result["rows"] if t]  # type: ignore[attr-defined]
    typical_cpu = _typical_cpu(result)
    strokes = result["strokes"]
    lines.append(
        f"typical queries: median {statistics.median(typical):.2f} ms, worst {max(typical):.2f} ms"
        f" (CPU worst {max(typical_cpu):.2f} ms)"
        + (f"; target <= {TARGET_MS[n]:.0f} ms" if n in TARGET_MS else "")
    )
    lines.append(
        f"typing {KEYSTROKES!r} key by key (warm cache): "
        f"median {statistics.median(strokes):.2f} ms, worst {max(strokes):.2f} ms"  # type: ignore[arg-type]
    )
    return "\n".join(lines)


def _typical_cpu(result: dict[str, object]) -> list[float]:
    return [cpu for *_, cpu, _b, typical in result["rows"] if typical]  # type: ignore[attr-defined]


@pytest.mark.benchmark
@pytest.mark.parametrize("n", SIZES)
def test_search_speed(n: int) -> None:
    result = measure(n)
    print(report(result))
    typical_cpu = _typical_cpu(result)
    if n in TARGET_MS:
        assert max(typical_cpu) <= TARGET_MS[n], f"slowest typical query {max(typical_cpu):.1f} ms CPU at {n:,}"
    assert result["load_ms"] < result["build_s"] * 1000 / 10  # type: ignore[operator]


if __name__ == "__main__":
    for size in [int(a) for a in sys.argv[1:]] or SIZES:
        print(report(measure(size)), flush=True)
