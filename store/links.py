"""GitHub links found in abstracts, cleaned so they can be copied and opened."""

from __future__ import annotations

import re

from store.ids import ARXIV_ID_RE

_UNSAFE = "\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff"
"""Characters that never belong in a link we hand out: C0/C1 controls (ESC, NUL, the
one-byte CSI), zero-width and bidi formatting characters (they disguise a URL)."""
_GITHUB_RE = re.compile(
    r"(?<![\w.-])(?:https?://)?(?:www\.)?github\.com/[^\s<>\"'\]\[{}|\\^`" + _UNSAFE + "]+", re.IGNORECASE
)
_TRAILING = ".,;:)!?'\"\u2026\u201d\u2019\u00bb\u3002\uff0c\uff1b\uff1a\uff09\u3011"
"""Sentence punctuation that follows a URL in prose, ASCII and typographic
(ellipsis, closing curly quotes, CJK full stop and comma)."""
_OWNER_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,38}$")
_REPO_RE = re.compile(r"^[A-Za-z0-9._-]+$")
_SEGMENT_RE = re.compile(r"^[^\s/" + _UNSAFE + "]+$")
_DOT_SEGMENTS = {".", ".."}


def _is_dot_segment(segment: str) -> bool:
    """``.`` and ``..``, also percent-encoded (``%2e%2E``): a browser resolves them all."""
    return re.sub(r"%2e", ".", segment, flags=re.IGNORECASE) in _DOT_SEGMENTS


def clean_github_url(raw: str) -> str | None:
    """Normalise one GitHub URL to ``https://github.com/OWNER/REPO[/PATH]``, or None.

    ``http`` becomes ``https``, a leading ``www.`` goes, the query and the
    fragment go, trailing sentence punctuation goes (a ``)`` stays only when
    the URL opened a ``(``), and sub-paths such as ``/tree/main/DocOwl1.5``
    are kept. Anything else is refused: an owner GitHub would not accept, a
    repository named ``.`` or ``..``, an empty, ``.`` or ``..`` path segment
    (``/a/b/../../../evil`` would open another repository), another host.
    """
    url = raw.strip()
    url = re.sub(r"^(?:https?://)?(?:www\.)?github\.com/", "https://github.com/", url, flags=re.IGNORECASE)
    if not url.startswith("https://github.com/"):
        return None
    url = re.split(r"[?#]", url, maxsplit=1)[0]
    # Slashes go with the punctuation, in one loop: "repo./" must not leave "repo." behind,
    # so that a cleaned link cleans (and extracts) to itself.
    while url and url[-1] in _TRAILING + "/":
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    if url.endswith(".git"):
        return clean_github_url(url[:-4])
    segments = url[len("https://github.com/") :].split("/")
    if len(segments) < 2 or not _OWNER_RE.match(segments[0]) or not _REPO_RE.match(segments[1]):
        return None
    if any(_is_dot_segment(s) for s in segments[1:]) or not all(_SEGMENT_RE.match(s) for s in segments[2:]):
        return None
    return url


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


ARXIV_PDF = "https://arxiv.org/pdf/"


def pdf_url(arxiv_id: str | None) -> str | None:
    """The arXiv PDF link of an id (``https://arxiv.org/pdf/2403.01234``), or None without one.

    The link names no version, so arXiv serves the latest. An id that is not a
    plain arXiv id (a hand-edited store) gives None rather than a URL with a
    path of its choosing.
    """
    if not arxiv_id or not ARXIV_ID_RE.fullmatch(arxiv_id):
        return None
    return ARXIV_PDF + arxiv_id
