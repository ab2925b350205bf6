"""Titles-only matching, so the filter answers at once while the full search index is still being built.

On a first open of a large store (no ``cache/``, e.g. after an upgrade) the
index takes seconds to build in a child process. Meanwhile the filter scans
the titles of the rows it is given: each word must begin a word of the title
(the word being typed as a prefix), phrases must be adjacent, ``-word``
excludes. No typos, no ranking (the view's order), and any query needing more
than titles (authors, abstracts via filters, ``is:``, ``date:``...) is left to
the index. The screen says the answer is provisional and asks again when the
index is ready.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from store.model import Row
from store.query import Query, TextTerm
from store.tokens import tokenize


class TitleScan:
    """Normalised titles by id, made on first use (about a second per 100k titles) and kept."""

    def __init__(self) -> None:
        self._titles: dict[str, str] = {}
        self._lock = threading.Lock()

    def search(self, query: Query, rows: Sequence[Row]) -> list[Row] | None:
        """``rows`` whose title matches ``query``, in their order; None when titles cannot answer it."""
        if query.filters or any(t.field not in (None, "title") for t in (*query.include, *query.exclude)):
            return None
        titles = self._titles_of(rows)
        wanted = [_needle(t) for t in query.include]
        unwanted = [_needle(t) for t in query.exclude]
        found: list[Row] = []
        for row, title in zip(rows, titles, strict=True):
            if all(n in title for n in wanted) and not any(n in title for n in unwanted):
                found.append(row)
        return found

    def _titles_of(self, rows: Sequence[Row]) -> list[str]:
        with self._lock:
            titles = self._titles
            missing = [r for r in rows if r.id not in titles]
            for row in missing:
                titles[row.id] = " " + " ".join(tokenize(row.title)) + " "
            return [titles[r.id] for r in rows]


def _needle(term: TextTerm) -> str:
    """The term's words as they would sit in a normalised title: from a word start, to a word end unless typed."""
    return " " + " ".join(term.tokens) + ("" if term.prefix else " ")
