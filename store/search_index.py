"""The inverted index behind the filter bar: queried per keystroke, ranked, read in place from its file.

The arrays come from `store.search_build` through `store.search_format`;
this module answers queries over them, so every hot loop runs in C:

* A prefix lookup is one slice of postings (the vocabulary is sorted, so
  the words sharing a prefix are a contiguous range, found by binary search
  over the UTF-8 vocabulary, decoding only the words it probes). One-letter
  prefixes (the first keystroke) have their own de-duplicated postings.
* Typos are looked up in the vocabulary, not in the papers: rapidfuzz scans
  only the words with the same first letter and a compatible length.
* Phrases are candidates by token intersection, then verified on each
  paper's field stored as a token-id string (one character per token), where
  adjacency is a plain substring test run on the file's bytes.
* A term's per-paper scores are built with ``dict.fromkeys`` over posting
  slices and merged with ``dict.update`` from the weakest match to the
  strongest, so the best match wins without a Python loop per paper; the
  ranking is two C-level sorts.

Nothing proportional to the index is held as Python objects but the ids and
dates: the rest stays in the (memory-mapped) buffer, and the per-term cache
is bounded by the number of papers it holds.
"""

from __future__ import annotations

import io
import mmap
import re
import threading
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import filterfalse
from operator import add, is_
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import OSA

from store.query import Filter, Query, TextTerm
from store.search_build import FIELDS, LAST_CHAR, SearchDoc, write_index
from store.search_format import IndexFile, IndexFormatError, check_file, read_index
from store.tokens import max_typos

__all__ = ["FIELDS", "IndexFormatError", "SearchDoc", "SearchIndex"]

FIELD_WEIGHT: dict[str, int] = {"title": 10, "authors": 4, "keywords": 3, "abstract": 2}
"""A title hit outranks an author hit, which outranks an abstract hit."""
EXACT, PREFIX = 6, 4
FUZZY: dict[int, int] = {1: 3, 2: 2}
"""Match weights by kind; a term scores field weight x match weight, best field wins."""

_QUERY_FIELDS: dict[str, tuple[str, ...]] = {"title": ("title",), "author": ("authors",)}
_POSTING_NAMES: tuple[str, ...] = FIELDS + tuple(f"initial:{name}" for name in FIELDS)
_CACHE_TERMS = 64
_CACHE_PAPERS = 400_000
"""Per-term results kept: at most this many terms and this many (paper, score) entries in all.

One term matching every paper of a 100k store costs about 8 MB as a dict;
live typing needs only the few terms of the current query.
"""
_TYPO_BUCKETS = 32
"""Decoded typo buckets (words of one first letter and length) kept for the next keystroke."""


class _Strings(Sequence[str]):
    """A sorted list of strings stored as one UTF-8 blob and bounds; items are decoded when read."""

    __slots__ = ("_blob", "_bounds")

    def __init__(self, blob: memoryview, bounds: memoryview) -> None:
        self._blob = blob
        self._bounds = bounds

    def __len__(self) -> int:
        return len(self._bounds) - 1

    def __getitem__(self, i: int) -> str:  # type: ignore[override]
        bounds = self._bounds
        return str(self._blob[bounds[i] : bounds[i + 1]], "utf-8")


class SearchIndex:
    """An immutable, thread-safe inverted index over papers; see the module docstring."""

    __slots__ = (
        "_file",
        "_ids",
        "_dates",
        "_n_dated",
        "_vocab",
        "_initials",
        "_offsets",
        "_postings",
        "_chars",
        "_code",
        "_sequences",
        "_typo",
        "_typo_spans",
        "_buckets",
        "_positions",
        "_last_scope",
        "_cache",
        "_cached_papers",
        "_lock",
    )

    def __init__(self, file: IndexFile) -> None:
        """Search the index in ``file`` (from `from_bytes` or `open`).

        Raises:
            IndexFormatError: the arrays do not fit together.
        """
        try:
            header = file.header
            ids, n = header["ids"], header["n"]
            dates: list[str | None] = []
            for date, count in header["dates"]:
                dates.extend([date] * count)
            self._ids: list[str] = ids
            self._dates = dates
            self._n_dated = sum(1 for d in dates if d)
            self._vocab = _Strings(file.raw("vocab"), file.ints("vocab-bounds"))
            self._initials: list[str] = header["initials"]
            self._offsets = {name: file.ints(f"offsets:{name}") for name in _POSTING_NAMES}
            self._postings = {name: file.ints(f"postings:{name}") for name in _POSTING_NAMES}
            self._chars = file.ints("chars")
            self._code = file.raw("code")
            self._sequences = {
                name: (file.span(f"sequence:{name}")[0], file.ints(f"sequence-bounds:{name}")) for name in FIELDS
            }
            self._typo = file.ints("typo")
            self._typo_spans: dict[str, tuple[int, int]] = {k: (int(a), int(b)) for k, (a, b) in header["typo"].items()}
            vocab_len = len(self._vocab)
            if (
                not isinstance(ids, list)
                or len(ids) != n
                or len(dates) != n
                or len(self._code) != n
                or len(self._chars) != vocab_len
                or any(len(self._offsets[name]) != vocab_len + 1 for name in FIELDS)
                or any(len(self._offsets[f"initial:{name}"]) != len(self._initials) + 1 for name in FIELDS)
                or any(len(bounds) != n + 1 for _, bounds in self._sequences.values())
                or any(not 0 <= a <= b <= len(self._typo) for a, b in self._typo_spans.values())
            ):
                raise IndexFormatError("search index is inconsistent")
        except IndexFormatError:
            raise
        except (AttributeError, IndexError, KeyError, TypeError, ValueError) as exc:
            raise IndexFormatError(f"damaged search index: {exc}") from exc
        self._file = file
        self._buckets: OrderedDict[str, tuple[list[str], memoryview]] = OrderedDict()
        self._positions: dict[str, int] | None = None
        self._last_scope: tuple[tuple[str, ...], list[int]] | None = None
        self._cache: OrderedDict[tuple[object, ...], dict[int, int]] = OrderedDict()
        self._cached_papers = 0
        self._lock = threading.Lock()

    @classmethod
    def build(cls, docs: Sequence[SearchDoc]) -> SearchIndex:
        """Index ``docs`` in memory (a later duplicate id replaces an earlier one); see `write_index`."""
        out = io.BytesIO()
        write_index(docs, out)
        return cls.from_bytes(out.getvalue())

    @classmethod
    def from_bytes(cls, data: bytes | bytearray | memoryview) -> SearchIndex:
        """Load an index written by `to_bytes` or `write_index`, without copying its arrays.

        Raises:
            IndexFormatError: ``data`` is not a papertray index of this version.
        """
        if not isinstance(data, bytes):
            data = bytes(data)  # the index keeps views into it: it must never change
        return cls(read_index(data))

    @classmethod
    def open(cls, path: Path, start: int = 0) -> SearchIndex:
        """Map the index at byte ``start`` of the file ``path``: its arrays stay in the page cache.

        Raises:
            IndexFormatError: not a papertray index of this version, or damaged.
            OSError: the file cannot be read.
        """
        with open(path, "rb") as handle:
            try:
                buffer = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
            except ValueError as exc:  # an empty file
                raise IndexFormatError("not a papertray search index") from exc
            file = read_index(buffer, start, check_body=False)
            check_file(handle, start, file)
        return cls(file)

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def ids(self) -> list[str]:
        """Every indexed id, in default order (newest first, then title). Do not mutate."""
        return self._ids

    def to_bytes(self) -> bytes:
        """The index as written (see `from_bytes`)."""
        return bytes(self._file.buffer[self._file.start :])

    # ----------------------------------------------------------------- search

    def search(
        self,
        query: Query,
        *,
        status_of: Callable[[str], str],
        queues_of: Callable[[str], frozenset[str]],
        scope: Sequence[str] | None = None,
    ) -> list[str]:
        """Ids of the papers matching ``query``, best first.

        Args:
            query: From `store.query.parse_query`.
            status_of: Reading status of an id ("new", "read", ...); called only for ``is:``.
            queues_of: Queue names holding an id; called only for ``in:``.
            scope: Restrict to these ids (the current view). Ids unknown to the index never match.

        Returns:
            With text: by relevance (title > authors > keywords > abstract;
            exact > prefix > typo), ties newest first. Without text: newest
            first then title, or the order of ``scope`` when given.
        """
        n = len(self._ids)
        if n == 0:
            return []
        window = self._date_window(query.filters)
        if window is None:
            return []
        lo, hi, banned = window
        code_wanted = {not f.negated for f in query.filters if f.kind == "has"}
        if len(code_wanted) > 1:
            return []
        include = query.include
        scope_docs = self._scope_docs(scope) if scope is not None else None

        term_scores = sorted((self._term_scores(t) for t in include), key=len)
        candidates: Iterable[int]
        if term_scores:
            candidates = term_scores[0]
            if scope_docs is not None:
                if len(scope_docs) < len(term_scores[0]):  # a small view: walk the view
                    candidates = filter(term_scores[0].__contains__, scope_docs)
                else:
                    candidates = filter(set(scope_docs).__contains__, candidates)
            for scores in term_scores[1:]:
                candidates = filter(scores.__contains__, candidates)
            if lo > 0 or hi < n:
                candidates = filter(range(lo, hi).__contains__, candidates)
        elif scope_docs is not None:
            candidates = scope_docs
            if lo > 0 or hi < n:
                candidates = filter(range(lo, hi).__contains__, candidates)
        else:
            candidates = range(lo, hi)
        for start, stop in banned:
            candidates = filterfalse(range(start, stop).__contains__, candidates)
        if code_wanted:
            with_code = self._code.__getitem__  # one byte per paper: 1 when it has code
            candidates = (filter if code_wanted == {True} else filterfalse)(with_code, candidates)
        excluded: set[int] = set()
        for term in query.exclude:
            excluded.update(self._term_scores(term))
        if excluded:
            candidates = filterfalse(excluded.__contains__, candidates)
        keep = _state_predicate(self._ids, query.filters, status_of, queues_of)
        if keep is not None:
            candidates = filter(keep, candidates)
        docs = list(candidates)
        if term_scores:
            docs = _rank(docs, term_scores)
        return list(map(self._ids.__getitem__, docs))

    def warm(self) -> None:
        """Do now the one-time work the first keystroke would do (call it in the worker)."""
        self._scope_docs(())

    def clear_cache(self) -> None:
        """Forget per-term results (benchmarks use it to measure cold searches)."""
        with self._lock:
            self._cache.clear()
            self._cached_papers = 0

    # ------------------------------------------------------------ internals

    def _term_scores(self, term: TextTerm) -> dict[int, int]:
        """Paper number -> best score of ``term`` in it; cached, since live typing repeats terms."""
        key = (term.tokens, term.field, term.quoted, term.prefix, term.negated, term.joined)
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return hit
        scores = self._phrase_scores(term) if term.is_phrase else self._word_scores(term)
        with self._lock:
            if key not in self._cache:
                self._cache[key] = scores
                self._cached_papers += len(scores)
            while len(self._cache) > 1 and (
                len(self._cache) > _CACHE_TERMS or self._cached_papers > _CACHE_PAPERS
            ):
                self._cached_papers -= len(self._cache.popitem(last=False)[1])
        return scores

    def _word_scores(self, term: TextTerm) -> dict[int, int]:
        word = term.tokens[0]
        lo, hi = self._prefix_range(word)
        exact = lo if lo < hi and self._vocab[lo] == word else -1
        first_prefix = lo + 1 if exact >= 0 else lo
        typos = self._typo_tokens(word) if term.fuzzy else []
        layers: list[tuple[int, Iterable[int]]] = []
        for name in _QUERY_FIELDS.get(term.field or "", FIELDS):
            weight = FIELD_WEIGHT[name]
            if exact >= 0:
                layers.append((weight * EXACT, self._slice(name, exact, exact + 1)))
            if term.prefix and first_prefix < hi:
                layers.append((weight * PREFIX, self._prefix_docs(name, word, first_prefix, hi)))
            for token, distance in typos:
                if not (term.prefix and first_prefix <= token < hi):
                    layers.append((weight * FUZZY[distance], self._slice(name, token, token + 1)))
        return _merge(layers)

    def _phrase_scores(self, term: TextTerm) -> dict[int, int]:
        """Papers holding the tokens side by side in one field (the last one as a prefix when typed)."""
        tokens = term.tokens
        ranges: list[tuple[int, int]] = []
        for i, token in enumerate(tokens):
            lo, hi = self._prefix_range(token)
            if term.prefix and i == len(tokens) - 1:
                ranges.append((lo, hi))
            elif lo < hi and self._vocab[lo] == token:
                ranges.append((lo, lo + 1))
            else:
                ranges.append((0, 0))
        verify = self._phrase_test(ranges) if all(lo < hi for lo, hi in ranges) else None
        joined = self._prefix_range(term.joined) if term.joined else (0, 0)
        joined_exact = joined[0] < joined[1] and self._vocab[joined[0]] == term.joined
        layers: list[tuple[int, Iterable[int]]] = []
        for name in _QUERY_FIELDS.get(term.field or "", FIELDS):
            weight = FIELD_WEIGHT[name]
            if verify is not None:
                slices = sorted((self._slice(name, lo, hi) for lo, hi in ranges), key=len)
                if len(slices[0]):
                    found = set(slices[0])
                    for other in slices[1:]:
                        found.intersection_update(other)
                        if not found:
                            break
                    test = verify(name)
                    layers.append((weight * EXACT, [d for d in found if test(d)]))
            if joined_exact:
                layers.append((weight * EXACT, self._slice(name, joined[0], joined[0] + 1)))
            if term.prefix and joined[0] + joined_exact < joined[1]:
                layers.append((weight * PREFIX, self._slice(name, joined[0] + joined_exact, joined[1])))
        return _merge(layers)

    def _phrase_test(self, ranges: list[tuple[int, int]]) -> Callable[[str], Callable[[int], bool]] | None:
        """A test per field on a paper's token-id string: do these vocabulary ranges occur in a row?

        Every range but the last is a single token; the last may be a prefix
        range. Tokens that never occur in running text (joined compounds)
        have no character, so a phrase using them matches nothing. A single
        needle is searched in the file's UTF-8 bytes, in place (UTF-8 never
        matches across a character boundary); a prefix range decodes the
        paper's string and uses a character class.
        """
        chars = self._chars
        head_codes = [chars[lo] for lo, _ in ranges[:-1]]
        if any(c < 0 for c in head_codes):
            return None
        head = "".join(map(chr, head_codes))
        lo, hi = ranges[-1]
        buffer = self._file.buffer
        if hi - lo == 1:
            if chars[lo] < 0:
                return None
            needle = (head + chr(chars[lo])).encode()

            def find(name: str) -> Callable[[int], bool]:
                base, bounds = self._sequences[name]
                return lambda d: buffer.find(needle, base + bounds[d], base + bounds[d + 1]) >= 0

            return find
        allowed = frozenset(chr(c) for c in chars[lo:hi] if c >= 0)
        if not allowed:
            return None
        pattern = re.compile(re.escape(head) + "[" + "".join(sorted(re.escape(c) for c in allowed)) + "]")
        search = pattern.search

        def match(name: str) -> Callable[[int], bool]:
            base, bounds = self._sequences[name]
            return lambda d: search(str(buffer[base + bounds[d] : base + bounds[d + 1]], "utf-8")) is not None

        return match

    def _prefix_range(self, word: str | None) -> tuple[int, int]:
        """Vocabulary ids ``[lo, hi)`` of the tokens starting with ``word`` (``word`` itself first)."""
        if not word:
            return 0, 0
        lo = bisect_left(self._vocab, word)
        return lo, bisect_left(self._vocab, word + LAST_CHAR, lo)

    def _prefix_docs(self, name: str, word: str, lo: int, hi: int) -> memoryview:
        """Papers with a token in ``[lo, hi)``; one letter uses the per-initial postings.

        The first keystroke would otherwise walk every posting of every word
        starting with that letter (a tenth of the index), with repeats.
        """
        if len(word) == 1:
            at = bisect_left(self._initials, word)
            if at < len(self._initials) and self._initials[at] == word:
                offsets = self._offsets[f"initial:{name}"]
                return self._postings[f"initial:{name}"][offsets[at] : offsets[at + 1]]
        return self._slice(name, lo, hi)

    def _slice(self, name: str, lo: int, hi: int) -> memoryview:
        """Postings of vocabulary ids ``[lo, hi)`` in one field (with duplicates across ids)."""
        offsets = self._offsets[name]
        return self._postings[name][offsets[lo] : offsets[hi]]

    def _typo_tokens(self, word: str) -> list[tuple[int, int]]:
        """Vocabulary ids within ``max_typos(word)`` OSA edits of ``word`` (same first letter)."""
        limit = max_typos(word)
        if not limit:
            return []
        found: list[tuple[int, int]] = []
        for length in range(len(word) - limit, len(word) + limit + 1):
            bucket = self._typo_bucket(f"{word[0]}{length}")
            if bucket is None:
                continue
            words, ids = bucket
            for _, distance, index in process.extract(
                word, words, scorer=OSA.distance, score_cutoff=limit, limit=None
            ):
                if distance:
                    found.append((ids[index], int(distance)))
        return found

    def _typo_bucket(self, key: str) -> tuple[list[str], memoryview] | None:
        """The alphabetic words of one first letter and length, and their vocabulary ids (decoded once, kept a while)."""
        span = self._typo_spans.get(key)
        if span is None:
            return None
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is not None:
                self._buckets.move_to_end(key)
                return bucket
        ids = self._typo[span[0] : span[1]]
        bucket = (list(map(self._vocab.__getitem__, ids)), ids)
        with self._lock:
            self._buckets[key] = bucket
            while len(self._buckets) > _TYPO_BUCKETS:
                self._buckets.popitem(last=False)
        return bucket

    def _scope_docs(self, scope: Sequence[str]) -> list[int]:
        """Paper numbers of ``scope`` in its order, unknown ids and repeats dropped.

        The filter bar searches the same view on every keystroke, so the last
        answer is kept and reused when ``scope`` holds the very same id
        objects again: checking that is one pointer comparison per id (about
        1 ms at 100k papers) where mapping the ids again costs about 40 ms.
        Callers must not mutate the returned list.
        """
        last = self._last_scope
        if last is not None and len(last[0]) == len(scope) and all(map(is_, last[0], scope)):
            return last[1]
        positions = self._positions
        if positions is None:
            positions = self._positions = {pid: i for i, pid in enumerate(self._ids)}
        docs = list(dict.fromkeys(p for p in map(positions.get, scope) if p is not None))
        self._last_scope = (tuple(scope), docs)
        return docs

    def _date_window(self, filters: Sequence[Filter]) -> tuple[int, int, list[tuple[int, int]]] | None:
        """Paper-number range allowed by positive date filters, ranges banned by negated ones.

        Returns None when the positive filters leave nothing.
        """
        lo, hi = 0, len(self._ids)
        banned: list[tuple[int, int]] = []
        for f in filters:
            if f.kind != "date":
                continue
            start, stop = self._date_range(f)
            if f.negated:
                if start < stop:
                    banned.append((start, stop))
            else:
                lo, hi = max(lo, start), min(hi, stop)
        return (lo, hi, banned) if lo < hi else None

    def _date_range(self, f: Filter) -> tuple[int, int]:
        """Numbers of the papers ``f.accepts_date``: contiguous, since papers are newest first."""
        dated = self._n_dated
        below = self._first_dated(dated, lambda key: key < f.value, len(f.value))
        at_most = self._first_dated(dated, lambda key: key <= f.value, len(f.value))
        return {
            "=": (at_most, below),
            ">=": (0, below),
            ">": (0, at_most),
            "<=": (at_most, dated),
            "<": (below, dated),
        }[f.op]

    def _first_dated(self, dated: int, test: Callable[[str], bool], width: int) -> int:
        """First number in ``[0, dated)`` whose date prefix passes ``test`` (monotone), else ``dated``."""
        dates = self._dates
        lo, hi = 0, dated
        while lo < hi:
            mid = (lo + hi) // 2
            if test(dates[mid][:width]):  # type: ignore[index]
                hi = mid
            else:
                lo = mid + 1
        return lo


def _merge(layers: list[tuple[int, Iterable[int]]]) -> dict[int, int]:
    """Per-paper best weight: apply layers weakest first so stronger ones overwrite."""
    layers.sort(key=lambda layer: layer[0])
    scores: dict[int, int] = {}
    for weight, docs in layers:
        if scores:
            scores.update(dict.fromkeys(docs, weight))
        else:
            scores = dict.fromkeys(docs, weight)
    return scores


def _rank(docs: list[int], term_scores: list[dict[int, int]]) -> list[int]:
    """Sort by total score, ties by paper number (newest first): two C-level sorts, no Python key.

    Python's sort is stable even with ``reverse=True``, so sorting by number
    and then by score keeps equal scores in number order.
    """
    if len(term_scores) == 1:
        score = term_scores[0].__getitem__
    else:
        totals: Iterator[int] = map(term_scores[0].__getitem__, docs)
        for scores in term_scores[1:]:
            totals = map(add, totals, map(scores.__getitem__, docs))
        score = dict(zip(docs, totals)).__getitem__
    docs.sort()
    docs.sort(key=score, reverse=True)
    return docs


def _state_predicate(
    ids: list[str],
    filters: Sequence[Filter],
    status_of: Callable[[str], str],
    queues_of: Callable[[str], frozenset[str]],
) -> Callable[[int], bool] | None:
    """A test for ``is:`` and ``in:`` filters, or None when there are none (no callbacks then)."""
    wanted = {f.value for f in filters if f.kind == "is" and not f.negated}
    unwanted = tuple(f.value for f in filters if f.kind == "is" and f.negated)
    inside = tuple(f.value for f in filters if f.kind == "in" and not f.negated)
    outside = tuple(f.value for f in filters if f.kind == "in" and f.negated)
    if not (wanted or unwanted or inside or outside):
        return None
    if len(wanted) > 1:
        return lambda number: False  # is:new is:read: a paper has one status
    want = next(iter(wanted), None)
    check_status = bool(wanted or unwanted)
    check_queues = bool(inside or outside)

    def in_queue(name: str, queues: frozenset[str]) -> bool:
        if name in queues:
            return True
        folded = name.casefold()
        return any(q.casefold() == folded for q in queues)

    def keep(number: int) -> bool:
        paper = ids[number]
        if check_status:
            # `==` and tuple membership, not sets: a `Status` (str Enum) hashes by name.
            status = status_of(paper)
            if (want is not None and status != want) or status in unwanted:
                return False
        if check_queues:
            queues = queues_of(paper)
            for name in inside:
                if not in_queue(name, queues):
                    return False
            for name in outside:
                if in_queue(name, queues):
                    return False
        return True

    return keep
