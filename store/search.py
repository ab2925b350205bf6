"""Search: the index (`SearchIndex`), its input (`SearchDoc`) and what to highlight.

The index lives in `store.search_index` and the query language in
`store.query`; this module is the one entry point callers import, plus
`highlight_spans`, which applies the index's own matching rules (exact,
prefix for the word being typed, typos) to one piece of displayed text.
"""

from __future__ import annotations

from collections.abc import Iterable

from store.query import Query, QueryError, TextTerm, parse_query
from store.search_index import IndexFormatError, SearchDoc, SearchIndex
from store.tokens import compound_spans, max_typos, token_spans, typo_distance

__all__ = [
    "IndexFormatError",
    "Query",
    "QueryError",
    "SearchDoc",
    "SearchIndex",
    "highlight_spans",
    "parse_query",
]

_FIELD_NAMES = {"title": "title", "author": "author", "authors": "author"}


def highlight_spans(text: str, query: Query, *, field: str | None = None) -> list[tuple[int, int]]:
    """Character spans of ``text`` that made it match ``query``, for highlighting.

    Args:
        text: Displayed text (title, authors, abstract...), unmodified.
        query: The parsed query.
        field: Which field ``text`` is ("title", "authors", "abstract",
            "keywords"), so that ``title:``/``author:`` terms only light up
            their own field; None highlights every positive term.

    Returns:
        Sorted, non-overlapping ``(start, end)`` spans; ``text[start:end]`` is
        a whole word, hyphenated compound or phrase, including words matched
        only as a prefix or with a typo. Excluded terms are never highlighted.
    """
    wanted = _FIELD_NAMES.get(field or "", "other")
    terms = [t for t in query.include if t.field is None or field is None or t.field == wanted]
    if not terms or not text:
        return []
    words = [t for t in terms if not t.is_phrase]
    joined = [t for t in terms if t.joined]
    phrases = [t for t in terms if t.is_phrase]
    tokens = list(token_spans(text))
    spans: list[tuple[int, int]] = []
    seen: dict[str, bool] = {}
    for start, end, token in tokens:
        hit = seen.get(token)
        if hit is None:
            hit = seen[token] = _token_hit(token, words, joined)
        if hit:
            spans.append((start, end))
    for start, end, token in compound_spans(text):
        if _token_hit(token, words, joined):
            spans.append((start, end))
    for term in phrases:
        spans.extend(_phrase_spans(tokens, term))
    return _merge_spans(spans)


def _token_hit(token: str, words: Iterable[TextTerm], joined: Iterable[TextTerm]) -> bool:
    for term in words:
        word = term.tokens[0]
        if token == word or (term.prefix and token.startswith(word)):
            return True
        if term.fuzzy and typo_distance(word, token, max_typos(word)) is not None:
            return True
    for term in joined:
        if token == term.joined or (term.prefix and token.startswith(term.joined or "")):
            return True
    return False


def _phrase_spans(tokens: list[tuple[int, int, str]], term: TextTerm) -> list[tuple[int, int]]:
    wanted = term.tokens
    k = len(wanted)
    last = k - 1
    spans = []
    for i in range(len(tokens) - k + 1):
        if all(
            tokens[i + j][2] == wanted[j] or (j == last and term.prefix and tokens[i + j][2].startswith(wanted[j]))
            for j in range(k)
        ):
            spans.append((tokens[i][0], tokens[i + last][1]))
    return spans


def _merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged

