"""`ScopeKeys.numbered`: a view's rows as the search index's paper numbers, and back."""

from __future__ import annotations

from store.model import Row
from store.scope_keys import ScopeKeys


def _row(pid: str, title: str = "t") -> Row:
    return Row(id=pid, title=title, date="2026-01-01", has_code=False, upvotes=None)


def test_numbers_keep_the_view_order_drop_unknown_ids_and_repeats() -> None:
    numbers = {"a": 0, "b": 1, "c": 2, "d": 3}
    first_c, second_c = _row("c", "first"), _row("c", "second")
    rows = [_row("d"), first_c, _row("zz"), _row("a"), second_c]
    docs, row_at = ScopeKeys().numbered(rows, numbers, 4)
    assert docs == [3, 2, 0], "view order, the unknown id dropped, the repeated id once"
    assert [r.id if r else None for r in row_at] == ["a", None, "c", "d"]
    assert row_at[2] is second_c, "a repeated id answers with its last row, as {id: row} did"


def test_the_same_rows_are_numbered_once() -> None:
    keys = ScopeKeys()
    numbers = {"a": 0, "b": 1}
    rows = [_row("a"), _row("b")]
    first = keys.numbered(rows, numbers, 2)
    assert keys.numbered(list(rows), numbers, 2) is not None
    assert keys.numbered(list(rows), numbers, 2)[1] is first[1], "the very same row objects: reused"
    assert keys.numbered([_row("a"), _row("b")], numbers, 2)[1] is not first[1], "other objects: numbered again"
    assert keys.numbered(rows, dict(numbers), 2)[1] is not first[1], "another index: numbered again"
