"""Building the search index: papers in, the arrays of `store.search_format` streamed out.

Papers are numbered in *default order* (newest date first, then title), so a
date filter is a contiguous range of numbers and "newer first" breaks ranking
ties for free. The vocabulary is one sorted list shared by all fields; token
``i``'s postings in a field are ``postings[offsets[i]:offsets[i + 1]]``, so a
prefix (a vocabulary range) is one slice. Each field is also stored per paper
as a token-id string (one character per token, UTF-8), where a phrase is a
plain substring.

The build holds one field's postings at a time and writes each array as soon
as it is complete: at 100k papers it needs a fraction of the memory that the
whole index as Python objects would.
"""

from __future__ import annotations

import gc
from array import array
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from itertools import accumulate, chain
from typing import IO

from store.search_format import IndexWriter
from store.tokens import normalize, split_with_compounds

FIELDS: tuple[str, ...] = ("title", "authors", "keywords", "abstract")
LAST_CHAR = "\U0010ffff"
TYPO_MIN_LEN = 3
"""Shorter words are never typo candidates (see `store.tokens.max_typos`)."""


@dataclass(frozen=True, slots=True)
class SearchDoc:
    """What the index needs to know about one paper."""

    id: str
    title: str
    authors: str
    abstract: str
    date: str | None
    has_code: bool
    keywords: str = ""


def write_index(docs: Iterable[SearchDoc], out: IO[bytes]) -> None:
    """Index ``docs`` (a later duplicate id replaces an earlier one) into ``out``."""
    unique = list({doc.id: doc for doc in docs}.values())
    order = default_order([(d.id, d.title, d.date) for d in unique])
    write_ordered(map(unique.__getitem__, order), out)


def default_order(papers: Sequence[tuple[str, str, str | None]]) -> list[int]:
    """Positions of ``(id, title, date)`` in default order: newest date first, then title, then id."""
    order = sorted(range(len(papers)), key=lambda i: (papers[i][1].casefold(), papers[i][0]))
    order.sort(key=lambda i: papers[i][2] or "", reverse=True)  # stable: newest first, then title
    return order


def write_ordered(docs: Iterable[SearchDoc], out: IO[bytes]) -> None:
    """Index ``docs``, given in default order with unique ids, into ``out``, reading each paper once.

    ``docs`` may be a generator reading papers one at a time: only the
    postings and token strings are held, never the papers' text. About seven
    seconds for 100k papers on a slow two-core machine: run it in a child
    process (which splits it over two, see `store.search_parts`).
    """
    with paused_collector():
        finish(index_part(docs, 0), out)


@contextmanager
def paused_collector() -> Iterator[None]:
    """The cyclic garbage collector paused: a build allocates millions of objects and none forms a cycle."""
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if gc_was_enabled:
            gc.enable()


Field = tuple[str, defaultdict[str, "array[int]"], bytearray, "array[int]"]
"""One field as it is built: name, postings by token, token string (one character a token) and its bounds per paper."""


@dataclass
class Part:
    """The index of a run of papers, before its arrays are written (see `finish`)."""

    codes: defaultdict[str, bytes]
    """Each token's character, UTF-8 encoded, in the order the tokens were first seen."""
    fields: list[Field]
    ids: list[str]
    dates: list[str | None]
    code: bytearray


def index_part(docs: Iterable[SearchDoc], first: int, part: Part | None = None) -> Part:
    """Index ``docs``, numbered from ``first`` on, into a new part or after the papers of ``part``."""
    if part is None:
        fields: list[Field] = [(name, defaultdict(partial(array, "i")), bytearray(), array("q", [0])) for name in FIELDS]
        part = Part(defaultdict(_token_codes()), fields, [], [], bytearray())
    # Tens of millions of tokens at 100k papers: ``map`` looks each one's character up from C.
    to_code = part.codes.__getitem__
    ids, dates, code = part.ids, part.dates, part.code
    for number, doc in enumerate(docs, start=first):
        ids.append(doc.id)
        dates.append(doc.date or None)
        code.append(1 if doc.has_code else 0)
        for name, field_postings, sequence, bounds in part.fields:
            tokens, joined = split_with_compounds(normalize(getattr(doc, name) or ""))
            distinct = set(tokens)  # first, so the lookups below reuse each token's cached hash
            sequence += b"".join(map(to_code, tokens))
            bounds.append(len(sequence))
            if joined:
                distinct.update(joined)
            for token in distinct:
                field_postings[token].append(number)
    return part


def finish(part: Part, out: IO[bytes]) -> None:
    """Write the index of all papers, ``part``, into ``out``."""
    writer = IndexWriter(out)
    postings: dict[str, dict[str, array[int]]] = {}
    for name, field_postings, sequence, bounds in part.fields:
        writer.add(f"sequence:{name}", sequence)
        writer.add(f"sequence-bounds:{name}", bounds, "q")
        postings[name] = field_postings
    part.fields.clear()
    del sequence, bounds
    code_of, ids, dates = part.codes, part.ids, part.dates
    n = len(ids)
    vocab = sorted(set().union(*(p.keys() for p in postings.values())))
    initials = sorted({token[0] for token in vocab})
    encoded = [token.encode() for token in vocab]
    writer.add("vocab", b"".join(encoded))
    writer.add("vocab-bounds", array("q", chain([0], accumulate(map(len, encoded)))), "q")
    del encoded
    for name in FIELDS:
        offsets, flat = _flatten(vocab, postings.pop(name))
        writer.add(f"offsets:{name}", offsets, "i")
        writer.add(f"postings:{name}", flat, "i")
        by_initial: dict[str, array[int]] = {}
        for initial in initials:  # all tokens with one first letter: a vocabulary range
            lo = bisect_left(vocab, initial)
            hi = bisect_left(vocab, initial + LAST_CHAR, lo)
            by_initial[initial] = array("i", set(flat[offsets[lo] : offsets[hi]]))
        del flat
        offsets, flat = _flatten(initials, by_initial)
        writer.add(f"offsets:initial:{name}", offsets, "i")
        writer.add(f"postings:initial:{name}", flat, "i")
    writer.add("chars", array("i", (ord(code_of[t].decode()) if t in code_of else -1 for t in vocab)), "i")
    writer.add("code", part.code)
    typo_ids, typo_buckets = _typo_buckets(vocab)
    writer.add("typo", typo_ids, "i")
    writer.finish({"n": n, "ids": ids, "dates": _runs(dates), "initials": initials, "typo": typo_buckets})


def _runs(dates: list[str | None]) -> list[tuple[str | None, int]]:
    """``[(date, count), ...]``: papers are newest first, so days are runs."""
    runs: list[tuple[str | None, int]] = []
    for date in dates:
        if runs and runs[-1][0] == date:
            runs[-1] = (date, runs[-1][1] + 1)
        else:
            runs.append((date, 1))
    return runs


def _typo_buckets(vocab: list[str]) -> tuple[array[int], dict[str, tuple[int, int]]]:
    """Alphabetic vocabulary ids grouped by first letter and length, and each group's slice.

    Typos are looked up only among words with the same first letter and a
    compatible length; the key is the letter followed by the length ("t11").
    """
    groups: dict[str, array[int]] = {}
    for i, token in enumerate(vocab):
        if len(token) >= TYPO_MIN_LEN and token.isalpha():
            key = f"{token[0]}{len(token)}"
            ids = groups.get(key)
            if ids is None:
                ids = groups[key] = array("i")
            ids.append(i)
    flat = array("i")
    spans: dict[str, tuple[int, int]] = {}
    for key in sorted(groups):
        spans[key] = (len(flat), len(flat) + len(groups[key]))
        flat.extend(groups[key])
    return flat, spans


def _flatten(keys: list[str], postings: dict[str, array[int]]) -> tuple[array[int], array[int]]:
    """One flat buffer of postings in ``keys`` order, and the offsets delimiting each key's part."""
    ranges = array("i", [0])
    buffer = array("i")
    for key in keys:
        docs = postings.get(key)
        if docs:
            buffer.extend(docs)
        ranges.append(len(buffer))
    return ranges, buffer


def _token_codes() -> Callable[[], bytes]:
    """Factory giving each new token the next character, UTF-8 encoded, skipping control characters and surrogates.

    A field then becomes a string with one character per token: phrase
    verification is a plain substring test, and the stored form is about a
    third the size of the text.
    """
    codes = iter(chain(range(0x20, 0xD800), range(0xE000, 0x110000)))

    def next_code() -> bytes:
        code = next(codes, None)
        if code is None:
            raise ValueError("more than a million distinct words: cannot index")
        return chr(code).encode()

    return next_code
