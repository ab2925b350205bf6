"""Make untrusted text safe to draw in a terminal, in the app and on the command line.

The sanitiser itself is `store.visible.inert` (exports need it too, and
``store`` never imports ``tui``); this module re-exports it for the widgets
and adds the stream the command line prints through.
"""

from __future__ import annotations

import io
from typing import Any, TextIO

from store.visible import REPLACEMENT, inert, one_line

__all__ = ["REPLACEMENT", "VisibleStream", "inert", "one_line"]


class VisibleStream(io.TextIOBase):
    """A text stream that shows every control character it is given (see `inert`).

    ``papertray COMMAND`` swaps ``sys.stdout`` and ``sys.stderr`` for these,
    so no title, abstract, author, file name or error message can reach the
    terminal as an escape sequence, whichever code path printed it. Tabs and
    newlines pass; our own terminal controls (the progress bar's ``\\r`` and
    erase-line) go through :meth:`write_control`.
    """

    def __init__(self, inner: TextIO) -> None:
        super().__init__()
        self.inner = inner

    def write(self, text: str) -> int:
        self.inner.write(inert(text, keep_tabs=True))
        return len(text)

    def write_control(self, text: str) -> None:
        """Write papertray's own terminal controls as they are (never untrusted text)."""
        self.inner.write(text)

    def flush(self) -> None:
        self.inner.flush()

    def close(self) -> None:
        """Close this wrapper only (IOBase closes on garbage collection; the real stream stays open)."""
        super().close()

    def isatty(self) -> bool:
        return self.inner.isatty()

    def fileno(self) -> int:
        return self.inner.fileno()

    def writable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]  # typeshed: a plain attribute of TextIOBase; here it follows the wrapped stream
        return getattr(self.inner, "encoding", "utf-8")

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)
