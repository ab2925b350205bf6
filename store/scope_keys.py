"""The rows a search was last given, numbered for the index: kept, because the filter asks about the same view on every keystroke."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from operator import is_, itemgetter
from typing import cast

from store.model import Row

_row_id = itemgetter(0)
"""``row.id`` for a `Row` (a tuple: its first field), callable from C."""


def first_numbers(found: Iterable[int | None]) -> list[int]:
    """``found`` in order, each number once, the Nones (unknown ids) dropped: all in C."""
    in_order: dict[int | None, None] = dict.fromkeys(found)
    in_order.pop(None, None)
    return cast("list[int]", list(in_order))


class ScopeKeys:
    """The rows a search was last given, as paper numbers of the index, reused while the same rows come back.

    The filter bar searches the same view on every keystroke: checking that
    the rows are the very same objects costs about 1 ms at 100k rows,
    numbering them again about 25 ms.
    """

    def __init__(self) -> None:
        self._numbered: tuple[Mapping[str, int], tuple[Row, ...], list[int], list[Row | None]] | None = None

    def numbered(self, rows: Sequence[Row], numbers: Mapping[str, int], size: int) -> tuple[list[int], list[Row | None]]:
        """``rows`` as paper numbers of a search index of ``size`` papers (in order, each once), and the row at each number.

        A search answers with paper numbers; looking each answer's id up in
        ``{id: row}`` cost 9 ms for 12k answers at 100k papers (a cold
        string-keyed lookup each), indexing a list well under 1 ms. Made once
        per scope and index, every step in C (each id looked up once), and kept.
        """
        made = self._numbered
        if made is not None and made[0] is numbers and len(made[1]) == len(rows) and all(map(is_, made[1], rows)):
            return made[2], made[3]
        found = list(map(numbers.get, map(_row_id, rows)))
        by_number: dict[int | None, Row] = dict(zip(found, rows, strict=True))  # a repeated id: its last row
        by_number.pop(None, None)
        row_at: list[Row | None] = [None] * size
        deque(map(row_at.__setitem__, cast("Iterable[int]", by_number), by_number.values()), maxlen=0)
        docs = first_numbers(found)
        self._numbered = (numbers, tuple(rows), docs, row_at)
        return docs, row_at
