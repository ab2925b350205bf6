"""Scoring one text term of a query: which papers hold it, and how well (field x exact/prefix/typo).

Everything here reads the index's arrays in place (see `store.search_build`
for how they are laid out):

* A prefix lookup is one slice of postings: the vocabulary is sorted, so the
  words sharing a prefix are a contiguous range, found by binary search over
  the UTF-8 vocabulary, decoding only the words it probes. One-letter
  prefixes (the first keystroke) have their own de-duplicated postings.
* Typos are looked up in the vocabulary, not in the papers: rapidfuzz scans
  only the words with the same first letter and a compatible length.
* Phrases are candidates by token intersection, then verified on each
  paper's field stored as a token-id string (one character per token), where
  adjacency is a plain substring test run on the file's bytes.
* A term's per-paper scores are built with ``dict.fromkeys`` over posting
  slices and merged with ``dict.update`` from the weakest match to the
  strongest, so the best match wins without a Python loop per paper.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence

from rapidfuzz import process
from rapidfuzz.distance import OSA

from store.query import TextTerm
from store.search_build import FIELDS, LAST_CHAR
from store.search_format import IndexFile, IndexFormatError
from store.tokens import max_typos

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

class TermScorer:
    """Per-paper scores of text terms over one index file; thread-safe, results cached per term."""

    __slots__ = (
        "_buckets",
        "_buffer",
        "_cache",
        "_cached_papers",
        "_chars",
        "_initials",
        "_lock",
        "_offsets",
        "_postings",
        "_sequences",
        "_typo",
        "_typo_spans",
        "_vocab",
    )

    def __init__(self, file: IndexFile, papers: int) -> None:
        """Read the term arrays of ``file`` (an index of ``papers`` papers).

        Raises:
            IndexFormatError: the arrays do not fit together.
            KeyError, TypeError, ValueError: the header lacks them.
        """
        header = file.header
        self._buffer = file.buffer
        self._vocab = _Strings(file.raw("vocab"), file.ints("vocab-bounds"))
        self._initials: list[str] = header["initials"]
        self._offsets = {name: file.ints(f"offsets:{name}") for name in _POSTING_NAMES}
        self._postings = {name: file.ints(f"postings:{name}") for name in _POSTING_NAMES}
        self._chars = file.ints("chars")
        self._sequences = {name: (file.span(f"sequence:{name}")[0], file.ints(f"sequence-bounds:{name}")) for name in FIELDS}
        self._typo = file.ints("typo")
        self._typo_spans: dict[str, tuple[int, int]] = {k: (int(a), int(b)) for k, (a, b) in header["typo"].items()}
        vocab_len = len(self._vocab)
        if (
            len(self._chars) != vocab_len
            or any(len(self._offsets[name]) != vocab_len + 1 for name in FIELDS)
            or any(len(self._offsets[f"initial:{name}"]) != len(self._initials) + 1 for name in FIELDS)
            or any(len(bounds) != papers + 1 for _, bounds in self._sequences.values())
            or any(not 0 <= a <= b <= len(self._typo) for a, b in self._typo_spans.values())
        ):
            raise IndexFormatError("search index is inconsistent")
        self._buckets: OrderedDict[str, tuple[list[str], memoryview]] = OrderedDict()
        self._cache: OrderedDict[tuple[object, ...], dict[int, int]] = OrderedDict()
        self._cached_papers = 0
        self._lock = threading.Lock()

    def clear_cache(self) -> None:
        """Forget per-term results (benchmarks use it to measure cold searches)."""
        with self._lock:
            self._cache.clear()
            self._cached_papers = 0

    def scores(self, term: TextTerm) -> dict[int, int]:
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
        buffer = self._buffer
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
