"""Bounds for every number papertray stores: one odd value is dropped, never fatal.

Counts come from web pages and APIs. One ``upvotes`` of ``2**64`` used to
fail a whole import (orjson writes 64-bit integers only), a negative or a
string one confused sorting. Each numeric field has its own range; a value
outside it, or of the wrong type (bool, string, NaN, a fractional float) is
dropped to ``None`` ("unknown") rather than guessed at.
"""

from __future__ import annotations

import math
from collections.abc import MutableMapping
from typing import Any

COUNT_RANGES: dict[str, tuple[int, int]] = {
    "upvotes": (0, 10_000_000),
    "comments": (0, 10_000_000),
    "github_stars": (0, 100_000_000),
    "seq": (0, 2**53),
}
"""Field -> (lowest, highest) accepted value, both inclusive.

Far above anything real (the most upvoted paper has a few thousand), far
below what JSON tools mishandle (2**53 for doubles, 2**63 for orjson)."""


def bounded_count(value: object, field: str) -> int | None:
    """``value`` as a whole number within ``field``'s range, or None.

    Integral floats (``12.0``: the API's schema says "number") are accepted;
    bools, strings, NaN, infinities and fractions are not.
    """
    low, high = COUNT_RANGES[field]
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            return None
        value = int(value)
    if not isinstance(value, int):
        return None
    return value if low <= value <= high else None


def bound_doc(doc: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """Bound every numeric field present in a stored paper document, in place."""
    for field in COUNT_RANGES:
        if field in doc and doc[field] is not None:
            value = bounded_count(doc[field], field)
            if value is None and field == "seq":
                value = 0
            doc[field] = value
    return doc
