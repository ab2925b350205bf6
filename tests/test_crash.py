"""kill -9 at random moments: the store opens cleanly and nothing acknowledged is lost.

A helper process triages and queues through the store API as fast as a
very quick user, printing an acknowledgement (with a timestamp) after each
call returns. The test SIGKILLs it at a random moment, then checks that

* the store opens cleanly (no damaged or half-written file),
* every action acknowledged more than ``GRACE`` seconds before the kill is
  on disk (the store promises durability within a second),
* nothing the helper did not touch changed (nothing torn, nothing injected).

The same store is reused across kills, so later runs also check that what
earlier runs saved survives. Run the long variant with ``pytest -m slow
tests/test_crash.py -s``; ``-s`` shows the summary line.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from store.drafts import PaperDraft
from store.store import Store
from tests.conftest import ROOT

GRACE = 1.0
"""Seconds after which an acknowledged action must be on disk."""
PAPERS = 300
QUEUES = ("to-read", "later", "deep")
STATUSES = ("new", "read", "starred", "skipped")

HELPER = r"""
import json, random, sys, time
sys.path.insert(0, sys.argv[1])
from store.model import Status
from store.store import Store

store = Store.open(sys.argv[2], lock_wait=30)
rng = random.Random(int(sys.argv[3]))
run = sys.argv[4]
ids = [row.id for row in store.rows()]
queues = sys.argv[5].split(",")
say = sys.stdout.write
say("READY\n"); sys.stdout.flush()
i = 0
while True:
    i += 1
    pid = rng.choice(ids)
    name = rng.choice(queues)
    roll = rng.random()
    if roll < 0.45:
        status = rng.choice([Status.READ, Status.STARRED, Status.SKIPPED])
        key = ["s", pid]
        say(f"BEGIN {json.dumps(key)}\n"); sys.stdout.flush()
        value = store.toggle(pid, status).value
    elif roll < 0.60:
        status = rng.choice(list(Status))
        key = ["s", pid]
        say(f"BEGIN {json.dumps(key)}\n"); sys.stdout.flush()
        store.set_status([pid], status)
        value = status.value
    elif roll < 0.85:
        key = ["q", name, pid]
        say(f"BEGIN {json.dumps(key)}\n"); sys.stdout.flush()
        value = store.queue_toggle(name, pid)
    elif roll < 0.95:
        members = store.queues().get(name) or []
        if not members:
            continue
        pid = rng.choice(members)
        key = ["q", name, pid]
        say(f"BEGIN {json.dumps(key)}\n"); sys.stdout.flush()
        store.queue_move(name, pid, rng.randrange(len(members)))
        value = True
    else:
        key = ["m", f"note-{rng.randrange(5)}"]
        value = f"{run}-{i}"
        say(f"BEGIN {json.dumps(key)}\n"); sys.stdout.flush()
        store.meta_set(key[1], value)
    say(f"ACK {time.time():.6f} {json.dumps([key, value])}\n"); sys.stdout.flush()
    time.sleep(rng.random() * 0.004)
"""

Key = tuple[str, ...]


def snapshot(root: Path) -> dict[Key, object]:
    """Everything the helper can change, as key -> value (absent keys are new / not queued)."""
    with Store.open(root, lock_wait=30) as store:
        values: dict[Key, object] = {("s", pid): status.value for pid, status in store.statuses().items()}
        for name, ids in store.queues().items():
            for pid in ids:
                values[("q", name, pid)] = True
        for index in range(5):
            note = store.meta_get(f"note-{index}")
            if note is not None:
                values[("m", f"note-{index}")] = note
        return values


def default(key: Key) -> object:
    return {"s": "new", "q": False, "m": None}[key[0]]


@dataclass
class Tally:
    kills: int = 0
    acked: int = 0
    checked: int = 0
    lost: list[str] = field(default_factory=list)
    kills_before_ready: int = 0
    leftover_temps: int = 0


@dataclass
class Run:
    lines: list[str] = field(default_factory=list)
    ready: threading.Event = field(default_factory=threading.Event)


def read_lines(stream: object, run: Run) -> None:
    for line in stream:  # type: ignore[attr-defined]
        run.lines.append(line.rstrip("\n"))
        if line.startswith("READY"):
            run.ready.set()


def kill_once(root: Path, seed: int, rng: random.Random, before: dict[Key, object], tally: Tally) -> dict[Key, object]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HELPER, str(ROOT), str(root), str(seed), f"r{seed}", ",".join(QUEUES)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    run = Run()
    reader = threading.Thread(target=read_lines, args=(proc.stdout, run), daemon=True)
    reader.start()
    if rng.random() < 0.1:
        time.sleep(rng.uniform(0.0, 0.15))  # during start-up and Store.open
    else:
        assert run.ready.wait(30), "helper never became ready"
        time.sleep(rng.uniform(0.05, 1.8))
    if proc.poll() is not None:
        raise AssertionError(f"helper died on its own: {proc.stderr.read() if proc.stderr else ''}")
    killed_at = time.time()
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    reader.join(10)
    tally.kills += 1
    tally.kills_before_ready += not run.ready.is_set()

    after = snapshot(root)  # must open cleanly

    facts: dict[Key, list[tuple[float, object]]] = {}
    in_flight: Key | None = None
    for line in run.lines:
        if line.startswith("BEGIN "):
            in_flight = tuple(json.loads(line[6:]))
        elif line.startswith("ACK "):
            _, stamp, payload = line.split(" ", 2)
            key, value = json.loads(payload)
            facts.setdefault(tuple(key), []).append((float(stamp), value))
            in_flight = None
            tally.acked += 1
    for key in set(before) | set(after) | set(facts):
        now = after.get(key, default(key))
        if key == in_flight:
            continue  # the call under way when the kill came may or may not have landed
        history = facts.get(key, [])
        old = [i for i, (stamp, _) in enumerate(history) if stamp < killed_at - GRACE]
        if old:
            allowed = [value for _, value in history[old[-1]:]]
            tally.checked += 1
        else:
            allowed = [before.get(key, default(key)), *(value for _, value in history)]
        if now not in allowed:
            tally.lost.append(f"kill {tally.kills}: {key} is {now!r}, expected one of {allowed!r}")
    tally.leftover_temps = len(list(root.glob(".*.tmp")))
    return after


def kill_loop(root: Path, kills: int, seed: int) -> Tally:
    with Store.open(root) as store:
        store.add_drafts([PaperDraft(title=f"Crash Test Paper Number {i}", date="2025-01-01") for i in range(PAPERS)], source="crash")
    rng = random.Random(seed)
    tally = Tally()
    state = snapshot(root)
    for index in range(kills):
        state = kill_once(root, seed * 1000 + index, rng, state, tally)
    return tally


@pytest.mark.parametrize("kills", [pytest.param(20, id="20-kills"), pytest.param(200, marks=pytest.mark.slow, id="200-kills")])
def test_sigkill_loses_nothing_acknowledged(store_dir: Path, kills: int, record_property: pytest.RecordProperty) -> None:
    seed = int(os.environ.get("PAPERTRAY_CRASH_SEED", random.randrange(1_000_000)))
    tally = kill_loop(store_dir, kills, seed)
    summary = (
        f"crash (seed {seed}): {tally.kills} kills survived ({tally.kills_before_ready} during start-up), "
        f"{tally.acked} actions acknowledged, {tally.checked} checked as older than {GRACE:g} s, "
        f"{len(tally.lost)} lost"
    )
    print(f"\n{summary}")
    record_property("crash", summary)
    assert tally.lost == [], "\n".join(tally.lost[:20])
    assert tally.kills == kills
    assert tally.checked > 0, "no kill came late enough to check anything"
    assert tally.leftover_temps <= 1, "temp files of killed writers pile up"
    with Store.open(store_dir) as store:
        assert len(store.rows()) == PAPERS, "triage never touches the corpus"


def test_the_checker_notices_a_lost_action(store_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make writes vanish: the same loop must report losses (the test can fail)."""
    with Store.open(store_dir) as store:
        store.add_drafts([PaperDraft(title=f"Crash Test Paper Number {i}", date="2025-01-01") for i in range(PAPERS)], source="crash")
    rng = random.Random(7)
    tally = Tally()
    state = snapshot(store_dir)

    real_snapshot = snapshot

    def forgetful(root: Path) -> dict[Key, object]:
        return dict(state)  # pretend nothing the helper did reached the disk

    monkeypatch.setattr(sys.modules[__name__], "snapshot", forgetful)
    while tally.checked == 0 and tally.kills < 5:
        kill_once(store_dir, 4242 + tally.kills, _LateKills(rng), state, tally)
    monkeypatch.setattr(sys.modules[__name__], "snapshot", real_snapshot)
    assert tally.lost, "a store that drops writes must be caught"


class _LateKills(random.Random):
    """Always wait for start-up and kill late enough that acknowledged actions are checked."""

    def __init__(self, rng: random.Random) -> None:
        super().__init__(rng.random())

    def random(self) -> float:
        return 0.99

    def uniform(self, a: float, b: float) -> float:
        return 1.6
