"""BibTeX field values: titles, names and URLs escaped so that no value can end its field early.

The rules (TeX kept in titles, specials escaped, braces always balanced,
names braced as units, URLs percent-encoded) are explained in
:mod:`store.citations`, which builds whole entries from these values.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""Control characters and bidi controls: never written into a field (a .bib is read by people too)."""
_PLURAL_ACRONYM_RE = re.compile(r"^([^\W\d_]*?)s$")
_AND_WORD_RE = re.compile(r"(?:^|\s)and(?:\s|$)", re.IGNORECASE)

_LATEX_ESCAPES = {
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "\\": r"\textbackslash{}",
}


def clean_text(text: str) -> str:
    """One line of text: control characters dropped, whitespace runs made one space.

    Args:
        text: Any text from a paper (title, name).

    Returns:
        The text on one line, stripped.
    """
    return " ".join(_CONTROL_RE.sub(" ", text).split())



def latex_escape(text: str) -> str:
    """Escape the ten LaTeX special characters; everything else is kept as is."""
    return "".join(_LATEX_ESCAPES.get(char, char) for char in text)


def _protect_word(word: str) -> str:
    """Brace a word whose capitals must survive a sentence-case style.

    ``LLMs`` → ``{LLM}s``, ``BERT`` → ``{BERT}``, ``GitHub`` → ``{GitHub}``;
    "Attention" (capital only first) and lower-case words stay as they are.
    """
    if len(word) < 2 or not any(char.isupper() for char in word[1:]):
        return word
    plural = _PLURAL_ACRONYM_RE.match(word)
    if plural and plural.group(1).isupper() and len(plural.group(1)) >= 2:
        return "{" + plural.group(1) + "}s"
    return "{" + word + "}"


_BRACE_LEFT = r"\textbraceleft{}"
_BRACE_RIGHT = r"\textbraceright{}"
_TEXT_ESCAPES = {
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "^": r"\textasciicircum{}",
}
"""Characters TeX acts on that a title outside math means literally ("100% recall")."""
_BARE_PERCENT_RE = re.compile(r"(?<!\\)%")
_ESCAPABLE_AFTER_BACKSLASH = frozenset("%&$#_{}'\"^~=.`")
"""``\\X`` for these X is TeX as arXiv writes it (``50\\%``, ``\\'e``): kept."""


def _tex_tokens(text: str) -> list[tuple[str, str]]:
    """Split a title into ``("math", "$...$")``, ``("macro", "\\name")``, ``("esc", "\\%")`` and ``("char", c)`` tokens.

    A ``$`` opens math only when a closing ``$`` follows and the math between
    them is brace-balanced (BibTeX counts every brace, escaped or not);
    otherwise it is a literal dollar.
    """
    tokens: list[tuple[str, str]] = []
    index = 0
    length = len(text)
    while index < length:
        char = text[index]
        if char == "$":
            close = _closing_dollar(text, index + 1)
            if close is not None and _braces_balanced(text[index : close + 1]):
                tokens.append(("math", text[index : close + 1]))
                index = close + 1
                continue
            tokens.append(("literal", "$"))
            index += 1
            continue
        if char == "\\" and index + 1 < length:
            following = text[index + 1]
            if following.isascii() and following.isalpha():
                end = index + 1
                while end < length and text[end].isascii() and text[end].isalpha():
                    end += 1
                tokens.append(("macro", text[index:end]))
                index = end
                continue
            if following in _ESCAPABLE_AFTER_BACKSLASH and following != "\\":
                tokens.append(("esc", text[index : index + 2]))
                index += 2
                continue
        if char == "\\":
            tokens.append(("literal", "\\"))
            index += 1
            continue
        tokens.append(("char", char))
        index += 1
    return tokens


def _closing_dollar(text: str, start: int) -> int | None:
    index = start
    while True:
        index = text.find("$", index)
        if index < 0:
            return None
        if text[index - 1] != "\\":
            return index if index > start else None
        index += 1


def _braces_balanced(text: str) -> bool:
    """Balanced as BibTeX counts: every ``{`` and ``}``, a backslash before one changes nothing."""
    depth = 0
    for char in text:
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def _unpaired(tokens: Sequence[tuple[str, str]], opener: tuple[str, str], closer: tuple[str, str]) -> set[int]:
    """Positions of ``opener``/``closer`` tokens that have no partner."""
    stack: list[int] = []
    lonely: set[int] = set()
    for position, token in enumerate(tokens):
        if token == opener:
            stack.append(position)
        elif token == closer:
            if stack:
                stack.pop()
            else:
                lonely.add(position)
    lonely.update(stack)
    return lonely


def bibtex_title(title: str) -> str:
    """A title as a BibTeX field value: TeX kept, specials escaped, braces made safe.

    arXiv titles are TeX source, so math (``$\\mathcal{O}(\\sqrt{n})$``),
    macros (``\\emph{...}``) and escapes (``50\\%``) are kept as given. Outside
    math, characters TeX would act on but the title means literally
    (``& % # _ ^``, a lone ``$`` or backslash) are escaped. Braces that pair up
    stay (TeX grouping, ``{BERT}``); an unpaired brace becomes
    ``\\textbraceleft{}``/``\\textbraceright{}``, since BibTeX counts braces
    whatever precedes them (``\\}`` does *not* escape one) and a stray brace
    would end the field and let the rest of the title forge new fields.
    Acronyms and CamelCase words outside math and braces are protected
    (``{LLM}s``) so sentence-case styles keep them.

    Args:
        title: The paper's title as stored.

    Returns:
        The value to put between the field's braces (always brace-balanced).
    """
    tokens = _tex_tokens(clean_text(title))
    lonely = _unpaired(tokens, ("char", "{"), ("char", "}")) | _unpaired(tokens, ("esc", "\\{"), ("esc", "\\}"))
    out: list[str] = []
    depth = 0
    word: list[str] = []

    def flush_word() -> None:
        if word:
            text = "".join(word)
            out.append(_protect_word(text) if depth == 0 else text)
            word.clear()

    for position, (kind, value) in enumerate(tokens):
        if kind == "char" and (value.isalpha()):
            word.append(value)
            continue
        flush_word()
        if position in lonely:
            out.append(_BRACE_LEFT if value.endswith("{") else _BRACE_RIGHT)
        elif kind == "char" and value == "{":
            depth += 1
            out.append(value)
        elif kind == "char" and value == "}":
            depth -= 1
            out.append(value)
        elif kind == "char":
            out.append(_TEXT_ESCAPES.get(value, value))
        elif kind == "literal":
            out.append(r"\$" if value == "$" else r"\textbackslash{}")
        elif kind == "math":
            # As given, but a bare "%" would comment out the rest of the line LaTeX reads.
            out.append(_BARE_PERCENT_RE.sub(r"\\%", value))
        else:  # macro, escape: TeX as given
            out.append(value)
    flush_word()
    return "".join(out)


def bibtex_name(name: str) -> str:
    """One author as BibTeX should read it; braced when it would be split or inverted.

    Escapes in names are braced on their own (``Smith{\\_}``): bibtexparser
    looks through a bare ``\\_`` when it searches for the `` and `` between
    names and would cut a name such as "x \\_and y" in two, and braces
    are the one boundary every reader honours.
    """
    text = "".join("{" + _LATEX_ESCAPES[char] + "}" if char in _LATEX_ESCAPES else char for char in clean_text(name))
    if "," in text or _AND_WORD_RE.search(text):
        return "{" + text + "}"
    return text


def bibtex_url(url: str) -> str:
    """A URL for the verbatim ``url`` field: only entry-breaking characters encoded."""
    return (
        url.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D").replace(" ", "%20")
    )
