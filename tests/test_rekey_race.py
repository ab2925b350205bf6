"""A mark made while another process re-keys papers is never lost (issue 11, point 1).

Process B imports the arXiv ids of 1,000 page-copy papers (each is re-keyed
from its title id to its arXiv id); meanwhile this process marks papers by
their old ids, through the CLI's ``mark`` and through the Store API the app's
``r``/``s``/``x`` use. Every mark must end up on the paper.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from store.drafts import PaperDraft
from store.model import Status
from store.store import Store
from tests.hf_server import make_entry
from tui.cli import main

PAPERS = 1000
MARKS = 100


def _title(i: int) -> str:
    return f"Scaling $k$NN-LM retrieval, part {i}: a study"


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Path, Path, list[str]]:
    root = tmp_path / "store"
    with Store.open(root) as s:
        s.add_drafts([PaperDraft(title=_title(i), abstract="Words\nwrapped.", date="2026-11-20") for i in range(PAPERS)], source="page")
        by_title = {r.title: r.id for r in s.rows()}
    old_ids = [by_title[_title(i)] for i in range(PAPERS)]
    assert all(not pid[0].isdigit() for pid in old_ids)  # title ids, to be upgraded
    upgrade = tmp_path / "daily.json"
    upgrade.write_text(json.dumps([make_entry(f"2411.{i:05d}", _title(i)) for i in range(PAPERS)]))
    return root, upgrade, old_ids


def _start_import(root: Path, upgrade: Path) -> subprocess.Popen[bytes]:
    code = "import sys; from tui.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.Popen(
        [sys.executable, "-c", code, "--store", str(root), "import", str(upgrade)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _lost(root: Path, marked: list[str]) -> list[str]:
    with Store.open(root, readonly=True) as s:
        assert s.resolve(marked[0]) != marked[0], "the import did not re-key"
        return [pid for pid in marked if s.status(s.resolve(pid)) is not Status.STARRED]


@pytest.mark.parametrize("path", ["cli", "app"])
def test_no_mark_is_lost_while_an_import_rekeys(setup: tuple[Path, Path, list[str]], path: str, capsys: pytest.CaptureFixture[str]) -> None:
    root, upgrade, old_ids = setup
    marked: list[str] = []
    during = 0
    app = Store.open(root, lock_wait=60.0) if path == "app" else None
    child = _start_import(root, upgrade)
    try:
        # Mark at a steady pace from the start of the import to well past its end.
        while len(marked) < MARKS or child.poll() is None:
            pid = old_ids[len(marked)]
            running = child.poll() is None
            if app is None:
                assert main(["--store", str(root), "mark", pid, "starred"]) == 0
                assert "1 of 1" in capsys.readouterr().out
            else:
                assert app.set_status([pid], Status.STARRED) == 1
                app.poll()  # the app polls for other processes' writes
            marked.append(pid)
            during += running
            if len(marked) >= PAPERS:
                break
            time.sleep(0.01)
    finally:
        assert child.wait(timeout=120) == 0, child.stderr.read().decode() if child.stderr else ""
        if app is not None:
            app.close()
    lost = _lost(root, marked)
    print(f"{path}: {len(marked)} marks ({during} while the import ran), {len(lost)} lost")
    assert during > 0
    assert lost == []


@pytest.mark.parametrize("mark_lands", ["after the re-key", "before the re-key"])
def test_a_mark_on_an_old_id_follows_the_rekey_either_way(tmp_path: Path, mark_lands: str) -> None:
    """Deterministic form of the race: the mark's write lands after, or before, the importer's."""
    root = tmp_path / "store"
    with Store.open(root) as s:
        s.add_drafts([PaperDraft(title="Attention: all you need?")], source="page")
        old = s.rows()[0].id
    marker = Store.open(root)
    importer = Store.open(root)
    try:
        marker.set_status([old], Status.STARRED)  # resolved against the corpus before the import
        if mark_lands == "before the re-key":
            marker.flush()
        importer.add_drafts([PaperDraft(title="Attention: all you need?", arxiv_id="1706.03762")], source="api")
        marker.flush()
        marker.poll()
        assert marker.status("1706.03762") is Status.STARRED
    finally:
        marker.close()
        importer.close()
    with Store.open(root, readonly=True) as s:
        assert s.statuses() == {"1706.03762": Status.STARRED}
        assert s.status(old) is Status.STARRED
