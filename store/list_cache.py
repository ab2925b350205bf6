"""The list caches beside ``papers.json``: ``rows.bin`` (the list index) and ``records.jsonl`` (one line a paper).

Both are derived and stamped with the identity of the ``papers.json`` they
were made from: a cache that does not match is ignored (and rebuilt by
`store.corpus.Corpus`), never trusted. Reading one paper is one seek into
``records.jsonl``; the whole list paints from ``rows.bin`` alone.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Sequence
from itertools import repeat
from pathlib import Path
from typing import Any

import orjson

from store.atomic import FileIdentity, atomic_write, atomic_write_chunks
from store.model import Row
from store.record_spans import RecordSpans

ROWS_CACHE = "rows.bin"
RECORDS_CACHE = "records.jsonl"
CACHE_FORMAT = 3
"""3: rows carry the import day for undated papers and one-line titles."""


def read_list_cache(cache_dir: Path, current: FileIdentity) -> tuple[list[Row], RecordSpans, dict[str, str]] | None:
    """Rows, record spans and aliases from ``rows.bin`` when it was made from ``current``; else None."""
    try:
        blob = orjson.loads((cache_dir / ROWS_CACHE).read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return None
    if not isinstance(blob, dict) or blob.get("format") != CACHE_FORMAT or blob.get("identity") != list(current):
        return None
    # 100k rows and offsets are 200k tuples: the cyclic collector would run
    # dozens of times while they pile up (a third of the load at 100k, more
    # in a process full of widgets), and none of them can form a cycle.
    collecting = gc.isenabled()
    gc.disable()
    try:
        ids, titles, dates, authors = blob["ids"], blob["titles"], blob["dates"], blob["authors"]
        code, upvotes, starts, lengths = blob["code"], blob["upvotes"], blob["starts"], blob["lengths"]
        # tuple.__new__ straight from zip's tuples: twice as fast as calling
        # Row(...), whose __new__ is Python code (the fields are all given).
        fields = zip(ids, titles, dates, authors, map(bool, code), upvotes, strict=True)
        rows: list[Row] = list(map(tuple.__new__, repeat(Row, len(ids)), fields))
        return rows, RecordSpans(ids, starts, lengths), dict(blob.get("aliases", {}))
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
        blob = {
            "format": CACHE_FORMAT,
            "identity": list(current),
            "ids": [r.id for r in rows],
            "titles": [r.title for r in rows],
            "dates": [r.date for r in rows],
            "authors": [r.authors for r in rows],
            "code": [1 if r.has_code else 0 for r in rows],
            "upvotes": [r.upvotes for r in rows],
            "starts": starts,
            "lengths": lengths,
            "aliases": aliases,
        }
        atomic_write(cache_dir / ROWS_CACHE, orjson.dumps(blob))
    except OSError:
        return None
    return RecordSpans([r.id for r in rows], starts, lengths)


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
