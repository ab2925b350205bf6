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
  tool can type and match them: names are folded with NFKD plus a few letters
  NFKD leaves alone (``ø``, ``ł``, ``ß``...).
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
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from enum import Enum
from urllib.parse import urlsplit

from store.errors import StoreError
from store.links import is_web_url
from store.model import Paper
from store.texrender import render_tex, search_form


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

_STOPWORDS = frozenset(
    """a an the on of towards toward for in to with and or via from by at is are be do does can
    how what why when where which who we our us your you my i it its this that these those as into
    onto over under through beyond about without vs versus not no new""".split()
)
"""Words skipped when a key takes the first significant word of a title."""

_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})

_FOLD_EXTRA = str.maketrans(
    {
        "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D",
        "þ": "th", "Þ": "Th", "æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe", "ß": "ss",
        "ı": "i", "ħ": "h", "Ħ": "H",
    }
)
"""Latin letters NFKD does not decompose, spelled the way people type them."""

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

_PLURAL_ACRONYM_RE = re.compile(r"^([^\W\d_]*?)s$")
_AND_WORD_RE = re.compile(r"(?:^|\s)and(?:\s|$)", re.IGNORECASE)
_ASCII_WORD_RE = re.compile(r"[a-z0-9]+")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


# --------------------------------------------------------------------------- text helpers


def clean_text(text: str) -> str:
    """One line of text: control characters dropped, whitespace runs made one space.

    Args:
        text: Any text from a paper (title, name).

    Returns:
        The text on one line, stripped.
    """
    return " ".join(_CONTROL_RE.sub(" ", text).split())


def ascii_fold(text: str) -> str:
    """Transliterate to ASCII the way a key should spell it ("Ångström" → "Angstrom").

    Characters with no Latin spelling (CJK, Greek...) are dropped.
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD_EXTRA))
    return decomposed.encode("ascii", "ignore").decode("ascii")


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


# --------------------------------------------------------------------------- facts


def paper_year(paper: Paper) -> int | None:
    """The year to cite, or None when the dates are unknown or not ISO."""
    try:
        return paper.year
    except ValueError:
        return None


def citation_url(paper: Paper) -> str | None:
    """The one URL a citation points to: arXiv abs, else the first link, else GitHub.

    Only http(s) URLs qualify, so a hostile page copy cannot plant ``javascript:``.
    """
    candidates = [paper.url, *paper.links, *paper.github]
    for url in candidates:
        if url and is_web_url(url):
            return url
    return None


def authors_of(paper: Paper) -> list[str]:
    """The paper's author names, cleaned, without empty ones."""
    return [name for name in (clean_text(a) for a in paper.authors) if name]


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


# --------------------------------------------------------------------------- keys


def _last_name_part(paper: Paper) -> str:
    authors = authors_of(paper)
    if not authors:
        return ""
    tokens = [_fold_word(token) for token in authors[0].split()]
    tokens = [token for token in tokens if token]
    while len(tokens) > 1 and tokens[-1] in _NAME_SUFFIXES:
        tokens.pop()
    return tokens[-1] if tokens else ""


def _fold_word(text: str) -> str:
    return "".join(_ASCII_WORD_RE.findall(ascii_fold(text).lower()))


def _title_words(title: str) -> list[str]:
    """Significant words of the title as the reader sees it: TeX macro names are not words.

    ``$\\mathcal{O}(\\sqrt{n})$-Regret Bandits`` gives ``regret, bandits``
    (one-letter math symbols are skipped when real words follow), and
    ``$k$NN-LM Revisited`` gives ``knn, lm, revisited``.
    """
    plain = search_form(title) or title
    words = _ASCII_WORD_RE.findall(ascii_fold(clean_text(plain)).lower())
    words = [word for word in words if word not in _STOPWORDS and not word.isdigit()]
    longer = [word for word in words if len(word) > 1]
    return longer or words


def citation_key(paper: Paper) -> str:
    """The BibTeX key for one paper: ``vaswani2017attention``.

    First author's last name + year + first significant title word, lower-case
    ASCII. Without a usable name or a year, the first three significant title
    words stand in (``scalinglawsneural2020``); without even those, the id.

    Args:
        paper: The paper to name.

    Returns:
        A key of ASCII letters and digits, never empty.
    """
    name = _last_name_part(paper)
    year = paper_year(paper)
    words = _title_words(paper.title)
    if name and year is not None and words:
        return f"{name}{year}{words[0][:30]}"
    slug = "".join(word[:30] for word in words[:3])
    if not slug and not name:
        slug = _id_slug(paper)
    return f"{name}{slug}{year if year is not None else ''}"


def _id_slug(paper: Paper) -> str:
    """A key stem from the paper's id, for titles with no Latin letters at all."""
    if paper.arxiv_id:
        return "arxiv" + _fold_word(paper.arxiv_id)
    stem = _fold_word(paper.id)
    return stem if stem[:1].isalpha() else "paper" + stem


def _letters(index: int) -> str:
    """0 → a, 25 → z, 26 → aa: suffixes for keys that collide."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(ord("a") + rest) + out
    return out


def unique_keys(papers: Sequence[Paper]) -> list[str]:
    """Keys for an export, one per paper, unique within it.

    Papers whose keys collide all get letter suffixes in order
    (``smith2024learninga``, ``smith2024learningb``), the way author-year
    styles write 2024a/2024b; a suffix never lands on another paper's key.

    Args:
        papers: The papers in export order.

    Returns:
        Keys in the same order.
    """
    bases = [citation_key(paper) for paper in papers]
    counts = Counter(bases)
    taken = {key for key, count in counts.items() if count == 1}
    next_suffix: dict[str, int] = {}
    keys: list[str] = []
    for base in bases:
        if counts[base] == 1:
            keys.append(base)
            continue
        index = next_suffix.get(base, 0)
        while f"{base}{_letters(index)}" in taken:
            index += 1
        key = f"{base}{_letters(index)}"
        next_suffix[base] = index + 1
        taken.add(key)
        keys.append(key)
    return keys


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
    missing = [word for word, known in (("authors", authors_of(paper)), ("year", paper_year(paper) is not None)) if not known]
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
