"""Where each paper's line is in ``cache/records.jsonl`` (see :mod:`store.corpus`): one seek per abstract."""

from __future__ import annotations

from collections.abc import Sequence


class RecordSpans:
    """Byte offset and length of each paper's line in ``records.jsonl``, looked up by id.

    The id-to-position dict is made on the first lookup, not when the rows
    cache loads: at 100k papers it is 50 ms of the start-up before the first
    paint, and a session that never opens an abstract never needs it.
    """

    __slots__ = ("_ids", "_lengths", "_positions", "_starts")

    def __init__(self, ids: Sequence[str], starts: Sequence[int], lengths: Sequence[int]) -> None:
        if not len(ids) == len(starts) == len(lengths):
            raise ValueError("records cache: ids, starts and lengths differ in length")
        self._ids, self._starts, self._lengths = ids, starts, lengths
        self._positions: dict[str, int] | None = None

    def get(self, paper_id: str) -> tuple[int, int] | None:
        positions = self._positions
        if positions is None:  # two threads may both build it: the same dict, harmless
            positions = self._positions = dict(zip(self._ids, range(len(self._ids)), strict=True))
        index = positions.get(paper_id)
        return None if index is None else (self._starts[index], self._lengths[index])
