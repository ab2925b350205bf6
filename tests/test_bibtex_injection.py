"""No field of a BibTeX export can break out of its field (issue 11.3), and TeX titles cite as TeX (issue 9.4).

Oracles: pybtex and the real ``bibtex`` program, which count braces as BibTeX
does (``\\}`` is a brace like any other). Each exported entry must read back
with exactly the paper's own fields.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store.citations import citation_key, format_citation, format_citations
from store.model import Paper
from tests.bib_oracles import BIBTEX, bibtex_entries, plain, pybtex_entries
from tests.odd_titles import ODD_TITLES

needs_bibtex = pytest.mark.skipif(BIBTEX is None, reason="the bibtex program is not installed (apt-get install texlive-binaries)")

INJECTION = "Sound results}, author={Mallory}, year={1999"


def _paper(title: str, authors: tuple[str, ...] = ("Ada Lovelace",), arxiv: bool = True, index: int = 0) -> Paper:
    return Paper(
        id=f"2409.{11074 + index:05d}" if arxiv else f"t-{index:010d}",
        title=title,
        authors=authors,
        date="2024-09-17",
        arxiv_id=f"2409.{11074 + index:05d}" if arxiv else None,
        primary_class="cs.CL" if arxiv else None,
        links=() if arxiv else ("https://example.org/p",),
    )


def _expected_fields(paper: Paper) -> set[str]:
    names = {"title", "year", "url"}
    if any(a.strip() for a in paper.authors):
        names.add("author")
    if paper.arxiv_id:
        names |= {"eprint", "archiveprefix", "primaryclass"}
    else:
        names.add("note")
    return names


def _check_pybtex(papers: list[Paper]) -> None:
    bibtex = format_citations(papers, "bibtex")
    entries = pybtex_entries(bibtex)
    assert len(entries) == len(papers)
    for paper, (_, fields, names) in zip(papers, entries, strict=True):
        assert set(fields) == _expected_fields(paper) - {"author"}, fields
        assert plain(fields["title"]) == plain(paper.title)
        assert fields["year"] == "2024"
        if paper.arxiv_id:
            assert fields["eprint"] == paper.arxiv_id
            assert fields["url"] == f"https://arxiv.org/abs/{paper.arxiv_id}"
        real = [" ".join(a.split()) for a in paper.authors if a.strip()]
        assert len(names) == len(real), (names, real)
        assert [plain(n) for n in names] == [plain(n) for n in real]


def _check_bibtex(papers: list[Paper]) -> None:
    bibtex = format_citations(papers, "bibtex")
    entries = bibtex_entries(bibtex)
    assert len(entries) == len(papers), bibtex
    for paper, entry in zip(papers, entries, strict=True):
        expected = _expected_fields(paper)
        present = {name for name, value in entry.items() if value != "<MISSING>"} - {"key", "names"}
        assert present == expected, (entry, bibtex)
        assert plain(entry["title"]) == plain(paper.title)
        assert entry["year"] == "2024"
        if paper.arxiv_id:
            assert entry["eprint"] == paper.arxiv_id
        real = [" ".join(a.split()) for a in paper.authors if a.strip()]
        assert entry["names"] == str(len(real))
        if real:
            assert plain(entry["author"]) == plain(" and ".join(real))


def test_the_reported_injection_stays_a_title() -> None:
    paper = _paper(INJECTION)
    bibtex = format_citation(paper, "bibtex")

    assert "author={Ada Lovelace}" in bibtex
    (_, fields, names) = pybtex_entries(bibtex)[0]
    assert names == ["Ada Lovelace"]
    assert fields["year"] == "2024" and fields["eprint"] == "2409.11074"
    assert "Mallory" in fields["title"] and "1999" in fields["title"]


@needs_bibtex
def test_the_reported_injection_stays_a_title_for_real_bibtex() -> None:
    _check_bibtex([_paper(INJECTION), _paper("Plain Title", index=1)])


def test_odd_titles_read_back_with_pybtex() -> None:
    _check_pybtex([_paper(title, index=i, arxiv=i % 2 == 0) for i, title in enumerate(ODD_TITLES)])


@needs_bibtex
def test_odd_titles_read_back_with_real_bibtex() -> None:
    ascii_titles = [t for t in ODD_TITLES if t.isascii()]
    _check_bibtex([_paper(title, index=i, arxiv=i % 2 == 0) for i, title in enumerate(ascii_titles)])


def test_math_is_kept_as_arxiv_gives_it() -> None:
    bibtex = format_citation(_paper(r"$\mathcal{O}(\sqrt{n})$-Regret Bandits"), "bibtex")

    assert r"title={$\mathcal{O}(\sqrt{n})$-Regret Bandits}" in bibtex


@pytest.mark.parametrize(
    ("title", "value"),
    [
        ("$k$NN-LM Revisited", "$k${NN}-{LM} Revisited"),
        (r"Reaching 50\% with \emph{Tiny} Models", r"Reaching 50\% with \emph{Tiny} Models"),
        ("Large Language Models~(LLMs)", "Large Language Models~({LLM}s)"),
        ("100% Recall & More_Things", r"100\% Recall \& More\_Things"),
        ("a $lone dollar", r"a \$lone dollar"),
        ("$x}$ unbalanced math", r"\$x\textbraceright{}\$ unbalanced math"),
        ("Top $5%$ of Tokens", r"Top $5\%$ of Tokens"),
    ],
)
def test_tex_is_kept_and_escaped_only_outside_math(title: str, value: str) -> None:
    assert f"title={{{value}}}" in format_citation(_paper(title), "bibtex")


@pytest.mark.parametrize(
    ("title", "word"),
    [
        (r"$\mathcal{O}(\sqrt{n})$-Regret Bandits", "regret"),
        ("$k$NN-LM Revisited", "knn"),
        (r"\emph{Tiny} Models Win", "tiny"),
        (r"$\alpha$-Flow: Alpha Divergences", "flow"),
    ],
)
def test_citation_keys_take_a_real_title_word(title: str, word: str) -> None:
    assert citation_key(_paper(title)) == f"lovelace2024{word}"


_ALPHABET = st.sampled_from([*list('{}\\%@,="#~$ '), "a", "b", "Z", "and", " and ", "x"])
_HOSTILE = st.lists(_ALPHABET, min_size=1, max_size=30).map("".join).filter(lambda t: t.strip() != "")


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=_HOSTILE, authors=st.lists(_HOSTILE, max_size=3), arxiv=st.booleans())
def test_hostile_titles_and_names_never_break_out_pybtex(title: str, authors: list[str], arxiv: bool) -> None:
    _check_pybtex([_paper(title, tuple(authors), arxiv), _paper("Next Entry", index=1)])


@needs_bibtex
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    specs=st.lists(st.tuples(_HOSTILE, st.lists(_HOSTILE, max_size=3), st.booleans()), min_size=1, max_size=8)
)
def test_hostile_titles_and_names_never_break_out_real_bibtex(specs: list[tuple[str, list[str], bool]]) -> None:
    papers = [_paper(title, tuple(authors), arxiv, index=i) for i, (title, authors, arxiv) in enumerate(specs)]
    _check_bibtex(papers)


def test_bidi_controls_never_reach_a_bibtex_field() -> None:
    """A .bib is read by people too: a right-to-left override in a title or name is dropped, not written."""
    from store.citations import bibtex_entry

    entry = bibtex_entry(_paper("Safe\u202etxt.exe \u2066title\u2069", authors=("Ada\u200f Lovelace",)))
    assert not any(ch in entry for ch in "\u202e\u2066\u2069\u200f"), entry
