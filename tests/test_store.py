"""The Store API: import and dedupe, triage, queues, undo, caches, damage, crashes, the lock, two writers."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from filelock import FileLock

import store.atomic as atomic_module
import store.storage as storage_module
from store.atomic import FileIdentity
from store.drafts import PaperDraft
from store.errors import DamagedFileError, LockedError, QueueError, StoreError, UnknownPaperError
from store.ids import title_id
from store.model import Status
from store.store import Store
from tests.conftest import ROOT

DAY1, DAY2, DAY3 = "2025-03-12", "2025-03-13", "2025-03-14"


def drafts(*titles: str, date: str | None = DAY1, **extra: object) -> list[PaperDraft]:
    return [PaperDraft(title=t, abstract=f"Abstract of {t}.", date=date, **extra) for t in titles]  # type: ignore[arg-type]


def tree(path: Path) -> dict[str, str]:
    """Every file under ``path`` with a hash of its bytes."""
    return {
        str(p.relative_to(path)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(path.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def store(store_dir: Path) -> Iterator[Store]:
    with Store.open(store_dir, lock_wait=2.0) as opened:
        yield opened


@pytest.fixture
def filled(store: Store) -> Store:
    """Five papers on two days: A B C on DAY1, D E on DAY2 (page order)."""
    store.add_drafts(drafts("Paper A", "Paper B", "Paper C"), source="day1.txt")
    store.add_drafts(drafts("Paper D", "Paper E", date=DAY2), source="day2.txt")
    return store


def ids(store: Store, *titles: str) -> list[str]:
    by_title = {r.title: r.id for r in store.rows()}
    return [by_title[t] for t in titles]


def reopen(store: Store) -> Store:
    store.close()
    return Store.open(store.root, lock_wait=2.0)


# -- import and dedupe -------------------------------------------------------------------


def test_importing_the_same_file_twice_is_idempotent(store: Store) -> None:
    first = store.add_drafts(drafts("Alpha", "Beta", "Gamma"), source="page.txt")
    papers_before = store.papers()
    second = store.add_drafts(drafts("Alpha", "Beta", "Gamma"), source="page.txt")
    assert (first.total, first.new, first.existing) == (3, 3, 0)
    assert (second.total, second.new, second.existing) == (3, 0, 3)
    assert second.line() == "page.txt: 3 papers (0 new, 3 already in store)"
    assert store.papers() == papers_before
    assert [p.sources for p in store.papers()] == [("page.txt",)] * 3


def test_same_title_spelled_differently_across_files_is_one_paper(store: Store) -> None:
    store.add_drafts(drafts("Feynman-Kac Correctors in Diffusion", date=DAY2), source="b.txt")
    report = store.add_drafts(drafts("feynman--kac   correctors IN diffusion", date=DAY1), source="a.txt")
    store.add_drafts(drafts("FEYNMAN – KAC correctors in diffusion!", date=DAY3), source="c.txt")
    assert (report.new, report.existing) == (0, 1)
    (paper,) = store.papers()
    assert paper.title == "Feynman-Kac Correctors in Diffusion"
    assert paper.date == DAY1, "the earliest date is kept"
    assert paper.sources == ("b.txt", "a.txt", "c.txt")
    assert len(store.rows()) == 1


def test_the_same_paper_twice_in_one_file_counts_once(store: Store) -> None:
    report = store.add_drafts(drafts("Twice", "twice", "Once"), source="dup.txt")
    assert (report.total, report.new, report.existing) == (2, 2, 0)


def test_reimport_fills_gaps_and_never_touches_reading_state(filled: Store) -> None:
    a, b = ids(filled, "Paper A", "Paper B")
    filled.set_status([a], Status.STARRED)
    filled.queue_add("later", [b])
    filled.flush()
    state_file = filled.root / "state.json"
    state_before = state_file.read_bytes()
    richer = [PaperDraft(title="paper a", abstract="Other text.", authors=("Ada", "Bo"), github=("https://github.com/o/r",), date=DAY3)]
    report = filled.add_drafts(richer + drafts("Paper B"), source="again.txt")
    assert (report.new, report.existing) == (0, 2)
    assert state_file.read_bytes() == state_before
    assert filled.status(a) is Status.STARRED
    assert filled.queue("later") == [b]
    paper = filled.require(a)
    assert paper.abstract == "Abstract of Paper A.", "a known abstract is kept"
    assert paper.authors == ("Ada", "Bo"), "missing authors are filled"
    assert paper.github == ("https://github.com/o/r",)
    assert paper.date == DAY1
    reopened = reopen(filled)
    assert reopened.status(a) is Status.STARRED
    reopened.close()


def test_upgrade_to_arxiv_id_keeps_state_and_the_old_id_resolves(filled: Store) -> None:
    old = ids(filled, "Paper C")[0]
    assert old == title_id("Paper C")
    filled.set_status([old], Status.STARRED)
    filled.queue_add("q", [ids(filled, "Paper A")[0], old])
    report = filled.add_drafts([PaperDraft(title="Paper C", arxiv_id="arXiv:2503.01234v2", authors=("Cy",))], source="api.json")
    assert (report.new, report.existing) == (0, 1)
    new = "2503.01234"
    assert new in {r.id for r in filled.rows()}
    assert old not in {r.id for r in filled.rows()}
    assert filled.status(new) is Status.STARRED
    assert filled.queue("q")[1] == new
    paper = filled.get(old)
    assert paper is not None and paper.id == new and old in paper.aliases
    assert filled.status(old) is Status.STARRED, "status() follows the alias"
    assert filled.toggle(old, Status.STARRED) is Status.READ, "toggle via the old id sees the star"
    assert filled.set_status([old], Status.SKIPPED) == 1
    assert filled.status(new) is Status.SKIPPED
    assert old not in filled.statuses()
    reopened = reopen(filled)
    assert reopened.status(new) is Status.SKIPPED
    assert reopened.require(old).id == new
    assert reopened.queue("q")[1] == new
    reopened.close()


def test_update_papers_upgrade_keeps_state(filled: Store) -> None:
    old = ids(filled, "Paper D")[0]
    filled.set_status([old], Status.READ)
    filled.update_papers({old: {"arxiv_id": "2401.00001", "authors": ("Dee",)}})
    assert filled.require(old).id == "2401.00001"
    assert filled.require("2401.00001").authors == ("Dee",)
    assert filled.status("2401.00001") is Status.READ


def test_rows_are_newest_day_first_then_page_order(filled: Store) -> None:
    assert [r.title for r in filled.rows()] == ["Paper D", "Paper E", "Paper A", "Paper B", "Paper C"]
    filled.add_drafts(drafts("Paper F", "Paper G", date=DAY1) + drafts("Paper H", date=DAY3), source="more.txt")
    expected = ["Paper H", "Paper D", "Paper E", "Paper A", "Paper B", "Paper C", "Paper F", "Paper G"]
    assert [r.title for r in filled.rows()] == expected
    assert [r.title for r in reopen(filled).rows()] == expected


def test_rows_carry_what_the_list_needs(store: Store) -> None:
    coded = PaperDraft(title="Coded", authors=("A", "B", "C", "D"), github=("https://github.com/a/b",), upvotes=7, date=DAY1)
    store.add_drafts([coded], source="s")
    (row,) = store.rows()
    assert (row.title, row.date, row.has_code, row.upvotes) == ("Coded", DAY1, True, 7)


# -- triage --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "key", "after"),
    [
        (Status.NEW, Status.STARRED, Status.STARRED),
        (Status.STARRED, Status.STARRED, Status.READ),
        (Status.NEW, Status.READ, Status.READ),
        (Status.READ, Status.READ, Status.NEW),
        (Status.NEW, Status.SKIPPED, Status.SKIPPED),
        (Status.SKIPPED, Status.SKIPPED, Status.NEW),
        (Status.SKIPPED, Status.STARRED, Status.STARRED),
        (Status.STARRED, Status.SKIPPED, Status.SKIPPED),
        (Status.READ, Status.STARRED, Status.STARRED),
    ],
)
def test_toggle(filled: Store, start: Status, key: Status, after: Status) -> None:
    pid = ids(filled, "Paper A")[0]
    filled.set_status([pid], start)
    assert filled.toggle(pid, key) is after
    assert filled.status(pid) is after
    assert reopen(filled).status(pid) is after


def test_set_status_counts_changes_and_is_one_undo_step(filled: Store) -> None:
    a, b, c = ids(filled, "Paper A", "Paper B", "Paper C")
    filled.set_status([a], Status.READ)
    assert filled.set_status([a, b, c], Status.READ) == 2
    assert filled.set_status([a, b, c], Status.READ) == 0
    assert filled.undo_label() == "read: 2 papers"
    filled.undo()
    assert [filled.status(p) for p in (a, b, c)] == [Status.READ, Status.NEW, Status.NEW]


def test_set_status_on_an_unknown_id_names_it(filled: Store) -> None:
    with pytest.raises(UnknownPaperError, match="no-such-paper"):
        filled.require("no-such-paper")


def test_statuses_and_counts(filled: Store) -> None:
    a, b, c, d = ids(filled, "Paper A", "Paper B", "Paper C", "Paper D")
    filled.set_status([a, b], Status.STARRED)
    filled.set_status([c], Status.SKIPPED)
    filled.set_status([d], Status.READ)
    filled.set_status([d], Status.NEW)
    assert filled.statuses() == {a: Status.STARRED, b: Status.STARRED, c: Status.SKIPPED}
    counts = filled.status_counts()
    assert counts[Status.STARRED] == 2 and counts[Status.SKIPPED] == 1 and counts[Status.READ] == 0
    assert reopen(filled).statuses() == {a: Status.STARRED, b: Status.STARRED, c: Status.SKIPPED}


def test_undo_several_levels_across_close_and_reopen(filled: Store) -> None:
    a, b = ids(filled, "Paper A", "Paper B")
    filled.toggle(a, Status.STARRED)
    filled.toggle(b, Status.SKIPPED)
    filled.queue_add("q", [a, b])
    filled.queue_move("q", b, 0)
    reopened = reopen(filled)
    assert reopened.undo_label() == "moved in q"
    assert reopened.undo() == "moved in q"
    assert reopened.queue("q") == [a, b]
    reopened = reopen(reopened)
    assert reopened.undo() == "queued in q"
    assert "q" not in reopened.queues()
    assert reopened.undo() == "skipped"
    assert reopened.status(b) is Status.NEW
    reopened = reopen(reopened)
    assert reopened.undo() == "starred"
    assert reopened.status(a) is Status.NEW
    assert reopened.undo() is None
    reopened = reopen(reopened)
    assert reopened.statuses() == {} and reopened.queues() == {}
    reopened.close()


# -- queues --------------------------------------------------------------------------------


def test_queue_add_remove_move(filled: Store) -> None:
    a, b, c, d = ids(filled, "Paper A", "Paper B", "Paper C", "Paper D")
    assert filled.queue_add("to-read", [a, b, a]) == 2
    assert filled.queue_add("to-read", [b, c]) == 1
    assert filled.queue("to-read") == [a, b, c]
    assert filled.queues_of(b) == ["to-read"]
    assert filled.queue_move("to-read", c, 0) == 0
    assert filled.queue_move("to-read", a, 99) == 2
    assert filled.queue("to-read") == [c, b, a]
    assert filled.queue_remove("to-read", [b, d]) == 1
    assert filled.queue("to-read") == [c, a]
    assert filled.queued_ids() == frozenset({a, c})
    assert filled.queue_toggle("to-read", a) is False
    assert filled.queue_toggle("to-read", d) is True
    assert reopen(filled).queue("to-read") == [c, d]


def test_queue_errors(filled: Store) -> None:
    a = ids(filled, "Paper A")[0]
    with pytest.raises(UnknownPaperError):
        filled.queue_add("q", ["nope"])
    assert "q" not in filled.queues(), "a refused add creates nothing"
    with pytest.raises(QueueError, match="no queue named"):
        filled.queue("missing")
    filled.queue_add("q", [a])
    with pytest.raises(QueueError, match="not in queue"):
        filled.queue_move("q", ids(filled, "Paper B")[0], 0)
    with pytest.raises(QueueError):
        filled.queue_add("bad name", [a])
    filled.queue_create("other")
    with pytest.raises(QueueError, match="exists already"):
        filled.queue_rename("q", "other")


def test_queue_rename_drop_done_and_undo(filled: Store) -> None:
    a, b = ids(filled, "Paper A", "Paper B")
    filled.queue_add("q", [a, b])
    filled.set_status([b], Status.STARRED)
    filled.queue_rename("q", "reading")
    assert list(filled.queues()) == ["reading"]
    filled.queue_done("reading", a)
    filled.queue_done("reading", b)
    assert filled.queue("reading") == []
    assert filled.status(a) is Status.READ
    assert filled.status(b) is Status.STARRED, "done keeps a star"
    filled.queue_drop("reading")
    assert filled.queues() == {}
    filled = reopen(filled)
    assert filled.undo() == "deleted queue reading"
    assert filled.queue("reading") == []
    assert filled.undo() == "done in reading"
    assert filled.queue("reading") == [b]
    assert filled.undo() == "done in reading"
    assert filled.queue("reading") == [a, b]
    assert filled.status(a) is Status.NEW
    assert filled.undo() == "renamed q to reading"
    assert filled.queues() == {"q": [a, b]}
    filled.close()


def test_meta_persists(store: Store) -> None:
    store.meta_set("session", {"view": "starred", "cursor": 3})
    assert store.meta_get("session") == {"view": "starred", "cursor": 3}
    assert store.meta_get("missing", "fallback") == "fallback"
    assert reopen(store).meta_get("session") == {"view": "starred", "cursor": 3}


def test_listeners_and_version(filled: Store) -> None:
    calls: list[int] = []
    filled.subscribe(lambda: calls.append(filled.version))
    before = filled.version
    filled.toggle(ids(filled, "Paper A")[0], Status.READ)
    assert filled.version > before and calls


# -- opening -------------------------------------------------------------------------------


def test_open_on_a_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "papers.txt"
    target.write_text("not a store")
    with pytest.raises(StoreError, match="not a directory"):
        Store.open(target)
    assert target.read_text() == "not a store"


def test_open_without_create(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store"):
        Store.open(tmp_path / "absent", create=False)
    assert not (tmp_path / "absent").exists()


def test_read_only_store_refuses_writes(filled: Store) -> None:
    filled.close()
    ro = Store.open(filled.root, readonly=True)
    pid = ids(ro, "Paper A")[0]
    with pytest.raises(StoreError, match="read-only"):
        ro.set_status([pid], Status.READ)
    with pytest.raises(StoreError, match="read-only"):
        ro.add_drafts(drafts("X"), source="x")
    ro.close()


# -- caches --------------------------------------------------------------------------------


@pytest.mark.parametrize("damage", ["delete", "garbage", "truncate", "wrong-format"])
def test_a_missing_or_bad_rows_cache_is_rebuilt(filled: Store, damage: str) -> None:
    expected = filled.rows()
    filled.close()
    cache = filled.root / "cache" / "rows.bin"
    assert cache.exists()
    if damage == "delete":
        cache.unlink()
    elif damage == "garbage":
        cache.write_bytes(b"\x00\xffnot json")
    elif damage == "truncate":
        cache.write_bytes(cache.read_bytes()[:40])
    else:
        cache.write_bytes(b'{"format": 1, "ids": []}')
    with Store.open(filled.root) as again:
        assert again.rows() == expected
        assert again.require(expected[0].id).title == expected[0].title
    with Store.open(filled.root) as third:
        assert third.rows() == expected


def test_abstracts_are_not_read_through_offsets_of_an_older_corpus(filled: Store) -> None:
    """get() seeks into records.jsonl; after another writer rewrote it, old offsets point elsewhere."""
    every = [r.id for r in filled.rows()]
    filled.close()
    first = Store.open(filled.root)
    first.rows()
    other = Store.open(filled.root)
    other.add_drafts(drafts("A New First Paper With A Long Title", date=DAY3), source="z")
    other.close()
    for pid in every:
        paper = first.require(pid)
        assert paper.id == pid and paper.abstract == f"Abstract of {paper.title}."
    first.close()


def test_rows_follow_another_writer_after_poll(filled: Store) -> None:
    filled.close()
    first = Store.open(filled.root)
    before = [r.title for r in first.rows()]
    second = Store.open(filled.root)
    second.add_drafts(drafts("Paper Z", date=DAY3), source="z.txt")
    second.close()
    assert first.poll() is True
    assert [r.title for r in first.rows()] == ["Paper Z", *before]
    assert first.require(title_id("Paper Z")).title == "Paper Z"
    assert first.poll() is False
    first.close()


def test_state_follows_another_writer_after_poll(filled: Store) -> None:
    filled.close()
    first = Store.open(filled.root)
    second = Store.open(filled.root)
    pid = ids(second, "Paper A")[0]
    second.set_status([pid], Status.STARRED)
    second.close()
    assert first.poll() is True
    assert first.status(pid) is Status.STARRED
    first.close()


# -- damaged and foreign files -------------------------------------------------------------

DAMAGE = {
    "garbage": b"\x89PNG\r\n\x1a\n\x00\x00 not json at all",
    "empty": b"",
    "whitespace": b"   \n",
    "truncated": b'{"_papertray": {"1": {"kind": "papers", "format": 1}}, "papers": {"1": {"id": "x", "ti',
    "foreign-tinydb": b'{"users": {"1": {"name": "ada", "email": "ada@example.com"}}}',
    "json-list": b"[1, 2]",
    "json-scalar": b"42",
    "other-kind": b'{"_papertray": {"1": {"kind": "elsewhere", "format": 1}}}',
}


@pytest.mark.parametrize("name", ["papers.json", "state.json"])
@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_store_file_stops_open_and_is_kept(filled: Store, name: str, damage: str) -> None:
    pid = ids(filled, "Paper A")[0]
    filled.set_status([pid], Status.STARRED)
    filled.close()
    target = filled.root / name
    target.write_bytes(DAMAGE[damage])
    before = tree(filled.root)
    with pytest.raises(DamagedFileError) as caught:
        Store.open(filled.root)
    message = str(caught.value)
    assert str(target) in message
    assert "\n" not in message
    assert target.read_bytes() == DAMAGE[damage]
    assert tree(filled.root) == before


def test_a_state_file_damaged_while_open_is_not_overwritten(filled: Store) -> None:
    pid = ids(filled, "Paper A")[0]
    filled.set_status([pid], Status.READ)
    filled.flush()
    target = filled.root / "state.json"
    target.write_bytes(DAMAGE["foreign-tinydb"])
    filled.set_status([pid], Status.STARRED)
    with pytest.raises(DamagedFileError, match=r"state\.json"):
        filled.flush()
    assert target.read_bytes() == DAMAGE["foreign-tinydb"]
    assert filled.status(pid) is Status.STARRED, "the change is still held in memory"
    target.unlink()
    filled.flush()
    assert reopen(filled).status(pid) is Status.STARRED


def test_a_papers_file_damaged_while_open_stops_an_import(filled: Store) -> None:
    target = filled.root / "papers.json"
    target.write_bytes(DAMAGE["truncated"])
    with pytest.raises(DamagedFileError, match=r"papers\.json"):
        filled.add_drafts(drafts("New one"), source="n")
    assert target.read_bytes() == DAMAGE["truncated"]


# -- a crash in the middle of a write --------------------------------------------------------


class Crash(OSError):
    pass


def temp_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*.tmp")]


@pytest.mark.parametrize("where", ["replace", "fsync", "write"])
def test_a_failed_state_write_keeps_the_previous_state(filled: Store, monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    a, b = ids(filled, "Paper A", "Paper B")
    filled.set_status([a], Status.STARRED)
    filled.flush()
    good = (filled.root / "state.json").read_bytes()
    if where == "replace":
        monkeypatch.setattr(atomic_module.os, "replace", lambda *args: (_ for _ in ()).throw(Crash(28, "No space left on device")))
    elif where == "fsync":
        monkeypatch.setattr(atomic_module.os, "fsync", lambda fd: (_ for _ in ()).throw(Crash(5, "Input/output error")))
    else:
        real_fdopen = os.fdopen

        def half_written(fd: int, mode: str = "r", *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
            handle = real_fdopen(fd, mode, *args, **kwargs)  # type: ignore[call-overload]
            real_write = handle.write

            def write(data: bytes) -> int:
                real_write(data[: len(data) // 2])
                raise Crash(28, "No space left on device")

            handle.write = write
            return handle

        monkeypatch.setattr(atomic_module.os, "fdopen", half_written)
    filled.set_status([b], Status.SKIPPED)
    with pytest.raises(StoreError, match=r"state\.json"):
        filled.flush()
    assert (filled.root / "state.json").read_bytes() == good
    assert temp_files(filled.root) == []
    with Store.open(filled.root) as other:
        assert other.status(a) is Status.STARRED
        assert other.status(b) is Status.NEW
    monkeypatch.undo()
    filled.flush()
    assert reopen(filled).status(b) is Status.SKIPPED


def test_a_failed_import_write_keeps_the_previous_corpus(filled: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    before = tree(filled.root)
    rows = filled.rows()
    monkeypatch.setattr(atomic_module.os, "replace", lambda *args: (_ for _ in ()).throw(Crash(28, "No space left on device")))
    with pytest.raises(StoreError, match=r"papers\.json: cannot write \(No space left on device\); nothing imported"):
        filled.add_drafts(drafts("Paper Q"), source="q")
    assert filled.rows() == rows, "memory does not run ahead of the file"
    monkeypatch.undo()
    with Store.open(filled.root) as other:
        assert other.rows() == rows
    assert temp_files(filled.root) == []
    assert {k: v for k, v in tree(filled.root).items() if not k.startswith("backups")} == {
        k: v for k, v in before.items() if not k.startswith("backups")
    }


HARD_DEATH = """
import os, sys
sys.path.insert(0, {root!r})
import store.atomic as atomic_module
from store.store import Store
from store.model import Status
real_replace = os.replace
def die(src, dst):
    # the new file is complete and fsynced, but the process dies before the rename
    os._exit(9)
atomic_module.os.replace = die
s = Store.open({path!r})
s.set_status([{pid!r}], Status.SKIPPED)
s.flush()
"""


def test_a_process_dying_mid_write_leaves_the_old_file_and_a_harmless_temp(filled: Store) -> None:
    a, b = ids(filled, "Paper A", "Paper B")
    filled.set_status([a], Status.STARRED)
    filled.close()
    good = (filled.root / "state.json").read_bytes()
    script = HARD_DEATH.format(root=str(ROOT), path=str(filled.root), pid=b)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60)
    assert result.returncode == 9, result.stderr.decode()
    assert (filled.root / "state.json").read_bytes() == good
    with Store.open(filled.root) as after:
        assert after.status(a) is Status.STARRED
        assert after.status(b) is Status.NEW
        after.set_status([b], Status.READ)
    with Store.open(filled.root) as again:
        assert again.status(b) is Status.READ
    assert temp_files(filled.root) == [], "a later writer sweeps the dead process's temp file"


# -- the lock ------------------------------------------------------------------------------


def test_a_writer_gives_up_on_a_held_lock_with_a_clear_message(filled: Store) -> None:
    filled.close()
    s = Store.open(filled.root, lock_wait=0.3)
    pid = ids(s, "Paper A")[0]
    holder = FileLock(str(filled.root / ".lock"))
    holder.acquire()
    try:
        s.set_status([pid], Status.STARRED)
        started = time.monotonic()
        with pytest.raises(LockedError) as caught:
            s.flush()
        assert 0.25 <= time.monotonic() - started < 3
        message = str(caught.value)
        assert str(filled.root) in message and "lock" in message and "\n" not in message
        with pytest.raises(LockedError):
            s.add_drafts(drafts("Blocked"), source="b")
        assert s.status(pid) is Status.STARRED, "kept in memory"
    finally:
        holder.release()
    s.close()
    with Store.open(filled.root) as after:
        assert after.status(pid) is Status.STARRED
        assert "Blocked" not in {r.title for r in after.rows()}


def test_the_background_writer_reports_a_held_lock_then_catches_up(filled: Store) -> None:
    filled.close()
    s = Store.open(filled.root, lock_wait=0.1)
    pid = ids(s, "Paper B")[0]
    holder = FileLock(str(filled.root / ".lock"))
    holder.acquire()
    try:
        s.toggle(pid, Status.SKIPPED)
        deadline = time.monotonic() + 5
        while s.write_error is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert s.write_error is not None and "lock" in s.write_error
    finally:
        holder.release()
    deadline = time.monotonic() + 5
    while s.write_error is not None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert s.write_error is None
    with Store.open(filled.root) as other:
        assert other.status(pid) is Status.SKIPPED, "written without close()"
    s.close()


def test_subscribers_hear_a_failed_background_write_and_its_recovery_from_the_writer(filled: Store) -> None:
    """The UI can learn of write errors through `subscribe` alone: called from the writer thread, both ways."""
    filled.close()
    s = Store.open(filled.root, lock_wait=0.1)
    heard: list[tuple[str, str | None]] = []
    unsubscribe = s.subscribe(lambda: heard.append((threading.current_thread().name, s.write_error)))
    pid = ids(s, "Paper B")[0]
    holder = FileLock(str(filled.root / ".lock"))
    holder.acquire()
    try:
        s.toggle(pid, Status.SKIPPED)
        deadline = time.monotonic() + 5
        while not any(error for _, error in heard) and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        holder.release()
    deadline = time.monotonic() + 5
    while heard[-1][1] is not None and time.monotonic() < deadline:
        time.sleep(0.02)
    failures = [(thread, error) for thread, error in heard if error]
    assert failures and failures[0][0] == "papertray-writer" and "lock" in str(failures[0][1])
    assert heard[-1] == ("papertray-writer", None), "recovery is announced too"
    unsubscribe()
    count = len(heard)
    s.toggle(pid, Status.READ)
    s.flush()
    assert len(heard) == count
    s.close()


HOLD_LOCK = """
import sys, time
from filelock import FileLock
lock = FileLock({path!r})
lock.acquire()
print("held", flush=True)
time.sleep(float(sys.argv[1]))
"""


def test_a_lock_held_by_another_process(filled: Store) -> None:
    filled.close()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK.format(path=str(filled.root / ".lock")), "30"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        s = Store.open(filled.root, lock_wait=0.2)
        s.toggle(ids(s, "Paper C")[0], Status.STARRED)
        with pytest.raises(LockedError, match="another papertray process"):
            s.flush()
    finally:
        holder.kill()
        holder.wait()
    s.close()  # the lock died with its holder
    with Store.open(filled.root) as after:
        assert after.status(ids(after, "Paper C")[0]) is Status.STARRED


# -- two writers -----------------------------------------------------------------------------


def many(store: Store, n: int) -> list[str]:
    store.add_drafts(drafts(*(f"Paper {i:03d}" for i in range(n))), source="many.txt")
    return [title_id(f"Paper {i:03d}") for i in range(n)]


def test_two_stores_on_one_directory_merge_everything(store: Store) -> None:
    pids = many(store, 120)
    store.close()
    one = Store.open(store.root)
    two = Store.open(store.root)
    for i in range(60):
        one.set_status([pids[i]], Status.STARRED)
        two.set_status([pids[60 + i]], Status.SKIPPED)
        one.queue_add("shared", [pids[i]])
        two.queue_add("shared", [pids[60 + i]])
        if i % 7 == 0:
            one.flush()
        if i % 5 == 0:
            two.flush()
    one.meta_set("from-one", 1)
    two.meta_set("from-two", 2)
    one.close()
    two.close()
    with Store.open(store.root) as merged:
        counts = merged.status_counts()
        assert (counts[Status.STARRED], counts[Status.SKIPPED]) == (60, 60)
        assert sorted(merged.queue("shared")) == sorted(pids)
        assert (merged.meta_get("from-one"), merged.meta_get("from-two")) == (1, 2)


@pytest.mark.parametrize("clock", ["fine", "coarse"])
def test_two_stores_with_writes_in_quick_succession(store: Store, monkeypatch: pytest.MonkeyPatch, clock: str) -> None:
    """Writes closer together than the file system's clock tick must still merge.

    Steady state makes every write the same size (undo history full, statuses
    swapped between same-length values) and inodes are reused, so a writer
    that trusted inode, size and mtime to notice the other's write would
    overwrite it. "coarse" simulates a file system with 1-second timestamps.
    """
    if clock == "coarse":
        real_identity = storage_module.identity

        def coarse(path: Path) -> FileIdentity | None:
            found = real_identity(path)
            return found._replace(mtime_ns=found.mtime_ns // 10**9 * 10**9) if found else None

        monkeypatch.setattr(storage_module, "identity", coarse)
    pids = many(store, 21)
    for pid in pids:
        store.set_status([pid], Status.STARRED)
    for i in range(210):
        pid = pids[i % 21]
        store.set_status([pid], Status.SKIPPED if store.status(pid) is Status.STARRED else Status.STARRED)
    store.close()
    one = Store.open(store.root)
    two = Store.open(store.root)
    expected: dict[str, Status] = dict(one.statuses())
    for i in range(50):
        turns = ((one, pids[(3 * i) % 21]), (two, pids[(3 * i + 1) % 21]), (two, pids[(3 * i + 2) % 21]))
        for side, pid in turns:
            target = Status.SKIPPED if expected[pid] is Status.STARRED else Status.STARRED
            side.set_status([pid], target)
            side.flush()
            expected[pid] = target
    one.close()
    two.close()
    with Store.open(store.root) as merged:
        assert merged.statuses() == expected


MARK_LOOP = """
import subprocess, sys
exe, ids = sys.argv[1], sys.argv[2:]
for pid in ids:
    subprocess.run([exe, "mark", pid, "read"], check=True, capture_output=True)
"""


def test_the_cli_in_another_process_and_this_store_both_triage(store: Store) -> None:
    pids = many(store, 40)
    store.close()
    mine, theirs = pids[:20], pids[20:30]
    exe = Path(sys.executable).with_name("papertray")
    other = subprocess.Popen([sys.executable, "-c", MARK_LOOP, str(exe), *theirs])
    s = Store.open(store.root)
    try:
        for pid in mine:  # spread over about as long as the other process runs
            s.toggle(pid, Status.STARRED)
            s.queue_add("mine", [pid])
            time.sleep(0.1)
            s.poll()
    finally:
        assert other.wait(timeout=120) == 0
    s.flush()
    s.poll()
    assert sum(1 for st in s.statuses().values() if st is Status.READ) == 10
    s.close()
    with Store.open(store.root) as merged:
        statuses = merged.statuses()
        assert sum(1 for pid in mine if statuses.get(pid) is Status.STARRED) == 20
        assert sum(1 for pid in theirs if statuses.get(pid) is Status.READ) == 10
        assert merged.queue("mine") == mine


def test_concurrent_flushes_in_one_process_lose_nothing(store: Store) -> None:
    """Threads of one process (the writer thread, a worker, the UI) flush at the same time.

    The file lock is per process, so it does not keep them apart.
    """
    pids = many(store, 120)
    errors: list[BaseException] = []

    def triage(chunk: list[str]) -> None:
        try:
            for pid in chunk:
                store.set_status([pid], Status.READ)
                store.flush()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=triage, args=(pids[i::4],)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(store.statuses()) == 120
    store.close()
    with Store.open(store.root) as after:
        assert len(after.statuses()) == 120


def test_papers_of_reads_many_in_one_pass_and_equals_get(filled: Store) -> None:
    """Order kept, aliases followed, unknown ids dropped; the same papers as `get` one by one, cache or not."""
    old = ids(filled, "Paper C")[0]
    filled.add_drafts([PaperDraft(title="Paper C", arxiv_id="arXiv:2503.01234v2", authors=("Cy",))], source="api.json")
    filled.rows()
    reopened = reopen(filled)
    try:
        reopened.rows()  # from the list cache: the papers themselves are not parsed
        wanted = [r.id for r in reversed(reopened.rows())] + [old, "nope", "2503.01234"]
        streamed = reopened.papers_of(wanted)
        assert reopened.corpus._docs is None, "read from records.jsonl, papers.json not parsed"
        expected = [p for p in map(reopened.get, wanted) if p is not None]  # (an unknown id makes get parse it all)
        assert streamed == expected
        assert [p.id for p in reopened.papers_of([old])] == ["2503.01234"]
        (reopened.root / "cache" / "records.jsonl").write_bytes(b"{}\n")  # a cache that lies: the slow path answers
        assert reopened.papers_of(wanted) == expected
    finally:
        reopened.close()
