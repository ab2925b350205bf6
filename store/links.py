"""GitHub links found in abstracts, cleaned so they can be copied and opened."""

from __future__ import annotations

import re

_UNSAFE = "\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff"
"""Characters that never belong in a link we hand out: C0/C1 controls (ESC, NUL, the
one-byte CSI), zero-width and bidi formatting characters (they disguise a URL)."""
_GITHUB_RE = re.compile(
    r"(?<![\w.-])(?:https?://)?(?:www\.)?github\.com/[^\s<>\"'\]\[{}|\\^`" + _UNSAFE + "]+", re.IGNORECASE
)
_TRAILING = ".,;:)!?'\"\u2026\u201d\u2019\u00bb\u3002\uff0c\uff1b\uff1a\uff09\u3011"
"""Sentence punctuation that follows a URL in prose, ASCII and typographic
(ellipsis, closing curly quotes, CJK full stop and comma)."""
_OWNER_REPO_RE = re.compile(
    r"^https://github\.com/[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/(?!\.\.?(?:[/?#]|$))[A-Za-z0-9._-]+"
    r"(?:[/?#][^\s" + _UNSAFE + "]*)?$"
)
"""Owner, then a repository name that is not "." or ".." (GitHub allows neither)."""


def clean_github_url(raw: str) -> str | None:
    """Normalise one GitHub URL, or return None when it names no repository.

    ``http`` becomes ``https``, a leading ``www.`` goes, trailing sentence
    punctuation goes (a ``)`` stays only when the URL opened a ``(``), and
    sub-paths such as ``/tree/main/DocOwl1.5`` are kept.
    """
    url = raw.strip()
    # Slashes go with the punctuation, in one loop: "repo./" must not leave "repo." behind,
    # so that a cleaned link cleans (and extracts) to itself.
    while url and url[-1] in _TRAILING + "/":
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    url = re.sub(r"^(?:https?://)?(?:www\.)?github\.com/", "https://github.com/", url, flags=re.IGNORECASE)
    if url.endswith(".git"):
        return clean_github_url(url[:-4])
    return url if _OWNER_REPO_RE.match(url) else None


def extract_github_links(text: str) -> tuple[str, ...]:
    """Every distinct GitHub repository link in ``text``, in order of appearance."""
    if "github.com/" not in text.lower():  # most abstracts: skip the slow regex scan
        return ()
    found: list[str] = []
    seen: set[str] = set()
    for match in _GITHUB_RE.finditer(text):
        url = clean_github_url(match.group(0))
        if url and url.lower() not in seen:
            seen.add(url.lower())
            found.append(url)
    return tuple(found)


def is_web_url(url: str) -> bool:
    """True for an http(s) URL with no whitespace or control characters.

    Checked before any open or copy, so a hostile abstract cannot make us run
    ``file:`` or ``javascript:`` links, smuggle escapes (C0 or C1) to the
    terminal, or disguise a link with bidi or zero-width characters.
    """
    return bool(re.match(r"^https?://[^\s" + _UNSAFE + "]+$", url))
