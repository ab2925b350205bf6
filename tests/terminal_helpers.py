"""Run the reader in a real pseudo-terminal, or in tmux, from a test.

`PtyApp` starts ``papertray`` with a pty as its terminal, keeps reading what
the app draws (a pty whose output nobody reads blocks the writer), sends key
bursts as single writes, and can hang the terminal up or ``kill -9`` the app.
`Tmux` does the same through a tmux session (``send-keys -l``: one burst), and
is skipped where tmux is missing.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import shutil
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
_ANSI = re.compile(r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[()][A-Z0-9]|\x1b[=>]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)")


def papertray_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "tui.cli", *args]


def cpu_seconds(pid: int) -> float:
    """utime + stime of a live (or not yet reaped) process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


class PtyApp:
    """``papertray ARGS`` on a pty: ``controlling=True`` makes the pty its controlling terminal (SIGHUP on close)."""

    def __init__(self, *args: str, env: dict[str, str] | None = None, controlling: bool = True, size: tuple[int, int] = (100, 30)) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        environment = {**os.environ, **(env or {}), "TERM": "xterm-256color", "COLUMNS": str(size[0]), "LINES": str(size[1])}

        def take_terminal() -> None:
            os.setsid()
            if controlling:
                fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        self.proc = subprocess.Popen(
            papertray_command(*args), stdin=slave, stdout=slave, stderr=slave, cwd=ROOT, env=environment,
            preexec_fn=take_terminal, close_fds=True,
        )
        os.close(slave)
        self.master: int | None = master
        self.output = bytearray()
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        # select with a timeout, not a blocking read: a read in flight keeps the
        # master open after os.close(), and the terminal would never hang up.
        while (master := self.master) is not None:
            if not select.select([master], [], [], 0.05)[0]:
                continue
            try:
                data = os.read(master, 65536)
            except OSError:
                return
            if not data:
                return
            with self._lock:
                self.output += data

    def text(self) -> str:
        with self._lock:
            raw = bytes(self.output).decode("utf-8", "replace")
        return _ANSI.sub("", raw)

    def wait_for(self, pattern: str, timeout: float = 60) -> None:
        """Wait until the screen output (escapes stripped) matches ``pattern``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if re.search(pattern, self.text()):
                return
            if self.proc.poll() is not None:
                raise AssertionError(f"papertray exited ({self.proc.returncode}); output:\n{self.text()[-2000:]}")
            time.sleep(0.05)
        raise AssertionError(f"{pattern!r} never appeared; output:\n{self.text()[-2000:]}")

    def send(self, data: str) -> None:
        """One write: the keys arrive together, as a fast typist's do over SSH."""
        assert self.master is not None
        os.write(self.master, data.encode())

    def hang_up(self) -> None:
        """Close the terminal, as a dropped SSH connection does."""
        master, self.master = self.master, None
        if master is not None:
            self._reader.join(5)
            os.close(master)

    def wait_gone(self, timeout: float) -> tuple[float, float]:
        """Wait for the process to end: (seconds it took, CPU seconds it used over its whole life)."""
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            pid, status, usage = os.wait4(self.proc.pid, os.WNOHANG)
            if pid:
                self.proc.returncode = os.waitstatus_to_exitcode(status)
                return time.monotonic() - start, usage.ru_utime + usage.ru_stime
            time.sleep(0.02)
        raise AssertionError(f"papertray still running {timeout} s after the hang-up")

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)
        self.hang_up()


def tmux_available() -> bool:
    return shutil.which("tmux") is not None


class Tmux:
    """A detached tmux session running one command; skips the test where tmux is missing."""

    def __init__(self, command: str, size: tuple[int, int] = (100, 30)) -> None:
        if not tmux_available():
            pytest.skip("tmux is not installed")
        self.name = "pt" + uuid.uuid4().hex[:8]
        self._tmux("new-session", "-d", "-s", self.name, "-x", str(size[0]), "-y", str(size[1]), command)

    def _tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", *args], capture_output=True, text=True, check=False).stdout

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", self.name)

    def wait_for(self, pattern: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            shown = self.screen()
            if re.search(pattern, shown):
                return shown
            time.sleep(0.05)
        raise AssertionError(f"{pattern!r} never appeared; screen:\n{self.screen()}")

    def burst(self, text: str) -> None:
        """``send-keys -l``: the whole text in one write."""
        self._tmux("send-keys", "-t", self.name, "-l", text)

    def keys(self, *keys: str) -> None:
        self._tmux("send-keys", "-t", self.name, *keys)

    def pane_pid(self) -> int:
        return int(self._tmux("list-panes", "-t", self.name, "-F", "#{pane_pid}").split()[0])

    def close(self) -> None:
        self._tmux("kill-session", "-t", self.name)
