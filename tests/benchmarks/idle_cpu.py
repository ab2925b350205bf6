"""CPU an idle reader costs: papertray and the bare Textual app, side by side in tmux.

Usage: ``python -m tests.benchmarks.idle_cpu [--papers 10000] [--seconds 60]``

Both run in their own tmux session (120×36) over the same minute, on the same
machine load; after start-up settles, the CPU time (utime + stime, from
/proc) each process uses over ``--seconds`` is printed, and their ratio. The
target (issue 10): papertray at most 2× the bare app.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from tests.benchmarks.bench_stores import clone, ensure_store
from tests.terminal_helpers import Tmux, cpu_seconds

ROOT = Path(__file__).resolve().parents[2]
FLOOR = ROOT.parent / "shared" / "bench" / "floor_app.py"


def _app_pid(tmux: Tmux) -> int:
    """The python process in the pane (the shell's child when the pane runs a shell)."""
    pid = tmux.pane_pid()
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return int(children[0]) if children else pid


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--root", type=Path, default=ROOT, help="the papertray checkout to run (compare with an older one)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="papertray-idle-"))
    store = clone(ensure_store(args.papers), work / "store")
    python = sys.executable
    apps = {
        "papertray": Tmux(f"cd {args.root} && exec {python} -m tui.cli --store {store}", size=(120, 36)),
        "bare": Tmux(f"exec {python} {FLOOR}", size=(120, 36)),
    }
    try:
        apps["papertray"].wait_for(r"Inbox")
        apps["bare"].wait_for("HELLO FLOOR")
        time.sleep(5)  # start-up work (index load, gc.freeze) done
        pids = {name: _app_pid(t) for name, t in apps.items()}
        start = {name: cpu_seconds(pid) for name, pid in pids.items()}
        time.sleep(args.seconds)
        used = {name: cpu_seconds(pid) - start[name] for name, pid in pids.items()}
        for name, seconds in used.items():
            print(f"{name}: {seconds:.2f} s CPU over {args.seconds:.0f} s idle")
        print(f"ratio papertray / bare: {used['papertray'] / max(used['bare'], 0.01):.2f}x")
    finally:
        for t in apps.values():
            t.close()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
