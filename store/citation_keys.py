"""Citation keys: ``vaswani2017attention``, plain lower-case ASCII, unique within an export.

Names and title words are folded to ASCII with :func:`store.fold.ascii_fold`
(the same folding search uses for its accent-free forms), so every tool can
type and match a key.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from store.bibtex import clean_text
from store.fold import ascii_fold
from store.model import Paper
from store.texrender import search_form

_STOPWORDS = frozenset(
    """a an the on of towards toward for in to with and or via from by at is are be do does can
    how what why when where which who we our us your you my i it its this that these those as into
    onto over under through beyond about without vs versus not no new""".split()
)
"""Words skipped when a key takes the first significant word of a title."""

_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_ASCII_WORD_RE = re.compile(r"[a-z0-9]+")


def paper_year(paper: Paper) -> int | None:
    """The year to cite, or None when the dates are unknown or not ISO."""
    try:
        return paper.year
    except ValueError:
        return None


def authors_of(paper: Paper) -> list[str]:
    """The paper's author names, cleaned, without empty ones."""
    return [name for name in (clean_text(a) for a in paper.authors) if name]



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


def key_suffix(index: int) -> str:
    """0 → a, 25 → z, 26 → aa: suffixes for keys that collide (here and in a synced `.bib`)."""
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
        while f"{base}{key_suffix(index)}" in taken:
            index += 1
        key = f"{base}{key_suffix(index)}"
        next_suffix[base] = index + 1
        taken.add(key)
        keys.append(key)
    return keys
