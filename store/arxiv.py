"""``papertray resolve``: find page-copy papers on arXiv and fill what a citation needs.

Page copies give a title and an abstract; a citation needs authors, a year,
an arXiv id and (for BibTeX's ``primaryClass``) a primary category. The arXiv
API (``{base}/api/query``, Atom XML) has them:

* papers without an arXiv id are looked up by title (``search_query=ti:"..."``)
  and a result is accepted only when the normalised titles agree: rapidfuzz
  ``fuzz.ratio`` of :func:`store.ids.normalise_title` of both is at least
  :data:`MATCH_THRESHOLD` (95). "Same paper, different dash or case" passes;
  "a different paper with a similar title" does not (those are reported as
  near misses and left alone);
* papers with an arXiv id but no category (Hugging Face has none) are looked
  up in batches with ``id_list``.

arXiv asks clients to pause about 3 seconds between calls: the client waits
:data:`MIN_INTERVAL` seconds from the end of one call to the start of the next
(retries included). Every answer is written to the store as it comes, and
papers that found no match are remembered in the store's meta, so an
interrupted run picks up where it stopped.

The Atom answer is parsed with :mod:`xml.etree.ElementTree` after refusing
any document that declares a DTD: without a DTD there are no entity
declarations to expand, no external entities to fetch, so the "billion
laughs" and XXE attacks ``defusedxml`` guards against cannot happen.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import httpx
from rapidfuzz import fuzz

from store.errors import InputError, StoreError
from store.ids import clean_arxiv_id, normalise_title
from store.model import Paper
from store.net import HttpClient, HttpSettings, NetworkError

if TYPE_CHECKING:
    from store.store import Store

DEFAULT_ARXIV_URL = "https://export.arxiv.org"
ENV_ARXIV_URL = "PAPERTRAY_ARXIV_URL"
QUERY_PATH = "/api/query"
MATCH_THRESHOLD = 95.0
"""Least ``fuzz.ratio`` (0-100) between normalised titles to accept a match."""
NEAR_MISS = 80.0
"""Candidates scoring from here up to the threshold are reported as near misses."""
MIN_INTERVAL = 3.0
"""Seconds between arXiv calls, as arXiv's API terms ask."""
ID_BATCH = 50
"""Ids per ``id_list`` call."""
SEARCH_RESULTS = 5
"""Candidates per title search."""

CHECKED_KEY = "arxiv.checked"
"""Store meta: ``{paper_id: "YYYY-MM-DD"}`` — title searches that found no match."""
CLASS_CHECKED_KEY = "arxiv.class_checked"
"""Store meta: ``{arxiv_id: "YYYY-MM-DD"}`` — ids arXiv returned nothing for."""

_ATOM = "{http://www.w3.org/2005/Atom}"
_ARXIV = "{http://arxiv.org/schemas/atom}"
_DTD_RE = re.compile(r"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_ABS_RE = re.compile(r"/abs/(.+)$")

Clock = Callable[[], float]
Sleep = Callable[[float], None]
Progress = Callable[[int, int, str], None]
"""``progress(done, total, message)``."""


class ArxivError(StoreError):
    """arXiv answered with an error document (a bad query, an unknown id format)."""


def arxiv_base_url(base_url: str | None = None) -> str:
    """The API base: the argument, else ``PAPERTRAY_ARXIV_URL``, else export.arxiv.org."""
    return (base_url or os.environ.get(ENV_ARXIV_URL) or DEFAULT_ARXIV_URL).rstrip("/")


# -- the Atom answer -----------------------------------------------------------


@dataclass(frozen=True)
class ArxivRecord:
    """One arXiv entry, reduced to what papertray stores."""

    arxiv_id: str
    title: str
    authors: tuple[str, ...] = ()
    published: str | None = None
    """Day of the first version (YYYY-MM-DD)."""
    primary_class: str | None = None
    abstract: str = ""


def _fold(text: str | None) -> str:
    return " ".join((text or "").split())


def parse_atom(text: str | bytes, *, source: str) -> list[ArxivRecord]:
    """Parse an arXiv API Atom feed.

    Args:
        text: the XML.
        source: URL, for messages.

    Returns:
        The entries that carry an arXiv id and a title.

    Raises:
        InputError: not XML, a DTD is declared, or not an Atom feed.
        ArxivError: arXiv's own error entry (its message is passed on).
    """
    raw = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    if _DTD_RE.search(raw):
        raise InputError(source, "refused: the answer declares a DTD or entities")
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as exc:
        raise InputError(source, f"malformed XML: {exc}") from None
    if root.tag != f"{_ATOM}feed":
        raise InputError(source, "not an arXiv Atom feed")
    records: list[ArxivRecord] = []
    for entry in root.iter(f"{_ATOM}entry"):
        entry_id = _fold(entry.findtext(f"{_ATOM}id"))
        if "/api/errors" in entry_id:
            message = _fold(entry.findtext(f"{_ATOM}summary")) or "error"
            raise ArxivError(f"arXiv refused the query: {message}")
        match = _ABS_RE.search(entry_id)
        arxiv_id = clean_arxiv_id(match.group(1)) if match else None
        title = _fold(entry.findtext(f"{_ATOM}title"))
        if not arxiv_id or not title:
            continue
        authors = tuple(
            name for name in (_fold(a.findtext(f"{_ATOM}name")) for a in entry.findall(f"{_ATOM}author")) if name
        )
        primary = entry.find(f"{_ARXIV}primary_category")
        primary_class = primary.get("term") if primary is not None else None
        if not primary_class:
            first = entry.find(f"{_ATOM}category")
            primary_class = first.get("term") if first is not None else None
        published = _fold(entry.findtext(f"{_ATOM}published"))[:10]
        try:
            published_day: str | None = _dt.date.fromisoformat(published).isoformat()
        except ValueError:
            published_day = None
        records.append(
            ArxivRecord(
                arxiv_id=arxiv_id,
                title=title,
                authors=authors,
                published=published_day,
                primary_class=_fold(primary_class) or None,
                abstract=(entry.findtext(f"{_ATOM}summary") or "").strip(),
            )
        )
    return records


# -- matching ------------------------------------------------------------------


def title_score(a: str, b: str) -> float:
    """Similarity (0-100) of two titles after normalisation."""
    return float(fuzz.ratio(normalise_title(a), normalise_title(b)))


def best_match(title: str, records: Iterable[ArxivRecord]) -> tuple[ArxivRecord | None, float]:
    """The best-scoring candidate and its score (None, 0 when there are none)."""
    best: ArxivRecord | None = None
    score = 0.0
    for record in records:
        s = title_score(title, record.title)
        if s > score:
            best, score = record, s
    return best, score


def title_query(title: str) -> str:
    """arXiv ``search_query`` for a title: a quoted phrase of its normalised words.

    Normalising drops the quotes, colons and parentheses that would break
    arXiv's query syntax.
    """
    return f'ti:"{normalise_title(title)}"'


# -- the client ----------------------------------------------------------------


class ArxivClient:
    """Talks to the arXiv API at a polite pace.

    Args:
        base_url: see :func:`arxiv_base_url`.
        settings: HTTP limits; retries are spaced at least ``min_interval``.
        transport: an httpx transport, for tests without a server.
        min_interval: seconds from the end of one call to the start of the next.
        clock: monotonic clock (tests pass a fake one).
        sleep: pause function (tests pass one that advances the fake clock).
    """

    def __init__(
        self,
        base_url: str | None = None,
        *,
        settings: HttpSettings | None = None,
        transport: httpx.BaseTransport | None = None,
        min_interval: float = MIN_INTERVAL,
        clock: Clock = time.monotonic,
        sleep: Sleep = time.sleep,
    ) -> None:
        self.base_url = arxiv_base_url(base_url)
        base = settings or HttpSettings(timeout=30.0)
        base = replace(base, sleep=sleep, min_wait=max(base.min_wait, min_interval), backoff=max(base.backoff, min_interval))
        self.http = HttpClient(base, transport=transport)
        self.min_interval = min_interval
        self.clock = clock
        self.sleep = sleep
        self._last_end: float | None = None
        self.calls = 0

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> ArxivClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _query(self, params: dict[str, str | int]) -> list[ArxivRecord]:
        if self._last_end is not None:
            wait = self._last_end + self.min_interval - self.clock()
            if wait > 0:
                self.sleep(wait)
        url = f"{self.base_url}{QUERY_PATH}"
        self.calls += 1
        try:
            body = self.http.get(url, params, accept="application/atom+xml")
        finally:
            self._last_end = self.clock()
        return parse_atom(body, source=url)

    def search_title(self, title: str, *, max_results: int = SEARCH_RESULTS) -> list[ArxivRecord]:
        """Candidates for a title (one call)."""
        return self._query({"search_query": title_query(title), "start": 0, "max_results": max_results})

    def by_ids(self, arxiv_ids: Sequence[str]) -> list[ArxivRecord]:
        """Records for up to :data:`ID_BATCH` ids (one call)."""
        return self._query({"id_list": ",".join(arxiv_ids), "start": 0, "max_results": len(arxiv_ids)})


# -- resolving the store's papers ----------------------------------------------------


@dataclass
class ResolveReport:
    """What a resolve run did; :meth:`line` sums it up."""

    searched: int = 0
    matched: int = 0
    near_misses: list[tuple[str, str, float]] = field(default_factory=list)
    """(our title, arXiv's title, score) of candidates refused for being close but not equal."""
    not_found: int = 0
    duplicates: list[tuple[str, str]] = field(default_factory=list)
    """(paper id, arXiv id) where the arXiv paper is already in the store under its own id."""
    classes_filled: int = 0
    skipped_checked: int = 0
    """Papers left alone because an earlier run found no match for them."""

    def line(self) -> str:
        parts = [f"resolved {self.matched} of {self.searched} papers to arXiv"]
        extra = []
        if self.near_misses:
            extra.append(f"{len(self.near_misses)} near misses refused")
        if self.not_found:
            extra.append(f"{self.not_found} not found")
        if self.duplicates:
            extra.append(f"{len(self.duplicates)} already in the store under their arXiv id")
        if extra:
            parts.append(f" ({', '.join(extra)})")
        parts.append(f"; filled the category of {self.classes_filled} papers")
        if self.skipped_checked:
            parts.append(f"; {self.skipped_checked} left from earlier runs (--retry tries them again)")
        return "".join(parts)


def _matches_query(paper: Paper, query: str | None) -> bool:
    if not query:
        return True
    if query in (paper.id, paper.arxiv_id) or query in paper.aliases:
        return True
    needle = normalise_title(query)
    return bool(needle) and needle in normalise_title(paper.title)


def _meta_map(store: Store, key: str) -> dict[str, str]:
    value = store.meta_get(key, {})
    return {k: v for k, v in value.items() if isinstance(k, str)} if isinstance(value, dict) else {}


@dataclass(frozen=True)
class ResolveWork:
    """The papers a run will look up."""

    by_title: tuple[Paper, ...]
    by_id: tuple[Paper, ...]
    skipped_checked: int = 0


def plan_resolve(store: Store, *, query: str | None = None, retry: bool = False) -> ResolveWork:
    """Papers without an arXiv id (title search) and with one but no category (id batch).

    Args:
        store: the store.
        query: only papers whose normalised title contains it, or whose id it is.
        retry: also papers that earlier runs found no match for.
    """
    checked = _meta_map(store, CHECKED_KEY)
    class_checked = _meta_map(store, CLASS_CHECKED_KEY)
    by_title: list[Paper] = []
    by_id: list[Paper] = []
    skipped = 0
    for paper in store.papers():
        if not _matches_query(paper, query):
            continue
        arxiv = clean_arxiv_id(paper.arxiv_id)
        if arxiv is None:
            if paper.id in checked and not retry:
                skipped += 1
            else:
                by_title.append(paper)
        elif not paper.primary_class:
            if arxiv in class_checked and not retry:
                skipped += 1
            else:
                by_id.append(paper)
    return ResolveWork(tuple(by_title), tuple(by_id), skipped)


def _fill(paper: Paper, record: ArxivRecord) -> dict[str, object]:
    """Fields to set from an arXiv record: the id and category always, others when empty."""
    changes: dict[str, object] = {}
    if not paper.arxiv_id:
        changes["arxiv_id"] = record.arxiv_id
    if record.primary_class and not paper.primary_class:
        changes["primary_class"] = record.primary_class
    if record.authors and not paper.authors:
        changes["authors"] = record.authors
    if record.published and not paper.published:
        changes["published"] = record.published
    if record.abstract and not paper.abstract:
        changes["abstract"] = record.abstract
    return changes


def resolve(
    store: Store,
    client: ArxivClient,
    *,
    query: str | None = None,
    retry: bool = False,
    progress: Progress | None = None,
    today: _dt.date | None = None,
) -> ResolveReport:
    """Look the store's papers up on arXiv and write what matches.

    Category batches go first (a few calls), then one title search per
    paper. Each answer is written before the next call, so stopping at any
    point (Ctrl-C, a network failure) loses at most the call in flight.

    Args:
        store: an open, writable store.
        client: the arXiv client (its pace is the run's pace).
        query: limit to papers matching it (see :func:`plan_resolve`).
        retry: look up again papers earlier runs found no match for.
        progress: called as ``progress(done, total, message)`` after each call.
        today: the day recorded for "checked, no match" (injected in tests).

    Returns:
        What was done.

    Raises:
        NetworkError, ArxivError, InputError: a call failed; everything up to
            it is already stored, and the next run continues from there.
    """
    stamp = (today or _dt.date.today()).isoformat()
    work = plan_resolve(store, query=query, retry=retry)
    report = ResolveReport(skipped_checked=work.skipped_checked)
    batches = [work.by_id[i : i + ID_BATCH] for i in range(0, len(work.by_id), ID_BATCH)]
    total = len(batches) + len(work.by_title)
    done = 0

    for batch in batches:
        ids = [clean_arxiv_id(p.arxiv_id) or "" for p in batch]
        records = {r.arxiv_id: r for r in client.by_ids(ids)}
        updates: dict[str, dict[str, object]] = {}
        missing: list[str] = []
        filled_before = report.classes_filled
        for paper, arxiv in zip(batch, ids):
            record = records.get(arxiv)
            changes = _fill(paper, record) if record else {}
            if changes:
                updates[paper.id] = changes
                if "primary_class" in changes:
                    report.classes_filled += 1
            if record is None or not record.primary_class:
                missing.append(arxiv)
        if updates:
            store.update_papers(updates)
        if missing:
            class_checked = _meta_map(store, CLASS_CHECKED_KEY)
            class_checked.update(dict.fromkeys(missing, stamp))
            store.meta_set(CLASS_CHECKED_KEY, class_checked)
        done += 1
        if progress:
            progress(done, total, f"categories: {report.classes_filled - filled_before} of {len(batch)} found")

    for paper in work.by_title:
        report.searched += 1
        candidates = client.search_title(paper.title)
        record, score = best_match(paper.title, candidates)
        message: str
        if record is not None and score >= MATCH_THRESHOLD:
            other = store.get(record.arxiv_id)
            if other is not None and other.id != paper.id:
                report.duplicates.append((paper.id, record.arxiv_id))
                _remember(store, paper.id, stamp)
                message = f"{record.arxiv_id} is already in the store: {_short(paper.title)}"
            else:
                store.update_papers({paper.id: _fill(paper, record)})
                report.matched += 1
                message = f"{record.arxiv_id}: {_short(paper.title)}"
        else:
            if record is not None and score >= NEAR_MISS:
                report.near_misses.append((paper.title, record.title, score))
                message = f"near miss ({score:.0f}), refused: {_short(paper.title)} / {_short(record.title)}"
            else:
                report.not_found += 1
                message = f"not found: {_short(paper.title)}"
            _remember(store, paper.id, stamp)
        done += 1
        if progress:
            progress(done, total, message)
    return report


def _remember(store: Store, paper_id: str, stamp: str) -> None:
    checked = _meta_map(store, CHECKED_KEY)
    checked[paper_id] = stamp
    store.meta_set(CHECKED_KEY, checked)


def _short(title: str, width: int = 60) -> str:
    return title if len(title) <= width else title[: width - 1] + "…"


__all__ = [
    "ArxivClient",
    "ArxivError",
    "ArxivRecord",
    "MATCH_THRESHOLD",
    "MIN_INTERVAL",
    "NetworkError",
    "ResolveReport",
    "best_match",
    "parse_atom",
    "plan_resolve",
    "resolve",
    "title_query",
    "title_score",
]
