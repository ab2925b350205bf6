"""The rows a search was last given, keyed by id: kept, because the filter asks about the same view on every keystroke."""

from __future__ import annotations

from collections.abc import Sequence
from operator import is_, itemgetter

from store.model import Row

_row_id = itemgetter(0)
"""``row.id`` for a `Row` (a tuple: its first field), callable from C."""


class ScopeKeys:
    """``{id: row}`` and the ids of the rows a search was given, reused while the same rows come back.

    The filter bar searches the same view on every keystroke: checking that
    the rows are the very same objects costs about 1 ms at 100k rows, keying
    them again about 15 ms (and the index then recognises the same id list).
    """

    def __init__(self) -> None:
        self._last: tuple[tuple[Row, ...], dict[str, Row], list[str]] | None = None

    def keyed(self, rows: Sequence[Row]) -> tuple[dict[str, Row], list[str]]:
        last = self._last
        if last is not None and len(last[0]) == len(rows) and all(map(is_, last[0], rows)):
            return last[1], last[2]
        by_id = dict(zip(map(_row_id, rows), rows, strict=True))  # in C: three times quicker than a comprehension
        ids = list(by_id)
        self._last = (tuple(rows), by_id, ids)
        return by_id, ids
