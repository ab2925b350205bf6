"""The search index file: mapped in place, checked, rebuilt when old, built without parsing papers.json."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from store import search_terms
from store.atomic import identity
from store.corpus import Corpus
from store.drafts import PaperDraft
from store.search import IndexFormatError, SearchDoc, SearchIndex, parse_query
from store.search_build import write_index
from store.search_cache import SEARCH_CACHE, SearchCache
from store.store import Store
from tests.benchmarks.synth import make_docs

QUERIES = [
    "",
    "transfomer",
    "graph neur",
    '"large language"',
    '"question answering"',
    "self-sup",
    "-gan diffusion",
    "title:sparse",
    "author:muller",
    "has:code date:>=2024-03 mod",
    "t",
]


def run(index: SearchIndex, text: str) -> list[str]:
    return index.search(parse_query(text), status_of=lambda _: "new", queues_of=lambda _: frozenset())


def write_file(path: Path, docs: list[SearchDoc], prefix: bytes = b"") -> int:
    """An index file as the cache writes it: some leading bytes, then the index. Returns where it starts."""
    out = io.BytesIO()
    out.write(prefix)
    write_index(docs, out)
    path.write_bytes(out.getvalue())
    return len(prefix)


def test_mapped_index_answers_like_the_built_one(tmp_path: Path) -> None:
    docs = make_docs(300, seed=8)
    built = SearchIndex.build(docs)
    start = write_file(tmp_path / "search.bin", docs, prefix=b'[1, 2, 3]     \n')
    mapped = SearchIndex.open(tmp_path / "search.bin", start)
    assert mapped.ids == built.ids
    for text in QUERIES:
        assert run(mapped, text) == run(built, text), text
    assert mapped.to_bytes() == built.to_bytes()


@pytest.mark.parametrize("where", [0.3, 0.5, 0.8])
def test_a_damaged_byte_in_a_mapped_file_is_refused(tmp_path: Path, where: float) -> None:
    path = tmp_path / "search.bin"
    write_file(path, make_docs(200, seed=2))
    data = bytearray(path.read_bytes())
    data[int(len(data) * where)] ^= 0x55
    path.write_bytes(bytes(data))
    with pytest.raises(IndexFormatError):
        SearchIndex.open(path)


def test_an_empty_or_truncated_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "search.bin"
    path.write_bytes(b"")
    with pytest.raises(IndexFormatError):
        SearchIndex.open(path)
    write_file(path, make_docs(50))
    path.write_bytes(path.read_bytes()[:-100])
    with pytest.raises(IndexFormatError):
        SearchIndex.open(path)


def test_an_index_of_the_first_format_is_refused() -> None:
    data = SearchIndex.build(make_docs(20)).to_bytes()
    with pytest.raises(IndexFormatError):
        SearchIndex.from_bytes(b"PTSRCH1\n" + data[8:])


def _drafts() -> list[PaperDraft]:
    """Same-day papers, title ties in case only, an undated paper, TeX and accents."""
    return [
        PaperDraft(title="Sparse $k$NN-LM Retrieval", abstract="We study sparse\nretrieval for language models.",
                   authors=("Jón Guðmundsson", "Ana Müller"), date="2024-03-02", github=("https://github.com/a/b",)),
        PaperDraft(title="sparse knn-lm retrieval", abstract="Dense retrieval, revisited.", date="2024-03-02"),
        PaperDraft(title="Diffusion", abstract="Large language models meet diffusion.", date=None),
        PaperDraft(title="Self-Supervised Graph Transformers", abstract="Graph neural networks, pre-training.",
                   date="2023-12-31", keywords=("graphs", "self-supervision")),
        PaperDraft(title="Transformers: a survey", abstract="A survey of transformer models.", date="2024-03-03"),
    ]


def test_the_cache_is_built_from_the_records_without_parsing_papers_json(
    store_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store.open(store_dir) as store:
        store.add_drafts(_drafts(), source="test")
        store.rows()
    corpus = Corpus(store_dir)
    expected = SearchIndex.build(list(SearchCache(corpus)._docs()))
    corpus = Corpus(store_dir)  # a fresh one, as in the child process

    def refuse() -> None:
        raise AssertionError("papers.json parsed whole")

    monkeypatch.setattr(corpus, "load_all", refuse)
    current = identity(corpus.path)
    assert current is not None
    assert SearchCache(corpus)._write(current)
    line = (store_dir / "cache" / SEARCH_CACHE).read_bytes().split(b"\n", 1)[0]
    streamed = SearchIndex.open(store_dir / "cache" / SEARCH_CACHE, len(line) + 1)
    assert streamed.ids == expected.ids
    for text in [*QUERIES, "diffusion", "gudmundsson", "knn", "date:2024-03-02"]:
        assert run(streamed, text) == run(expected, text), text


def test_a_stale_records_cache_falls_back_to_papers_json(store_dir: Path) -> None:
    with Store.open(store_dir) as store:
        store.add_drafts(_drafts(), source="test")
        store.rows()
    (store_dir / "cache" / "records.jsonl").write_bytes(b"{}\n")  # offsets now point at nothing
    corpus = Corpus(store_dir)
    index = SearchCache(corpus).index()
    assert len(index) == 5
    assert run(index, "survey") == [run(index, "transformers survey")[0]]


def test_the_term_cache_is_bounded_by_papers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_terms, "_CACHE_PAPERS", 150)
    index = SearchIndex.build(make_docs(200, seed=5))
    fresh = SearchIndex.build(make_docs(200, seed=5))
    for text in ["t", "m", "model", "learning", "graph", "diffusion", "t", "m"]:
        assert run(index, text) == run(fresh, text)
        fresh.clear_cache()
        terms = index._terms
        held = sum(map(len, terms._cache.values()))
        assert held == terms._cached_papers
        assert held <= 150 or len(terms._cache) == 1  # one term larger than the bound is still kept
