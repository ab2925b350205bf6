"""A ``.bib`` file read as BibTeX reads it, cut into pieces that keep their exact bytes.

`papertray bib sync` rewrites only its own entries; everything else in the
file (hand-written entries, ``@string``, ``@preamble``, ``@comment``, the
free text between entries) must come back byte for byte. So the file is
not parsed into a model and printed again: it is cut into `Chunk` objects
whose ``text`` fields, joined, are the file. Only entries are read further
(type, key, fields), to recognise papertray's own and the arXiv ids cited
by hand.

Braces are counted the way BibTeX counts them: a brace is a brace whatever
precedes it (``\\}`` too), so where this module says an entry ends, BibTeX
and pybtex say the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from store.errors import StoreError

PAPERTRAY_FIELD = "papertray-id"
"""The field that marks an entry papertray wrote (its value is the paper's id).

A field travels with its entry when someone moves or reorders entries, which
a comment line before the entry would not; BibTeX styles ignore fields they
do not know, so the bibliography is unchanged.
"""

_IDENT_RE = re.compile(r"[^\s\"#%'(),={}]+")
"""BibTeX's identifier: any printable character but ``"#%'(),={}`` and white space."""
_KEY_RE = re.compile(r"[^\s,{}()]*")
_NUMBER_RE = re.compile(r"[0-9]+")


class BibParseError(StoreError):
    """The file cannot be cut into entries safely: writing it could damage hand-written entries."""


@dataclass(frozen=True)
class Chunk:
    """One piece of the file: free text, or one ``@`` command from ``@`` to its closing delimiter."""

    text: str
    """The exact source text."""
    kind: str
    """``text`` (between commands), ``entry``, or the command: ``string``, ``preamble``, ``comment``."""
    line: int
    """Line number (1-based) where the piece starts, for messages."""
    entry_type: str = ""
    key: str = ""
    fields: dict[str, str] | None = field(default=None, compare=False)
    """Field name (lower-case) -> value without its outer delimiters; None when the fields did not parse."""

    @property
    def papertray_id(self) -> str | None:
        """The paper id when papertray wrote this entry, else None."""
        if self.kind != "entry" or not self.fields:
            return None
        value = self.fields.get(PAPERTRAY_FIELD, "").strip()
        return value or None


def parse_bib(text: str) -> list[Chunk]:
    """Cut ``text`` into chunks whose texts, joined, are ``text`` exactly.

    An ``@`` not followed by a type and ``{`` or ``(`` (an e-mail address in a
    comment) stays free text, as BibTeX skips it too.

    Raises:
        BibParseError: a command is not closed before the end of the file
            (unbalanced braces): where the broken entry ends, hence where
            hand-written text resumes, cannot be known.
    """
    chunks: list[Chunk] = []
    pos = 0
    free_start = 0
    length = len(text)
    while True:
        at = text.find("@", pos)
        if at < 0:
            break
        type_match = _IDENT_RE.match(text, _skip_space(text, at + 1))
        if type_match is None:
            pos = at + 1  # a lone "@" in free text: BibTeX complains and moves on; so do we
            continue
        kind = type_match.group(0).lower()
        opener = _skip_space(text, type_match.end())
        if opener >= length or text[opener] not in "{(":
            # "@comment" alone, or an "@" in prose (an e-mail address): BibTeX skips the
            # word and goes on; the text stays as it is, free text.
            pos = type_match.end()
            continue
        end = _closing(text, opener)
        if end is None:
            raise BibParseError(f"line {_line(text, at)}: @{type_match.group(0)} is never closed (unbalanced braces)")
        if at > free_start:
            chunks.append(Chunk(text[free_start:at], "text", _line(text, free_start)))
        source = text[at : end + 1]
        if kind in ("comment", "string", "preamble"):
            chunks.append(Chunk(source, kind, _line(text, at)))
        else:
            key, fields = _entry_body(text, opener + 1, end)
            chunks.append(Chunk(source, "entry", _line(text, at), entry_type=kind, key=key, fields=fields))
        pos = free_start = end + 1
    if free_start < length:
        chunks.append(Chunk(text[free_start:], "text", _line(text, free_start)))
    return chunks


def _line(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _closing(text: str, opener: int, limit: int | None = None) -> int | None:
    """Index of the delimiter that closes the one at ``opener`` (before ``limit``), or None."""
    depth = 0
    if text[opener] == "{":
        for index in range(opener, len(text) if limit is None else limit):
            char = text[index]
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
                if depth == 0:
                    return index
        return None
    quoted = False
    for index in range(opener + 1, len(text)):
        char = text[index]
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                return None
        elif char == '"' and depth == 0:
            quoted = not quoted
        elif char == ")" and depth == 0 and not quoted:
            return index
    return None


def _entry_body(text: str, start: int, end: int) -> tuple[str, dict[str, str] | None]:
    """The key and the fields of the entry between ``start`` and ``end`` (the closing delimiter)."""
    pos = _skip_space(text, start)
    key_match = _KEY_RE.match(text, pos, end)
    key = key_match.group(0) if key_match else ""
    pos = _skip_space(text, key_match.end() if key_match else pos)
    fields: dict[str, str] = {}
    if pos < end and text[pos] != ",":
        return key, None
    while pos < end:
        pos = _skip_space(text, pos + 1)  # past the comma
        if pos >= end:
            break
        name = _IDENT_RE.match(text, pos, end)
        if name is None:
            return key, None
        pos = _skip_space(text, name.end())
        if pos >= end or text[pos] != "=":
            return key, None
        value, pos = _value(text, _skip_space(text, pos + 1), end)
        if value is None:
            return key, None
        fields.setdefault(name.group(0).lower(), value)
        pos = _skip_space(text, pos)
        if pos < end and text[pos] != ",":
            return key, None
    return key, fields


def _value(text: str, pos: int, end: int) -> tuple[str | None, int]:
    """A field value (pieces joined by ``#``), its delimiters dropped; None when it does not parse."""
    parts: list[str] = []
    while True:
        if pos >= end:
            return None, pos
        char = text[pos]
        if char == "{":
            close = _closing(text, pos, end)
            if close is None:
                return None, pos
            parts.append(text[pos + 1 : close])
            pos = close + 1
        elif char == '"':
            depth = 0
            index = pos + 1
            while index < end and not (text[index] == '"' and depth == 0):
                depth += {"{": 1, "}": -1}.get(text[index], 0)
                index += 1
            if index >= end:
                return None, pos
            parts.append(text[pos + 1 : index])
            pos = index + 1
        else:
            word = _NUMBER_RE.match(text, pos, end) or _IDENT_RE.match(text, pos, end)
            if word is None:
                return None, pos
            parts.append(word.group(0))
            pos = word.end()
        pos = _skip_space(text, pos)
        if pos < end and text[pos] == "#":
            pos = _skip_space(text, pos + 1)
            continue
        return "".join(parts), pos
