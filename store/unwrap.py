"""Undo hard wrapping: the one rule for how titles and abstracts are stored.

arXiv abstracts, and so the Hugging Face API's ``summary``, arrive hard-wrapped
at about 80 columns with blank lines between paragraphs; titles arrive with
LaTeX's line breaks and double spaces. Stored as they come, every reader shows
ragged short lines and a phrase search depends on where a line happened to
break. So text is stored unwrapped: single newlines become spaces, runs of
spaces collapse, and only blank-line paragraph breaks survive.
"""

from __future__ import annotations

import re

_PARAGRAPH_BREAK_RE = re.compile(r"\n[ \t\f\v\u00a0]*\n\s*")
"""A blank line (possibly holding spaces), and any further blank lines after it."""
_ASCII_OTHER_WHITESPACE = "\t\r\x0b\x0c\x1c\x1d\x1e\x1f"
_OTHER_WHITESPACE_RE = re.compile(r"[^\S\n ]")
"""Whitespace :func:`unwrap` turns into a plain space: tabs, ``\\r``, NBSP, ..."""


def unwrap(text: str) -> str:
    """Paragraphs joined by one blank line, each paragraph on one line.

    Args:
        text: An abstract or summary as received (``\\r\\n`` and ``\\r`` are fine).

    Returns:
        The text with single newlines turned into spaces, whitespace runs made
        one space, and paragraphs separated by exactly ``"\\n\\n"``; stripped.
        Idempotent: ``unwrap(unwrap(t)) == unwrap(t)``.
    """
    if _is_unwrapped(text):
        return text  # every store read and merge passes here: a few substring scans, no copy
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    paragraphs = (" ".join(part.split()) for part in _PARAGRAPH_BREAK_RE.split(text))
    return "\n\n".join(part for part in paragraphs if part)


def one_line(text: str) -> str:
    """A title's form: every whitespace run (newlines included) made one space."""
    return " ".join(text.split())


def _is_unwrapped(text: str) -> bool:
    """Whether :func:`unwrap` would return ``text`` unchanged (checked without building it)."""
    if not text or text[0].isspace() or text[-1].isspace():
        return not text
    if "  " in text or " \n" in text or "\n " in text or "\n\n\n" in text:
        return False
    newlines = text.count("\n")
    if newlines and newlines != 2 * text.count("\n\n"):
        return False  # a single newline somewhere
    if text.isascii():
        return not any(char in text for char in _ASCII_OTHER_WHITESPACE)
    return _OTHER_WHITESPACE_RE.search(text) is None
