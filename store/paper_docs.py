"""Paper documents: how a :class:`~store.model.Paper` is stored in ``papers.json`` and read back.

One document per paper (plain JSON types, TinyDB's format); the conversions
both ways, the list row a document shows as, the order of the list, and how
a new import's draft is folded into a stored document. Pure functions: the
file and its caches are :mod:`store.corpus`.
"""

from __future__ import annotations

from dataclasses import fields
from typing import TYPE_CHECKING, Any

from store.bounds import bounded_count
from store.model import Paper, Row
from store.unwrap import one_line, unwrap

if TYPE_CHECKING:
    from store.drafts import PaperDraft  # imports only: not on the way to the first paint

_FIELD_ORDER = tuple(f.name for f in fields(Paper))
PAPER_FIELDS = set(_FIELD_ORDER)
_TUPLE_FIELDS = {"authors", "github", "links", "keywords", "sources", "aliases"}
_VOLATILE = ("upvotes", "comments", "github_stars", "withdrawn")
_COUNTS = {"upvotes", "comments", "github_stars"}
_UNWRAPPED = ("abstract", "ai_summary")
_FILLABLE = ("abstract", "ai_summary", "authors", "published", "github", "links", "keywords", "primary_class")


def paper_from_doc(doc: dict[str, Any]) -> Paper:
    """Build a Paper from a stored document, ignoring unknown keys."""
    values = {k: v for k, v in doc.items() if k in PAPER_FIELDS}
    for key in _COUNTS & values.keys():  # a file edited by hand, or written before the bounds
        values[key] = bounded_count(values[key], key)
    for key in _TUPLE_FIELDS & values.keys():
        values[key] = tuple(values[key] or ())
    if values.get("github"):  # a store written before links were normalised, or edited by hand
        values["github"] = tuple(dict.fromkeys(u for u in map(_clean_link, values["github"]) if u))
    unwrap_text(values)
    values["date"] = shown_date(doc)
    return Paper(**values)


def _clean_link(url: object) -> str | None:
    from store.links import clean_github_url  # hand-edited stores only: not on the first paint's path

    return clean_github_url(url) if isinstance(url, str) else None


def shown_date(doc: dict[str, Any]) -> str | None:
    """The day a paper is listed under: its Daily Papers day, else the day it was imported.

    One rule everywhere (list, pane, JSON, ``date:``, sort): a page copy
    without a date line is dated on its import day, as the README says, rather
    than "undated" in one place and "today" in another.
    """
    return doc.get("date") or doc.get("added")


def unwrap_text(doc: dict[str, Any]) -> dict[str, Any]:
    """Title on one line, abstract and AI summary unwrapped (see :mod:`store.unwrap`).

    Applied when a paper is read, so a store written before text was stored
    unwrapped reads unwrapped at once, and when the corpus is next written
    (import, fetch, resolve), so the file itself catches up.
    """
    title = doc.get("title")
    if isinstance(title, str):
        doc["title"] = one_line(title)
    for key in _UNWRAPPED:
        value = doc.get(key)
        if isinstance(value, str) and value:
            doc[key] = unwrap(value)
    return doc


def doc_from_paper(paper: Paper, seq: int, added: str) -> dict[str, Any]:
    # Not dataclasses.asdict: its recursive deep copy was half the import time,
    # and a Paper's fields are flat (strings, numbers, tuples of strings).
    doc = {}
    for name in _FIELD_ORDER:
        value = getattr(paper, name)
        doc[name] = list(value) if isinstance(value, tuple) else value
    doc["seq"] = seq
    doc["added"] = added
    return doc


def sort_key(doc: dict[str, Any]) -> tuple[str, int]:
    """Newest day first; within a day, the page's own order (import sequence)."""
    seq = doc.get("seq")
    return (str(doc.get("date") or doc.get("added") or ""), -(seq if type(seq) is int else 0))


def row_of(doc: dict[str, Any]) -> Row:
    return Row(
        id=doc["id"],
        title=one_line(doc["title"]),
        date=shown_date(doc),
        has_code=bool(doc.get("github")),
        upvotes=bounded_count(doc.get("upvotes"), "upvotes"),
    )


def merge_into(doc: dict[str, Any], draft: PaperDraft, source: str) -> None:
    """Fold one draft into a stored document: fill gaps, refresh volatile fields."""
    if draft.date and (not doc.get("date") or draft.date < doc["date"]):
        doc["date"] = draft.date
    for key in _FILLABLE:
        value = getattr(draft, key)
        if value and not doc.get(key):
            doc[key] = list(value) if isinstance(value, tuple) else value
    if draft.github:
        merged = list(dict.fromkeys([*draft.github, *doc.get("github", [])]))
        doc["github"] = merged
    if draft.links:
        doc["links"] = list(dict.fromkeys([*doc.get("links", []), *draft.links]))
    for key in _VOLATILE:
        value = getattr(draft, key)
        if value is not None and (key != "withdrawn" or value):
            doc[key] = value
    if draft.authors and len(draft.authors) > len(doc.get("authors", [])):
        doc["authors"] = list(draft.authors)
    src = draft.source or source
    if src and src not in doc.get("sources", []):
        doc["sources"] = [*doc.get("sources", []), src]
