"""Generated stores of 1k / 10k / 100k papers, built once and reused across benchmark runs.

Building the 100k store takes a while (drafts, merge, one big TinyDB write,
then the search index), so each store is built once into a cache directory
(``/tmp/papertray-bench/<n>`` unless ``PAPERTRAY_BENCH_DIR`` says otherwise)
and reused while it is there. A store is built in ``<n>.building`` and renamed
when complete, so an interrupted build is never mistaken for a store.

Benchmarks never run on the cached store itself: triage writes ``state.json``
and the app saves its session on exit, which would change the next run.
`clone` makes a throwaway copy out of hard links instead. That is safe
because the store replaces files by rename (`store.atomic.atomic_write`) and
never writes one in place, and it keeps the inode, size and mtime that the
caches in ``cache/`` are checked against, so a clone starts warm.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CACHE_ROOT = Path(os.environ.get("PAPERTRAY_BENCH_DIR", "/tmp/papertray-bench"))
"""Where the generated stores are kept between runs."""
COMPLETE_MARK = ".bench-complete"
"""Written last: a store directory without it is rebuilt."""


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def ensure_store(n: int) -> Path:
    """The cached store of ``n`` generated papers, built when missing, its caches made current.

    Args:
        n: Number of papers (``tests.benchmarks.gen_store.make_drafts(n)``).

    Returns:
        The store directory; do not modify it, benchmark a `clone` of it.
    """
    path = CACHE_ROOT / str(n)
    if (path / COMPLETE_MARK).exists():
        warm(path)
        return path
    from store.store import Store
    from tests.benchmarks.gen_store import make_drafts

    building = CACHE_ROOT / f"{n}.building"
    shutil.rmtree(building, ignore_errors=True)
    shutil.rmtree(path, ignore_errors=True)
    building.parent.mkdir(parents=True, exist_ok=True)
    _say(f"[store {n:,}] not cached: building {path} (done once; 100k takes a few minutes)")
    start = time.perf_counter()
    drafts = make_drafts(n)
    _say(f"[store {n:,}] {len(drafts):,} drafts generated in {time.perf_counter() - start:.1f} s")
    step = time.perf_counter()
    with Store.open(building) as store:
        report = store.add_drafts(drafts, source="bench")
        _say(f"[store {n:,}] {report.new:,} papers written (papers.json + list cache) in {time.perf_counter() - step:.1f} s")
        step = time.perf_counter()
        store.search_index()
        _say(f"[store {n:,}] search index built and cached in {time.perf_counter() - step:.1f} s")
    del drafts
    (building / COMPLETE_MARK).write_text(f"{n}\n")
    building.rename(path)
    _say(f"[store {n:,}] ready in {time.perf_counter() - start:.1f} s")
    return path


def warm(path: Path) -> None:
    """Make the list cache and the search index in ``cache/`` current, in a child process.

    A cached store outlives code changes: when the list cache or the search
    index format changed since it was built, its caches are stale and every
    clone would rebuild them (tens of seconds at 100k, inside the
    measurements). Opening the store once rebuilds what is stale; a child
    process keeps the index out of the benchmark's own memory.
    """
    code = (
        "import sys, time\n"
        "from store.store import Store\n"
        "with Store.open(sys.argv[1]) as store:\n"
        "    start = time.perf_counter(); store.rows(); rows = time.perf_counter() - start\n"
        "    start = time.perf_counter(); store.search_index(); index = time.perf_counter() - start\n"
        "print(f'{rows:.2f} {index:.2f}')\n"
    )
    before = {name: _identity(path / "cache" / name) for name in ("rows.bin", "search.bin")}
    result = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, cwd=ROOT)
    if result.returncode != 0:
        raise RuntimeError(f"warming {path} failed:\n{result.stderr[-2000:]}")
    stale = [name for name, seen in before.items() if _identity(path / "cache" / name) != seen]
    if stale:
        rows, index = result.stdout.split()
        _say(f"[store {path.name}] stale cache rebuilt: {', '.join(stale)} (rows {rows} s, search index {index} s)")


def _identity(path: Path) -> tuple[int, int, int] | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def clone(source: Path, target: Path, *, caches: bool = True) -> Path:
    """A throwaway copy of a store made of hard links (instant, and the caches stay valid).

    Args:
        source: A store directory (from `ensure_store`).
        target: Where the copy goes; replaced when it exists.
        caches: False leaves out ``cache/``, for a cold first open.

    Returns:
        ``target``.
    """
    shutil.rmtree(target, ignore_errors=True)
    ignored = {".lock", "backups", COMPLETE_MARK} | (set() if caches else {"cache"})
    shutil.copytree(source, target, copy_function=os.link, ignore=lambda _dir, names: [n for n in names if n in ignored])
    return target


def disk_usage(path: Path) -> int:
    """Bytes on disk under ``path`` (``du``'s figure: blocks actually used)."""
    try:
        out = subprocess.run(["du", "-sk", str(path)], capture_output=True, text=True, check=True).stdout
        return int(out.split()[0]) * 1024
    except (OSError, subprocess.CalledProcessError, ValueError, IndexError):
        return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


if __name__ == "__main__":
    for size in [int(a) for a in sys.argv[1:]] or [1_000, 10_000, 100_000]:
        print(ensure_store(size))
