"""One folding for search and citation keys (store.fold): names from several languages find and cite alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from store.citations import citation_key
from store.drafts import PaperDraft
from store.fold import ascii_fold, search_fold
from store.model import Paper
from store.search import SearchDoc, SearchIndex, highlight_spans, parse_query
from store.store import Store
from store.tokens import tokenize

NAMES = [
    # (author as written, typed without accents, the name part of the citation key)
    ("Jón Guðmundsson", "gudmundsson", "gudmundsson"),
    ("Anna Þór", "thor", "thor"),
    ("Maria Gal·la", "galla", "galla"),
    ("Carles Puigdemont i Casamajó", "casamajo", "casamajo"),
    ("Ayşe Yılmaz", "yilmaz", "yilmaz"),
    ("Emre Şahin", "sahin", "sahin"),
    ("Deniz İnce", "ince", "ince"),
    ("Nguyễn Thị Minh Khai", "nguyen", "khai"),
]


def _index(authors: str) -> SearchIndex:
    docs = [
        SearchDoc(id="p1", title="Sparse Retrieval at Scale", authors=authors, abstract="", date="2024-05-01",
                  has_code=False, keywords=""),
        SearchDoc(id="p2", title="Dense Retrieval Revisited", authors="Jane Smith", abstract="", date="2024-05-02",
                  has_code=False, keywords=""),
    ]
    return SearchIndex.build(docs)


def _found(index: SearchIndex, text: str) -> list[str]:
    return index.search(
        parse_query(text), status_of=lambda pid: "new", queues_of=lambda pid: frozenset(), scope=None
    )


@pytest.mark.parametrize(("author", "typed", "key_name"), NAMES)
def test_a_name_is_found_typed_as_written_and_without_accents(author: str, typed: str, key_name: str) -> None:
    index = _index(author)
    as_written = author.split()[-1] if typed != "nguyen" else "Nguyễn"
    assert _found(index, typed) == ["p1"]
    assert _found(index, f'"{typed}"') == ["p1"]  # quoted: exact, so no typo tolerance helps
    assert _found(index, as_written) == ["p1"]
    assert _found(index, as_written.upper()) == ["p1"]


@pytest.mark.parametrize(("author", "typed", "key_name"), NAMES)
def test_the_citation_key_spells_the_name_as_search_folds_it(author: str, typed: str, key_name: str) -> None:
    paper = Paper(id="2405.01234", title="Sparse Retrieval at Scale", authors=(author,), date="2024-05-01")
    key = citation_key(paper)
    assert key == f"{key_name}2024sparse"
    # The name part of the key is a query that finds the paper.
    assert _found(_index(author), key_name) == ["p1"]


def test_icelandic_letters_fold_the_same_in_keys_and_search() -> None:
    """The disagreement the issue names: search kept "guðmundsson", the key said "gudmundsson"."""
    assert search_fold("Guðmundsson") == "gudmundsson" == ascii_fold("Guðmundsson")
    assert tokenize("Jón Guðmundsson") == ["jon", "gudmundsson"]
    assert search_fold("ÞÓR") == "thor" == ascii_fold("Þór")


def test_highlight_covers_the_original_letters() -> None:
    text = "Jón Guðmundsson and Deniz İnce"
    spans = highlight_spans(text, parse_query("gudmundsson ince"))
    assert [text[a:b] for a, b in spans] == ["Guðmundsson", "İnce"]


@pytest.mark.parametrize("name", ["王小明", "山田太郎"])
def test_cjk_names_stay_searchable_as_written(name: str) -> None:
    index = _index(name)
    assert search_fold(name) == name  # not transliterated: anyascii would read 山田 as Mandarin "shantian"
    assert _found(index, name) == ["p1"]


@pytest.mark.parametrize("name", ["王小明", "山田太郎"])
def test_cjk_names_leave_the_key_to_the_title_or_the_id(name: str) -> None:
    latin_title = Paper(id="x1", title="Sparse Retrieval at Scale", authors=(name,), date="2024-05-01")
    cjk_title = Paper(id="2405.01234", title="大型语言模型", authors=(name,), date="2024-05-01", arxiv_id="2405.01234")
    assert citation_key(latin_title) == "sparseretrievalscale2024"
    assert citation_key(cjk_title) == "arxiv2405012342024"


def test_a_search_cache_from_another_folding_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An index cached before the folding changed holds "guðmundsson": it must not be trusted."""
    draft = PaperDraft(title="Sparse Retrieval at Scale", abstract="Text.", authors=("Jón Guðmundsson",),
                       date="2024-05-01")
    monkeypatch.setattr("store.search_cache.FOLDING", "fold-1")
    with Store.open(tmp_path / "s") as store:
        store.add_drafts([draft], source="test")
        store.search_index()  # written with the old folding's header
    monkeypatch.setattr("store.search_cache.FOLDING", "fold-2")
    cached = tmp_path / "s" / "cache" / "search.bin"
    written = cached.stat().st_mtime_ns
    with Store.open(tmp_path / "s") as store:
        assert [row.title for row in store.search('"gudmundsson"')] == ["Sparse Retrieval at Scale"]
    assert cached.read_bytes().startswith(b"[") and b"fold-2" in cached.read_bytes().split(b"\n", 1)[0]
    assert cached.stat().st_mtime_ns != written
