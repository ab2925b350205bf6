"""Export: every format is read back with the standard parser for it."""

from __future__ import annotations

import csv
import io
import json

import bibtexparser
import pytest

from store.export import COLUMNS, EXPORT_FORMATS, FILE_SUFFIXES, export_papers
from store.model import Paper

PAPERS = [
    Paper(
        id="1706.03762",
        title="Attention Is All You Need",
        abstract="Line one,\nline \"two\"; with commas, quotes and 100% specials {}.",
        authors=("Ashish Vaswani", "Noam Shazeer", "Niki Parmar", "Jakob Uszkoreit"),
        date="2024-09-17",
        published="2017-06-12",
        arxiv_id="1706.03762",
        github=("https://github.com/tensorflow/tensor2tensor",),
        primary_class="cs.CL",
    ),
    Paper(
        id="t-0a1b2c3d4e",
        title="Zoë's [Bracketed] Model",
        abstract="=HYPERLINK(\"http://evil\")",
        authors=("Zoë Ångström", "李 明"),
        date="2024-09-18",
        github=("https://github.com/a/b", "https://github.com/c/d"),
        links=("https://example.org/zoe",),
    ),
    Paper(id="t-ffffffffff", title="Lonely Title"),
    Paper(id="2409.00001", title="Learning X", authors=("Jane Smith",), date="2024-09-01", arxiv_id="2409.00001"),
    Paper(id="2409.00002", title="Learning Y", authors=("Jane Smith",), date="2024-09-02", arxiv_id="2409.00002"),
]

STATUS = {"1706.03762": "starred", "t-0a1b2c3d4e": "read"}
QUEUES = {"1706.03762": ["to-read", "thesis"], "2409.00001": ["to-read"]}


def status_of(paper_id: str) -> str:
    return STATUS.get(paper_id, "new")


def queues_of(paper_id: str) -> list[str]:
    return QUEUES.get(paper_id, [])


def export(fmt: str, papers: list[Paper] = PAPERS, **kwargs: bool) -> str:
    return export_papers(papers, fmt, status_of=status_of, queues_of=queues_of, **kwargs)  # type: ignore[arg-type]


def test_jsonl_parses_back_one_object_per_paper() -> None:
    text = export("jsonl")
    lines = text.splitlines()
    assert text.endswith("\n") and len(lines) == len(PAPERS)
    records = [json.loads(line) for line in lines]
    assert [r["id"] for r in records] == [p.id for p in PAPERS]
    assert all(list(r) == list(COLUMNS) for r in records)
    first, second, lonely = records[0], records[1], records[2]
    assert first["status"] == "starred" and first["queues"] == ["to-read", "thesis"]
    assert first["authors"] == list(PAPERS[0].authors)
    assert first["url"] == "https://arxiv.org/abs/1706.03762"
    assert first["abstract"] == PAPERS[0].abstract
    assert first["arxiv_id"] == "1706.03762" and first["published"] == "2017-06-12"
    assert second["github"] == ["https://github.com/a/b", "https://github.com/c/d"]
    assert second["authors"] == ["Zoë Ångström", "李 明"]
    assert second["arxiv_id"] is None and second["url"] == "https://example.org/zoe"
    assert lonely == {
        "id": "t-ffffffffff", "title": "Lonely Title", "date": None, "published": None, "authors": [],
        "arxiv_id": None, "url": None, "github": [], "links": [], "status": "new", "queues": [],
        "tags": [], "note": None, "abstract": "",
    }
    assert "Zoë" in text  # UTF-8, not \u escapes


def test_csv_parses_back_with_the_csv_module() -> None:
    text = export("csv", guard_formulas=False)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == list(COLUMNS)
    assert len(rows) == 1 + len(PAPERS)
    by_id = {row[0]: dict(zip(COLUMNS, row, strict=False)) for row in rows[1:]}
    first = by_id["1706.03762"]
    assert first["abstract"] == PAPERS[0].abstract  # newline, quotes and commas survive
    assert first["authors"] == "Ashish Vaswani; Noam Shazeer; Niki Parmar; Jakob Uszkoreit"
    assert first["queues"] == "to-read; thesis"
    assert first["status"] == "starred"
    assert by_id["t-0a1b2c3d4e"]["github"] == "https://github.com/a/b; https://github.com/c/d"
    assert by_id["t-0a1b2c3d4e"]["abstract"] == '=HYPERLINK("http://evil")'
    assert by_id["t-ffffffffff"]["date"] == "" and by_id["t-ffffffffff"]["arxiv_id"] == ""


def test_csv_guards_spreadsheet_formulas_by_default() -> None:
    rows = list(csv.DictReader(io.StringIO(export("csv"), newline="")))
    assert rows[1]["abstract"] == "'=HYPERLINK(\"http://evil\")"
    assert rows[0]["abstract"] == PAPERS[0].abstract  # ordinary text untouched


def test_csv_of_nothing_is_the_header() -> None:
    assert export("csv", []) == ",".join(COLUMNS) + "\n"


def test_bibtex_export_keys_unique_and_parse() -> None:
    text = export("bibtex")
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == []
    keys = [entry.key for entry in library.entries]
    assert len(keys) == len(PAPERS) == len(set(keys))
    assert "smith2024learninga" in keys and "smith2024learningb" in keys
    assert text.endswith("}\n")


def test_markdown_list() -> None:
    assert export("markdown") == (
        "- [Attention Is All You Need](https://arxiv.org/abs/1706.03762)"
        " — Ashish Vaswani, Noam Shazeer, Niki Parmar et al. (2017)\n"
        "- [Zoë's \\[Bracketed\\] Model](https://example.org/zoe) — Zoë Ångström, 李 明 (2024)\n"
        "- Lonely Title\n"
        "- [Learning X](https://arxiv.org/abs/2409.00001) — Jane Smith (2024)\n"
        "- [Learning Y](https://arxiv.org/abs/2409.00002) — Jane Smith (2024)\n"
    )


@pytest.mark.parametrize("fmt", ["bibtex", "markdown", "jsonl"])
def test_empty_exports_are_empty(fmt: str) -> None:
    assert export(fmt, []) == ""


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown export format 'xml'"):
        export("xml")


def test_every_format_has_a_suffix() -> None:
    assert set(FILE_SUFFIXES) == set(EXPORT_FORMATS)
