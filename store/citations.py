"""Citations of papers: BibTeX, an APA-like line, a Markdown link, the arXiv id.

Pure Python over :class:`store.model.Paper`; nothing here touches the UI or disk.

Choices worth knowing:

* **BibTeX follows arXiv's own export** for papers with an arXiv id
  (``@misc`` with ``eprint``, ``archivePrefix={arXiv}``, ``primaryClass`` when
  known, and the abs ``url``), so an entry copied from papertray looks like the
  one a reader would fetch from arxiv.org. Papers known only from a page copy
  get an ``@misc`` with what is known and a ``note`` naming where they came
  from, so nobody mistakes them for a checked reference.
* **Non-ASCII stays UTF-8** in field values ("Zoë Ångström", "李 明"). That is
  what biblatex with biber expects, and it keeps names readable; converting to
  ``{\\"o}``-style escapes would lose scripts LaTeX accents cannot spell.
  Classic BibTeX users need ``\\usepackage[utf8]{inputenc}`` (the default in
  LaTeX since 2018). Citation *keys* are plain lower-case ASCII so that every
  tool can type and match them: names are folded by :func:`store.fold.ascii_fold`,
  the folding search uses, so a key's name (``gudmundsson``) also finds the paper.
* **Titles are TeX**, as arXiv gives them: math (``$\\mathcal{O}(\\sqrt{n})$``),
  macros and escapes (``50\\%``) are kept; outside math the characters TeX
  would act on but a title means literally (``& % # _ ^``, a lone ``$`` or
  backslash) are escaped. Capitalised acronyms and CamelCase words are
  protected with braces (``{LLM}s``, ``{BERT}``, ``{GPT}-4``, ``{GitHub}``) so
  sentence-case styles do not lower-case them. Names, notes and ids are plain
  text: every special character is escaped.
* **No field can end early.** BibTeX counts every brace, and a backslash before
  one changes nothing (``\\}`` closes the field like ``}``), so a value is
  always brace-balanced: braces that pair up stay (TeX grouping), and an
  unpaired or literal brace is written ``\\textbraceleft{}`` /
  ``\\textbraceright{}``. A title such as ``x}, author={Mallory`` stays a title.
  ``url`` is verbatim in biblatex, so it is *not* escaped;
  only the characters that would break the entry (braces, backslash,
  whitespace) are percent-encoded, and only http(s) URLs are written.
* **Names** are written as given ("First Last", no "Last, First" guessing) and
  joined with `` and ``. A name that BibTeX would split or misread (it holds a
  comma or the word "and") is wrapped in braces as one unit; escapes inside
  names are braced on their own (``{\\&}``) so no parser finds an "and" in them.
* Every value is one line: runs of whitespace become one space and control
  characters go, because a newline followed by ``@`` inside a value ends the
  entry for several parsers.
* ``arxiv`` format: a paper without an arXiv id has no honest answer, so
  :func:`format_citation` raises :class:`CitationError` (the UI can ask
  :func:`can_cite` first and grey the choice out). Returning ``None`` would push
  an ``if`` into every caller and make "copied nothing" easy to miss.
"""


from __future__ import annotations

import re
from collections.abc import Iterable
from enum import Enum
from urllib.parse import urlsplit

from store.bibtex import bibtex_name, bibtex_title, bibtex_url, clean_text, latex_escape
from store.citation_keys import authors_of, citation_key, paper_year, unique_keys
from store.errors import StoreError
from store.links import is_web_url
from store.model import Paper
from store.texrender import render_tex


class CitationError(StoreError):
    """A paper cannot be cited in the format asked for (e.g. no arXiv id)."""


class CitationFormat(str, Enum):
    """The formats a paper can be copied or exported in."""

    BIBTEX = "bibtex"
    PLAIN = "plain"
    MARKDOWN = "markdown"
    ARXIV = "arxiv"

    @property
    def label(self) -> str:
        """Short name for a chooser ("BibTeX", "arXiv id"...)."""
        return _LABELS[self]

    @property
    def description(self) -> str:
        """One line shown under the label in a chooser."""
        return _DESCRIPTIONS[self]


_LABELS = {
    CitationFormat.BIBTEX: "BibTeX",
    CitationFormat.PLAIN: "Plain text",
    CitationFormat.MARKDOWN: "Markdown link",
    CitationFormat.ARXIV: "arXiv id",
}
_DESCRIPTIONS = {
    CitationFormat.BIBTEX: "@misc entry as arXiv gives it",
    CitationFormat.PLAIN: "Authors (year). Title. arXiv id / URL",
    CitationFormat.MARKDOWN: "[Title](url)",
    CitationFormat.ARXIV: "the bare arXiv id, e.g. 2409.11074",
}

# --------------------------------------------------------------------------- facts


def citation_url(paper: Paper) -> str | None:
    """The one URL a citation points to: arXiv abs, else the first link, else GitHub.

    Only http(s) URLs qualify, so a hostile page copy cannot plant ``javascript:``.
    """
    candidates = [paper.url, *paper.links, *paper.github]
    for url in candidates:
        if url and is_web_url(url):
            return url
    return None


def source_note(paper: Paper) -> str:
    """A note naming where an entry without an arXiv id came from.

    File imports are Hugging Face Daily Papers page copies; local paths are not
    written out (they say nothing to a reader and leak the user's home).
    """
    for source in paper.sources:
        if source.startswith(("http://", "https://")):
            host = urlsplit(source).hostname or ""
            if host == "huggingface.co" or host.endswith(".huggingface.co"):
                return "Imported from Hugging Face Daily Papers"
            return f"Imported from {host}" if host else "Imported from the web"
    return "Imported from Hugging Face Daily Papers page copy"


# --------------------------------------------------------------------------- formats


def bibtex_entry(paper: Paper, key: str | None = None) -> str:
    """One ``@misc`` entry for the paper.

    Args:
        paper: The paper to cite.
        key: The key to use; :func:`citation_key` when None.

    Returns:
        The entry, fields one per line, no trailing newline.
    """
    fields: list[tuple[str, str]] = [("title", bibtex_title(paper.title))]
    authors = authors_of(paper)
    if authors:
        fields.append(("author", " and ".join(bibtex_name(name) for name in authors)))
    year = paper_year(paper)
    if year is not None:
        fields.append(("year", str(year)))
    if paper.arxiv_id:
        fields.append(("eprint", latex_escape(paper.arxiv_id)))
        fields.append(("archivePrefix", "arXiv"))
        if paper.primary_class:
            fields.append(("primaryClass", latex_escape(clean_text(paper.primary_class))))
    url = citation_url(paper)
    if url:
        fields.append(("url", bibtex_url(url)))
    if not paper.arxiv_id:
        fields.append(("note", latex_escape(source_note(paper))))
    body = ",\n".join(f"  {name}={{{value}}}" for name, value in fields)
    return f"@misc{{{key or citation_key(paper)},\n{body}\n}}"


def _apa_authors(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return f"{names[0]} & {names[1]}"
    if len(names) <= 20:
        return ", ".join(names[:-1]) + f", & {names[-1]}"
    return ", ".join(names[:19]) + f", … {names[-1]}"


def plain_citation(paper: Paper) -> str:
    """An APA-like line: ``Authors (year). Title. arXiv:id. URL``.

    APA 7 conventions where they fit names given as "First Last": ``&`` before
    the last author, more than 20 authors shortened to the first 19, an
    ellipsis and the last; ``(n.d.)`` without a year; without authors the
    title leads.
    """
    year = paper_year(paper)
    when = f"({year})" if year is not None else "(n.d.)"
    title = clean_text(render_tex(paper.title))
    if title and title[-1] not in ".?!":
        title += "."
    names = authors_of(paper)
    parts = [f"{_apa_authors(names)} {when}.", title] if names else [title, f"{when}."]
    if paper.arxiv_id:
        parts.append(f"arXiv:{paper.arxiv_id}.")
    url = citation_url(paper)
    if url:
        parts.append(url)
    return " ".join(part for part in parts if part)


_MD_SPECIAL_RE = re.compile(r"([\\`*_\[\]<>])")


def markdown_escape(text: str) -> str:
    """Escape the characters that would end or restyle Markdown link text."""
    return _MD_SPECIAL_RE.sub(r"\\\1", clean_text(text))


def markdown_url(url: str) -> str:
    """A URL safe inside ``(...)`` of a Markdown link."""
    return url.replace("(", "%28").replace(")", "%29").replace(" ", "%20").replace("<", "%3C").replace(">", "%3E")


def markdown_link(paper: Paper) -> str:
    """``[Title](url)``, or the escaped title alone when no URL is known."""
    title = markdown_escape(render_tex(paper.title))
    url = citation_url(paper)
    return f"[{title}]({markdown_url(url)})" if url else title


def missing_facts(paper: Paper, fmt: CitationFormat | str) -> str | None:
    """What a citation in this format lacks that ``papertray resolve`` can fill, or None.

    Page copies carry no authors, so their BibTeX and plain citations are
    incomplete; the person copying one should know, and know the fix.

    Returns:
        A short clause for a message ("no authors or year: run `papertray
        resolve` ..."), or None when nothing is missing or the format needs
        neither (Markdown link, arXiv id).
    """
    if _coerce(fmt) not in (CitationFormat.BIBTEX, CitationFormat.PLAIN):
        return None
    facts = (("authors", bool(authors_of(paper))), ("year", paper_year(paper) is not None))
    missing = [word for word, known in facts if not known]
    if not missing:
        return None
    return f"no {' or '.join(missing)}: run `papertray resolve` to look them up on arXiv"


def can_cite(paper: Paper, fmt: CitationFormat | str) -> bool:
    """Whether :func:`format_citation` can cite this paper in this format."""
    return _coerce(fmt) is not CitationFormat.ARXIV or bool(paper.arxiv_id)


def _coerce(fmt: CitationFormat | str) -> CitationFormat:
    try:
        return CitationFormat(fmt)
    except ValueError:
        names = ", ".join(member.value for member in CitationFormat)
        raise CitationError(f"unknown citation format {fmt!r} (expected one of: {names})") from None


def format_citation(paper: Paper, fmt: CitationFormat | str) -> str:
    """One paper cited in one format, ready for the clipboard.

    Args:
        paper: The paper to cite.
        fmt: A :class:`CitationFormat` or its value ("bibtex", "plain"...).

    Returns:
        The citation, without a trailing newline.

    Raises:
        CitationError: The format is unknown, or it is ``arxiv`` and the paper
            has no arXiv id.
    """
    kind = _coerce(fmt)
    if kind is CitationFormat.BIBTEX:
        return bibtex_entry(paper)
    if kind is CitationFormat.PLAIN:
        return plain_citation(paper)
    if kind is CitationFormat.MARKDOWN:
        return markdown_link(paper)
    if not paper.arxiv_id:
        raise CitationError(f"no arXiv id for {clean_text(paper.title)[:60]!r}")
    return paper.arxiv_id


def _distinct(papers: Iterable[Paper]) -> list[Paper]:
    seen: set[str] = set()
    out: list[Paper] = []
    for paper in papers:
        if paper.id not in seen:
            seen.add(paper.id)
            out.append(paper)
    return out


def format_citations(papers: Iterable[Paper], fmt: CitationFormat | str) -> str:
    """Many papers cited in one format: an export or a multi-paper copy.

    A paper listed twice (same id) is cited once. BibTeX keys are unique within
    the result (:func:`unique_keys`); entries are separated by a blank line,
    other formats give one paper per line (Markdown as a ``- `` list).

    Args:
        papers: The papers, in the order to cite them.
        fmt: A :class:`CitationFormat` or its value.

    Returns:
        The citations, without a trailing newline ("" for no papers).

    Raises:
        CitationError: The format is unknown, or it is ``arxiv`` and some papers
            have no arXiv id (the message says how many).
    """
    kind = _coerce(fmt)
    chosen = _distinct(papers)
    if kind is CitationFormat.BIBTEX:
        keys = unique_keys(chosen)
        return "\n\n".join(bibtex_entry(paper, key) for paper, key in zip(chosen, keys, strict=True))
    if kind is CitationFormat.ARXIV:
        missing = [paper for paper in chosen if not paper.arxiv_id]
        if missing:
            first = clean_text(missing[0].title)[:60]
            raise CitationError(f"{len(missing)} of {len(chosen)} papers have no arXiv id (first: {first!r})")
    if kind is CitationFormat.MARKDOWN:
        return "\n".join(f"- {markdown_link(paper)}" for paper in chosen)
    return "\n".join(format_citation(paper, kind) for paper in chosen)
