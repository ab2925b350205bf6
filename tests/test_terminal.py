"""The reader in a real terminal: no terminal, a terminal that goes away, bursts, sessions.

These run ``papertray`` as a process on a pseudo-terminal (and in tmux where
it is installed): what the Pilot tests cannot see. Timeouts are generous (a
busy 2-core machine); the figures asserted are the issue's: gone within 2 s
of the hang-up, using under 0.5 s of CPU to get there.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from store.model import Status
from store.store import Store
from store.views import all_views, sort_rows, view_rows
from tests.terminal_helpers import PtyApp, Tmux, cpu_seconds, papertray_command
from tui.commands.app import make_demo_store
from tui.terminal import NEEDS_TERMINAL

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("args", [[], ["demo"]])
def test_no_terminal_one_line_and_status_2(args: list[str], tmp_path: Path) -> None:
    done = subprocess.run(
        papertray_command("--store", str(tmp_path / "s"), *args),
        stdin=subprocess.DEVNULL, capture_output=True, text=True, cwd=ROOT, timeout=60,
    )
    assert done.returncode == 2
    assert (done.stdout + done.stderr).strip() == NEEDS_TERMINAL
    # stdin a terminal is not enough: stdout must be one too (`papertray > file`).
    master, slave = os.openpty()
    try:
        done = subprocess.run(papertray_command(*args), stdin=slave, capture_output=True, text=True, cwd=ROOT, timeout=60)
    finally:
        os.close(slave)
        os.close(master)
    assert done.returncode == 2
    assert done.stderr.strip() == NEEDS_TERMINAL and done.stdout == ""


def _demo_store(path: Path) -> Path:
    make_demo_store(path).close()
    return path


@pytest.mark.parametrize("controlling", [True, False], ids=["sighup", "eof-without-sighup"])
def test_hang_up_ends_the_process_quickly_and_cheaply(controlling: bool, tmp_path: Path) -> None:
    store = _demo_store(tmp_path / "store")
    app = PtyApp("--store", str(store), controlling=controlling)
    try:
        app.wait_for("Inbox")
        app.send("s")  # a change the writer must put on disk before the process ends
        time.sleep(0.3)
        before = cpu_seconds(app.proc.pid)
        app.hang_up()
        took, total_cpu = app.wait_gone(timeout=5)
    finally:
        app.kill()  # a failing run must not leave a process spinning on a dead terminal
    assert took < 2.0, f"gone {took:.2f} s after the hang-up"
    assert total_cpu - before < 0.5, f"{total_cpu - before:.2f} s of CPU after the hang-up"
    with Store.open(store) as reopened:
        assert Status.STARRED in {reopened.status(pid) for pid in reopened.statuses()}, "the pending write reached the disk"


def _inbox_ids(path: Path) -> list[str]:
    with Store.open(path) as store:
        return [r.id for r in sort_rows(view_rows(store, all_views(list(store.queues()))[0]), "date")]


def _session(path: Path) -> dict[str, object]:
    with Store.open(path) as store:
        return dict(store.meta_get("session") or {})


def _wait_session(path: Path, key: str, value: object, timeout: float = 10) -> dict[str, object]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        session = _session(path)
        if session.get(key) == value:
            return session
        time.sleep(0.1)
    return _session(path)


def test_session_survives_kill_9(tmp_path: Path) -> None:
    store = _demo_store(tmp_path / "store")
    ids = _inbox_ids(store)
    app = PtyApp("--store", str(store))
    try:
        app.wait_for("Inbox")
        app.send("jjj")
        time.sleep(1.5)  # "at most a second behind"
        app.kill()
        assert _wait_session(store, "selected", ids[3], timeout=2)["selected"] == ids[3]
    finally:
        app.kill()
    app = PtyApp("--store", str(store))
    try:
        app.wait_for("Inbox")
        app.send("/graph")
        assert _wait_session(store, "filter", "graph")["filter"] == "graph"
        app.send("\x1b")  # Esc in the filter clears it
        time.sleep(1.5)
        app.kill()
        session = _session(store)
        assert session["filter"] == ""
        assert session["selected"] in ids
    finally:
        app.kill()


def test_the_first_screen_shows_the_list_and_the_abstract_unasked(tmp_path: Path) -> None:
    """In a real terminal the first frame holds the list's rows, and the abstract follows, with no key pressed.

    Frames painted during Textual's start-up are never written; a reader that
    relied on them showed an empty screen until the first key.
    """
    store = _demo_store(tmp_path / "store")
    command = " ".join(papertray_command("--store", str(store)))
    tmux = Tmux(f"cd {ROOT} && {command}", size=(120, 36))
    try:
        shown = tmux.wait_for(r"●[^\n]*20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]", timeout=30)
        assert "1 Inbox" in shown and "filter" in shown, shown
        tmux.wait_for(r"● new\b", timeout=10)  # the abstract pane's status line: the selected paper's abstract
    finally:
        tmux.close()


def test_tmux_burst_types_the_filter_and_triages_nothing(tmp_path: Path) -> None:
    store = _demo_store(tmp_path / "store")
    command = " ".join(papertray_command("--store", str(store)))
    tmux = Tmux(f"cd {ROOT} && {command}")
    try:
        tmux.wait_for("Inbox")
        tmux.burst("/robust")
        tmux.wait_for(r"robust")
        time.sleep(1.0)
        with Store.open(store) as reopened:
            assert reopened.queued_ids() == set()
            assert all(reopened.status(pid) is Status.NEW for pid in _inbox_ids_from(reopened))
    finally:
        tmux.close()


def _inbox_ids_from(store: Store) -> list[str]:
    return [r.id for r in store.rows()]


def test_one_read_reaches_the_app_in_one_go(tmp_path: Path) -> None:
    """The keys of one read are posted to the app together, not one by one from the input thread.

    Posted one by one, a burst reached the app a few keys at a time whenever
    the input thread lost the GIL, and the filter searched the first letters
    alone (at 100k papers, tens of ms each) before the phrase.
    """
    import asyncio
    import threading

    from textual import events
    from textual.app import App

    from tui.terminal import HangUpDriver

    posted: list[tuple[object, str]] = []

    class Recorder(App[None]):
        def post_message(self, message: object) -> bool:
            if isinstance(message, events.Key):
                posted.append((asyncio.current_task(), message.key))
            return True

    async def run() -> None:
        app = Recorder()
        driver = HangUpDriver(app, debug=False, mouse=False, size=(80, 24))
        read_end, write_end = os.pipe()
        driver.fileno = read_end
        thread = threading.Thread(target=driver.run_input_thread, daemon=True)
        thread.start()
        os.write(write_end, b"/robust")
        for _ in range(200):
            if len(posted) == 7:
                break
            await asyncio.sleep(0.01)
        driver.exit_event.set()
        os.close(write_end)
        thread.join(2)
        os.close(read_end)

    asyncio.run(run())
    assert [key for _, key in posted] == ["slash", "r", "o", "b", "u", "s", "t"]
    assert len({task for task, _ in posted}) == 1, "every key of the read posted by one callback on the loop"
