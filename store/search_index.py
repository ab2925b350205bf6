"""The index behind the filter bar: one query in, ranked paper ids out, over arrays read in place.

Papers are numbered in *default order* (newest date first, then title): a
date filter is a contiguous range of numbers, a result list with no text is
already sorted, and "newer first" breaks ranking ties for free. Text terms
are scored by `store.search_terms`; this module combines them with the view,
the date, code, status and queue filters, and ranks the result with two
C-level sorts. The arrays are built by `store.search_build` and laid out by
`store.search_format`; nothing proportional to the index is held as Python
objects but the ids and the dates.
"""

from __future__ import annotations

import io
import mmap
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import filterfalse
from operator import add
from pathlib import Path

from store.query import Filter, Query
from store.scope_keys import first_numbers
from store.search_build import FIELDS, SearchDoc, write_index
from store.search_format import IndexFile, IndexFormatError, check_file, read_index
from store.search_terms import TermScorer

__all__ = ["FIELDS", "IndexFormatError", "SearchDoc", "SearchIndex"]


class SearchIndex:
    """An immutable, thread-safe inverted index over papers; see the module docstring."""

    __slots__ = ("_code", "_dates", "_file", "_ids", "_n_dated", "_positions", "_terms")

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
                dates.extend([date] * count)  # one string per day, shared by its papers
            self._code = file.raw("code")
            if not isinstance(ids, list) or len(ids) != n or len(dates) != n or len(self._code) != n:
                raise IndexFormatError("search index is inconsistent")
            self._terms = TermScorer(file, n)
        except IndexFormatError:
            raise
        except (AttributeError, IndexError, KeyError, TypeError, ValueError) as exc:
            raise IndexFormatError(f"damaged search index: {exc}") from exc
        self._file = file
        self._ids: list[str] = ids
        self._dates = dates
        self._n_dated = sum(1 for d in dates if d)
        self._positions: dict[str, int] | None = None

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
        """Ids of the papers matching ``query``, best first (see `search_numbers`)."""
        return list(map(self._ids.__getitem__, self.search_numbers(query, status_of=status_of, queues_of=queues_of, scope=scope)))

    def search_numbers(
        self,
        query: Query,
        *,
        status_of: Callable[[str], str],
        queues_of: Callable[[str], frozenset[str]],
        scope: Sequence[str] | None = None,
        scope_numbers: Sequence[int] | None = None,
    ) -> list[int]:
        """Paper numbers (positions in `ids`) of the papers matching ``query``, best first.

        ``scope_numbers`` is ``scope`` already given as paper numbers (in its
        order, each once; see `store.scope_keys.ScopeKeys.numbered`).

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
        scope_docs = scope_numbers if scope_numbers is not None else self._scope_docs(scope) if scope is not None else None

        term_scores = sorted((self._terms.scores(t) for t in include), key=len)
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
            excluded.update(self._terms.scores(term))
        if excluded:
            candidates = filterfalse(excluded.__contains__, candidates)
        keep = _state_predicate(self._ids, query.filters, status_of, queues_of)
        if keep is not None:
            candidates = filter(keep, candidates)
        docs = list(candidates)
        if term_scores:
            docs = _rank(docs, term_scores)
        return docs

    def numbers(self) -> dict[str, int]:
        """Id → paper number, made once (about 13 ms at 100k papers; `warm` makes it)."""
        positions = self._positions
        if positions is None:
            positions = self._positions = {pid: i for i, pid in enumerate(self._ids)}
        return positions

    def warm(self) -> None:
        """Do now the one-time work the first keystroke would do (call it in the worker): the id map."""
        self.numbers()

    def clear_cache(self) -> None:
        """Forget per-term results (benchmarks use it to measure cold searches)."""
        self._terms.clear_cache()

    # ------------------------------------------------------------ internals

    def _scope_docs(self, scope: Sequence[str]) -> list[int]:
        """Paper numbers of ``scope`` in its order, unknown ids and repeats dropped.

        The reader gives its view already numbered (`store.scope_keys`, kept
        across keystrokes); this serves callers that give ids.
        """
        return first_numbers(map(self.numbers().get, scope))

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
        score = dict(zip(docs, totals, strict=False)).__getitem__
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
