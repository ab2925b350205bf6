"""``papertray bib sync`` through the entry point, and the reader keeping a ``[[bib]]`` file in sync."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from store.bibfile import parse_bib
from store.model import Status
from store.store import Store
from tests.app_helpers import SIZE, AppFactory, main_screen, notifications, press, type_text, wait_for_workers
from tests.cli_helpers import run
from tests.test_bibsync import HAND, check_entries, hand_pieces


def synced_ids(path: Path) -> list[str]:
    return [c.papertray_id for c in parse_bib(path.read_text(encoding="utf-8")) if c.papertray_id]


def test_cli_syncs_a_queue_a_status_and_a_query(demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Store.open(demo_dir) as store:
        ids = [r.id for r in store.rows()[:8]]
        store.queue_add("thesis", ids[:3])
        store.set_status(ids[3:5], Status.STARRED)
        papers = {pid: store.require(pid) for pid in ids}
    bib = tmp_path / "refs.bib"
    bib.write_text(HAND, encoding="utf-8")
    code, out, err = run(capsys, "--store", str(demo_dir), "bib", "sync", str(bib), "--queue", "thesis")
    assert (code, err) == (0, "")
    assert out.strip() == f"{bib}: 3 papers (3 added, 0 updated, 0 removed)"
    assert synced_ids(bib) == ids[:3]
    check_entries(bib.read_text(encoding="utf-8"), [papers[i] for i in ids[:3]])
    code, out, _ = run(capsys, "--store", str(demo_dir), "bib", "sync", str(bib), "--status", "starred")
    assert code == 0 and "2 added, 0 updated, 3 removed" in out
    assert synced_ids(bib) == ids[3:5]
    code, out, _ = run(capsys, "--store", str(demo_dir), "bib", "sync", str(bib), "--status", "starred")
    assert code == 0 and "(up to date)" in out
    code, out, _ = run(capsys, "--store", str(demo_dir), "bib", "sync", str(bib), "in:thesis")
    assert code == 0 and "3 added, 0 updated, 2 removed" in out
    assert sorted(synced_ids(bib)) == sorted(ids[:3])
    text = bib.read_text(encoding="utf-8")
    assert text.startswith(HAND) and hand_pieces(text) == hand_pieces(HAND)


def test_cli_without_file_syncs_every_configured_file(
    demo_dir: Path, tmp_path: Path, config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store.open(demo_dir) as store:
        ids = [r.id for r in store.rows()[:4]]
        store.queue_add("thesis", ids[:2])
        store.set_status(ids[2:4], Status.STARRED)
    config_file.write_text(
        '[[bib]]\nfile = "thesis.bib"\nselect = "in:thesis"\n\n[[bib]]\nfile = "stars.bib"\nselect = "is:starred"\n',
        encoding="utf-8",
    )
    code, out, err = run(capsys, "--store", str(demo_dir), "bib", "sync")
    assert (code, err) == (0, "")
    thesis, stars = config_file.parent / "thesis.bib", config_file.parent / "stars.bib"
    assert synced_ids(thesis) == ids[:2] and sorted(synced_ids(stars)) == sorted(ids[2:4])
    assert len(out.strip().splitlines()) == 2
    # A configured FILE alone: its own selection.
    code, out, _ = run(capsys, "--store", str(demo_dir), "bib", "sync", str(thesis))
    assert code == 0 and "(up to date)" in out


def test_cli_refuses_a_broken_file_in_one_line_and_leaves_it(
    demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bib = tmp_path / "refs.bib"
    broken = HAND + "\n@article{half,\n  title = {Unclosed {brace},\n  year = 2020\n}\n"
    bib.write_text(broken, encoding="utf-8")
    code, out, err = run(capsys, "--store", str(demo_dir), "bib", "sync", str(bib), "--status", "new")
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert err.startswith(f"papertray: {bib}: line ") and "never closed" in err and "not written" in err
    assert bib.read_text(encoding="utf-8") == broken


def test_cli_without_a_selection_or_config_says_what_to_give(
    demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "--store", str(demo_dir), "bib", "sync")
    assert code == 2 and "[[bib]]" in err
    code, _, err = run(capsys, "--store", str(demo_dir), "bib", "sync", str(tmp_path / "x.bib"))
    assert code == 2 and "--queue" in err and not (tmp_path / "x.bib").exists()


async def wait_until(pilot: object, condition: object, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        await asyncio.sleep(0.05)
    return False


async def test_the_reader_keeps_a_configured_file_in_sync(
    demo_dir: Path, tmp_path: Path, config_file: Path, make_app: AppFactory
) -> None:
    bib = tmp_path / "thesis.bib"
    bib.write_text(HAND, encoding="utf-8")
    config_file.write_text(f'[[bib]]\nfile = "{bib}"\nselect = "in:thesis"\n', encoding="utf-8")
    app = make_app(demo_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        screen = main_screen(app)
        auto = screen.bibs.auto
        assert auto is not None
        assert await wait_until(pilot, lambda: auto.syncs >= 1)  # the sync at start (nothing queued yet)
        assert synced_ids(bib) == []
        paper = screen._current
        assert paper is not None
        # Triage into the "thesis" queue with the queue picker.
        await press(pilot, "plus")
        await wait_for_workers(pilot)
        await type_text(pilot, "thesis")
        await press(pilot, "enter")
        await wait_for_workers(pilot)
        assert app.store.queues_of(paper.id) == ["thesis"]
        started = time.monotonic()
        assert await wait_until(pilot, lambda: synced_ids(bib) == [paper.id]), bib.read_text(encoding="utf-8")
        elapsed = time.monotonic() - started
        assert elapsed < 8, elapsed  # debounced by ~1 s; generous for a loaded machine
        text = bib.read_text(encoding="utf-8")
        assert text.startswith(HAND)
        check_entries(text, [paper])
        # Taking it out of the queue takes its entry out of the file; the hand entries stay.
        syncs = auto.syncs
        app.store.queue_remove("thesis", [paper.id])
        assert await wait_until(pilot, lambda: auto.syncs > syncs and synced_ids(bib) == [])
        assert hand_pieces(bib.read_text(encoding="utf-8")) == hand_pieces(HAND)
        assert not any("bib sync" in n for n in notifications(app))


async def test_the_reader_says_once_when_a_configured_file_cannot_be_synced(
    demo_dir: Path, tmp_path: Path, config_file: Path, make_app: AppFactory
) -> None:
    bib = tmp_path / "broken.bib"
    broken = "@article{half, title = {never closed\n"
    bib.write_text(broken, encoding="utf-8")
    config_file.write_text(f'[[bib]]\nfile = "{bib}"\nselect = "is:new"\n', encoding="utf-8")
    app = make_app(demo_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        auto = main_screen(app).bibs.auto
        assert auto is not None
        assert await wait_until(pilot, lambda: auto.syncs >= 1)
        await wait_for_workers(pilot)
        assert await wait_until(pilot, lambda: any("never closed" in n for n in notifications(app)))
        await press(pilot, "r")
        assert await wait_until(pilot, lambda: auto.syncs >= 2)
        await wait_for_workers(pilot)
        assert sum("never closed" in n for n in notifications(app)) == 1
    assert bib.read_text(encoding="utf-8") == broken
