"""The reader's ``[[bib]]`` files: kept in sync by `store.bib_auto.BibAutoSync` while the reader runs."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from store.bib_auto import BibAutoSync
    from tui.screens.main import MainScreen


class BibSyncController:
    """Starts the sync thread when the config names ``.bib`` files; says on screen when a sync fails."""

    def __init__(self, reader: MainScreen) -> None:
        self.reader = reader
        self.auto: BibAutoSync | None = None

    def start(self) -> None:
        rules = self.reader.app.config.bib
        if not rules or self.reader.store.readonly:
            return
        from store.bib_auto import BibAutoSync  # only with [[bib]] tables: start-up time

        self.auto = BibAutoSync(self.reader.store, [(r.file, r.select) for r in rules], report=self._report)
        self.auto.start()

    def _report(self, message: str, error: bool) -> None:
        """The sync thread: `App.notify` only posts a message, which is thread-safe."""
        self.reader.app.notify(message, severity="error" if error else "information", timeout=8, markup=False)

    def stop(self) -> None:
        """Leaving: sync what is pending, so the files match what was triaged last."""
        if self.auto is not None:
            self.auto.stop(timeout=2.0)
            self.auto = None
