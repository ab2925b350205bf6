"""The list caches beside ``papers.json``: ``rows.bin`` (the list index) and ``records.jsonl`` (one line a paper).

``rows.bin`` is a JSON header line then one block of bytes per column
(`store.row_columns`): at 100k papers it loads in a third of the time the
same rows took as one JSON document.

Both are derived and stamped with the identity of the ``papers.json`` they
were made from: a cache that does not match is ignored (and rebuilt by
`store.corpus.Corpus`), never trusted. Reading one paper is one seek into
``records.jsonl``; the whole list paints from ``rows.bin`` alone.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterable, Iterator, Sequence
from itertools import repeat
from pathlib import Path
from typing import Any

import orjson

from store.atomic import FileIdentity, atomic_write_chunks
from store.model import Row
from store.record_spans import RecordSpans
from store.row_columns import decode, encode_int, encode_text

ROWS_CACHE = "rows.bin"
RECORDS_CACHE = "records.jsonl"
CACHE_FORMAT = 4
"""3: rows carry the import day for undated papers and one-line titles; 4: columns of bytes, not JSON."""


def read_list_cache(cache_dir: Path, current: FileIdentity) -> tuple[list[Row], RecordSpans, dict[str, str]] | None:
    """Rows, record spans and aliases from ``rows.bin`` when it was made from ``current``; else None."""
    try:
        raw = (cache_dir / ROWS_CACHE).read_bytes()
        end = raw.index(b"\n")
        header = orjson.loads(raw[:end])
    except (OSError, ValueError):  # orjson.JSONDecodeError is a ValueError
        return None
    if (
        not isinstance(header, dict)
        or header.get("format") != CACHE_FORMAT
        or header.get("identity") != list(current)
        or header.get("byteorder") != sys.byteorder
    ):
        return None
    # 100k rows and offsets are 200k tuples: the cyclic collector would run
    # dozens of times while they pile up (a third of the load at 100k, more
    # in a process full of widgets), and none of them can form a cycle.
    collecting = gc.isenabled()
    gc.disable()
    try:
        count, at, columns = header["count"], end + 1, {}
        for name, kind, length in header["columns"]:
            columns[name] = decode(kind, raw[at : at + length], count, offsets=name in ("starts", "lengths"))
            at += length
        if at != len(raw):
            return None
        ids, titles, dates = columns["ids"], columns["titles"], columns["dates"]
        code, upvotes, starts, lengths = columns["code"], columns["upvotes"], columns["starts"], columns["lengths"]
        # tuple.__new__ straight from zip's tuples: twice as fast as calling
        # Row(...), whose __new__ is Python code (the fields are all given).
        fields = zip(ids, titles, dates, map(bool, code), upvotes, strict=True)
        rows: list[Row] = list(map(tuple.__new__, repeat(Row, len(ids)), fields))
        return rows, RecordSpans(ids, starts, lengths), dict(header.get("aliases", {}))
    except (KeyError, TypeError, ValueError):
        return None
    finally:
        if collecting:
            gc.enable()


def write_list_cache(
    cache_dir: Path, current: FileIdentity, lines: Iterable[bytes], rows: Sequence[Row], aliases: dict[str, str]
) -> RecordSpans | None:
    """Write both caches; None when writing failed.

    Args:
        lines: Each document's line of ``records.jsonl`` (its ``orjson.dumps``
            and a newline), in display order (``rows`` are theirs): dumped from
            documents in memory, or copied from ``papers.json`` by the cold
            open (`store.corpus_stream`).

    ``records.jsonl`` is streamed line by line: at 100k papers the lines
    joined in memory cost more than a gigabyte of peak RSS on import.
    """
    starts: list[int] = []
    lengths: list[int] = []

    def spanned() -> Iterator[bytes]:
        pos = 0
        for line in lines:
            starts.append(pos)
            lengths.append(len(line) - 1)
            pos += len(line)
            yield line

    try:
        cache_dir.mkdir(exist_ok=True)
        atomic_write_chunks(cache_dir / RECORDS_CACHE, spanned())
        atomic_write_chunks(cache_dir / ROWS_CACHE, rows_file(current, rows, starts, lengths, aliases))
    except OSError:
        return None
    return RecordSpans([r.id for r in rows], starts, lengths)


def rows_file(
    current: FileIdentity, rows: Sequence[Row], starts: list[int], lengths: list[int], aliases: dict[str, str]
) -> Iterator[bytes]:
    """The bytes of ``rows.bin``: a JSON header line naming its columns, then the columns (`store.row_columns`)."""
    columns = [
        ("ids", encode_text([r.id for r in rows])),
        ("titles", encode_text([r.title for r in rows])),
        ("dates", encode_text([r.date for r in rows])),
        ("code", encode_int([1 if r.has_code else 0 for r in rows])),
        ("upvotes", encode_int([r.upvotes for r in rows])),
        ("starts", encode_int(starts)),
        ("lengths", encode_int(lengths)),
    ]
    header = {
        "format": CACHE_FORMAT,
        "identity": list(current),
        "byteorder": sys.byteorder,
        "count": len(rows),
        "columns": [[name, kind, len(data)] for name, (kind, data) in columns],
        "aliases": aliases,
    }
    yield orjson.dumps(header) + b"\n"
    for _, (_, data) in columns:
        yield data


def read_record(records: Path, span: tuple[int, int]) -> dict[str, Any] | None:
    """One paper's document at ``span`` of ``records`` (``records.jsonl``); None when it cannot be read."""
    try:
        with open(records, "rb") as handle:
            handle.seek(span[0])
            doc = orjson.loads(handle.read(span[1]))
    except (OSError, orjson.JSONDecodeError):
        return None
    return doc if isinstance(doc, dict) else None


def stream_records(records: Path, spans: RecordSpans, ids: Iterable[str]) -> Iterator[dict[str, Any]]:
    """The documents of ``ids`` read one at a time from ``records`` (see `store.corpus.Corpus.stream_records`).

    Raises:
        KeyError: an id the cache does not hold.
        ValueError: the cache does not hold what its offsets say.
        OSError: the cache cannot be read.
    """
    with open(records, "rb") as handle:
        for pid in ids:
            span = spans.get(pid)
            if span is None:
                raise KeyError(pid)
            start, length = span
            handle.seek(start)
            doc = orjson.loads(handle.read(length))
            if not isinstance(doc, dict) or doc.get("id") != pid:
                raise ValueError(f"records cache does not hold {pid} where it says")
            yield doc
