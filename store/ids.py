"""Paper ids: the arXiv id when known, otherwise a short id from the title.

The title id is a hash of the *normalised* title so the same paper pasted
from two days' pages (with different spacing, dashes or case) gets one id.
"""

from __future__ import annotations

import re
import unicodedata

ARXIV_ID_RE = re.compile(r"^(?:\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})$")
"""New-style (2409.11074) and old-style (cs.LG/0601001) arXiv ids, no version."""

_VERSION_RE = re.compile(r"v\d+$")
_NON_WORD_RE = re.compile(r"[\W_]+", re.UNICODE)


def normalise_title(title: str) -> str:
    """Fold a title to what stays the same across copies of one paper.

    NFKC folds ligatures and full-width forms, casefold folds case, and every
    run of punctuation or spaces becomes one space ("Feynman--Kac" and
    "Feynman-Kac" match).
    """
    folded = unicodedata.normalize("NFKC", title).casefold()
    return _NON_WORD_RE.sub(" ", folded).strip()


def title_id(title: str) -> str:
    """A short, stable id for a paper known only by its title (``t-`` + 10 hex)."""
    import hashlib  # imports only: opening a store never makes an id

    digest = hashlib.sha1(normalise_title(title).encode("utf-8")).hexdigest()
    return f"t-{digest[:10]}"


def clean_arxiv_id(raw: str | None) -> str | None:
    """Return a bare arXiv id (no ``arXiv:`` prefix, no version), or None."""
    if not raw:
        return None
    text = raw.strip()
    if text.lower().startswith("arxiv:"):
        text = text[6:]
    text = _VERSION_RE.sub("", text)
    return text if ARXIV_ID_RE.match(text) else None


def is_title_id(paper_id: str) -> bool:
    return paper_id.startswith("t-") and len(paper_id) == 12
