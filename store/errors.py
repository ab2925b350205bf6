"""Errors the store raises: each carries a one-line message fit for a terminal.

The CLI and the TUI print ``str(error)`` as it is, so every message names the
file (when there is one) and the reason, on one line.
"""

from __future__ import annotations

from pathlib import Path


class StoreError(Exception):
    """Base of every error the store raises on purpose."""


class InputError(StoreError):
    """An input file was refused; the store was left exactly as it was."""

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class DamagedFileError(StoreError):
    """A store file exists but does not parse as ours; it is never overwritten."""

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason} (left untouched; see `papertray doctor`)")


class LockedError(StoreError):
    """Another process held the store's write lock for longer than we wait."""


class ReadOnlyError(StoreError):
    """The store was opened read-only (or its directory cannot be written)."""


class UnknownPaperError(StoreError):
    """An id that names no paper, even through aliases."""

    def __init__(self, paper_id: str) -> None:
        self.paper_id = paper_id
        super().__init__(f"no paper with id {paper_id!r}")


class QueueError(StoreError):
    """A queue operation that cannot be done (unknown queue, name taken...)."""
