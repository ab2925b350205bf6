"""The terminal the reader runs in: there must be one, and its going away ends the app.

Two failures seen over SSH:

* ``ssh host papertray`` (no ``-t``) or ``papertray </dev/null``: no terminal
  at all. The reader refuses to start (`needs_terminal`), with one line that
  points at the commands meant for scripts.
* The terminal goes away mid-session (the SSH client killed, the network
  dropped): a SIGHUP, or none and stdin at end of file, or reads failing with
  EIO. Textual's Linux driver treats an empty read as "nothing yet" and
  selects again at once, forever, at 100 % of a core (Textual PR #6690).
  `HangUpDriver` reads the same way but reports the end of its input, and the
  app (`PapertrayApp.hang_up`) then saves and exits within a second.
"""

from __future__ import annotations

import asyncio
import os
import selectors
import sys
import termios
import time
from codecs import getincrementaldecoder
from collections.abc import Callable
from typing import TextIO

from textual.drivers.linux_driver import LinuxDriver
from textual.message import Message

from tui.textual_private import XTermParser, driver_app, driver_debug, driver_loop

NEEDS_TERMINAL = "papertray needs a terminal; for scripts use papertray list/export"
"""The one line printed when stdin or stdout is not a terminal."""


def needs_terminal(stdin: TextIO | None = None, stdout: TextIO | None = None) -> bool:
    """Whether stdin or stdout is not a terminal (so the reader cannot run)."""
    streams = (stdin or sys.stdin, stdout or sys.stdout)
    for stream in streams:
        try:
            if stream is None or not stream.isatty():
                return True
        except (ValueError, OSError):  # closed
            return True
    return False


class HangUpDriver(LinuxDriver):
    """Textual's Linux driver, but end of input (EOF, EIO) calls the app's ``hang_up`` and stops reading."""

    def _hang_up(self) -> None:
        callback: Callable[[], None] | None = getattr(driver_app(self), "hang_up", None)
        if callback is not None:
            driver_loop(self).call_soon_threadsafe(callback)

    def _sigcont_application(self, *args: object) -> None:
        """SIGCONT comes with SIGHUP when the terminal hangs up: do not restart on a dead terminal.

        Textual's handler restarts application mode, which blocks writing to
        the hung-up terminal, inside a signal handler, so the hang-up itself
        would never be handled.
        """
        try:
            termios.tcgetattr(self.fileno)
        except (termios.error, OSError):
            self._hang_up()
            return
        super()._sigcont_application(*args)  # the one private method overridden (tui/textual_private.py lists it)

    def write(self, data: str) -> None:
        """Queue ``data`` for Textual's writer thread, then let that thread take the GIL at once.

        The UI thread goes on working after a frame (the footer's keys after the
        first one, the abstract's highlights after a search). The writer thread,
        woken to send the frame, then waited for the GIL until the interpreter's
        next forced switch, 5 ms later (``sys.getswitchinterval``): every frame
        reached the terminal 5 ms late. Sleeping for 0 s hands the GIL over.
        """
        super().write(data)
        time.sleep(0)

    _held: list[Message] | None = None
    """The messages of the read being parsed, posted together once it is whole."""

    def send_message(self, message: Message) -> None:
        if self._held is not None:
            self._held.append(message)
        else:
            super().send_message(message)

    def _post_together(self, messages: list[Message]) -> None:
        """Post one read's messages in one go on the app's loop, so the app sees all of them at once.

        Posted one by one from this thread (Textual's way), a burst reached
        the app a few keys at a time whenever this thread lost the GIL (to a
        search worker, to the app painting), and the filter searched the first
        letters alone: at 100k papers a one-letter search costs tens of ms.
        """
        if not messages:
            return
        app = driver_app(self)

        async def post_all() -> None:
            for message in messages:
                app.post_message(message)

        asyncio.run_coroutine_threadsafe(post_all(), loop=driver_loop(self))

    def run_input_thread(self) -> None:
        """The driver's loop (textual 8.2), with the end of input reported instead of spun on,
        and each read posted whole."""
        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        parser = XTermParser(driver_debug(self))
        decode = getincrementaldecoder("utf-8")().decode
        try:
            while not self.exit_event.is_set():
                ready = selector.select(0.1)
                if ready:
                    try:
                        data = os.read(self.fileno, 1024 * 4)
                    except OSError:  # EIO: the terminal is gone
                        data = b""
                    if not data:
                        self._hang_up()
                        return
                    self._held = []
                    try:
                        for event in parser.feed(decode(data)):
                            self.process_message(event)
                    finally:
                        held, self._held = self._held, None
                    self._post_together(held)
                for event in parser.tick():
                    self.process_message(event)
        finally:
            selector.close()
