"""The search index's file: named, aligned binary arrays read in place, never parsed into objects.

The index at 100k papers is over a hundred megabytes of postings and token
strings. Held as Python objects it cost several hundred megabytes of heap;
read in place from a memory map, it costs page cache, and only the pages a
search touches become resident.

Layout (all offsets relative to the magic, every array 8-byte aligned)::

    MAGIC | array | array | ... | header (JSON) | trailer

The trailer (last 24 bytes) holds the header's offset and length and the
CRC-32 of the header and of everything between the magic and the header.
The header names each array's position and item type, and carries the few
small things searched as Python objects (ids, date runs, initials). It is
written last, so a writer streams the arrays to the file one by one and never
holds the whole index in memory.
"""

from __future__ import annotations

import sys
import zlib
from array import array
from collections.abc import Iterable
from io import BufferedReader
from typing import IO, Any, Protocol

import orjson

MAGIC = b"PTSRCH2\n"
FORMAT_VERSION = 2
TRAILER_LEN = 24
"""Header offset and length (8 bytes each), CRC-32 of the header and of the arrays (4 bytes each)."""
_CHUNK = 1 << 20


class IndexFormatError(ValueError):
    """Cached index bytes that are not ours (or from another version): rebuild it."""


class Buffer(Protocol):
    """What the index reads from: ``bytes`` or an ``mmap`` (both slice, ``find`` and expose a buffer)."""

    def __len__(self) -> int: ...
    def __getitem__(self, key: slice) -> bytes: ...
    def find(self, sub: bytes, start: int = ..., end: int = ...) -> int: ...


class IndexWriter:
    """Streams named arrays to ``out``, then the header and trailer (see the module docstring)."""

    def __init__(self, out: IO[bytes]) -> None:
        self._out = out
        self._pos = len(MAGIC)
        self._crc = 0
        self._arrays: dict[str, tuple[int, int, str]] = {}
        out.write(MAGIC)

    def add(self, name: str, data: bytes | bytearray | memoryview | array[Any], kind: str = "B") -> None:
        """Write one array; ``kind`` is its ``array`` type code ("B" bytes, "i" int32, "q" int64)."""
        self.add_parts(name, [data], kind)

    def add_parts(self, name: str, parts: Iterable[bytes | bytearray | memoryview | array[Any]], kind: str = "B") -> None:
        """Write one array given as consecutive pieces (never joined in memory)."""
        start = self._pos
        for part in parts:
            self._write(part)
        self._arrays[name] = (start, self._pos - start, kind)
        pad = -self._pos % 8
        if pad:
            self._write(bytes(pad))

    def finish(self, header: dict[str, Any]) -> None:
        """Write the header and trailer; the file is complete after this."""
        head = orjson.dumps(
            {**header, "version": FORMAT_VERSION, "byteorder": sys.byteorder, "arrays": self._arrays}
        )
        head += b" " * (-len(head) % 8)
        trailer = (
            self._pos.to_bytes(8, "little") + len(head).to_bytes(8, "little") + _crc(head) + self._crc.to_bytes(4, "little")
        )
        self._out.write(head + trailer)

    def _write(self, data: bytes | bytearray | memoryview | array[Any]) -> None:
        view = memoryview(data).cast("B")
        self._out.write(view)
        self._crc = zlib.crc32(view, self._crc)
        self._pos += len(view)


class IndexFile:
    """A parsed header over a buffer: arrays are handed out as views, not copies."""

    __slots__ = ("_arrays", "_swap", "_view", "buffer", "header", "start")

    def __init__(self, buffer: Buffer, start: int, header: dict[str, Any], arrays: dict[str, tuple[int, int, str]]) -> None:
        self.buffer = buffer
        self.start = start
        self.header = header
        self._arrays = arrays
        self._swap = header["byteorder"] != sys.byteorder
        self._view = memoryview(buffer)  # type: ignore[arg-type]

    def span(self, name: str) -> tuple[int, int]:
        """Absolute ``[start, stop)`` of an array in the buffer."""
        offset, size, _ = self._arrays[name]
        return self.start + offset, self.start + offset + size

    def raw(self, name: str) -> memoryview:
        start, stop = self.span(name)
        return self._view[start:stop]

    def ints(self, name: str) -> memoryview:
        """An integer array as a typed view (a byte-swapped copy on a machine of the other byte order)."""
        kind = self._arrays[name][2]
        raw = self.raw(name)
        if len(raw) % array(kind).itemsize:
            raise IndexFormatError(f"search index array {name} is truncated")
        if not self._swap:
            return raw.cast("i") if kind == "i" else raw.cast("q") if kind == "q" else raw
        values = array(kind)
        values.frombytes(raw.tobytes())
        values.byteswap()
        return memoryview(values)

    def release(self) -> None:
        self._view.release()


def read_index(buffer: Buffer, start: int = 0, *, check_body: bool = True) -> IndexFile:
    """Parse the header of the index at ``buffer[start:]``; arrays stay where they are.

    Args:
        buffer: ``bytes`` or a read-only ``mmap``.
        start: Where the magic is.
        check_body: Verify the arrays' CRC-32 by reading them through the
            buffer. A caller that mapped a file checks it with `check_file`
            instead, so that the check does not make the whole map resident.

    Raises:
        IndexFormatError: not a papertray index of this version, or damaged.
    """
    end = len(buffer)
    if end - start < len(MAGIC) + TRAILER_LEN or buffer[start : start + len(MAGIC)] != MAGIC:
        raise IndexFormatError("not a papertray search index")
    trailer = buffer[end - TRAILER_LEN : end]
    head_at = int.from_bytes(trailer[:8], "little")
    head_len = int.from_bytes(trailer[8:16], "little")
    if head_at < len(MAGIC) or head_at + head_len != end - start - TRAILER_LEN:
        raise IndexFormatError("search index is truncated")
    head = buffer[start + head_at : start + head_at + head_len]
    try:
        header = orjson.loads(head)
    except orjson.JSONDecodeError as exc:
        raise IndexFormatError(f"damaged search index header: {exc}") from exc
    if not isinstance(header, dict) or header.get("version") != FORMAT_VERSION:
        found = header.get("version") if isinstance(header, dict) else None
        raise IndexFormatError(f"search index version {found!r}, expected {FORMAT_VERSION}")
    if _crc(head) != trailer[16:20]:
        raise IndexFormatError("search index header is damaged (checksum)")
    if check_body and _crc(memoryview(buffer)[start + len(MAGIC) : start + head_at]) != trailer[20:24]:  # type: ignore[arg-type]
        raise IndexFormatError("search index is damaged (checksum)")
    try:
        arrays = {str(name): (int(o), int(n), str(k)) for name, (o, n, k) in header["arrays"].items()}
        if header["byteorder"] not in ("little", "big") or array("i").itemsize != 4:
            raise IndexFormatError("search index written for another kind of machine")
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise IndexFormatError(f"damaged search index header: {exc}") from exc
    for offset, size, kind in arrays.values():
        if offset < len(MAGIC) or size < 0 or offset + size > head_at or kind not in ("B", "i", "q"):
            raise IndexFormatError("search index is inconsistent")
    return IndexFile(buffer, start, header, arrays)


def check_file(handle: BufferedReader, start: int, index: IndexFile) -> None:
    """Verify the arrays' CRC-32 by reading ``handle`` in chunks (page cache only, no resident map).

    Raises:
        IndexFormatError: the checksum does not match.
    """
    end = len(index.buffer)
    head_at = int.from_bytes(index.buffer[end - TRAILER_LEN : end - TRAILER_LEN + 8], "little")
    expected = index.buffer[end - 4 : end]
    handle.seek(start + len(MAGIC))
    remaining = head_at - len(MAGIC)
    chunk = bytearray(_CHUNK)
    crc = 0
    while remaining > 0:
        got = handle.readinto(memoryview(chunk)[: min(remaining, _CHUNK)])
        if not got:
            raise IndexFormatError("search index is truncated")
        crc = zlib.crc32(memoryview(chunk)[:got], crc)
        remaining -= got
    if crc.to_bytes(4, "little") != expected:
        raise IndexFormatError("search index is damaged (checksum)")


def _crc(data: bytes | memoryview) -> bytes:
    return zlib.crc32(data).to_bytes(4, "little")
