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
from operator import is_

from store.model import Row
from store.query import Query, TextTerm, parse_query
from store.tokens import tokenize


class TitleScan:
    """Normalised titles by id, made on first use (about a second per 100k titles) and kept."""

    def __init__(self) -> None:
        self._titles: dict[str, str] = {}
        self._last: tuple[tuple[Row, ...], list[str]] | None = None
        self._lock = threading.Lock()

    def answer(self, text: str, rows: Sequence[Row]) -> list[Row] | None:
        """`search` for the query ``text`` (all of ``rows`` for an empty query).

        Raises:
            QueryError: the query does not parse.
        """
        query = parse_query(text)
        return list(rows) if query.is_empty else self.search(query, rows)

    def search(self, query: Query, rows: Sequence[Row]) -> list[Row] | None:
        """``rows`` whose title matches ``query``, in their order; None when titles cannot answer it."""
        if query.filters or any(t.field not in (None, "title") for t in (*query.include, *query.exclude)):
            return None
        titles = self._titles_of(rows)
        keep: Sequence[int] = range(len(rows))
        for needle in map(_needle, query.include):
            keep = [i for i in keep if needle in titles[i]]
        for needle in map(_needle, query.exclude):
            keep = [i for i in keep if needle not in titles[i]]
        return [rows[i] for i in keep]

    def _titles_of(self, rows: Sequence[Row]) -> list[str]:
        """The normalised titles of ``rows``; the last answer again when the very same rows come back."""
        with self._lock:
            last = self._last
            if last is not None and len(last[0]) == len(rows) and all(map(is_, last[0], rows)):
                return last[1]
            titles = self._titles
            for row in rows:
                if row.id not in titles:
                    titles[row.id] = " " + " ".join(tokenize(row.title)) + " "
            found = [titles[r.id] for r in rows]
            self._last = (tuple(rows), found)
            return found


def _needle(term: TextTerm) -> str:
    """The term's words as they would sit in a normalised title: from a word start, to a word end unless typed."""
    return " " + " ".join(term.tokens) + ("" if term.prefix else " ")
