"""``export -o FILE``: atomic, and never into the store directory (issue 11, point 7)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import store.atomic
from store.drafts import PaperDraft
from store.store import Store
from tui.cli import main


@pytest.fixture
def root(tmp_path: Path) -> Path:
    path = tmp_path / "store"
    with Store.open(path) as s:
        s.add_drafts([PaperDraft(title=f"Paper {i}: \"quoted\" [x]", arxiv_id=f"2402.{i:05d}") for i in range(5)], source="t")
    return path


def _export(root: Path, target: Path | str) -> int:
    return main(["--store", str(root), "export", "--format", "csv", "-o", str(target)])


@pytest.mark.parametrize("inside", ["papers.json", "state.json", "cache/rows.bin", "new.csv", "."])
def test_a_path_inside_the_store_is_refused(root: Path, inside: str, capsys: pytest.CaptureFixture[str]) -> None:
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    assert _export(root, root / inside) != 0
    assert "inside the store" in capsys.readouterr().err
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before


def test_a_symlink_into_the_store_is_refused(root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    link = tmp_path / "innocent.csv"
    link.symlink_to(root / "papers.json")
    before = (root / "papers.json").read_bytes()
    assert _export(root, link) != 0
    assert (root / "papers.json").read_bytes() == before


def test_export_replaces_the_file_atomically(root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out.csv"
    out.write_text("previous export\n")
    os.chmod(out, 0o640)
    inode = out.stat().st_ino

    def killed(src: object, dst: object) -> None:  # the process dies before the rename
        raise OSError(4, "Interrupted")

    with monkeypatch.context() as m:
        m.setattr(store.atomic.os, "replace", killed)
        assert _export(root, out) != 0
    assert out.read_text() == "previous export\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    assert _export(root, out) == 0
    assert out.read_text().startswith("id,title,")
    assert out.stat().st_ino != inode  # replaced by rename, not rewritten in place
    assert out.stat().st_mode & 0o777 == 0o640
