"""The arXiv API client: ``{base}/api/query`` calls, paced, and their Atom answers parsed.

The API (Atom XML) has what a citation needs and page copies lack: authors,
a year, an arXiv id and (for BibTeX's ``primaryClass``) a primary category.
Titles are compared with rapidfuzz ``fuzz.ratio`` of
:func:`store.ids.normalise_title` of both (:func:`title_score`).

arXiv asks clients to pause about 3 seconds between calls: the client waits
:data:`MIN_INTERVAL` seconds from the end of one call to the start of the next
(retries included).

The Atom answer is parsed with :mod:`xml.etree.ElementTree` after refusing
any document that declares a DTD: without a DTD there are no entity
declarations to expand, no external entities to fetch, so the "billion
laughs" and XXE attacks ``defusedxml`` guards against cannot happen.

The workflow that uses it on the store's papers is :mod:`store.arxiv`.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

import httpx
from rapidfuzz import fuzz

from store.errors import InputError, StoreError
from store.ids import clean_arxiv_id, normalise_title
from store.net import HttpClient, HttpSettings

DEFAULT_ARXIV_URL = "https://export.arxiv.org"
ENV_ARXIV_URL = "PAPERTRAY_ARXIV_URL"
QUERY_PATH = "/api/query"
MIN_INTERVAL = 3.0
"""Seconds between arXiv calls, as arXiv's API terms ask."""
ID_BATCH = 50
"""Ids per ``id_list`` call."""
SEARCH_RESULTS = 5
"""Candidates per title search."""

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
        base = replace(
            base, sleep=sleep, min_wait=max(base.min_wait, min_interval), backoff=max(base.backoff, min_interval)
        )
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
