"""Words as search sees them: one normaliser and one tokenizer for index, query and highlight.

Index, query parser and highlighter must agree on what a "word" is, or a query
would find a paper and then fail to highlight the word that matched (or the
reverse). Everything that decides word boundaries, case/accent folding and
which typos count lives here, in one place.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from store.fold import search_fold

TOKEN_RE = re.compile(r"[^\W_]+")
"""A token is a run of letters/digits; ``_`` and punctuation split words."""

_COMPOUND_RE = re.compile(r"[^\W_]+(?:[-\u2010\u2011][^\W_]+)+")
"""Hyphenated compounds ("pre-training"), also indexed joined ("pretraining")."""

_ASCII_SEPARATORS = bytes(b if chr(b).isalnum() else 32 for b in range(128)) + bytes(range(128, 256))
"""Byte table turning every ASCII non-alphanumeric into a space (see `split_normalized`)."""
_ASCII_KEEP_HYPHEN = _ASCII_SEPARATORS[:45] + b"-" + _ASCII_SEPARATORS[46:]

_RUNS_RE = re.compile(r"[\x00-\x7f]+|[^\x00-\x7f]")
"""ASCII runs, or one other character (see `_normalized_with_owners`)."""
_CHUNK_RE = re.compile(r"\S+")

MIN_FUZZY_LEN = 4
"""Words shorter than this never match fuzzily: "gan" must not find "can"."""


def normalize(text: str) -> str:
    """Fold case and accents so that "Müller", "MULLER" and "muller" are one word.

    The folding is :func:`store.fold.search_fold`, shared with citation keys;
    its docstring says what folds (Latin letters to ASCII) and what does not
    (other scripts, so CJK queries match CJK text).

    Args:
        text: Any text.

    Returns:
        The folded text; may differ in length from ``text``, so spans must be
        computed on the original (see `token_spans`).
    """
    return search_fold(text)
def tokenize(text: str) -> list[str]:
    """Normalised tokens of ``text`` in order (duplicates kept)."""
    return split_normalized(normalize(text))


def split_normalized(normalized: str) -> list[str]:
    """Tokens of text already passed through `normalize`; same result as ``TOKEN_RE.findall``.

    Most normalised text is ASCII, and a byte-table translate plus
    ``split()`` is about three times faster than the Unicode regex, which
    matters when indexing 100k abstracts.
    """
    if normalized.isascii():
        return normalized.encode().translate(_ASCII_SEPARATORS).decode().split()
    return TOKEN_RE.findall(normalized)


def split_with_compounds(normalized: str) -> tuple[list[str], list[str]]:
    """`split_normalized` and `compounds` in one pass, for indexing.

    Returns:
        ``(tokens, joined_compounds)``.
    """
    if "-" not in normalized:
        return split_normalized(normalized), []
    if normalized.isascii():
        spaced = normalized.encode().translate(_ASCII_KEEP_HYPHEN).decode()
        return spaced.replace("-", " ").split(), _ascii_compounds(spaced)
    return TOKEN_RE.findall(normalized), compounds(normalized)


def _ascii_compounds(spaced: str) -> list[str]:
    """`compounds` of text holding only ``[a-z0-9 -]``, walking the hyphens instead of every chunk.

    A compound is a maximal run of words joined by single hyphens, exactly
    what ``_COMPOUND_RE`` matches; the piece between two hyphens continues a
    run only when it is one whole word.
    """
    pieces = spaced.split("-")
    found: list[str] = []
    parts: list[str] | None = None
    for i in range(1, len(pieces)):
        before = pieces[i - 1]
        right = pieces[i].split(" ", 1)[0]
        if parts is not None:
            if right and before and " " not in before:
                parts.append(right)
                continue
            found.append("".join(parts))
            parts = None
        left = before.rsplit(" ", 1)[-1]
        if left and right:
            parts = [left, right]
    if parts is not None:
        found.append("".join(parts))
    return found


def compounds(normalized: str) -> list[str]:
    """Joined forms of the hyphenated compounds in text already passed through `normalize`.

    Indexing "pre-training" also as "pretraining" lets either spelling of the
    query find either spelling in a paper. Only whitespace-separated chunks
    holding a hyphen are examined (`normalize` turns Unicode hyphens into "-").
    """
    if "-" not in normalized:
        return []
    return [
        match.replace("-", "")
        for chunk in normalized.split()
        if "-" in chunk
        for match in _COMPOUND_RE.findall(chunk)
    ]


def token_spans(text: str) -> Iterator[tuple[int, int, str]]:
    """Tokens of the original ``text`` with their character spans.

    Yields:
        ``(start, end, token)`` where ``token`` is exactly what `tokenize`
        gives for ``text`` and ``text[start:end]`` is what the user sees (a
        ligature or a symbol such as "½" may cover several tokens).
    """
    norm, owners = _normalized_with_owners(text)
    for match in TOKEN_RE.finditer(norm):
        start, end = match.span()
        if owners is None:
            yield start, end, match.group(0)
        else:
            yield owners[start], owners[end - 1] + 1, match.group(0)


def compound_spans(text: str) -> Iterator[tuple[int, int, str]]:
    """Hyphenated compounds of the original ``text``, joined and normalised, with spans."""
    norm, owners = _normalized_with_owners(text)
    if "-" not in norm:
        return
    for chunk in _CHUNK_RE.finditer(norm):
        if "-" not in chunk.group(0):
            continue
        for match in _COMPOUND_RE.finditer(norm, chunk.start(), chunk.end()):
            start, end = match.span()
            if owners is not None:
                start, end = owners[start], owners[end - 1] + 1
            yield start, end, match.group(0).replace("-", "")


def _normalized_with_owners(text: str) -> tuple[str, list[int] | None]:
    """`normalize` applied piecewise, with the original index of every normalised character.

    ASCII runs are lowered in one go; each other character is normalised on
    its own (case folding and NFKD work character by character, and the
    accents it drops are dropped either way). ``owners`` is None when the
    text is ASCII and positions do not move.
    """
    if text.isascii():
        return text.lower(), None
    parts: list[str] = []
    owners: list[int] = []
    for match in _RUNS_RE.finditer(text):
        start, run = match.start(), match.group(0)
        if run.isascii():
            parts.append(run.lower())
            owners.extend(range(start, start + len(run)))
        else:
            norm = normalize(run)
            parts.append(norm)
            owners.extend([start] * len(norm))
    return "".join(parts), owners


def max_typos(word: str) -> int:
    """How many typos (OSA edits) a query word tolerates.

    Short words get none (too many neighbours), words of 4–7 letters get one,
    longer words two. Words with digits ("gpt4", "2024") get none: a digit
    off is a different model or year, not a typo.
    """
    if len(word) < MIN_FUZZY_LEN or not word.isalpha():
        return 0
    return 1 if len(word) < 8 else 2


def typo_distance(word: str, candidate: str, limit: int) -> int | None:
    """Edit distance from ``word`` to ``candidate`` when it counts as a typo, else None.

    The first letter must agree: a typo there is rare and matching it would
    flood short words with unrelated neighbours (this also lets the index
    bucket its vocabulary by first letter).
    """
    if limit <= 0 or not candidate or candidate[0] != word[0] or abs(len(candidate) - len(word)) > limit:
        return None
    if not candidate.isalpha():
        return None
    distance = (_osa_distance or _load_osa_distance())(word, candidate, score_cutoff=limit)
    return distance if 0 < distance <= limit else None


_osa_distance: Callable[..., int] | None = None
"""rapidfuzz's OSA distance, imported on the first fuzzy comparison: the reader's first paint
(which imports this module for the query language) does not need rapidfuzz's 10 ms import."""


def _load_osa_distance() -> Callable[..., int]:
    global _osa_distance
    from rapidfuzz.distance import OSA

    _osa_distance = OSA.distance
    return _osa_distance
