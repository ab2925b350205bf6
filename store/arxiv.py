"""``papertray resolve``: find page-copy papers on arXiv and fill what a citation needs.

Page copies give a title and an abstract; a citation needs authors, a year,
an arXiv id and (for BibTeX's ``primaryClass``) a primary category. The arXiv
API (``{base}/api/query``, Atom XML) has them:

* papers without an arXiv id are looked up by title (``search_query=ti:"..."``)
  and a result is accepted only when the normalised titles agree: their
  :func:`~store.arxiv_client.title_score` is at least :data:`MATCH_THRESHOLD`
  (95). "Same paper, different dash or case" passes; "a different paper with
  a similar title" does not (those are reported as near misses and left alone);
* papers with an arXiv id but no category (Hugging Face has none) are looked
  up in batches with ``id_list``.

Every answer is written to the store as it comes, and papers that found no
match are remembered in the store's meta, so an interrupted run picks up
where it stopped. The API client and the Atom parser are :mod:`store.arxiv_client`.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from store.arxiv_client import (
    ID_BATCH,
    MIN_INTERVAL,
    ArxivClient,
    ArxivError,
    ArxivRecord,
    Progress,
    best_match,
    parse_atom,
    title_query,
    title_score,
)
from store.ids import clean_arxiv_id, normalise_title
from store.model import Paper
from store.net import NetworkError

if TYPE_CHECKING:
    from store.store import Store

MATCH_THRESHOLD = 95.0
"""Least ``fuzz.ratio`` (0-100) between normalised titles to accept a match."""
NEAR_MISS = 80.0
"""Candidates scoring from here up to the threshold are reported as near misses."""

CHECKED_KEY = "arxiv.checked"
"""Store meta: ``{paper_id: "YYYY-MM-DD"}`` — title searches that found no match."""
CLASS_CHECKED_KEY = "arxiv.class_checked"
"""Store meta: ``{arxiv_id: "YYYY-MM-DD"}`` — ids arXiv returned nothing for."""


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
        for paper, arxiv in zip(batch, ids, strict=True):
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
    "ID_BATCH",
    "MATCH_THRESHOLD",
    "MIN_INTERVAL",
    "ArxivClient",
    "ArxivError",
    "ArxivRecord",
    "NetworkError",
    "ResolveReport",
    "best_match",
    "parse_atom",
    "plan_resolve",
    "resolve",
    "title_query",
    "title_score",
]
