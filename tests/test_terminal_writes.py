"""A frame reaches the terminal when it is painted, not at the interpreter's next forced thread switch.

Textual paints on the UI thread and hands the frame to a writer thread. The
UI thread goes on working after a frame (the footer after the first one, the
abstract's highlights after a search); the writer, woken to send the frame,
then waited for the GIL until the next forced switch, 5 ms later. The reader's
driver (`tui.terminal.HangUpDriver`) hands the GIL over after queueing a write.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time

import pytest
from textual.app import App
from textual.drivers._writer_thread import WriterThread

from tui.terminal import HangUpDriver


class Clocked:
    """A file that notes when the writer thread wrote to it."""

    def __init__(self) -> None:
        self.written: float | None = None

    def write(self, text: str) -> int:
        if self.written is None:
            self.written = time.perf_counter()
        return len(text)

    def flush(self) -> None:
        pass


@pytest.mark.skipif(os.name != "posix", reason="the Linux driver exists on POSIX only")
def test_a_frame_is_written_while_the_ui_thread_keeps_working() -> None:
    async def make() -> HangUpDriver:
        return HangUpDriver(App(), debug=False, mouse=False, size=(80, 24))

    driver = asyncio.run(make())
    file = Clocked()
    writer = WriterThread(file)  # type: ignore[arg-type]
    writer.start()
    driver._writer_thread = writer
    interval = sys.getswitchinterval()
    sys.setswitchinterval(0.005)  # CPython's default: a waiting thread gets the GIL at most this late
    delays = []
    try:
        for _ in range(5):
            file.written = None
            time.sleep(0.01)  # the writer is waiting on its queue again
            queued = time.perf_counter()
            driver.write("a frame")
            deadline = queued + 0.03
            while time.perf_counter() < deadline:  # the UI thread goes on working, GIL held
                pass
            assert file.written is not None
            delays.append(file.written - queued)
    finally:
        sys.setswitchinterval(interval)
        writer.stop()
    assert sorted(delays)[2] < 0.0025, f"the frame waited for the GIL: {[f'{d * 1000:.1f} ms' for d in delays]}"
