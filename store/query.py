"""The query language of the filter bar and of ``papertray list QUERY``.

Grammar, term by term (terms are separated by whitespace and all must hold)::

    word              a word in title, authors, abstract or keywords
                      (typos tolerated for words of 4+ letters, first letter right; the word at the very
                      end of the query, still being typed, also matches as a prefix)
    "exact phrase"    these words, adjacent, in one field; no typos, no prefix
    title:word  title:"a phrase"   author:name  author:"Jane Doe"
    is:new|read|starred|skipped     in:QUEUE     has:code
    tag:NAME     has:note     note:word     (the reader's own tags and notes)
    is:watched|muted  matched by a watch / mute rule of config.toml (see store.rules)
    date:2024-03-14  date:2024-03  date:2024  date:>=2024-03-01  date:<2024-04 ...
    -anything         negates the term: -word, -"phrase", -is:read, -has:code ...

Decisions worth knowing:

* Field names are case-insensitive. An unknown ``field:`` ("foo:bar",
  "Mamba:", "arxiv:2403.1") is NOT an error: it is searched as plain text,
  because pasted titles are full of colons.
* A lone ``-`` and words without any letter or digit ("&", "—") are ignored:
  pasted titles contain them and they carry nothing to search for.
* Excluded words (``-word``) match exactly (no typos, no prefix), so typing
  ``-t`` ... ``-transformer`` does not empty the list letter by letter.
* A word that splits into several tokens ("GPT-4", "state-of-the-art") is
  searched as a phrase; when it was hyphen-joined its joined form ("gpt4",
  "stateoftheart") also matches.
* Dates compare at the granularity written: ``date:>2024-03`` is "after
  March 2024"; papers without a date fail every positive date filter.
* Queue names (``in:``) match case-insensitively; ``is:new is:read``
  matches nothing (a paper has one status).
* Malformed filters, a bad date, an unclosed or empty quote raise
  `QueryError` with the position of the culprit; nothing else is ever raised.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from typing import Literal, cast

from store.errors import StoreError
from store.model import Status
from store.tokens import TOKEN_RE, normalize

FilterKind = Literal["is", "in", "has", "date", "tag", "note"]
TextField = Literal["title", "author"]

STATUSES: tuple[str, ...] = tuple(s.value for s in Status)
_TEXT_FIELDS: frozenset[str] = frozenset({"title", "author"})
_FILTER_FIELDS: frozenset[str] = frozenset({"is", "in", "has", "date", "tag", "note"})
_FIELDS = _TEXT_FIELDS | _FILTER_FIELDS

_WS_RE = re.compile(r"\s*")
_WORD_RE = re.compile(r"\S*")
_FIELD_RE = re.compile(r"([A-Za-z]+):")
_QUEUE_RE = re.compile(r"[\w.\-]+")
_DATE_RE = re.compile(r"(>=|<=|>|<|=)?([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
_HYPHENATED_RE = re.compile(r"[^\W_]+(?:[-\u2010\u2011][^\W_]+)+")
_CLOSING = {'"': '"', "\u201c": "\u201d"}
"""Opening quote -> its closing quote; a straight quote also closes a curly one."""

_EMPTY_VALUE = {
    "title": "title: needs a word",
    "author": "author: needs a name",
    "is": "is: needs new, read, starred, skipped, watched or muted",
    "in": "in: needs a queue name",
    "has": "has: needs code or note",
    "tag": "tag: needs a tag name",
    "note": "note: needs a word",
    "date": "date: needs a date such as 2024-03-14",
}


class QueryError(StoreError):
    """A query that cannot mean anything; the filter bar shows it and keeps the last results.

    Attributes:
        message: Short, one line, no position in it.
        position: 0-based index in the query text of the part at fault.
    """

    def __init__(self, message: str, position: int) -> None:
        self.message = message
        self.position = position
        super().__init__(message, position)

    def __str__(self) -> str:
        return f"{self.message} (at column {self.position + 1})"


@dataclass(frozen=True, slots=True)
class TextTerm:
    """A word, a phrase, or a field-restricted one, as the index will look it up."""

    raw: str
    """The value as typed (no minus, field or quotes), for messages."""
    tokens: tuple[str, ...]
    """Normalised tokens; never empty."""
    field: TextField | None = None
    """None searches title, authors, abstract and keywords."""
    quoted: bool = False
    """``"..."``: exact tokens only, no typos, no prefix."""
    prefix: bool = False
    """The last token may match as a prefix: it is the word still being typed."""
    negated: bool = False
    joined: str | None = None
    """For a hyphen-joined word ("pre-training"), its joined token ("pretraining")."""
    position: int = 0

    @property
    def is_phrase(self) -> bool:
        """True when adjacency of several tokens must be verified."""
        return len(self.tokens) > 1

    @property
    def fuzzy(self) -> bool:
        """True when typos may match (a single unquoted word; length rules in `store.tokens`)."""
        return not self.quoted and not self.negated and len(self.tokens) == 1


@dataclass(frozen=True, slots=True)
class Filter:
    """A non-text condition: ``is:``, ``in:``, ``has:`` or ``date:``."""

    kind: FilterKind
    value: str
    """Status value, queue name, "code", or a date prefix (YYYY, YYYY-MM, YYYY-MM-DD)."""
    negated: bool = False
    op: str = "="
    """Date comparison: one of ``=``, ``>=``, ``>``, ``<=``, ``<``."""
    position: int = 0

    def accepts_date(self, date: str | None) -> bool:
        """Whether ``date`` satisfies this date filter, ignoring ``negated``.

        Dates compare at the filter's own granularity: ``date:>2024-03``
        means "after March 2024", so it compares the first 7 characters.
        """
        if not date:
            return False
        key = date[: len(self.value)]
        op = self.op
        if op == "=":
            return key == self.value
        if op == ">=":
            return key >= self.value
        if op == ">":
            return key > self.value
        if op == "<=":
            return key <= self.value
        return key < self.value


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed query: text terms and filters, all of which must hold."""

    text: str
    terms: tuple[TextTerm, ...] = ()
    filters: tuple[Filter, ...] = ()

    @property
    def include(self) -> tuple[TextTerm, ...]:
        """Text terms a paper must match."""
        return tuple(t for t in self.terms if not t.negated)

    @property
    def exclude(self) -> tuple[TextTerm, ...]:
        """Text terms a paper must not match."""
        return tuple(t for t in self.terms if t.negated)

    @property
    def is_empty(self) -> bool:
        """True when the query selects everything (blank, or only ignorable noise)."""
        return not self.terms and not self.filters

    @property
    def has_text(self) -> bool:
        """True when results are ranked by relevance rather than by date."""
        return any(not t.negated for t in self.terms)

    @property
    def highlight_terms(self) -> tuple[str, ...]:
        """Normalised words and phrases worth highlighting, without duplicates."""
        seen: dict[str, None] = {}
        for term in self.terms:
            if not term.negated:
                seen[" ".join(term.tokens)] = None
        return tuple(seen)


def parse_query(text: str) -> Query:
    """Parse the filter-bar language (see the module docstring).

    Args:
        text: Anything the user typed or passed on the command line.

    Returns:
        The parsed query; blank text gives an empty query.

    Raises:
        QueryError: The query is malformed; ``position`` points at the culprit.
    """
    terms: list[TextTerm] = []
    filters: list[Filter] = []
    n = len(text)
    pos = _skip(_WS_RE, text, 0)
    while pos < n:
        start = pos
        negated = False
        if text[pos] == "-":
            pos += 1
            if pos >= n or text[pos].isspace():
                pos = _skip(_WS_RE, text, pos)
                continue  # a lone dash, as in "Mamba - a title"
            negated = True
        field: str | None = None
        field_match = _FIELD_RE.match(text, pos)
        if field_match and field_match.group(1).lower() in _FIELDS:
            field = field_match.group(1).lower()
            pos = field_match.end()
        value_start = pos
        quoted = pos < n and text[pos] in _CLOSING
        if quoted:
            close = _find_closing(text, pos)
            if close < 0:
                raise QueryError("unclosed quote", pos)
            value = text[pos + 1 : close]
            pos = close + 1
        else:
            pos = _skip(_WORD_RE, text, pos)
            value = text[value_start:pos]
        at_end = pos >= n
        pos = _skip(_WS_RE, text, pos)

        if field in _FILTER_FIELDS:
            filters.append(_parse_filter(cast(FilterKind, field), value, negated, start, value_start))
            continue
        if field is not None and not value and not quoted:
            raise QueryError(_EMPTY_VALUE[field], start)
        term = _text_term(value, field, quoted, negated, prefix=at_end and not quoted and not negated, position=start)
        if term is None:
            if quoted:
                raise QueryError("empty phrase", value_start)
            if field is not None:
                raise QueryError(_EMPTY_VALUE[field], start)
            continue  # punctuation only: nothing to look for
        terms.append(term)
    return Query(text=text, terms=tuple(terms), filters=tuple(filters))


def _skip(pattern: re.Pattern[str], text: str, pos: int) -> int:
    """End of the (possibly empty) run of ``pattern`` at ``pos``."""
    match = pattern.match(text, pos)
    return match.end() if match else pos


def _find_closing(text: str, pos: int) -> int:
    """Index of the quote closing the one at ``pos``, or -1."""
    opening = text[pos]
    closing = _CLOSING[opening]
    straight = text.find('"', pos + 1)
    if opening == '"':
        return straight
    curly = text.find(closing, pos + 1)
    candidates = [i for i in (straight, curly) if i >= 0]
    return min(candidates) if candidates else -1


def _text_term(
    raw: str, field: str | None, quoted: bool, negated: bool, *, prefix: bool, position: int
) -> TextTerm | None:
    norm = normalize(raw)
    tokens = tuple(TOKEN_RE.findall(norm))
    if not tokens:
        return None
    joined = None
    if len(tokens) > 1 and not quoted and _HYPHENATED_RE.fullmatch(norm):
        joined = "".join(tokens)
    return TextTerm(
        raw=raw,
        tokens=tokens,
        field=cast("TextField | None", field),
        quoted=quoted,
        prefix=prefix,
        negated=negated,
        joined=joined,
        position=position,
    )


def _parse_filter(field: FilterKind, value: str, negated: bool, start: int, value_start: int) -> Filter:
    if not value:
        raise QueryError(_EMPTY_VALUE[field], start)
    if field == "is":
        status = value.lower()
        if status not in (*STATUSES, "watched", "muted"):  # the last two: config rules, see store.rules
            raise QueryError(f"unknown status {value!r}: use new, read, starred, skipped, watched or muted", value_start)
        return Filter("is", status, negated, position=start)
    if field == "in":
        if not _QUEUE_RE.fullmatch(value):
            raise QueryError(f"bad queue name {value!r}: use letters, digits, '-', '_' or '.'", value_start)
        return Filter("in", value, negated, position=start)
    if field == "has":
        if value.lower() == "note":
            return Filter("note", "", negated, position=start)
        if value.lower() != "code":
            raise QueryError(f"unknown has:{value}: use has:code or has:note", value_start)
        return Filter("has", "code", negated, position=start)
    if field == "tag":
        if not _QUEUE_RE.fullmatch(value):
            raise QueryError(f"bad tag {value!r}: use letters, digits, '-', '_' or '.'", value_start)
        return Filter("tag", value.lower().removeprefix("#"), negated, position=start)
    if field == "note":
        return Filter("note", normalize(value), negated, position=start)
    match = _DATE_RE.fullmatch(value)
    if not match or not _valid_date(match.group(2), match.group(3), match.group(4)):
        raise QueryError(
            f"bad date {value!r}: use 2024, 2024-03 or 2024-03-14, optionally after >=, >, <=, <", value_start
        )
    op = match.group(1) or "="
    day = "-".join(g for g in match.group(2, 3, 4) if g)
    return Filter("date", day, negated, op=op, position=start)


def _valid_date(year: str, month: str | None, day: str | None) -> bool:
    if month is None:
        return True
    if day is None:
        return 1 <= int(month) <= 12
    try:
        _dt.date(int(year), int(month), int(day))
    except ValueError:
        return False
    return True
