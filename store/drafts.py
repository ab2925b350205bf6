"""What importers hand the store, and what an import reports: not needed to open a store.

Kept apart from `store.model` so that opening the reader does not build these
dataclasses (about 1.3 ms of a 10k-paper start; a frozen dataclass is made by
compiling its methods).
"""

from __future__ import annotations

from dataclasses import dataclass

from store.model import PaperFields


@dataclass(frozen=True, slots=True, kw_only=True)
class PaperDraft(PaperFields):
    """A paper as an importer sees it, before the store gives it an id."""

    source: str | None = None
    """Where this draft came from (a file path or a feed URL)."""


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What one import did, per source file."""

    source: str
    total: int
    new: int
    existing: int

    def line(self) -> str:
        return f"{self.source}: {self.total} papers ({self.new} new, {self.existing} already in store)"
