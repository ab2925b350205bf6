"""Folding text for matching: one place that decides how accents and scripts compare.

Used by search (:mod:`store.tokens`) and by citation keys (:mod:`store.citation_keys`).
"""

from __future__ import annotations

import unicodedata

_FOLD_EXTRA = str.maketrans(
    {
        "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D",
        "þ": "th", "Þ": "Th", "æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe", "ß": "ss",
        "ı": "i", "ħ": "h", "Ħ": "H",
    }
)
"""Latin letters NFKD does not decompose, spelled the way people type them."""


def ascii_fold(text: str) -> str:
    """Transliterate to ASCII the way a key should spell it ("Ångström" → "Angstrom").

    Characters with no Latin spelling (CJK, Greek...) are dropped.
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD_EXTRA))
    return decomposed.encode("ascii", "ignore").decode("ascii")
