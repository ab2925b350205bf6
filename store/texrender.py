"""Inline TeX in titles and abstracts, read as text.

arXiv titles and abstracts are LaTeX source: ``$k$NN-LM``,
``$\\mathcal{O}(\\sqrt{n})$-Regret``, ``large language models~(LLMs)``,
``\\emph{...}``, ``50\\%``. A reader should see ``kNN-LM``, ``𝒪(√(n))-Regret``,
``(LLMs)`` after a plain space, *italics* as plain words, ``50%``; the stored
text stays the raw TeX, because BibTeX and JSON want exactly what arXiv gave.

Rendering uses pylatexenc's ``LatexNodes2Text``: a maintained LaTeX parser
with a table of several hundred macros (Greek, ``\\mathcal``/``\\mathbb``
letters, accents, relations), which no hand-written regex table would match.
Three guards around it:

* text with no TeX marker at all (``$``, ``\\``, ``~``, braces) is returned
  as is, without parsing: most titles, and the list renders one per row;
* results are cached (:func:`render_tex` is an LRU over exact strings), so a
  row scrolled back into view costs a dictionary look-up;
* anything the parser chokes on, or that renders to nothing, falls back to
  the raw text: a malformed title is shown as typed, never lost and never an
  exception.

:func:`search_form` is a much cheaper, regex-only cousin for the search
index, which reads every abstract of the store: it drops ``$``, braces and
backslashes so that ``$k$NN-LM`` also indexes as ``kNN-LM``.
"""

from __future__ import annotations

import functools
import logging
import re
from typing import Any

_BARE_SPECIAL_RE = re.compile(r"(?<!\\)([%&#])")
"""``%`` starts a comment and ``&``/``#`` are alignment and parameter marks in
TeX, but in titles they are almost always meant literally ("100% recall")."""
_SPACES_RE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f]+")
_CACHE_SIZE = 65536

_renderer: Any = None


def has_tex(text: str) -> bool:
    """Whether ``text`` holds anything :func:`render_tex` would change.

    Five substring scans rather than one character-class regex: ten times
    faster, and the search index build asks it of every abstract.
    """
    return "$" in text or "\\" in text or "~" in text or "{" in text or "}" in text


def render_tex(text: str) -> str:
    """``text`` with inline TeX rendered as Unicode text, on the lines it had.

    Args:
        text: A title or abstract as stored (raw TeX).

    Returns:
        The readable text; ``text`` itself when it has no TeX or the TeX does
        not parse. Never raises.
    """
    if not has_tex(text):
        return text
    return _render_cached(text)


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _render_cached(text: str) -> str:
    try:
        rendered = _latex_to_text(_BARE_SPECIAL_RE.sub(r"\\\1", text))
    except Exception:  # a third-party parser on hostile input: any failure means "show it raw"
        return text
    if "%s" in rendered and "%s" not in text:
        return text  # a macro short of its arguments (``\\frac`` alone) leaves its template behind
    paragraphs = [_SPACES_RE.sub(" ", part).strip() for part in rendered.split("\n\n")]
    out = "\n\n".join(" ".join(part.split()) for part in paragraphs if part.strip())
    return out if out else text


def _latex_to_text(text: str) -> str:
    global _renderer
    if _renderer is None:
        _renderer = _make_renderer()
    return str(_renderer.latex_to_text(text))


def _make_renderer() -> Any:
    """pylatexenc's converter, taught a few macros its table drops (``\\texttt`` ...).

    pylatexenc reports odd input through ``logging`` warnings; with no handler
    configured, Python prints those on stderr, which would scribble over the
    full-screen app. Its loggers are silenced: a malformed title is handled
    here (shown raw), not reported.
    """
    quiet = logging.getLogger("pylatexenc")
    quiet.addHandler(logging.NullHandler())
    quiet.propagate = False
    from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

    context = get_default_latex_context_db()
    context = context.filter_context(keep_categories=context.categories())
    keep_argument = ("texttt", "textsf", "textrm", "textnormal", "textup", "textmd", "mathtt", "mathsf", "mbox", "text")
    context.add_context_category(
        "papertray", macros=[MacroTextSpec(name, "%(1)s") for name in keep_argument], prepend=True
    )
    return LatexNodes2Text(math_mode="text", latex_context=context, strict_latex_spaces=False)


_SEARCH_MACRO_RE = re.compile(r"\\[A-Za-z]+\s*")
_SEARCH_DROP_RE = re.compile(r"[$\\{}]")


def search_form(text: str) -> str:
    """A cheap plain form of ``text`` for the search index ("" when it has no TeX).

    Math delimiters, braces and macro names go, ``~`` becomes a space:
    ``$k$NN-LM`` → ``kNN-LM``, ``\\emph{Tiny}`` → ``Tiny``. Meant to be indexed
    *next to* the raw text (whose tokens keep the macro names, so ``alpha``
    still finds ``$\\alpha$``): either spelling finds the paper.
    """
    if not has_tex(text):
        return ""
    return _SEARCH_DROP_RE.sub("", _SEARCH_MACRO_RE.sub(" ", text.replace("~", " ")))
