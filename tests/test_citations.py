"""Citations: every BibTeX we produce is read back by bibtexparser (v2) and compared.

The comparison undoes our LaTeX escapes and protection braces with a decoder
written here, independent of the module under test.
"""

from __future__ import annotations

import re
import subprocess
import sys

import bibtexparser
import pytest
from bibtexparser.middlewares import SeparateCoAuthors
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store.citations import (
    CitationError,
    CitationFormat,
    can_cite,
    citation_key,
    format_citation,
    format_citations,
    unique_keys,
)
from store.errors import StoreError
from store.model import Paper
from tests.bib_oracles import plain

# --------------------------------------------------------------------------- helpers

_DECODE_RE = re.compile(
    r"\\textbraceleft\{\}|\\textbraceright\{\}|\\textasciitilde\{\}|\\textasciicircum\{\}|\\textbackslash\{\}|\\[&%$#_{}]|[{}]"
)
_DECODED = {
    r"\textbraceleft{}": "{",
    r"\textbraceright{}": "}",
    r"\textasciitilde{}": "~",
    r"\textasciicircum{}": "^",
    r"\textbackslash{}": "\\",
}


def unlatex(value: str) -> str:
    """Undo escapes (``\\&`` → ``&``) and drop protection braces (``{LLM}s`` → ``LLMs``)."""

    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if token in _DECODED:
            return _DECODED[token]
        if token.startswith("\\"):
            return token[1]
        return ""

    return _DECODE_RE.sub(replace, value)


def one_line(text: str) -> str:
    """What a value should read as: control characters gone, whitespace runs one space."""
    return " ".join(re.sub(r"[\x00-\x1f\x7f-\x9f]", " ", text).split())


def parse_entries(bibtex: str) -> list[tuple[str, dict[str, object]]]:
    """Parse with bibtexparser, authors split; fail on any block it could not read."""
    library = bibtexparser.parse_string(bibtex, append_middleware=[SeparateCoAuthors()])
    assert library.failed_blocks == [], [block.error for block in library.failed_blocks]
    assert library.comments == [] and library.strings == []
    out = []
    for entry in library.entries:
        assert entry.entry_type == "misc"
        out.append((entry.key, {field.key: field.value for field in entry.fields}))
    return out


def parse_one(bibtex: str) -> tuple[str, dict[str, object]]:
    entries = parse_entries(bibtex)
    assert len(entries) == 1
    return entries[0]


def decoded(fields: dict[str, object]) -> dict[str, object]:
    """Fields with escapes undone; authors as a list of plain names; url verbatim."""
    out: dict[str, object] = {}
    for key, value in fields.items():
        if key == "author":
            assert isinstance(value, list)
            out[key] = [unlatex(name) for name in value]
        elif key == "url":
            out[key] = value
        else:
            assert isinstance(value, str)
            out[key] = unlatex(value)
    return out


VASWANI = Paper(
    id="1706.03762",
    title="Attention Is All You Need",
    abstract="The dominant sequence transduction models...",
    authors=("Ashish Vaswani", "Noam Shazeer", "Niki Parmar"),
    date="2023-08-02",
    published="2017-06-12",
    arxiv_id="1706.03762",
    primary_class="cs.CL",
)

PAGE_COPY = Paper(
    id="t-0a1b2c3d4e",
    title="Scaling Laws for Neural Language Models",
    authors=("Jared Kaplan", "Sam McCandlish"),
    date="2024-09-17",
    links=("https://example.org/scaling",),
    github=("https://github.com/openai/scaling",),
    sources=("/home/someone/Downloads/daily-2024-09-17.txt",),
)


# --------------------------------------------------------------------------- BibTeX


def test_bibtex_for_arxiv_paper_is_arxiv_style_exactly() -> None:
    assert format_citation(VASWANI, CitationFormat.BIBTEX) == (
        "@misc{vaswani2017attention,\n"
        "  title={Attention Is All You Need},\n"
        "  author={Ashish Vaswani and Noam Shazeer and Niki Parmar},\n"
        "  year={2017},\n"
        "  eprint={1706.03762},\n"
        "  archivePrefix={arXiv},\n"
        "  primaryClass={cs.CL},\n"
        "  url={https://arxiv.org/abs/1706.03762}\n"
        "}"
    )


def test_bibtex_for_arxiv_paper_parses_back() -> None:
    key, fields = parse_one(format_citation(VASWANI, "bibtex"))
    assert key == "vaswani2017attention"
    assert decoded(fields) == {
        "title": "Attention Is All You Need",
        "author": ["Ashish Vaswani", "Noam Shazeer", "Niki Parmar"],
        "year": "2017",
        "eprint": "1706.03762",
        "archivePrefix": "arXiv",
        "primaryClass": "cs.CL",
        "url": "https://arxiv.org/abs/1706.03762",
    }


def test_primary_class_only_when_known() -> None:
    paper = Paper(id="2409.11074", title="T", arxiv_id="2409.11074", date="2024-09-17")
    _, fields = parse_one(format_citation(paper, "bibtex"))
    assert "primaryClass" not in fields
    assert fields["eprint"] == "2409.11074"
    assert "note" not in fields


def test_old_style_arxiv_id() -> None:
    paper = Paper(id="cs.LG/0601001", title="Old", arxiv_id="cs.LG/0601001", authors=("A B",), date="2006-01-01")
    _, fields = parse_one(format_citation(paper, "bibtex"))
    assert fields["eprint"] == "cs.LG/0601001"
    assert fields["url"] == "https://arxiv.org/abs/cs.LG/0601001"


def test_bibtex_without_arxiv_id_has_note_and_first_link() -> None:
    key, fields = parse_one(format_citation(PAGE_COPY, "bibtex"))
    assert key == "kaplan2024scaling"
    assert decoded(fields) == {
        "title": "Scaling Laws for Neural Language Models",
        "author": ["Jared Kaplan", "Sam McCandlish"],
        "year": "2024",
        "url": "https://example.org/scaling",
        "note": "Imported from Hugging Face Daily Papers page copy",
    }
    assert "/home/someone" not in format_citation(PAGE_COPY, "bibtex")


def test_bibtex_without_arxiv_id_falls_back_to_github_url() -> None:
    paper = Paper(id="t-1111111111", title="A tool", github=("https://github.com/o/my_repo",))
    _, fields = parse_one(format_citation(paper, "bibtex"))
    assert fields["url"] == "https://github.com/o/my_repo"  # url is verbatim: no \_


def test_bibtex_with_only_a_title_has_no_author_year_or_url() -> None:
    paper = Paper(id="t-2222222222", title="Only a title", sources=("https://huggingface.co/papers",))
    _, fields = parse_one(format_citation(paper, "bibtex"))
    assert set(fields) == {"title", "note"}
    assert fields["note"] == "Imported from Hugging Face Daily Papers"


def test_non_web_links_are_never_written() -> None:
    paper = Paper(id="t-3333333333", title="Evil", links=("javascript:alert(1)", "file:///etc/passwd"))
    _, fields = parse_one(format_citation(paper, "bibtex"))
    assert "url" not in fields


def test_url_with_braces_and_spaces_stays_one_field() -> None:
    paper = Paper(id="t-4444444444", title="U", links=("https://x.org/a{b}\\c_d%20e#f~g",))
    _, fields = parse_one(format_citation(paper, "bibtex"))
    assert fields["url"] == "https://x.org/a%7Bb%7D%5Cc_d%20e#f~g"


def test_special_characters_are_escaped_exactly() -> None:
    paper = Paper(id="t-5555555555", title="a & b % c $ d # e _ f { g } h ~ i ^ j \\ k")
    bibtex = format_citation(paper, "bibtex")
    # Titles are TeX: the paired braces group and "~" is a tie, as arXiv writes them;
    # what TeX would act on but the title means literally is escaped.
    assert (
        "title={a \\& b \\% c \\$ d \\# e \\_ f { g } h ~ i "
        "\\textasciicircum{} j \\textbackslash{} k}" in bibtex
    )
    _, fields = parse_one(bibtex)
    assert plain(fields["title"]) == plain(paper.title)  # type: ignore[arg-type]


def test_unbalanced_braces_in_title_do_not_break_the_entry() -> None:
    paper = Paper(id="t-6666666666", title="}}} closing first {{ then @misc{x, title={y}", authors=("A B",))
    bibtex = format_citation(paper, "bibtex")
    assert "title={\\textbraceright{}\\textbraceright{}\\textbraceright{} closing first" in bibtex
    _, fields = parse_one(bibtex)
    assert plain(fields["title"]) == plain(paper.title)  # type: ignore[arg-type]
    assert fields["author"] == ["A B"]


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("LLMs Are Zero-Shot Reasoners", "{LLM}s Are Zero-Shot Reasoners"),
        ("Fine-tuning BERT", "Fine-tuning {BERT}"),
        ("GPT-4 Technical Report", "{GPT}-4 Technical Report"),
        ("Mining GitHub and LLaMA", "Mining {GitHub} and {LLaMA}"),
        ("iPhone apps", "{iPhone} apps"),
        ("A Simple Baseline", "A Simple Baseline"),
        ("ÉTUDE of ÅNGSTRÖM units", "{ÉTUDE} of {ÅNGSTRÖM} units"),
    ],
)
def test_acronyms_and_camel_case_are_protected(title: str, expected: str) -> None:
    paper = Paper(id="t-7777777777", title=title)
    bibtex = format_citation(paper, "bibtex")
    assert f"title={{{expected}}}" in bibtex
    _, fields = parse_one(bibtex)
    assert unlatex(fields["title"]) == title  # type: ignore[arg-type]


def test_non_ascii_authors_stay_utf8_and_round_trip() -> None:
    names = ("Zoë Ångström", "李 明", "Søren Kierkegaard", "Paweł Łukasz", "Ðorđe Þórsson")
    paper = Paper(id="2401.00001", title="Names", authors=names, arxiv_id="2401.00001", date="2024-01-02")
    bibtex = format_citation(paper, "bibtex")
    assert "author={Zoë Ångström and 李 明 and Søren Kierkegaard and Paweł Łukasz and Ðorđe Þórsson}" in bibtex
    key, fields = parse_one(bibtex)
    assert fields["author"] == list(names)
    assert key == "angstrom2024names"


def test_names_bibtex_would_split_or_invert_are_braced() -> None:
    names = ("Tom and Jerry", "Smith, Jr.", "AND", "x \\and y", "Rand Anderson")
    paper = Paper(id="t-8888888888", title="Cartoons", authors=names)
    bibtex = format_citation(paper, "bibtex")
    assert "{Tom and Jerry} and {Smith, Jr.} and {AND}" in bibtex
    assert "and Rand Anderson}" in bibtex  # "and" inside a word is no separator
    _, fields = parse_one(bibtex)
    assert decoded(fields)["author"] == list(names)


@pytest.mark.parametrize(
    ("paper", "key"),
    [
        (VASWANI, "vaswani2017attention"),
        (Paper(id="x1", title="On the Opportunities and Risks of Foundation Models",
               authors=("Rishi Bommasani",), date="2021-08-16"), "bommasani2021opportunities"),
        (Paper(id="x2", title="Towards a Theory of Everything", authors=("Søren Ørsted",),
               date="2020-01-01"), "orsted2020theory"),
        (Paper(id="x3", title="Deep Learning", authors=("Martin Luther King Jr.",), date="2019-05-05"),
         "king2019deep"),
        (Paper(id="x4", title="Scaling Laws for Neural Language Models", date="2020-01-23"),
         "scalinglawsneural2020"),
        (Paper(id="x5", title="Scaling Laws for Neural Language Models", authors=("Jared Kaplan",)),
         "kaplanscalinglawsneural"),
        (Paper(id="x6", title="大型语言模型", authors=("李 明",), date="2024-01-01"), "x62024"),
        (Paper(id="t-00aa11bb22", title="大型语言模型"), "t00aa11bb22"),
        (Paper(id="2409.11074", title="大型语言模型", arxiv_id="2409.11074"), "arxiv240911074"),
        (Paper(id="x7", title="The 100 Best GPT-4 Prompts", authors=("Zoë Ångström",), date="2024-03-01"),
         "angstrom2024best"),
    ],
)
def test_keys(paper: Paper, key: str) -> None:
    assert citation_key(paper) == key
    assert re.fullmatch(r"[a-z0-9]+", key)


def test_bad_date_gives_no_year_instead_of_crashing() -> None:
    paper = Paper(id="x8", title="Dated", authors=("A Bee",), date="sometime")
    assert citation_key(paper) == "beedated"
    _, fields = parse_one(format_citation(paper, "bibtex"))
    assert "year" not in fields


def test_key_collisions_get_letter_suffixes_and_parse() -> None:
    base = dict(authors=("Jane Smith",), date="2024-02-02")
    papers = [
        Paper(id="a", title="Learning to Rank", **base),  # type: ignore[arg-type]
        Paper(id="b", title="Learning to Walk", **base),  # type: ignore[arg-type]
        Paper(id="c", title="Unrelated Work", **base),  # type: ignore[arg-type]
        Paper(id="d", title="Learning Again", **base),  # type: ignore[arg-type]
    ]
    assert unique_keys(papers) == ["smith2024learninga", "smith2024learningb", "smith2024unrelated", "smith2024learningc"]
    entries = parse_entries(format_citations(papers, "bibtex"))
    assert [key for key, _ in entries] == unique_keys(papers)
    assert [unlatex(fields["title"]) for _, fields in entries] == [p.title for p in papers]  # type: ignore[arg-type]


def test_suffix_never_lands_on_another_papers_key() -> None:
    base = dict(authors=("Jane Smith",), date="2024-02-02")
    papers = [
        Paper(id="a", title="Learning X", **base),  # type: ignore[arg-type]
        Paper(id="b", title="Learning Y", **base),  # type: ignore[arg-type]
        Paper(id="c", title="Learninga", **base),  # type: ignore[arg-type]
    ]
    keys = unique_keys(papers)
    assert keys[2] == "smith2024learninga"
    assert len(set(keys)) == 3
    assert keys[:2] == ["smith2024learningb", "smith2024learningc"]


def test_many_collisions_stay_unique() -> None:
    papers = [Paper(id=f"p{i}", title="Same", authors=("A Bee",), date="2024-01-01") for i in range(60)]
    keys = unique_keys(papers)
    assert len(set(keys)) == 60
    assert keys[25] == "bee2024samez" and keys[26] == "bee2024sameaa"
    assert len(parse_entries(format_citations(papers, "bibtex"))) == 60


def test_same_paper_twice_is_cited_once() -> None:
    text = format_citations([VASWANI, PAGE_COPY, VASWANI], "bibtex")
    assert [key for key, _ in parse_entries(text)] == ["vaswani2017attention", "kaplan2024scaling"]


def test_empty_export() -> None:
    for fmt in CitationFormat:
        assert format_citations([], fmt) == ""


# --------------------------------------------------------------------------- other formats


def test_plain_with_arxiv_id() -> None:
    assert format_citation(VASWANI, CitationFormat.PLAIN) == (
        "Ashish Vaswani, Noam Shazeer, & Niki Parmar (2017). Attention Is All You Need. "
        "arXiv:1706.03762. https://arxiv.org/abs/1706.03762"
    )


def test_plain_without_arxiv_id() -> None:
    assert format_citation(PAGE_COPY, "plain") == (
        "Jared Kaplan & Sam McCandlish (2024). Scaling Laws for Neural Language Models. https://example.org/scaling"
    )


def test_plain_without_authors_or_year() -> None:
    paper = Paper(id="t-9999999999", title="What Matters?", authors=("",))
    assert format_citation(paper, "plain") == "What Matters? (n.d.)."


def test_plain_many_authors_apa_ellipsis() -> None:
    authors = tuple(f"Author {i}" for i in range(1, 31))
    paper = Paper(id="x", title="Big", authors=authors, date="2024-01-01")
    text = format_citation(paper, "plain")
    assert text.startswith("Author 1, Author 2, ")
    assert ", Author 19, … Author 30 (2024). Big." in text
    assert "Author 20," not in text


def test_plain_is_one_line() -> None:
    paper = Paper(id="x", title="Two\nlines\x1b[31m", authors=("A\tB",), date="2024-01-01")
    assert format_citation(paper, "plain") == "A B (2024). Two lines [31m."


def test_markdown_link() -> None:
    assert format_citation(VASWANI, "markdown") == "[Attention Is All You Need](https://arxiv.org/abs/1706.03762)"


def test_markdown_escapes_title_and_url() -> None:
    paper = Paper(id="x", title="[Bracketed] *stars* and_under", links=("https://x.org/a_(b)",))
    assert format_citation(paper, "markdown") == r"[\[Bracketed\] \*stars\* and\_under](https://x.org/a_%28b%29)"


def test_markdown_without_url_is_the_title() -> None:
    paper = Paper(id="x", title="No Link", links=("ftp://old",))
    assert format_citation(paper, "markdown") == "No Link"


def test_markdown_many() -> None:
    assert format_citations([VASWANI, PAGE_COPY], "markdown") == (
        "- [Attention Is All You Need](https://arxiv.org/abs/1706.03762)\n"
        "- [Scaling Laws for Neural Language Models](https://example.org/scaling)"
    )


def test_arxiv_id_alone() -> None:
    assert format_citation(VASWANI, "arxiv") == "1706.03762"
    assert can_cite(VASWANI, CitationFormat.ARXIV)
    assert format_citations([VASWANI, VASWANI], "arxiv") == "1706.03762"


def test_arxiv_without_id_raises_a_clear_error() -> None:
    assert not can_cite(PAGE_COPY, "arxiv")
    assert can_cite(PAGE_COPY, "bibtex")
    with pytest.raises(CitationError, match="no arXiv id for 'Scaling Laws"):
        format_citation(PAGE_COPY, "arxiv")
    with pytest.raises(CitationError, match="1 of 2 papers have no arXiv id"):
        format_citations([VASWANI, PAGE_COPY], "arxiv")
    assert issubclass(CitationError, StoreError)


def test_unknown_format() -> None:
    with pytest.raises(CitationError, match="unknown citation format 'ris'"):
        format_citation(VASWANI, "ris")


def test_format_labels_for_a_chooser() -> None:
    labels = [fmt.label for fmt in CitationFormat]
    assert labels == ["BibTeX", "Plain text", "Markdown link", "arXiv id"]
    assert all(fmt.description for fmt in CitationFormat)
    assert CitationFormat("bibtex") is CitationFormat.BIBTEX


def test_citations_module_does_not_import_textual() -> None:
    code = "import sys, store.citations, store.export; print('textual' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


# --------------------------------------------------------------------------- property


_SPECIALS = st.sampled_from(list("{}\\%&_#$~^,@\"= "))
_CHARS = st.characters(blacklist_categories=("Cc", "Cs"))
_WORDS = st.sampled_from(["and", "AND", " and ", "LLMs", "GitHub", "ø", "李", "\\textbf{x}", "\u00a0"])
_TEXT = st.lists(st.one_of(_CHARS, _SPECIALS, _WORDS), max_size=40).map("".join)
"""Any text without control characters, rich in what BibTeX treats specially."""


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=_TEXT, authors=st.lists(_TEXT, max_size=6), with_arxiv=st.booleans())
def test_any_title_and_authors_round_trip(title: str, authors: list[str], with_arxiv: bool) -> None:
    paper = Paper(
        id="2409.11074" if with_arxiv else "t-abcdefabcd",
        title=title,
        authors=tuple(authors),
        arxiv_id="2409.11074" if with_arxiv else None,
        date="2024-09-17",
    )
    key, fields = parse_one(format_citation(paper, "bibtex"))
    assert key == citation_key(paper)
    # Titles are TeX (braces group, escapes kept); the stricter brace check is
    # tests/test_bibtex_injection.py with pybtex and the real bibtex.
    assert plain(fields["title"]) == plain(one_line(title))  # type: ignore[arg-type]
    expected = [one_line(name) for name in authors if one_line(name)]
    if expected:
        assert decoded(fields)["author"] == expected
    else:
        assert "author" not in fields
    assert fields["year"] == "2024"


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["Learning", "Learning to Learn", "大型", "On the", "GPT-4"]),
            st.sampled_from([(), ("Jane Smith",), ("李 明",), ("Zoë Ångström", "B")]),
            st.sampled_from([None, "2024-01-01", "2023-05-05"]),
        ),
        max_size=40,
    )
)
def test_export_keys_are_always_unique_ascii(specs: list[tuple[str, tuple[str, ...], str | None]]) -> None:
    papers = [Paper(id=f"t-{i:010d}", title=t, authors=a, date=d) for i, (t, a, d) in enumerate(specs)]
    keys = unique_keys(papers)
    assert len(set(keys)) == len(papers)
    assert all(re.fullmatch(r"[a-z0-9]+", key) for key in keys)
