"""An import streams its big files to disk instead of building them whole in memory.

At 100k papers ``papers.json`` and ``cache/records.jsonl`` are 170 MB each;
built as one ``bytes`` (and the cache as a list of lines first) they took an
import to 1.9 GB of peak RSS. These tests pin the two properties that keep it
small: the files are written in pieces, and the pieces add up to exactly what
one ``orjson.dumps`` would have written (the format does not change).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import orjson
import pytest

import store.atomic as atomic_module
import store.corpus as corpus_module
import store.list_cache as list_cache_module
import store.storage as storage_module
from store.drafts import PaperDraft
from store.storage import table_chunks
from store.store import Store

PAPERS = 600


def _drafts(n: int) -> list[PaperDraft]:
    return [
        PaperDraft(
            title=f"$k$NN-LM {i}: Retrieval “at scale” [v{i % 3}] 🚀",
            abstract=("We study retrieval for language models. " * 20) + f"Paper {i}.",
            authors=(f"Ada Lovelace {i}", "Émile Borel"),
            date="2025-03-14",
            arxiv_id=f"2503.{i:05d}",
            upvotes=i % 50,
        )
        for i in range(n)
    ]


def test_table_chunks_equal_one_dumps() -> None:
    tables = {
        "_papertray": {"1": {"kind": "papers", "format": 1}},
        "papers": {"1": {"id": "2503.00001", "title": "é \"q\" \\ $x$", "authors": ["A", "B"], "n": None}, "2": {}},
        "aliases": {},
        "odd": [1, 2],  # not a dict of rows: dumped whole
    }
    assert b"".join(table_chunks(tables)) == orjson.dumps(tables)
    assert b"".join(table_chunks(tables, rows_per_chunk=1)) == orjson.dumps(tables)
    many = {"status": {str(i): {"id": f"2503.{i:05d}", "s": "read"} for i in range(1000)}}
    assert b"".join(table_chunks(many, rows_per_chunk=7)) == orjson.dumps(many)
    assert b"".join(table_chunks({})) == orjson.dumps({})


def test_import_writes_big_files_in_pieces(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    largest: dict[str, int] = {}
    real = atomic_module.atomic_write_chunks

    def recording(path: Path, chunks: Iterable[bytes], *, mode: int | None = None) -> None:
        def seen() -> Iterable[bytes]:
            for chunk in chunks:
                largest[path.name] = max(largest.get(path.name, 0), len(chunk))
                yield chunk

        real(path, seen(), mode=mode)

    for module in (atomic_module, corpus_module, list_cache_module, storage_module):
        monkeypatch.setattr(module, "atomic_write_chunks", recording, raising=False)
    with Store.open(tmp_path / "s") as store:
        report = store.add_drafts(_drafts(PAPERS), source="page.txt")
    assert report.new == PAPERS
    papers = (tmp_path / "s" / "papers.json").stat().st_size
    records = (tmp_path / "s" / "cache" / "records.jsonl").stat().st_size
    assert papers > 300_000 and records > 300_000
    # A few papers per piece, never the whole file at once.
    assert largest["papers.json"] < papers // 3
    assert largest["records.jsonl"] < 4_000


def test_streamed_files_read_back(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s") as store:
        store.add_drafts(_drafts(50), source="page.txt")
    tables = orjson.loads((tmp_path / "s" / "papers.json").read_bytes())
    assert len(tables["papers"]) == 50
    lines = (tmp_path / "s" / "cache" / "records.jsonl").read_bytes().split(b"\n")
    assert lines[-1] == b"" and len(lines) == 51
    fresh = Store.open(tmp_path / "s", readonly=True)
    paper = fresh.get("2503.00007")
    assert paper is not None and paper.title.startswith("$k$NN-LM 7:")
    assert [r.id for r in fresh.rows()][:2] == ["2503.00000", "2503.00001"]  # one day: page order
    fresh.close()
