"""The cold open: ``papers.json`` read one document at a time into the list caches.

Why a second reader: with no current list cache (first open after an upgrade,
a deleted ``cache/``), `store.corpus.Corpus` used to ``orjson.loads`` the
whole file — at 100k papers 190 MB of bytes plus every document as Python
objects, near 900 MB of peak RSS — only to keep the list rows and write the
caches. Here the file is read in bounded chunks, each document is parsed on
its own and dropped at once, and only what the list needs is kept: the rows,
the aliases, the marker and where each document's bytes are. ``records.jsonl``
is then written in display order by reading each document's bytes back.
Memory is rows plus spans, not documents.

How documents are found. A row of a table ends with ``}`` followed by the next
row's key (``,"<digits>":{``) or by the table's end (``}`` then ``,`` or
``}``). The first pattern cannot occur inside a JSON string (a quote inside a
string is escaped, so a bare ``,"`` there would end the string, and a
closing quote is never followed by a digit); the second can. Both can occur in
a nested object. So each match is only a candidate end: from a row's opening
brace, the shortest candidate piece that parses is exactly the row (a shorter
piece ending in ``}`` leaves that brace open). Every piece, key and table name
is parsed by orjson, and the layout around them is checked byte by byte.

Anything else — a damaged or foreign file, a table or row that is not an
object, a repeated key, a document without a string id, a row no candidate
closes — raises `StreamDoubt`, and the caller parses the file whole as
before: a bad file is refused with exactly the same error as ever.
"""

from __future__ import annotations

import gc
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Any

import orjson

from store.atomic import FileIdentity, identity
from store.list_cache import RECORDS_CACHE, write_list_cache
from store.model import Row
from store.paper_docs import row_of, sort_key
from store.record_spans import RecordSpans
from store.storage import MARKER_TABLE

CHUNK = 1 << 18
"""Bytes read at a time: the window holds one chunk plus the document it ends in."""
MAX_TRIES = 64
"""Candidate ends tried for one document before giving up (each is a parse of a prefix)."""
MAX_KEY = 1 << 16
"""A table name or row key longer than this is not a layout we stream."""

_WS = re.compile(rb"[ \t\n\r]*")
"""JSON's whitespace (``\\s`` would also take form feeds, which JSON refuses)."""
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_DOC_END = re.compile(rb'\}(?=[ \t\n\r]*(?:,[ \t\n\r]*"([0-9]+)"[ \t\n\r]*:[ \t\n\r]*(\{)|\}[ \t\n\r]*[,}]))')
"""A ``}`` that may close a table's row (see the module docstring); the next row's key and brace are groups 1 and 2."""


class StreamDoubt(Exception):
    """The file is not what this reader streams: parse it whole instead (which reports any damage)."""


@dataclass(frozen=True)
class ColdIndex:
    """What the list needs from ``papers.json``, as `store.list_cache` would have loaded it."""

    rows: list[Row]
    """In display order."""
    spans: RecordSpans
    """Where each paper's JSON is in ``records``."""
    records: Path
    """``records.jsonl``; ``papers.json`` itself when the cache could not be written."""
    aliases: dict[str, str]
    marker: dict[str, Any]
    identity: FileIdentity
    """The file that was read (the caches are stamped with it)."""


class _Papers:
    """Per paper, in the order a full parse keeps them: at an id's first place, its last document."""

    __slots__ = ("entries", "where")

    def __init__(self) -> None:
        self.entries: list[tuple[tuple[str, int], Row, int, int, bool]] = []
        """Sort key, row, offset and length in the file, and whether those bytes are the document's
        ``orjson.dumps`` (so they are copied as they are)."""
        self.where: dict[str, int] = {}

    def add(self, doc: dict[str, Any], start: int, piece: bytes) -> None:
        pid = doc["id"]
        if type(pid) is not str:
            raise StreamDoubt("an id that is not a string")
        try:
            entry = (sort_key(doc), row_of(doc), start, len(piece), orjson.dumps(doc) == piece)
        except Exception as exc:  # whatever a full parse then does with this document, it does it
            raise StreamDoubt("a document the list cannot show") from exc
        at = self.where.setdefault(pid, len(self.entries))
        if at == len(self.entries):
            self.entries.append(entry)
        else:  # a repeated id: the later document, at the earlier one's place (as a dict keeps it)
            self.entries[at] = entry


class _Window:
    """``papers.json`` read forward in chunks: ``buf[pos:]`` is not consumed yet, ``buf[0]`` is at ``base`` in the file."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.buf = b""
        self.pos = 0
        self.base = 0
        self.eof = False

    def more(self) -> bool:
        """Read the next chunk, dropping what was consumed; False at the end of the file."""
        chunk = b"" if self.eof else os.read(self.fd, CHUNK)
        if not chunk:
            self.eof = True
            return False
        self.base += self.pos
        self.buf = self.buf[self.pos :] + chunk
        self.pos = 0
        return True

    def peek(self) -> int | None:
        """The next byte that is not whitespace (consuming the whitespace); None at the end."""
        while True:
            self.pos = _WS.match(self.buf, self.pos).end()  # type: ignore[union-attr]  # matches the empty string
            if self.pos < len(self.buf) or not self.more():
                return self.buf[self.pos] if self.pos < len(self.buf) else None

    def expect(self, char: bytes) -> None:
        if self.peek() != char[0]:
            raise StreamDoubt(f"expected {char!r}")
        self.pos += 1

    def string(self) -> str:
        if self.peek() != ord('"'):
            raise StreamDoubt("expected a string")
        while (found := _STRING.match(self.buf, self.pos)) is None:
            if len(self.buf) - self.pos > MAX_KEY or not self.more():
                raise StreamDoubt("a string that does not end")
        value = _loads(found.group())
        if not isinstance(value, str):
            raise StreamDoubt("expected a string")
        self.pos = found.end()
        return value

    def document(self) -> tuple[dict[str, Any], int, bytes, str | None]:
        """The object starting at the next byte, its offset in the file, its bytes and the next row's key.

        When the object is followed by another row (``,"<digits>":``), that
        row's key is returned and consumed with it, up to its ``{``; else the
        key is None and nothing after the object is consumed.
        """
        if self.peek() != ord("{"):
            raise StreamDoubt("a row that is not an object")
        after = 0  # candidates are searched from here on (relative to pos, which `more` moves)
        for _ in range(MAX_TRIES):
            while (found := _DOC_END.search(self.buf, self.pos + after)) is None:
                if not self.more():
                    raise StreamDoubt("a row that does not end")
            piece = self.buf[self.pos : found.end()]
            try:
                doc = orjson.loads(piece)
            except orjson.JSONDecodeError:
                after = found.end() - self.pos
                continue
            start = self.base + self.pos
            key = found.group(1)
            if key is None:
                self.pos = found.end()
                return doc, start, piece, None
            self.pos = found.start(2)
            return doc, start, piece, key.decode()
        raise StreamDoubt("a row with too many candidate ends")


def _loads(raw: bytes) -> object:
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise StreamDoubt("a key that does not parse") from exc


def _scan(window: _Window, kind: str) -> tuple[_Papers, dict[str, str], dict[str, Any]]:
    """Papers, aliases and marker of a whole TinyDB file, checked as `store.storage.load_tables` checks it."""
    papers = _Papers()
    aliases: dict[str, str] = {}
    marker: object = None
    tables: set[str] = set()
    window.expect(b"{")
    if window.peek() == ord("}"):
        raise StreamDoubt("no tables")
    while True:
        name = window.string()
        if name in tables:
            raise StreamDoubt("a repeated table")
        tables.add(name)
        window.expect(b":")
        window.expect(b"{")
        keys: set[str] = set()
        key: str | None = None
        while True:
            if key is None:  # the first row, the end of the table, or a key `document` did not read
                if window.peek() == ord("}"):
                    window.pos += 1
                    break
                if keys:
                    window.expect(b",")
                key = window.string()
                window.expect(b":")
            if key in keys:
                raise StreamDoubt("a repeated key")
            keys.add(key)
            doc, start, piece, after = window.document()
            if name == "papers":
                if "id" in doc:
                    papers.add(doc, start, piece)
            elif name == "aliases":
                if "old" in doc and "new" in doc:
                    if type(doc["old"]) is not str:
                        raise StreamDoubt("an alias that is not a string")
                    aliases[doc["old"]] = doc["new"]
            elif name == MARKER_TABLE and key == "1":
                marker = doc
            key = after
        if window.peek() == ord("}"):
            window.pos += 1
            break
        window.expect(b",")
    if window.peek() is not None:
        raise StreamDoubt("bytes after the end")
    if not isinstance(marker, dict) or marker.get("kind") != kind:
        raise StreamDoubt(f"not a papertray {kind} file")
    return papers, aliases, marker


def _lines(fd: int, starts: list[int], lengths: list[int], exact: list[bool]) -> Iterator[bytes]:
    """Each paper's line of ``records.jsonl``: its bytes in the file, or parsed and dumped when they differ.

    Raises:
        StreamDoubt: the bytes are no longer what was read (the file changed).
    """
    for start, length, same in zip(starts, lengths, exact, strict=True):
        piece = os.pread(fd, length, start)
        try:
            yield piece + b"\n" if same and len(piece) == length else orjson.dumps(orjson.loads(piece), option=orjson.OPT_APPEND_NEWLINE)
        except orjson.JSONDecodeError as exc:
            raise StreamDoubt("papers.json changed while it was read") from exc


def stream_index(path: Path, cache_dir: Path, kind: str = "papers") -> ColdIndex:
    """Read ``path`` a document at a time and write its list caches into ``cache_dir``.

    Raises:
        StreamDoubt: the file is not a layout this reader is sure of, or it
            changed while it was read; nothing was kept (caches written
            meanwhile carry the identity of a file that is gone).
        OSError: ``path`` cannot be opened or read.
    """
    fd = os.open(path, os.O_RDONLY)
    # 100k rows pile up and none can form a cycle: the cyclic collector, run
    # dozens of times meanwhile, would cost a tenth of the read.
    collecting = gc.isenabled()
    gc.disable()
    try:
        st = os.fstat(fd)
        read = FileIdentity(st.st_ino, st.st_size, st.st_mtime_ns)
        if identity(path) != read:
            raise StreamDoubt("papers.json was replaced while it was opened")
        papers, aliases, marker = _scan(_Window(fd), kind)
        entries = papers.entries
        del papers
        # Display order, as `Corpus` sorts documents: stable, so equal keys keep the file's order.
        entries.sort(key=itemgetter(0), reverse=True)
        rows = [entry[1] for entry in entries]
        starts = [entry[2] for entry in entries]
        lengths = [entry[3] for entry in entries]
        exact = [entry[4] for entry in entries]
        del entries
        if identity(path) != read:
            raise StreamDoubt("papers.json changed while it was read")
        spans = write_list_cache(cache_dir, read, _lines(fd, starts, lengths, exact), rows, aliases)
        if identity(path) != read:
            raise StreamDoubt("papers.json changed while it was read")
    finally:
        os.close(fd)
        if collecting:
            gc.enable()
    if spans is not None:
        return ColdIndex(rows, spans, cache_dir / RECORDS_CACHE, aliases, marker, read)
    # No cache (a read-only directory, a full disk): abstracts are read from papers.json itself.
    return ColdIndex(rows, RecordSpans([r.id for r in rows], starts, lengths), path, aliases, marker, read)
