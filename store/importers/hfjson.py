"""Read the Hugging Face Daily Papers API (``/api/daily_papers``) into drafts.

A response is a JSON list of entries::

    {"paper": {"id": "2409.11074", "title", "summary", "authors": [{"name", "hidden"}],
               "publishedAt", "upvotes", "githubRepo", "githubStars", "projectPage",
               "ai_keywords", "withdrawnAt", ...},
     "publishedAt": <when it appeared on Daily Papers>, "title", "summary", "numComments", ...}

We read the raw JSON rather than ``huggingface_hub.PaperInfo``, which reads
``githubRepo``, ``projectPage`` and ``ai_*`` from the wrong level and turns
``upvotes: 0`` into ``None``. The API is not ours and changes without notice,
so every field is optional: a missing, renamed or wrong-typed field is
skipped, an entry without a usable title is skipped, and nothing here raises
except :class:`InputError` for a document that is not such a list at all.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

import orjson

from store.bounds import bounded_count
from store.drafts import PaperDraft
from store.errors import InputError
from store.ids import clean_arxiv_id
from store.links import clean_github_url, extract_github_links, is_web_url
from store.unwrap import unwrap

NOT_A_RESPONSE = "not a Daily Papers API response"
_PAPER_KEYS = frozenset({"id", "authors", "upvotes", "publishedAt", "summary", "githubRepo", "ai_keywords"})
"""Keys that mark a bare paper object (an entry without the ``paper`` wrapper)."""
_SAFE_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
"""Ids we put in a Hugging Face page URL: no slashes, queries or spaces."""


def parse_api_response(text: str | bytes, *, source: str, day: str | None = None) -> list[PaperDraft]:
    """Parse a saved or fetched Daily Papers API response.

    Args:
        text: the JSON document.
        source: file path or URL, for messages and the papers' ``sources``.
        day: the Daily Papers day the response was requested for, when known
            (a fetch knows it; a saved file does not).

    Returns:
        One draft per usable entry, in the response's order.

    Raises:
        InputError: the text is not JSON, or not a list of Daily Papers entries.
    """
    return drafts_from_api(load_json(text, source=source), source=source, day=day)


def load_json(text: str | bytes, *, source: str) -> object:
    """Decode JSON, turning every failure into one :class:`InputError` line."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        first_error = str(exc)
    # orjson refuses lone surrogates (``"\\ud800"``), which the standard
    # library accepts; strings are cleaned later, so give it a second chance.
    try:
        return json.loads(text)
    except RecursionError:
        raise InputError(source, "malformed JSON: nested too deeply") from None
    except (ValueError, TypeError):
        raise InputError(source, f"malformed JSON: {first_error}") from None


def looks_like_api_response(data: object) -> bool:
    """True when decoded JSON has the shape of a Daily Papers API response.

    An empty list counts (a day with no papers). Used to detect the format
    from the content rather than the file name.
    """
    if not isinstance(data, list):
        return False
    if not data:
        return True
    return any(_paper_object(entry) is not None for entry in data[:50])


def drafts_from_api(data: object, *, source: str, day: str | None = None) -> list[PaperDraft]:
    """Map decoded API JSON to drafts (see the module docstring for the mapping).

    Args:
        data: the decoded JSON.
        source: file path or URL, recorded on every draft.
        day: the requested Daily Papers day (``YYYY-MM-DD``); when None, each
            entry's own ``publishedAt`` gives its day.

    Returns:
        One draft per entry with a usable title.

    Raises:
        InputError: ``data`` is not a list of Daily Papers entries.
    """
    if not looks_like_api_response(data):
        raise InputError(source, NOT_A_RESPONSE)
    assert isinstance(data, list)
    drafts: list[PaperDraft] = []
    for entry in data:
        draft = draft_from_entry(entry, source=source, day=day)
        if draft is not None:
            drafts.append(draft)
    return drafts


def draft_from_entry(entry: object, *, source: str, day: str | None = None) -> PaperDraft | None:
    """One entry to one draft, or None when it has no usable title."""
    paper = _paper_object(entry)
    if paper is None:
        return None
    outer: Mapping[str, Any] = entry if isinstance(entry, Mapping) else {}
    title = _title(paper.get("title")) or _title(outer.get("title"))
    if not title:
        return None
    abstract = unwrap(_text(paper.get("summary")) or _text(outer.get("summary")) or "")
    raw_id = _text(paper.get("id"))
    arxiv_id = clean_arxiv_id(raw_id) if raw_id else None
    return PaperDraft(
        title=title,
        abstract=abstract,
        authors=_authors(paper.get("authors")),
        date=_day(day) or _day(outer.get("publishedAt")) or _day(paper.get("submittedOnDailyAt")),
        published=_day(paper.get("publishedAt")),
        arxiv_id=arxiv_id,
        github=_github(paper.get("githubRepo"), abstract),
        links=_links(paper.get("projectPage"), raw_id),
        upvotes=_count(paper.get("upvotes"), "upvotes"),
        comments=_count(outer.get("numComments", paper.get("numComments")), "comments"),
        github_stars=_count(paper.get("githubStars"), "github_stars"),
        keywords=_strings(paper.get("ai_keywords")),
        ai_summary=unwrap(_text(paper.get("ai_summary")) or _text(outer.get("ai_summary")) or ""),
        withdrawn=_withdrawn(paper.get("withdrawnAt")),
        source=source,
    )


# -- field readers: each returns a safe value or "unknown", never raises ---------


def _paper_object(entry: object) -> Mapping[str, Any] | None:
    """The paper record of an entry: ``entry["paper"]``, or the entry itself when bare."""
    if not isinstance(entry, Mapping):
        return None
    paper = entry.get("paper")
    if isinstance(paper, Mapping):
        return paper
    if "title" in entry and _PAPER_KEYS & entry.keys():
        return entry
    return None


def _text(value: object) -> str | None:
    """A stripped string, with lone surrogates replaced (they cannot be stored as UTF-8)."""
    if not isinstance(value, str):
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        value = value.encode("utf-8", "replace").decode("utf-8")
    return value.strip() or None


def _title(value: object) -> str | None:
    """Titles arrive with line breaks and double spaces from LaTeX; fold them."""
    text = _text(value)
    return " ".join(text.split()) if text else None


def _authors(value: object) -> tuple[str, ...]:
    """Every author's name in order; hidden ones too (they are still authors)."""
    if not isinstance(value, list):
        return ()
    names: list[str] = []
    for author in value:
        name = _title(author.get("name")) if isinstance(author, Mapping) else _title(author)
        if name:
            names.append(name)
    return tuple(names)


def _day(value: object) -> str | None:
    """The date part of an ISO timestamp (``2024-09-17T13:22:30.000Z``), validated."""
    text = _text(value)
    if not text or len(text) < 10:
        return None
    try:
        return _dt.date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        return None


def _count(value: object, field: str) -> int | None:
    """A whole number in ``field``'s range (see `store.bounds`); the API sends ints, its schema says floats."""
    return bounded_count(value, field)


def _strings(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    seen: dict[str, None] = {}
    for item in value:
        text = _title(item)
        if text:
            seen.setdefault(text, None)
    return tuple(seen)


def _github(value: object, abstract: str) -> tuple[str, ...]:
    """``githubRepo`` first (a string, or a list in some responses), then links in the abstract."""
    raw: Iterable[object] = value if isinstance(value, list) else [value]
    urls: list[str] = []
    for item in raw:
        text = _text(item)
        url = clean_github_url(text) if text else None
        if url:
            urls.append(url)
    urls.extend(extract_github_links(abstract))
    seen: dict[str, str] = {}
    for url in urls:
        seen.setdefault(url.lower(), url)
    return tuple(seen.values())


def _links(project_page: object, raw_id: str | None) -> tuple[str, ...]:
    """The project page (web URLs only), then the paper's Hugging Face page."""
    links: list[str] = []
    page = _text(project_page)
    if page and is_web_url(page):
        links.append(page)
    if raw_id and _SAFE_ID_RE.fullmatch(raw_id):
        links.append(f"https://huggingface.co/papers/{raw_id}")
    return tuple(links)


def _withdrawn(value: object) -> bool:
    """``withdrawnAt`` is a timestamp when withdrawn, null or absent otherwise."""
    if isinstance(value, bool):
        return value
    return isinstance(value, str) and bool(value.strip())
