"""A full disk or a read-only store: one clear line, the app keeps running, nothing on disk changes.

Four ways for writing to stop, each test runs under all of them:

* ``tmpfs-full`` and ``tmpfs-readonly``: the store lives on a real 512 KiB
  tmpfs that is filled up, or remounted read-only, mid-session. Nothing is
  patched: the kernel refuses the writes, even for root (a plain ``chmod``
  does not stop root). Needs permission to mount; skipped otherwise.
* ``simulated-readonly`` and ``simulated-full``: the same failures injected
  where `store.atomic.atomic_write` meets the filesystem (``mkstemp`` raises
  EROFS; the temp file's ``write`` stores half the bytes, then raises ENOSPC),
  so they run everywhere.

After the disk comes back, everything done in the meantime lands.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import pytest

import store.atomic
from store.drafts import PaperDraft
from store.errors import ReadOnlyError, StoreError
from store.model import Status
from store.store import Store
from tests.app_helpers import main_screen, notice, notifications, press, wait_for_workers
from tests.pagecopy_synth import make_page
from tui.app import PapertrayApp
from tui.cli import main

MODES = ["simulated-readonly", "simulated-full", "tmpfs-readonly", "tmpfs-full"]
REASON = {
    "simulated-readonly": "Read-only file system",
    "simulated-full": "No space left on device",
    "tmpfs-readonly": "Read-only file system",
    "tmpfs-full": "No space left on device",
}


# --------------------------------------------------------------------------- the disk


@dataclass
class Disk:
    """Where the store lives, and how to make writing there stop and start again."""

    root: Path
    mode: str
    monkeypatch: pytest.MonkeyPatch
    mount: Path | None = None

    def fail(self) -> None:
        if self.mode == "simulated-readonly":
            def mkstemp(*args: object, **kwargs: object) -> Any:
                raise OSError(errno.EROFS, os.strerror(errno.EROFS))

            self.monkeypatch.setattr(store.atomic.tempfile, "mkstemp", mkstemp)
        elif self.mode == "simulated-full":
            real_fdopen = os.fdopen

            def half_written(fd: int, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
                handle = real_fdopen(fd, mode, *args, **kwargs)
                real_write = handle.write

                def write(data: bytes) -> int:
                    real_write(data[: len(data) // 2])
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

                handle.write = write
                return handle

            self.monkeypatch.setattr(store.atomic.os, "fdopen", half_written)
        elif self.mode == "tmpfs-readonly":
            _run("mount", "-o", "remount,ro", str(self.mount))
        else:
            filler = self.mount / "filler"  # type: ignore[operator]
            with open(filler, "wb", buffering=0) as handle:
                try:
                    while True:
                        handle.write(b"\0" * 4096)
                except OSError as exc:
                    assert exc.errno == errno.ENOSPC

    def heal(self) -> None:
        if self.mode.startswith("simulated"):
            self.monkeypatch.undo()
        elif self.mode == "tmpfs-readonly":
            _run("mount", "-o", "remount,rw", str(self.mount))
        else:
            (self.mount / "filler").unlink(missing_ok=True)  # type: ignore[operator]


def _run(*command: str) -> None:
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.fixture(params=MODES)
def disk(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Disk]:
    mode: str = request.param
    if mode.startswith("simulated"):
        yield Disk(tmp_path / "store", mode, monkeypatch)
        return
    mount = tmp_path / "mnt"
    mount.mkdir()
    if not sys.platform.startswith("linux") or shutil.which("mount") is None:
        pytest.skip("tmpfs needs Linux and mount(8)")
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(mount)], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip()}")
    try:
        yield Disk(mount / "store", mode, monkeypatch, mount)
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(mount)], capture_output=True)
        if subprocess.run(["umount", str(mount)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def fill(root: Path) -> list[str]:
    """Five papers, one starred and queued (so there is state to keep intact); returns their ids."""
    with Store.open(root, lock_wait=2.0) as s:
        s.add_drafts(
            [PaperDraft(title=f"Paper {c}", abstract=f"The abstract of paper {c}, long enough.", date="2026-02-0" + str(n + 1))
             for n, c in enumerate("ABCDE")],
            source="seed",
        )
        ids = [r.id for r in s.rows()]
        s.set_status([ids[0]], Status.STARRED)
        s.queue_add("to-read", [ids[1]])
    return ids


def store_bytes(root: Path) -> dict[str, str]:
    """The two store files, hashed: what must not change while writing fails."""
    return {name: hashlib.sha256((root / name).read_bytes()).hexdigest() for name in ("papers.json", "state.json")}


def leftovers(root: Path) -> list[Path]:
    return list(root.glob(".*.tmp"))


def on_disk(root: Path) -> dict[str, Any]:
    return orjson.loads((root / "state.json").read_bytes())


# --------------------------------------------------------------------------- the CLI


@pytest.mark.parametrize(
    ("command", "written"),
    [
        (lambda ids: ["mark", ids[2], "starred"], "state.json"),
        (lambda ids: ["queue", "add", "later", ids[3]], "state.json"),
        (lambda ids: ["import", "{page}"], "papers.json"),
    ],
    ids=["mark", "queue-add", "import"],
)
def test_cli_writes_fail_with_one_clear_line_and_change_nothing(
    disk: Disk, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: Callable[[list[str]], list[str]], written: str
) -> None:
    ids = fill(disk.root)
    page = tmp_path / "page.txt"
    page.write_text(make_page(4))
    argv = ["--store", str(disk.root), *[a.format(page=page) for a in command(ids)]]
    before = store_bytes(disk.root)
    capsys.readouterr()

    disk.fail()
    code = main(argv)
    out, err = capsys.readouterr()

    assert code == 1
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("papertray: "), err
    if disk.mode == "tmpfs-readonly":  # found read-only when opened: refused before any write
        assert f"{disk.root}: store directory is not writable" in lines[0]
    else:
        assert f"{disk.root / written}: cannot write ({REASON[disk.mode]})" in lines[0], lines[0]
    assert "Traceback" not in err and out == ""
    assert store_bytes(disk.root) == before
    assert leftovers(disk.root) == []

    disk.heal()
    assert main(argv) == 0
    with Store.open(disk.root, readonly=True) as after:
        if command(ids)[0] == "mark":
            assert after.status(ids[2]) is Status.STARRED
        elif command(ids)[0] == "queue":
            assert after.queue("later") == [ids[3]]
        else:
            assert len(after.rows()) == 5 + 4
        assert after.status(ids[0]) is Status.STARRED and after.queue("to-read") == [ids[1]]


def test_store_api_failures_name_the_file_and_keep_the_state(disk: Disk) -> None:
    ids = fill(disk.root)
    with Store.open(disk.root, lock_wait=2.0) as s:
        before = store_bytes(disk.root)
        disk.fail()
        with pytest.raises(StoreError) as caught:
            s.add_drafts([PaperDraft(title="Paper Z", abstract="Z" * 60, date="2026-02-09")], source="z")
        message = str(caught.value)
        assert "\n" not in message and str(disk.root) in message
        if not isinstance(caught.value, ReadOnlyError):
            assert f"{disk.root / 'papers.json'}: cannot write ({REASON[disk.mode]}); nothing imported" == message
        s.set_status([ids[4]], Status.SKIPPED)  # kept in memory...
        with pytest.raises(StoreError, match=REASON[disk.mode]):
            s.flush()
        assert s.status(ids[4]) is Status.SKIPPED  # ...and still there
        assert [r.title for r in s.rows()] == [f"Paper {c}" for c in "EDCBA"]  # the failed import is not shown
        assert store_bytes(disk.root) == before
        disk.heal()
    # close() wrote what was pending, once.
    state = on_disk(disk.root)
    assert {d["id"]: d["status"] for d in state["status"].values()} == {ids[0]: "starred", ids[4]: "skipped"}
    labels = [d["label"] for d in state["undo"].values()]
    assert labels.count("skipped") == 1, labels


def test_close_with_unsaved_changes_says_they_were_not_saved(disk: Disk) -> None:
    ids = fill(disk.root)
    s = Store.open(disk.root, lock_wait=2.0)
    s.set_status([ids[3]], Status.READ)
    disk.fail()
    with pytest.raises(StoreError) as caught:
        s.close()
    assert str(caught.value) == f"{disk.root / 'state.json'}: cannot write ({REASON[disk.mode]}); the last changes were not saved"


def test_a_directory_without_write_permission_opens_read_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """chmod 0o555 where it binds (not root); where it does not, what `os.access` would answer."""
    root = tmp_path / "store"
    ids = fill(root)
    before = store_bytes(root)
    root.chmod(0o555)
    try:
        if os.access(root, os.W_OK):  # root: permissions do not stop us, so pretend they do
            real_access = os.access
            monkeypatch.setattr(
                os, "access", lambda p, mode, **kw: False if Path(p) == root and mode == os.W_OK else real_access(p, mode, **kw)
            )
        with Store.open(root) as s:
            assert s.readonly
            assert s.status(ids[0]) is Status.STARRED and len(s.rows()) == 5
            with pytest.raises(ReadOnlyError, match="store directory is not writable"):
                s.set_status([ids[1]], Status.READ)
        assert main(["--store", str(root), "mark", ids[1], "read"]) == 1
        assert main(["--store", str(root), "list", "--status", "starred"]) == 0
    finally:
        root.chmod(0o755)
    assert store_bytes(root) == before


# --------------------------------------------------------------------------- the app


async def wait_for(pilot: Any, condition: Callable[[], bool], seconds: float = 6.0) -> bool:
    """Let the app run (its 1 s store poll included) until ``condition`` holds."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        await pilot.pause(0.1)
    return condition()


async def test_the_app_shows_a_failed_write_keeps_running_and_saves_later(disk: Disk) -> None:
    ids = fill(disk.root)
    s = Store.open(disk.root, lock_wait=2.0)
    try:
        app = PapertrayApp(s)
        async with app.run_test(size=(120, 36)) as pilot:
            await wait_for_workers(pilot)
            screen = main_screen(app)
            await press(pilot, "3")  # All: a triaged paper stays in view
            before = store_bytes(disk.root)
            disk.fail()

            screen.paper_list.cursor_index = screen.paper_list.rows.index(next(r for r in screen.paper_list.rows if r.id == ids[2]))
            await press(pilot, "s")
            assert s.status(ids[2]) is Status.STARRED  # in memory at once
            assert await wait_for(pilot, lambda: "cannot write" in notice(screen)), notice(screen)
            assert REASON[disk.mode] in notice(screen) and "kept in memory" in notice(screen)
            await press(pilot, "j", "x", "k", "enter", "enter", "question_mark", "escape")  # still usable
            assert app.is_running and app.screen is screen
            assert (
                "★"
                in screen.paper_list.render_line(
                    screen.paper_list.rows.index(next(r for r in screen.paper_list.rows if r.id == ids[2]))
                ).text
            )
            assert store_bytes(disk.root) == before
            # The writer retries every second; a temp file may exist for the instant
            # of a retry, but none may stay behind.
            assert await wait_for(pilot, lambda: leftovers(disk.root) == []), leftovers(disk.root)

            disk.heal()
            assert await wait_for(pilot, lambda: "writing works again" in notice(screen)), notice(screen)
            assert s.write_error is None
            with Store.open(disk.root, readonly=True) as other:
                assert other.status(ids[2]) is Status.STARRED
                assert other.status(ids[0]) is Status.STARRED and other.queue("to-read") == [ids[1]]
    finally:
        s.close()
    labels = [d["label"] for d in on_disk(disk.root)["undo"].values()]
    assert labels.count("starred") == 2, labels  # the one from fill() and ours: not replayed twice


async def test_the_app_on_a_read_only_store_reads_and_refuses_changes(tmp_path: Path) -> None:
    root = tmp_path / "store"
    ids = fill(root)
    before = store_bytes(root)
    with Store.open(root, readonly=True) as s:
        app = PapertrayApp(s)
        async with app.run_test(size=(120, 36)) as pilot:
            await wait_for_workers(pilot)
            screen = main_screen(app)
            assert any("read-only" in n for n in notifications(app))
            await press(pilot, "3", "g", "s", "a", "u", "j", "x")
            assert app.is_running and app.screen is screen
            assert any("store is open read-only" in n for n in notifications(app))
            assert s.status(ids[4]) is Status.NEW and s.status(ids[0]) is Status.STARRED
            await press(pilot, "enter")
            assert screen._current is not None
    assert store_bytes(root) == before
