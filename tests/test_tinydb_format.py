"""The store files are TinyDB's format: TinyDB's own API reads what papertray wrote.

The owner asked for a TinyDB store, and the README promises users they can
script it with TinyDB. This proves it end to end: a store is built through the
command line, then ``TinyDB(path, access_mode="r")`` and ``Query`` must find the
same papers, statuses and queues that ``papertray list --format jsonl`` prints.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tinydb import Query, TinyDB

from tests.conftest import FIXTURES
from tui.cli import main


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


@pytest.fixture
def store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A store with papers from both page layouts, two statuses and a queue."""
    root = tmp_path / "store"
    _cli(capsys, "--store", str(root), "import", str(FIXTURES / "page_blank.txt"), str(FIXTURES / "page_compact.txt"))
    ids = [json.loads(line)["id"] for line in _cli(capsys, "--store", str(root), "list", "--format", "jsonl").splitlines()]
    _cli(capsys, "--store", str(root), "mark", ids[0], ids[1], "starred")
    _cli(capsys, "--store", str(root), "mark", ids[2], "skipped")
    _cli(capsys, "--store", str(root), "queue", "add", "survey", ids[3], ids[0])
    return root


def test_tinydb_reads_what_papertray_lists(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    listed = {
        row["id"]: row
        for row in map(json.loads, _cli(capsys, "--store", str(store), "list", "--format", "jsonl").splitlines())
    }
    assert len(listed) == 9

    with TinyDB(store / "papers.json", access_mode="r") as papers_db:
        papers = {doc["id"]: doc for doc in papers_db.table("papers").all()}
        paper = Query()
        first = next(iter(listed))
        assert papers_db.table("papers").get(paper.id == first)["title"] == listed[first]["title"]
    assert set(papers) == set(listed)
    for pid, row in listed.items():
        assert papers[pid]["title"] == row["title"]
        assert papers[pid]["github"] == row["github"]

    with TinyDB(store / "state.json", access_mode="r") as state_db:
        statuses = {doc["id"]: doc["status"] for doc in state_db.table("status").all()}
        queues = {doc["name"]: doc["ids"] for doc in state_db.table("queues").all()}
        starred = {doc["id"] for doc in state_db.table("status").search(Query().status == "starred")}
    for pid, row in listed.items():
        assert statuses.get(pid, "new") == row["status"]
        for name in row["queues"]:
            assert pid in queues[name]
    assert starred == {pid for pid, row in listed.items() if row["status"] == "starred"}
    assert {pid for ids in queues.values() for pid in ids} == {pid for pid, row in listed.items() if row["queues"]}


def test_reading_with_tinydb_leaves_the_files_unchanged(store: Path) -> None:
    before = {name: (store / name).read_bytes() for name in ("papers.json", "state.json")}
    for name in before:
        with TinyDB(store / name, access_mode="r") as db:
            assert db.tables()
    assert {name: (store / name).read_bytes() for name in before} == before
