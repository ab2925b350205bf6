"""Folding text for matching: the one place that decides how accents and scripts compare.

Search (:func:`store.tokens.normalize`) and citation keys
(:mod:`store.citation_keys`) fold through here, so the key papertray writes
for a paper (``gudmundsson2024...``) is also a query that finds it.

What folds, and why:

* case (``str.casefold``: "Straße" is "strasse", Turkish "İ" is "i");
* accents: NFKD, then combining marks dropped ("Nguyễn" is "nguyen",
  "Casamajó" is "casamajo", "Şahin" is "sahin");
* Latin letters NFKD leaves whole are spelled in ASCII the way anyascii
  spells them ("ð" is "d", "þ" is "th", "ı" is "i", "ø" is "o", "ł" is "l");
* the Catalan middle dot ("Gal·la") and Unicode hyphens become "-", so
  search indexes "gal·la" as the compound "galla" as well as "gal" and "la";
* other scripts are kept as they are (casefolded): a CJK name is only
  findable by typing it, and transliterating it would make "山田" match every
  title anyascii also spells "shantian" (it reads kanji as Mandarin). Keys
  are ASCII, so they drop what is left over (`ascii_fold`).

Both index and query pass through `search_fold`, so "gudmundsson" and
"guðmundsson" as queries find "Guðmundsson" alike.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

_LATIN_BLOCKS = ((0x00C0, 0x024F), (0x1E00, 0x1EFF), (0x2C60, 0x2C7F), (0xA720, 0xA7FF), (0xAB30, 0xAB6F))
"""Latin-1 letters, Latin Extended-A/B, Additional, Extended-C/D/E."""

_COMBINING_RE = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")


@cache
def _latin_to_ascii() -> dict[int, str]:
    """``str.translate`` table: every Latin letter to anyascii's lower-case spelling, middle dot and hyphen to "-".

    Built on first use (about 10 ms: anyascii loads its tables), not at import: start-up does not fold.
    """
    from anyascii import anyascii

    table: dict[int, str] = {}
    for low, high in _LATIN_BLOCKS:
        for code in range(low, high + 1):
            char = chr(code)
            if unicodedata.category(char).startswith("L"):
                spelled = anyascii(char).lower()
                if spelled.isalnum():
                    table[code] = spelled
    table[0x00B7] = "-"  # MIDDLE DOT: Catalan "l·l"
    table[0x2010] = "-"  # HYPHEN
    return table


def search_fold(text: str) -> str:
    """Fold case, accents and Latin letters (see the module docstring); other scripts stay.

    The result may differ in length from ``text``: spans must be computed on
    the original (see `store.tokens.token_spans`).
    """
    folded = text.casefold()
    if folded.isascii():
        return folded
    stripped = _COMBINING_RE.sub("", unicodedata.normalize("NFKD", folded))
    if stripped.isascii():
        return stripped
    return stripped.translate(_latin_to_ascii())


def ascii_fold(text: str) -> str:
    """`search_fold`, keeping only ASCII: what a citation key may hold ("Þór Ångström" → "thor angstrom").

    Characters with no Latin spelling here (CJK, Greek, Cyrillic...) are dropped.
    """
    folded = search_fold(text)
    if folded.isascii():
        return folded
    return folded.encode("ascii", "ignore").decode("ascii")
