"""Tag names: what a tag may look like, and its one normal form.

Tags are typed in the picker, on the command line (``papertray tag add``) and
in queries (``tag:NAME``), so they are kept to one lower-case word: letters,
digits, ``-``, ``_`` and ``.``. Upper case is folded rather than refused
(``ML`` and ``ml`` are the same tag); anything else is refused with one
message that says what is allowed.
"""

from __future__ import annotations

import re

from store.errors import StoreError

TAG_MAX = 40
_TAG_RE = re.compile(r"[^\W_][\w.\-]*", re.UNICODE)


class TagError(StoreError):
    """A tag name that cannot be used (the message says why and what is allowed)."""


def check_tag(name: str) -> str:
    """The normal form of a tag name (stripped, lower case, a leading ``#`` dropped).

    Raises:
        TagError: empty, too long, or with characters other than letters,
            digits, ``-``, ``_``, ``.`` (or not starting with a letter or digit).
    """
    cleaned = name.strip().removeprefix("#").lower()
    if not cleaned:
        raise TagError("a tag cannot be empty")
    if len(cleaned) > TAG_MAX:
        raise TagError(f"tag {cleaned[:TAG_MAX]}…: too long ({len(cleaned)} > {TAG_MAX} characters)")
    if not _TAG_RE.fullmatch(cleaned):
        raise TagError(f"bad tag {name.strip()!r}: use one lower-case word of letters, digits, '-', '_' or '.'")
    return cleaned


def is_tag(name: object) -> bool:
    """Whether ``name`` is a tag as stored (normal form): what `check_tag` would return unchanged.

    A state file edited by hand can hold anything; only real tags reach a list row or an export.
    """
    return isinstance(name, str) and 0 < len(name) <= TAG_MAX and name == name.lower() and bool(_TAG_RE.fullmatch(name))


def compact_tags(tags: list[str] | tuple[str, ...], width: int = 12) -> str:
    """Tags as a short cell for a list row: ``#first +N`` (the first tag cut to ``width``)."""
    if not tags:
        return ""
    first = tags[0] if len(tags[0]) <= width else tags[0][: width - 1] + "…"
    return f"#{first}" + (f" +{len(tags) - 1}" if len(tags) > 1 else "")
