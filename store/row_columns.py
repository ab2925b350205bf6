"""The columns of ``rows.bin``: each list of the list cache as one block of bytes, decoded in C.

At 100k papers the JSON the list cache used to be took 65 ms to parse
before the first paint. Here a text column is one UTF-8 string with its
values joined by a separator that none of them holds (decoded with one
``split``), and a number column is a machine array (``array.frombytes``).
A column whose values do not fit that (a None, the separator in a title,
a number out of range) is kept as JSON: correct first, fast when it can be.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from typing import Any

import orjson

SEPARATOR = "\x1e"
"""ASCII record separator: joins the values of a text column."""

Column = tuple[str, bytes]
"""(kind, bytes): kind is "text", "int" or "json"."""


def encode_text(values: Sequence[Any]) -> Column:
    """A column of strings; JSON when a value is not a string or holds the separator."""
    if all(type(v) is str and SEPARATOR not in v for v in values):
        return "text", SEPARATOR.join(values).encode("utf-8", "surrogatepass")
    return "json", orjson.dumps(list(values))


def encode_int(values: Sequence[Any]) -> Column:
    """A column of counts (None as -1); JSON when a value is negative, too large or not an int."""
    try:
        if all(v is None or (type(v) is int and v >= 0) for v in values):
            return "int", array("q", [-1 if v is None else v for v in values]).tobytes()
    except OverflowError:
        pass
    return "json", orjson.dumps(list(values))


def decode(kind: str, data: bytes, count: int, *, offsets: bool = False) -> Sequence[Any]:
    """The ``count`` values of a column (``offsets``: a count column kept as its machine array,
    which indexes like a list and costs no 100k Python ints to build).

    Raises:
        ValueError: the bytes do not hold ``count`` values of ``kind``.
    """
    if kind == "text":
        values: list[Any] = data.decode("utf-8", "surrogatepass").split(SEPARATOR) if count else []
    elif kind == "int":
        numbers = array("q")
        numbers.frombytes(data)
        if offsets and len(numbers) == count and -1 not in numbers:
            return numbers
        values = numbers.tolist()
        if -1 in numbers:
            values = [None if v == -1 else v for v in values]
    elif kind == "json":
        try:
            values = orjson.loads(data)
        except orjson.JSONDecodeError as exc:
            raise ValueError(f"column is not JSON: {exc}") from exc
        if not isinstance(values, list):
            raise ValueError("column is not a list")
    else:
        raise ValueError(f"unknown column kind {kind!r}")
    if len(values) != count:
        raise ValueError(f"column holds {len(values)} values, not {count}")
    return values
