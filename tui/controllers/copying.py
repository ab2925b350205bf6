"""Copy and open: the citation and link keys (``c``, ``C``, ``y``, ``o``, ``p``) for the paper under the cursor."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.screens.main import MainScreen

LINK_CYCLE_TIME = 3.0
"""Seconds within which ``y`` again copies the paper's next GitHub link instead of the first."""


class CopyController:
    """Copies citations and links through the app's clipboard, or opens a link in a browser."""

    def __init__(self, reader: MainScreen) -> None:
        self.reader = reader
        self._link_cycle: tuple[str, int, float] = ("", 0, 0.0)
        """(paper id, link index, time) of the last ``y``."""

    def cite(self) -> None:
        paper = self.reader.selection.selected_paper()
        if paper is not None:
            self.reader.app.copy_citation(paper, None)

    def cite_choose(self) -> None:
        from tui.screens.cite_chooser import CitationChooserScreen

        app = self.reader.app
        paper = self.reader.selection.selected_paper()
        if paper is None:
            return

        def chosen(fmt: str | None) -> None:
            if fmt:
                app.copy_citation(paper, fmt)

        app.push_screen(CitationChooserScreen(paper), chosen)

    def copy_link(self) -> None:
        reader = self.reader
        paper = reader.selection.selected_paper()
        if paper is None:
            return
        if not paper.github:
            reader.notify("This paper has no GitHub link; nothing copied", severity="warning")
            return
        last_id, last_index, last_time = self._link_cycle
        again = last_id == paper.id and time.monotonic() - last_time < LINK_CYCLE_TIME
        index = (last_index + 1) % len(paper.github) if again else 0
        self._link_cycle = (paper.id, index, time.monotonic())
        suffix = f" ({index + 1} of {len(paper.github)}; y again for the next)" if len(paper.github) > 1 else ""
        from store.links import is_web_url  # on first use: not on the first paint's path

        if not is_web_url(paper.github[index]):  # importers clean links, but a store file can be edited by hand
            reader.notify("Refused to copy a link that is not http(s)", severity="error")
            return
        reader.app.copy_text(paper.github[index], f"GitHub link{suffix}", show=True)

    def open_link(self) -> None:
        reader = self.reader
        paper = reader.selection.selected_paper()
        if paper is None:
            return
        url = paper.github[0] if paper.github else paper.url
        if not url:
            reader.notify("This paper has no link to open", severity="warning")
            return
        reader.app.open_link(url)

    def open_pdf(self) -> None:
        """Open the arXiv PDF (over SSH or without a display: copy its link, like ``o``)."""
        reader = self.reader
        paper = reader.selection.selected_paper()
        if paper is None:
            return
        from store.links import pdf_url

        url = pdf_url(paper.arxiv_id)
        if url is None:
            reader.notify(
                "This paper has no arXiv id, so no PDF link; `papertray resolve` looks it up on arXiv",
                severity="warning",
            )
            return
        reader.app.open_link(url)
