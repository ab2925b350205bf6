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

import os
import selectors
import sys
import termios
from codecs import getincrementaldecoder
from collections.abc import Callable
from typing import TextIO

from textual.drivers.linux_driver import LinuxDriver

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

    def run_input_thread(self) -> None:
        """The driver's loop (textual 8.2), with the end of input reported instead of spun on."""
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
                    for event in parser.feed(decode(data)):
                        self.process_message(event)
                for event in parser.tick():
                    self.process_message(event)
        finally:
            selector.close()
