"""Make untrusted text safe to draw in a terminal.

Titles and abstracts come from web pages and JSON feeds, so they may hold
characters a terminal *acts on* instead of drawing: ESC starts an escape
sequence (colours, cursor moves, OSC 8 links, window-title changes), C1 codes
such as U+009B are a one-byte CSI on some terminals, and the bidi controls
(U+202A–U+202E, U+2066–U+2069) reorder what follows, the "Trojan Source" trick
that can make a title read differently from what it is. A lone surrogate cannot
even be encoded and would crash the writer.

Textual passes segment text to the terminal as is, so every widget that draws
such text runs it through `inert` first; the command line runs everything it
prints through it (`tui.text.VisibleStream`), and text exports (CSV) their
cells. The replacement is *visible* (``␛``, ``␀``, ``�``) rather than silent,
so a tampered title looks tampered.

This is the one sanitiser for text papertray writes for a person. It lives in
``store`` because exports are made there; ``tui.text`` re-exports it.
"""

from __future__ import annotations

import re

__all__ = ["REPLACEMENT", "inert", "one_line"]

REPLACEMENT = "\ufffd"
"""Shown in place of characters that have no control picture (C1, bidi, surrogates)."""

_BIDI_CONTROLS = (
    "\u061c"  # ARABIC LETTER MARK
    "\u200e\u200f"  # LEFT-TO-RIGHT / RIGHT-TO-LEFT MARK
    "\u202a\u202b\u202c\u202d\u202e"  # LRE RLE PDF LRO RLO
    "\u2066\u2067\u2068\u2069"  # LRI RLI FSI PDI
)


def _build_table() -> dict[int, str]:
    """Map every character `inert` changes to what is drawn instead.

    C0 controls (and DEL) become their Unicode "control picture" (U+2400 block:
    ␀ ␛ ␇ …), which names the character and is one cell wide. Tab becomes a
    space: a raw tab moves the terminal cursor to the next tab stop and would
    shift every column after it.
    """
    table: dict[int, str] = {code: chr(0x2400 + code) for code in range(0x20)}
    table[0x7F] = "\u2421"  # ␡
    table[ord("\t")] = " "
    for code in range(0x80, 0xA0):  # C1 controls
        table[code] = REPLACEMENT
    for char in _BIDI_CONTROLS:
        table[ord(char)] = REPLACEMENT
    for code in range(0xD800, 0xE000):  # lone surrogates (unencodable)
        table[code] = REPLACEMENT
    return table


_TABLE = _build_table()
_TABLE_KEEP_NEWLINES = {**_TABLE, ord("\n"): "\n"}
_TABLE_KEEP_NEWLINES_TABS = {**_TABLE_KEEP_NEWLINES, ord("\t"): "\t"}
_LINE_BREAKS = re.compile("\r\n|[\r\u2028\u2029\x85]")
_WHITESPACE_RUN = re.compile(r"\s+")


def inert(text: str, *, keep_newlines: bool = True, keep_tabs: bool = False) -> str:
    """Return `text` with every character a terminal would act on made visible and harmless.

    Line breaks of any kind (CR LF, CR, U+2028, U+2029, NEL) become ``\\n`` so
    that a multi-line abstract keeps its paragraphs; tabs become one space. The
    remaining C0 controls and DEL become control pictures (ESC → ``␛``,
    NUL → ``␀``); C1 controls, bidi embeddings/overrides/isolates/marks and
    lone surrogates become ``�``. Everything else, including wide CJK
    characters and emoji, is kept.

    Args:
        text: Untrusted text (a title, an abstract, an author list).
        keep_newlines: Keep ``\\n`` as a line break. When false, a line break is
            drawn as ``␊`` like any other control; use `one_line` instead if
            line breaks should simply become spaces.
        keep_tabs: Keep tabs (with ``keep_newlines``): for command output and
            text files, where a tab separates columns rather than shifts a
            drawn row.

    Returns:
        Text that is safe to put in a segment. Its length in code points may
        differ from `text` only where CR LF collapsed to one ``\\n``.
    """
    if text.isprintable():
        # Fast path: no controls, no line breaks, no bidi formatting (those are
        # category Cf/Cc/Cs/Zl/Zp, which isprintable() rejects).
        return text
    text = _LINE_BREAKS.sub("\n", text)
    if keep_newlines:
        return text.translate(_TABLE_KEEP_NEWLINES_TABS if keep_tabs else _TABLE_KEEP_NEWLINES)
    return text.translate(_TABLE)


def one_line(text: str) -> str:
    """Return `text` inert and on one line, for a list row or a window title.

    Runs of whitespace, line breaks included, collapse to a single space
    (scraped titles are often hard-wrapped), and the ends are stripped.

    Args:
        text: Untrusted text.

    Returns:
        A single line of safe text.
    """
    if not text.isprintable() or "  " in text:
        text = _WHITESPACE_RUN.sub(" ", text)
    return inert(text.strip(), keep_newlines=False)


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def json_visible(json_text: str) -> str:
    """JSON text with the characters `inert` would change escaped as ``\\uXXXX`` instead.

    JSON encoders escape C0 controls but pass DEL, C1 controls, bidi
    formatting and line separators through raw. These can only occur inside
    JSON strings, so escaping them keeps the data exact (a JSON reader gets
    the same string back) and the text inert on a terminal.
    """
    if json_text.isascii():
        return json_text
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", json_text)
