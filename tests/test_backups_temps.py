"""Backups rotate only after a changed, successful write; killed writers' temp files are swept (issue 11, points 6 and 8)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import store.atomic
import store.storage
from store.doctor import check_store, repair
from store.drafts import PaperDraft
from store.errors import StoreError
from store.model import Status
from store.store import Store
from store.temps import leftovers
from tui.cli import main


def _drafts(*titles: str) -> list[PaperDraft]:
    return [PaperDraft(title=t, abstract=f"Abstract of {t}, hard-wrapped\nat eighty columns.", date="2026-02-01") for t in titles]


def _session(root: Path, star: str) -> None:
    with Store.open(root, lock_wait=2.0) as s:
        by_title = {r.title: r.id for r in s.rows()}
        s.set_status([by_title[star]], Status.STARRED)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    path = tmp_path / "store"
    with Store.open(path) as s:
        s.add_drafts(_drafts("Alpha", "$k$NN-LM: Beta", "Gamma"), source="one")
    _session(path, "Alpha")
    _session(path, "Gamma")
    return path


def _inodes(directory: Path) -> set[int]:
    return {p.stat().st_ino for p in directory.iterdir()} if directory.exists() else set()


def _no_space(path: Path, data: bytes) -> None:
    raise OSError(28, "No space left on device")


def test_failed_writes_never_rotate_and_repair_finds_the_newest_good_copy(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good_state = (root / "state.json").read_bytes()
    before = sorted((p.name, p.read_bytes()) for p in (root / "backups").iterdir())
    with monkeypatch.context() as m:
        m.setattr(store.storage, "atomic_write", _no_space)
        for attempt in range(5):
            s = Store.open(root, lock_wait=2.0)
            try:
                s.set_status([s.rows()[0].id], Status.SKIPPED if attempt % 2 else Status.READ)
                with pytest.raises(StoreError):
                    s.flush()
            finally:
                s._pending.clear()  # the process gives up on its change
                s.close()
    assert sorted((p.name, p.read_bytes()) for p in (root / "backups").iterdir()) == before
    live = {(root / n).stat().st_ino for n in ("state.json", "papers.json")}
    assert not live & _inodes(root / "backups"), "a backup shares its inode with a live file"
    # Damage the live file in place (as a bad disk or an editor would): backups must not change with it.
    with open(root / "state.json", "r+b") as handle:
        handle.truncate(10)
    assert [c.verdict for c in check_store(root)] == ["ok", "damaged"]
    repair(root)
    assert (root / "state.json").read_bytes() != good_state  # the newest backup is the state before the last session...
    assert [c.verdict for c in check_store(root)] == ["ok", "ok"]
    with Store.open(root, readonly=True) as s:
        assert {s.get(pid).title for pid, st in s.statuses().items() if st is Status.STARRED} == {"Alpha"}


def test_no_op_reimport_keeps_older_distinct_backups(root: Path) -> None:
    with Store.open(root) as s:
        s.add_drafts(_drafts("Delta"), source="two")
    papers_backups = lambda: sorted((p.name, p.read_bytes()) for p in (root / "backups").glob("papers.json.*"))  # noqa: E731
    before = papers_backups()
    assert before, "the changed import kept the previous papers.json"
    for _ in range(4):
        with Store.open(root) as s:
            s.add_drafts(_drafts("Delta"), source="two")
    assert papers_backups() == before


def test_successful_changed_writes_rotate_and_never_share_an_inode(root: Path) -> None:
    for star in ["$k$NN-LM: Beta", "Alpha", "Gamma", "Alpha"]:
        with Store.open(root, lock_wait=2.0) as s:
            s.set_status([r.id for r in s.rows() if r.title == star], Status.SKIPPED)
            s.set_status([r.id for r in s.rows() if r.title == star], Status.STARRED)
    assert len(list((root / "backups").glob("state.json.*"))) == 3
    live = {(root / n).stat().st_ino for n in ("state.json", "papers.json")}
    assert not live & _inodes(root / "backups")
    assert not [p for p in (root / "backups").iterdir() if p.name.startswith(".")]


def _killed_writer_pid() -> int:
    """The pid of a process that has exited (a writer killed mid-write)."""
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True)
    return int(done.stdout)


def test_temp_files_of_dead_writers_are_reported_and_swept_on_open(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dead = _killed_writer_pid()
    (root / "cache").mkdir(exist_ok=True)
    stale = [
        root / f".papers.json.{dead}.ab12cd34.tmp",
        root / "cache" / f".rows.bin.{dead}.x_y9.tmp",
        root / "cache" / f".search.bin.{dead}.qq.tmp",
        root / "backups" / f".state.json.{dead}.0f0f.tmp",
    ]
    live = root / "cache" / f".records.jsonl.{os.getpid()}.live.tmp"  # a writer still running (us)
    for path in [*stale, live]:
        path.write_bytes(b"x" * 1000)
    assert main(["--store", str(root), "doctor"]) == 0
    out = capsys.readouterr().out
    for path in stale:
        assert str(path.relative_to(root)) in out
    assert live.name not in out
    assert set(leftovers(root)) == set(stale)
    with Store.open(root):
        pass
    assert not any(p.exists() for p in stale)
    assert live.exists()


def test_atomic_write_names_its_temp_after_the_writer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    real_replace = os.replace

    def spy(src: str, dst: object) -> None:
        seen.append(Path(src).name)
        real_replace(src, dst)

    monkeypatch.setattr(store.atomic.os, "replace", spy)
    store.atomic.atomic_write(tmp_path / "rows.bin", b"data")
    from store.temps import HOST

    assert seen and seen[0].startswith(f".rows.bin.h{HOST}.{os.getpid()}.") and seen[0].endswith(".tmp")


def test_another_machines_temp_files_go_by_age_not_by_pid(root: Path) -> None:
    """A store on a shared disk: a pid written on another host means nothing here."""
    from store.temps import HOST, temp_prefix

    dead = _killed_writer_pid()
    other = "0badc0de" if HOST != "0badc0de" else "0badc0df"
    (root / "cache").mkdir(exist_ok=True)
    ours = root / "cache" / f".rows.bin.h{HOST}.{dead}.ab.tmp"
    theirs_young = root / "cache" / f".rows.bin.h{other}.{dead}.cd.tmp"
    theirs_old = root / "cache" / f".records.jsonl.h{other}.{dead}.ef.tmp"
    for path in (ours, theirs_young, theirs_old):
        path.write_bytes(b"x")
    week_ago = time.time() - 7 * 86400
    os.utime(theirs_old, (week_ago, week_ago))
    assert set(leftovers(root)) == {ours, theirs_old}
    assert temp_prefix("papers.json") == f".papers.json.h{HOST}.{os.getpid()}."
