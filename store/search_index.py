"""The inverted index behind the filter bar: built once in a worker, cached on disk, queried per keystroke.

Layout, chosen so that every hot loop runs in C rather than in Python:

* Papers are numbered in *default order* (newest date first, then title).
  A date filter is then a contiguous range of numbers, a result list with no
  text is already sorted, and "newer first" breaks ranking ties for free.
* The vocabulary is one sorted list shared by all fields. Token ``i``'s
  postings in a field are ``postings[offsets[i]:offsets[i + 1]]`` in one flat
  ``int32`` buffer, so all tokens sharing a prefix (a contiguous vocabulary
  range, found with `bisect`) have contiguous postings: a prefix lookup is a
  single slice, whatever the number of words it covers. One-letter prefixes
  (the first keystroke) have their own de-duplicated postings.
* Typos are looked up in the vocabulary, not in the papers: rapidfuzz scans
  only the words with the same first letter and a compatible length.
* Phrases are candidates by token intersection, then verified on each
  field stored as a token-id string (one character per token), where
  adjacency is a plain substring test.
* A term's per-paper scores are built with ``dict.fromkeys`` over posting
  slices and merged with ``dict.update`` from the weakest match to the
  strongest, so the best match wins without a Python loop per paper; the
  ranking is two C-level sorts.

The serialised form is a small orjson header plus raw ``int32`` buffers and
UTF-8 token strings under a CRC-32; loading maps the buffers with
`memoryview` instead of parsing them, so `SearchIndex.from_bytes` is much
faster than `SearchIndex.build`.
"""

from __future__ import annotations

import gc
import re
import sys
import threading
import zlib
from array import array
from bisect import bisect_left
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import chain, filterfalse
from operator import add, is_

import orjson
from rapidfuzz import process
from rapidfuzz.distance import OSA

from store.query import Filter, Query, TextTerm
from store.tokens import max_typos, normalize, split_with_compounds

FIELDS: tuple[str, ...] = ("title", "authors", "keywords", "abstract")
FIELD_WEIGHT: dict[str, int] = {"title": 10, "authors": 4, "keywords": 3, "abstract": 2}
"""A title hit outranks an author hit, which outranks an abstract hit."""
EXACT, PREFIX = 6, 4
FUZZY: dict[int, int] = {1: 3, 2: 2}
"""Match weights by kind; a term scores field weight x match weight, best field wins."""

_QUERY_FIELDS: dict[str, tuple[str, ...]] = {"title": ("title",), "author": ("authors",)}
_POSTING_NAMES: tuple[str, ...] = FIELDS + tuple(f"initial:{name}" for name in FIELDS)
"""Posting buffers: per field by token, and per field by first letter (for one-letter prefixes)."""
_MAGIC = b"PTSRCH1\n"
_PREFIX_LEN = 24
"""Magic, header length (8 bytes), CRC-32 of the header, CRC-32 of the body (4 bytes each)."""
_FORMAT_VERSION = 2
"""2: titles and abstracts indexed with their TeX-free form too (store.texrender.search_form)."""
_CACHE_SIZE = 64
_LAST_CHAR = "\U0010ffff"


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


class IndexFormatError(ValueError):
    """Cached index bytes that are not ours (or from another version): rebuild it."""


class SearchIndex:
    """An immutable, thread-safe inverted index over papers; see the module docstring."""

    __slots__ = (
        "_ids",
        "_dates",
        "_n_dated",
        "_vocab",
        "_initials",
        "_offsets",
        "_postings",
        "_chars",
        "_code",
        "_sequence_source",
        "_sequences",
        "_positions",
        "_last_scope",
        "_code_set",
        "_buckets",
        "_cache",
        "_lock",
        "_keepalive",
    )

    def __init__(
        self,
        *,
        ids: list[str],
        dates: list[str | None],
        vocab: list[str],
        initials: list[str],
        offsets: dict[str, memoryview],
        postings: dict[str, memoryview],
        chars: memoryview,
        code: memoryview,
        sequences: dict[str, list[str] | memoryview],
        keepalive: object = None,
    ) -> None:
        self._ids = ids
        self._dates = dates
        self._n_dated = sum(1 for d in dates if d)
        self._vocab = vocab
        self._initials = initials
        self._offsets = offsets
        self._postings = postings
        self._chars = chars
        self._code = code
        self._sequence_source = sequences
        self._sequences: dict[str, list[str]] = {}
        self._positions: dict[str, int] | None = None
        self._last_scope: tuple[tuple[str, ...], list[int]] | None = None
        self._code_set: frozenset[int] | None = None
        self._buckets: dict[tuple[str, int], tuple[list[str], list[int]]] | None = None
        self._cache: OrderedDict[tuple[object, ...], dict[int, int]] = OrderedDict()
        self._lock = threading.Lock()
        self._keepalive = keepalive

    # ------------------------------------------------------------------ building

    @classmethod
    def build(cls, docs: Sequence[SearchDoc]) -> SearchIndex:
        """Index ``docs`` (a later duplicate id replaces an earlier one).

        Args:
            docs: Every paper the filter bar may show.

        Returns:
            The index. About ten seconds for 100k papers on a slow two-core
            machine: build it in a worker and cache `to_bytes`. The cyclic
            garbage collector is paused meanwhile, since the build allocates
            tens of millions of objects and none of them forms a cycle.
        """
        unique = list({doc.id: doc for doc in docs}.values())
        unique.sort(key=lambda d: (d.title.casefold(), d.id))
        unique.sort(key=lambda d: d.date or "", reverse=True)  # stable: newest first, then title
        gc_was_enabled = gc.isenabled()
        gc.disable()
        try:
            return cls._build_sorted(unique)
        finally:
            if gc_was_enabled:
                gc.enable()

    @classmethod
    def _build_sorted(cls, unique: list[SearchDoc]) -> SearchIndex:
        char_of: defaultdict[str, str] = defaultdict(_token_chars())
        to_char = char_of.__getitem__
        postings: dict[str, dict[str, array[int]]] = {}
        sequences: dict[str, list[str]] = {}
        for name in FIELDS:
            field_postings: defaultdict[str, array[int]] = defaultdict(partial(array, "i"))
            field_sequences: list[str] = []
            for number, doc in enumerate(unique):
                tokens, joined = split_with_compounds(normalize(getattr(doc, name) or ""))
                distinct = set(tokens)  # first, so the lookups below reuse each token's cached hash
                field_sequences.append("".join(map(to_char, tokens)))
                if joined:
                    distinct.update(joined)
                for token in distinct:
                    field_postings[token].append(number)
            postings[name] = field_postings
            sequences[name] = field_sequences
        vocab = sorted(set().union(*(p.keys() for p in postings.values())))
        initials = sorted({token[0] for token in vocab})
        offsets: dict[str, memoryview] = {}
        flat: dict[str, memoryview] = {}
        for name in FIELDS:
            offsets[name], flat[name] = _flatten(vocab, postings[name])
            by_initial: dict[str, array[int]] = {}
            for initial in initials:  # all tokens with one first letter: a vocabulary range
                lo = bisect_left(vocab, initial)
                hi = bisect_left(vocab, initial + _LAST_CHAR, lo)
                by_initial[initial] = array("i", set(flat[name][offsets[name][lo] : offsets[name][hi]]))
            offsets[f"initial:{name}"], flat[f"initial:{name}"] = _flatten(initials, by_initial)
        chars = array("i", (ord(char_of[t]) if t in char_of else -1 for t in vocab))
        code = array("i", (i for i, doc in enumerate(unique) if doc.has_code))
        return cls(
            ids=[d.id for d in unique],
            dates=[d.date or None for d in unique],
            vocab=vocab,
            initials=initials,
            offsets=offsets,
            postings=flat,
            chars=memoryview(chars),
            code=memoryview(code),
            sequences=dict(sequences),
        )

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def ids(self) -> list[str]:
        """Every indexed id, in default order (newest first, then title). Do not mutate."""
        return self._ids

    # ------------------------------------------------------------- serialising

    def to_bytes(self) -> bytes:
        """Serialise for the on-disk cache (see `from_bytes`)."""
        blobs: list[bytes] = []
        arrays: list[tuple[str, int, int]] = []
        offset = 0

        def add(name: str, data: bytes) -> None:
            nonlocal offset
            blobs.append(data)
            arrays.append((name, offset, len(data)))
            offset += len(data)
            pad = -offset % 8
            if pad:
                blobs.append(b"\0" * pad)
                offset += pad

        for name in _POSTING_NAMES:
            add(f"offsets:{name}", self._offsets[name].tobytes())
            add(f"postings:{name}", self._postings[name].tobytes())
        add("chars", self._chars.tobytes())
        add("code", self._code.tobytes())
        for name in FIELDS:
            add(f"sequences:{name}", "\n".join(self._sequence(name)).encode())
        body = b"".join(blobs)
        header = orjson.dumps(
            {
                "version": _FORMAT_VERSION,
                "byteorder": sys.byteorder,
                "ids": self._ids,
                "dates": self._dates,
                "vocab": self._vocab,
                "initials": self._initials,
                "blobs": arrays,
            }
        )
        header = header.ljust(len(header) + (-len(header) % 8))
        prefix = len(header).to_bytes(8, "little") + _crc(header) + _crc(body)
        return b"".join([_MAGIC, prefix, header, body])

    @classmethod
    def from_bytes(cls, data: bytes | bytearray | memoryview) -> SearchIndex:
        """Load an index written by `to_bytes`, without copying its posting buffers.

        Raises:
            IndexFormatError: ``data`` is not a papertray index of this version.
        """
        if not isinstance(data, bytes):
            data = bytes(data)  # the index keeps views into it: it must never change
        view = memoryview(data)
        if view[: len(_MAGIC)] != _MAGIC or len(view) < _PREFIX_LEN:
            raise IndexFormatError("not a papertray search index")
        try:
            head_len = int.from_bytes(view[8:16], "little")
            base = _PREFIX_LEN + head_len
            header = orjson.loads(view[_PREFIX_LEN:base])
            if not isinstance(header, dict) or header.get("version") != _FORMAT_VERSION:
                found = header.get("version") if isinstance(header, dict) else None
                raise IndexFormatError(f"search index version {found!r}, expected {_FORMAT_VERSION}")
            if _crc(view[_PREFIX_LEN:base]) != view[16:20] or _crc(view[base:]) != view[20:24]:
                raise IndexFormatError("search index is truncated or damaged (checksum)")
            blobs = {name: view[base + start : base + start + size] for name, start, size in header["blobs"]}
            if any(len(blob) != size for (_, _, size), blob in zip(header["blobs"], blobs.values())):
                raise IndexFormatError("search index is truncated")
            if array("i").itemsize != 4 or header["byteorder"] not in ("little", "big"):
                raise IndexFormatError("search index written for another kind of machine")
            swap = header["byteorder"] != sys.byteorder

            def ints(name: str) -> memoryview:
                raw = blobs[name]
                if not swap:
                    return raw.cast("i")
                values = array("i")
                values.frombytes(raw.tobytes())
                values.byteswap()
                return memoryview(values)

            vocab_len = len(header["vocab"])
            offsets = {name: ints(f"offsets:{name}") for name in _POSTING_NAMES}
            chars = ints("chars")
            if (
                any(len(offsets[name]) != vocab_len + 1 for name in FIELDS)
                or any(len(offsets[f"initial:{name}"]) != len(header["initials"]) + 1 for name in FIELDS)
                or len(chars) != vocab_len
                or len(header["dates"]) != len(header["ids"])
            ):
                raise IndexFormatError("search index is inconsistent")
            return cls(
                ids=header["ids"],
                dates=header["dates"],
                vocab=header["vocab"],
                initials=header["initials"],
                offsets=offsets,
                postings={name: ints(f"postings:{name}") for name in _POSTING_NAMES},
                chars=chars,
                code=ints("code"),
                sequences={name: blobs[f"sequences:{name}"] for name in FIELDS},
                keepalive=data,
            )
        except IndexFormatError:
            raise
        except (AttributeError, IndexError, KeyError, TypeError, ValueError) as exc:
            raise IndexFormatError(f"damaged search index: {exc}") from exc

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
            with_code = self._with_code()
            candidates = (filter if code_wanted == {True} else filterfalse)(with_code.__contains__, candidates)
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
        """Do now the one-time work the first phrase or typo search would do (call it in the worker).

        After `from_bytes`, the per-paper token strings are decoded and the
        typo buckets built on first use; that costs a noticeable pause at
        100k papers, better spent in the worker that loaded the index.
        """
        for name in FIELDS:
            self._sequence(name)
        self._typo_buckets()
        self._with_code()
        self._scope_docs(())

    def clear_cache(self) -> None:
        """Forget per-term results (benchmarks use it to measure cold searches)."""
        with self._lock:
            self._cache.clear()

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
            self._cache[key] = scores
            while len(self._cache) > _CACHE_SIZE:
                self._cache.popitem(last=False)
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
                    sequences = self._sequence(name)
                    layers.append((weight * EXACT, [d for d in found if verify(sequences[d])]))
            if joined_exact:
                layers.append((weight * EXACT, self._slice(name, joined[0], joined[0] + 1)))
            if term.prefix and joined[0] + joined_exact < joined[1]:
                layers.append((weight * PREFIX, self._slice(name, joined[0] + joined_exact, joined[1])))
        return _merge(layers)

    def _phrase_test(self, ranges: list[tuple[int, int]]) -> Callable[[str], bool] | None:
        """A test on a token-id string: do these vocabulary ranges occur in a row?

        Every range but the last is a single token; the last may be a prefix
        range. Tokens that never occur in running text (joined compounds)
        have no character, so a phrase using them matches nothing.
        """
        chars = self._chars
        head_codes = [chars[lo] for lo, _ in ranges[:-1]]
        if any(c < 0 for c in head_codes):
            return None
        head = "".join(map(chr, head_codes))
        lo, hi = ranges[-1]
        if hi - lo == 1:
            if chars[lo] < 0:
                return None
            needle = head + chr(chars[lo])
            return lambda seq: needle in seq
        allowed = frozenset(chr(c) for c in chars[lo:hi] if c >= 0)
        if not allowed:
            return None
        pattern = re.compile(re.escape(head) + "[" + "".join(sorted(re.escape(c) for c in allowed)) + "]")
        return lambda seq: pattern.search(seq) is not None

    def _prefix_range(self, word: str | None) -> tuple[int, int]:
        """Vocabulary ids ``[lo, hi)`` of the tokens starting with ``word`` (``word`` itself first)."""
        if not word:
            return 0, 0
        lo = bisect_left(self._vocab, word)
        return lo, bisect_left(self._vocab, word + _LAST_CHAR, lo)

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
        buckets = self._typo_buckets()
        found: list[tuple[int, int]] = []
        for length in range(len(word) - limit, len(word) + limit + 1):
            bucket = buckets.get((word[0], length))
            if bucket is None:
                continue
            words, ids = bucket
            for _, distance, index in process.extract(
                word, words, scorer=OSA.distance, score_cutoff=limit, limit=None
            ):
                if distance:
                    found.append((ids[index], int(distance)))
        return found

    def _typo_buckets(self) -> dict[tuple[str, int], tuple[list[str], list[int]]]:
        """Alphabetic vocabulary grouped by (first letter, length); built on the first typo lookup."""
        buckets = self._buckets
        if buckets is None:
            buckets = {}
            for i, token in enumerate(self._vocab):
                if len(token) >= 3 and token.isalpha():
                    words, ids = buckets.setdefault((token[0], len(token)), ([], []))
                    words.append(token)
                    ids.append(i)
            self._buckets = buckets
        return buckets

    def _sequence(self, name: str) -> list[str]:
        """Each paper's field as a token-id string (one character per token), decoded on first use."""
        sequences = self._sequences.get(name)
        if sequences is None:
            source = self._sequence_source[name]
            if isinstance(source, list):
                sequences = source
            else:
                sequences = str(source, "utf-8").split("\n") if len(self._ids) else []
                if len(sequences) != len(self._ids):
                    raise IndexFormatError("search index is inconsistent")
            self._sequences[name] = sequences
        return sequences

    def _with_code(self) -> frozenset[int]:
        if self._code_set is None:
            self._code_set = frozenset(self._code)
        return self._code_set

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


def _crc(data: bytes | memoryview) -> bytes:
    return zlib.crc32(data).to_bytes(4, "little")


def _flatten(keys: list[str], postings: dict[str, array[int]]) -> tuple[memoryview, memoryview]:
    """One flat buffer of postings in ``keys`` order, and the offsets delimiting each key's part."""
    ranges = array("i", [0])
    buffer = array("i")
    for key in keys:
        docs = postings.get(key)
        if docs:
            buffer.extend(docs)
        ranges.append(len(buffer))
    return memoryview(ranges), memoryview(buffer)


def _token_chars() -> Callable[[], str]:
    """Factory giving each new token the next character, skipping control characters and surrogates.

    A field then becomes a string with one character per token: phrase
    verification is a plain substring test, and the stored form is about a
    third the size of the text.
    """
    codes = iter(chain(range(0x20, 0xD800), range(0xE000, 0x110000)))

    def next_char() -> str:
        code = next(codes, None)
        if code is None:
            raise ValueError("more than a million distinct words: cannot index")
        return chr(code)

    return next_char


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
