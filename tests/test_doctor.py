"""``papertray doctor``: ok / missing / damaged / foreign, ``--repair`` from backups, never deleting.

Backups are made by hard-linking the previous file, once per process (here:
per `Store` session) and file, so the fixture writes in several sessions to
get a history: ``backups/NAME.1`` is the newest, up to ``KEEP``.
"""

from __future__ import annotations

import datetime as real_dt
import hashlib
import types
from pathlib import Path

import orjson
import pytest

import store.doctor
from store.backups import KEEP
from store.doctor import check_file, check_store, repair
from store.drafts import PaperDraft
from store.errors import DamagedFileError
from store.model import Status
from store.store import Store
from tui.cli import main

TITLES = ["Paper A", "Paper B", "Paper C", "Paper D"]


def session(root: Path, *, star: str, add: str | None = None) -> None:
    """One process's worth of writes: maybe an import, and one star."""
    with Store.open(root, lock_wait=2.0) as s:
        if add:
            s.add_drafts([PaperDraft(title=add, abstract=f"Abstract of {add}.", date="2026-03-01")], source=add)
        by_title = {r.title: r.id for r in s.rows()}
        s.set_status([by_title[star]], Status.STARRED)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """Three sessions: backups hold the first two states of state.json and the first papers.json."""
    path = tmp_path / "store"
    with Store.open(path) as s:
        s.add_drafts([PaperDraft(title=t, abstract=f"Abstract of {t}.", date="2026-02-01") for t in TITLES[:3]], source="one")
    session(path, star="Paper A")
    session(path, star="Paper B", add="Paper D")
    session(path, star="Paper C")
    return path


def tree(path: Path) -> dict[str, str]:
    return {str(p.relative_to(path)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(path.rglob("*")) if p.is_file()}


def starred(root: Path) -> set[str]:
    with Store.open(root, readonly=True) as s:
        titles = {r.id: r.title for r in s.rows()}
        return {titles[pid] for pid, status in s.statuses().items() if status is Status.STARRED}


def doctor(root: Path, capsys: pytest.CaptureFixture[str], *flags: str) -> tuple[int, list[str], str]:
    code = main(["--store", str(root), "doctor", *flags])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


DAMAGE = {
    "truncated": (lambda raw: raw[: len(raw) // 2], "damaged", "not valid JSON"),
    "empty": (lambda raw: b"", "damaged", "file is empty"),
    "binary": (lambda raw: bytes(range(256)), "damaged", "not valid JSON"),
    "zeros": (lambda raw: b"\0" * len(raw), "damaged", "not valid JSON"),
    "json-list": (lambda raw: b"[1, 2, 3]", "foreign", "not a TinyDB database"),
    "other-tinydb": (lambda raw: b'{"_default": {"1": {"name": "x"}}}', "foreign", "not a papertray"),
}


# --------------------------------------------------------------------------- checking


def test_backups_rotate_and_keep_the_last_three(root: Path) -> None:
    for star in ["Paper D", "Paper A", "Paper B"]:
        session(root, star=star)
    names = sorted(p.name for p in (root / "backups").iterdir())
    assert names == ["papers.json.1", *[f"state.json.{n}" for n in range(1, KEEP + 1)]]
    for n in range(1, KEEP + 1):
        assert check_file(root / "backups" / f"state.json.{n}", "state").verdict == "ok"
    # .1 is the newest: the state before the last session's write.
    newest = orjson.loads((root / "backups" / "state.json.1").read_bytes())
    current = orjson.loads((root / "state.json").read_bytes())
    assert len(newest["undo"]) == len(current["undo"]) - 1


def test_a_healthy_store_is_ok(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = tree(root)
    code, lines, err = doctor(root, capsys)
    assert (code, lines, err) == (0, ["papers.json: ok", "state.json: ok"], "")
    code, lines, err = doctor(root, capsys, "--repair")
    assert (code, lines, err) == (0, ["papers.json: ok", "state.json: ok"], "")
    assert tree(root) == before


def test_missing_files_are_reported_and_are_not_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "store"
    root.mkdir()
    assert doctor(root, capsys) == (0, ["papers.json: missing", "state.json: missing"], "")
    with Store.open(root) as s:
        s.meta_set("x", 1)
    assert doctor(root, capsys) == (0, ["papers.json: missing", "state.json: ok"], "")


def test_no_store_at_all(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, err = doctor(tmp_path / "nowhere", capsys)
    assert code == 1 and lines == [] and err == f"papertray: {tmp_path / 'nowhere'}: no store here\n"


@pytest.mark.parametrize("name", ["papers.json", "state.json"])
@pytest.mark.parametrize("damage", list(DAMAGE))
def test_damaged_and_foreign_files_are_named_and_left_alone(
    root: Path, capsys: pytest.CaptureFixture[str], name: str, damage: str
) -> None:
    spoil, verdict, reason = DAMAGE[damage]
    (root / name).write_bytes(spoil((root / name).read_bytes()))
    before = tree(root)

    code, lines, err = doctor(root, capsys)

    assert code == 1 and err == ""
    other = "state.json" if name == "papers.json" else "papers.json"
    assert f"{other}: ok" in lines
    (line,) = [ln for ln in lines if ln.startswith(f"{name}:")]
    assert line.startswith(f"{name}: {verdict} (") and reason in line, line
    with pytest.raises(DamagedFileError, match="papertray doctor"):
        Store.open(root)
    assert tree(root) == before  # checking writes nothing


def test_the_other_kind_of_store_file_is_foreign(root: Path) -> None:
    (root / "papers.json").write_bytes((root / "state.json").read_bytes())
    assert check_store(root)[0].verdict == "foreign"
    assert "not a papertray papers file" in check_store(root)[0].detail


# --------------------------------------------------------------------------- repairing


@pytest.mark.parametrize("name", ["papers.json", "state.json"])
@pytest.mark.parametrize("damage", ["truncated", "empty", "other-tinydb"])
def test_repair_restores_the_newest_good_backup_and_keeps_the_damaged_file(
    root: Path, capsys: pytest.CaptureFixture[str], name: str, damage: str
) -> None:
    spoil, _verdict, _ = DAMAGE[damage]
    damaged = spoil((root / name).read_bytes())
    (root / name).write_bytes(damaged)
    before = tree(root)
    backup = root / "backups" / f"{name}.1"

    code, lines, err = doctor(root, capsys, "--repair")

    assert code == 0 and err == ""
    (done,) = [ln for ln in lines if "restored" in ln]
    kept = [p for p in root.iterdir() if p.name.startswith(f"{name}.damaged-")]
    assert len(kept) == 1
    assert done == f"{name}: restored from backups/{name}.1; damaged file kept as {kept[0].name}"
    assert kept[0].read_bytes() == damaged  # the user's file, byte for byte
    assert (root / name).read_bytes() == backup.read_bytes()
    after = tree(root)
    assert {k: v for k, v in before.items() if k != name}.items() <= after.items()  # nothing else touched or lost
    assert doctor(root, capsys) == (0, ["papers.json: ok", "state.json: ok"], "")
    if name == "state.json":
        assert starred(root) == {"Paper A", "Paper B"}  # the state before the last session
    else:
        assert starred(root) == {"Paper A", "Paper B", "Paper C"}
        with Store.open(root, readonly=True) as s:
            assert sorted(r.title for r in s.rows()) == TITLES[:3]  # papers.json from before "Paper D"


def test_repair_skips_a_damaged_backup_for_an_older_good_one(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (root / "state.json").write_bytes(b"{")
    (root / "backups" / "state.json.1").write_bytes(b"")  # hard link: this also damages nothing else
    code, lines, _ = doctor(root, capsys, "--repair")
    assert code == 0
    assert any(ln.startswith("state.json: restored from backups/state.json.2;") for ln in lines), lines
    assert starred(root) == {"Paper A"}
    assert (root / "backups" / "state.json.1").read_bytes() == b""  # a bad backup is left too


def test_without_a_good_backup_nothing_is_touched(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for backup in (root / "backups").glob("state.json.*"):
        backup.write_bytes(b"not json")
    (root / "state.json").write_bytes(b'{"_papertray": ')
    before = tree(root)
    code, lines, err = doctor(root, capsys, "--repair")
    assert code == 1 and err == ""
    assert "state.json: damaged, and no good backup; left as it is" in lines
    assert tree(root) == before


def test_both_files_repaired_in_one_run(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (root / "papers.json").write_bytes(b"")
    (root / "state.json").write_bytes(b"[]")
    code, lines, _ = doctor(root, capsys, "--repair")
    assert code == 0
    assert [ln.split(":")[0] for ln in lines if "restored" in ln] == ["papers.json", "state.json"]
    assert len(list(root.glob("*.damaged-*"))) == 2


def test_two_repairs_in_the_same_second_keep_both_damaged_files(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    frozen = real_dt.datetime(2026, 3, 14, 9, 26, 53)
    fake = types.SimpleNamespace(datetime=types.SimpleNamespace(now=lambda: frozen))
    monkeypatch.setattr(store.doctor, "dt", fake)
    (root / "state.json").write_bytes(b"first damage")
    repair(root)
    (root / "state.json").write_bytes(b"second damage")
    (root / "backups" / "state.json.1").write_bytes((root / "backups" / "state.json.2").read_bytes())
    repair(root)
    kept = sorted(root.glob("state.json.damaged-*"))
    assert [p.name for p in kept] == ["state.json.damaged-20260314-092653", "state.json.damaged-20260314-092653-1"]
    assert sorted(p.read_bytes() for p in kept) == [b"first damage", b"second damage"]


def test_repair_on_a_read_only_store_stops_with_one_line(
    root: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno
    import os

    (root / "state.json").write_bytes(b"{")
    before = tree(root)

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(store.doctor, "atomic_write", refuse)
    monkeypatch.setattr(store.doctor.os, "link", refuse)
    monkeypatch.setattr(store.doctor.shutil, "copy2", refuse)
    code, _lines, err = doctor(root, capsys, "--repair")
    assert code == 1
    assert err == f"papertray: {root}: repair stopped (Read-only file system); run papertray doctor to see where things stand\n"
    assert tree(root) == before
