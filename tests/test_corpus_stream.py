"""The cold open's streaming read of ``papers.json`` gives exactly what parsing the whole file gives.

`store.corpus_stream` finds documents by byte patterns and parses them one at
a time; these tests hold it to the full parse on files written in every
layout a TinyDB file may have (papertray's compact one, TinyDB's own
``json.dump`` with spaces and ASCII escapes, indented, tables in another
order), with documents whose text holds the very patterns it looks for, and
refuse damaged files exactly as before, leaving the store untouched.
"""

from __future__ import annotations

import json
import os
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest

from store import corpus_stream
from store.corpus import Corpus
from store.corpus_stream import StreamDoubt, stream_index
from store.errors import DamagedFileError
from store.list_cache import RECORDS_CACHE, ROWS_CACHE
from store.storage import MARKER_TABLE, load_tables, table_chunks
from store.store import Store

Tables = dict[str, dict[str, Any]]


def _doc(pid: str, seq: int, **fields: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {"id": pid, "title": f"Paper {pid}", "abstract": "", "authors": ["A. Author"], "seq": seq, "added": "2025-01-02"}
    doc.update(fields)
    return doc


def tricky_tables(*, unwrapped: bool = True) -> Tables:
    """Documents whose bytes hold what the streaming reader looks for, and everything else a full parse accepts."""
    papers = [
        _doc("2501.00001", 1, title='Boundary },"5":{ in a title', abstract='Also }, "6" : { here, and }}} and }},"x', date="2025-03-01"),
        _doc("2501.00002", 2, title='Escaped \\"quotes\\" and \\\\ back\\slashes \\', abstract='"},"7":{"id":"fake"}', date="2025-03-01"),
        _doc("2501.00003", 3, title="Ünïcode “quotes” 🚀 大型语言模型 e\u0301 \u2028 line", abstract="Tabs\tand\nnew\n\nlines",
             date="2025-03-02"),
        _doc("2501.00004", 4, title="Nested", extra={"1": {"id": "inner", "x": {"2": {}}}, "2": {"y": [1, {"3": {}}]}}, date="2025-03-02"),
        _doc("2501.00005", 5, title="Ends in a nested object", meta={"a": {"b": {}}}),
        _doc("2501.00006", 6, title="$\\frac{a}{\\sqrt{b}}}$ TeX", abstract="$x_{i_{j}}}$, and {}}{", github=["https://github.com/o/r"],
             upvotes=12),
        _doc("2501.00007", 7, title="Odd numbers", upvotes=-3, score=0.1, big=1e300, seq_note=None),
        _doc("2501.00008", "8", title="A seq that is not an int", date=None),
        {"title": "No id: ignored", "seq": 9},
        _doc("2501.00001", 10, title="The same id again: this one wins, at the first one's place", date="2025-03-01"),
        _doc("2501.00009", 11, title="Wrapped\n  title   with   runs", abstract="Line one\nline two", authors=["A", "B", "C", "D"]),
    ]
    marker: dict[str, Any] = {"kind": "papers", "format": 1}
    if unwrapped:
        marker["text"] = "unwrapped"
    return {
        MARKER_TABLE: {"1": marker},
        "papers": {str(i): doc for i, doc in enumerate(papers, start=1)},
        "aliases": {"1": {"old": "t-old", "new": "2501.00003"}, "2": {"old": "t-other", "new": "2501.00004"}, "3": {"junk": True}},
        "_default": {},
        "notes": {"1": {"a": {"1": {}}}},
    }


LAYOUTS: dict[str, Callable[[Tables], bytes]] = {
    "compact": lambda t: b"".join(table_chunks(t)),
    "tinydb-default": lambda t: json.dumps(t).encode(),
    "indented": lambda t: json.dumps(t, indent=2).encode(),
    "tabs-crlf-unicode": lambda t: json.dumps(t, indent="\t", ensure_ascii=False).replace("\n", "\r\n").encode() + b"\r\n",
    "tables-reordered": lambda t: orjson.dumps(dict(reversed(list(t.items())))),
}


def _write_store(root: Path, data: bytes) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    path = root / "papers.json"
    path.write_bytes(data)
    return path


def _full_parse(root: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Corpus, dict[str, bytes]]:
    """Today's reading: the streaming reader always in doubt, so the whole file is parsed."""
    with monkeypatch.context() as patch:
        patch.setattr(corpus_stream, "stream_index", lambda *args: (_ for _ in ()).throw(StreamDoubt("off")))
        corpus = Corpus(root)
        corpus.rows()
    caches = {name: (root / "cache" / name).read_bytes() for name in (ROWS_CACHE, RECORDS_CACHE)}
    for name in caches:
        (root / "cache" / name).unlink()
    return corpus, caches


@pytest.mark.parametrize("unwrapped", [True, False])
@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_streaming_equals_the_full_parse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, layout: str, unwrapped: bool) -> None:
    path = _write_store(tmp_path / "s", LAYOUTS[layout](tricky_tables(unwrapped=unwrapped)))
    full, caches = _full_parse(tmp_path / "s", monkeypatch)

    cold = stream_index(path, tmp_path / "s" / "cache")  # raises StreamDoubt if it fell back
    assert cold.rows == full.rows()
    assert cold.aliases == full.aliases == {"t-old": "2501.00003", "t-other": "2501.00004"}
    assert (cold.marker.get("text") == "unwrapped") is unwrapped
    for name, expected in caches.items():
        assert (tmp_path / "s" / "cache" / name).read_bytes() == expected, name

    streamed = Corpus(tmp_path / "s")
    (tmp_path / "s" / "cache" / ROWS_CACHE).unlink()
    assert streamed.rows() == full.rows()
    assert streamed._docs is None, "the documents were parsed whole"
    assert streamed._text_unwrapped is unwrapped
    assert [r.id for r in streamed.rows()][:2] == ["2501.00003", "2501.00004"]  # newest day first, then the page's order
    for row in streamed.rows():
        assert streamed.get(row.id) == full.get(row.id)
    assert streamed.get("t-old") == full.get("2501.00003")
    assert streamed.get("2501.00001") is not None and "wins" in streamed.get("2501.00001").title  # type: ignore[union-attr]


def test_streaming_is_what_a_written_store_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A store papertray wrote, with its caches deleted (an upgrade), opens from the stream with the same list."""
    from tests.test_rows_cache import _fill

    _fill(tmp_path / "s")
    warm = Store.open(tmp_path / "s", readonly=True)
    rows, papers = warm.rows(), [warm.get(r.id) for r in warm.rows()]
    records = (tmp_path / "s" / "cache" / RECORDS_CACHE).read_bytes()
    for name in (ROWS_CACHE, RECORDS_CACHE):
        (tmp_path / "s" / "cache" / name).unlink()
    cold = Store.open(tmp_path / "s", readonly=True)
    assert cold.corpus._docs is None and cold.rows() == rows
    assert [cold.get(r.id) for r in rows] == papers
    assert (tmp_path / "s" / "cache" / RECORDS_CACHE).read_bytes() == records


@pytest.mark.parametrize(
    "data",
    [
        b'{"_papertray":{"1":{"kind":"papers"}},"papers":{"a":{"id":"x","title":"Key not digits"},"b":{"id":"y","title":"Y"}}}',
        b'{"_papertray":{"1":{"kind":"papers"}},"papers":{"1":{"id":"x","title":"First"},"1":{"id":"y","title":"Repeated key"}}}',
        b'{"papers":{"1":{"id":"x","title":"T"}},"_papertray":{"1":{"kind":"papers"}},"papers":{"1":{"id":"z","title":"Repeated table"}}}',
        b'{"_papertray":{"1":{"kind":"papers"}},"papers":{"1":{"id":7,"title":"Id not a string"}}}',
        b'{"_papertray":{"1":{"kind":"papers"}},"papers":{"1":{"id":"x","title":"T"},"2":[1,2]}}',
        b'{"_papertray":{"1":{"kind":"papers"}},"papers":{"1":{"id":"x","title":"' + b"}}}" * 100 + b'"}}}',
    ],
    ids=["keys-not-digits", "repeated-key", "repeated-table", "id-not-a-string", "row-not-an-object", "too-many-candidates"],
)
def test_what_streaming_doubts_is_parsed_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    path = _write_store(tmp_path / "s", data)
    with pytest.raises(StreamDoubt):
        stream_index(path, tmp_path / "s" / "cache")
    full, _ = _full_parse(tmp_path / "s", monkeypatch)
    assert Corpus(tmp_path / "s").rows() == full.rows()


DAMAGED = {
    "truncated": lambda data: data[: len(data) * 2 // 3],
    "trailing-garbage": lambda data: data + b"}",
    "no-marker": lambda data: data.replace(b'"_papertray"', b'"_elsewhere"'),
    "other-kind": lambda data: data.replace(b'"kind":"papers"', b'"kind":"state"'),
    "table-not-an-object": lambda data: data.replace(b'"_default":{}', b'"_default":[]'),
    "bad-utf8": lambda data: data.replace("Ünïcode".encode(), b"\xff\xfe"),
    "form-feed": lambda data: data.replace(b'"aliases":', b'"aliases":\x0c'),
}


@pytest.mark.parametrize("damage", list(DAMAGED))
def test_a_damaged_file_is_refused_as_before_and_the_store_left_as_it_was(tmp_path: Path, damage: str) -> None:
    data = DAMAGED[damage](b"".join(table_chunks(tricky_tables())))
    path = _write_store(tmp_path / "s", data)
    with pytest.raises(DamagedFileError) as expected:
        load_tables(path, "papers")
    before = sorted(p.name for p in (tmp_path / "s").iterdir())
    with pytest.raises(DamagedFileError) as caught:
        Store.open(tmp_path / "s")
    assert str(caught.value) == str(expected.value)
    assert path.read_bytes() == data
    assert not (tmp_path / "s" / "cache").exists() or not any((tmp_path / "s" / "cache").iterdir())
    assert sorted(p.name for p in (tmp_path / "s").iterdir() if p.name not in {"cache", "state.json", ".lock"}) == [
        n for n in before if n not in {"cache", "state.json", ".lock"}
    ]


@pytest.mark.parametrize("layout", ["compact", "tinydb-default"])
def test_every_truncation_is_doubted_and_writes_nothing(tmp_path: Path, layout: str) -> None:
    data = LAYOUTS[layout](tricky_tables())
    path = tmp_path / "papers.json"
    cache = tmp_path / "cache"
    for cut in range(len(data)):
        path.write_bytes(data[:cut])
        with pytest.raises(StreamDoubt):
            stream_index(path, cache)
    assert not cache.exists()


def test_without_a_writable_cache_abstracts_come_from_papers_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write_store(tmp_path / "s", b"".join(table_chunks(tricky_tables())))
    full, _ = _full_parse(tmp_path / "s", monkeypatch)
    for name in os.listdir(tmp_path / "s" / "cache"):
        (tmp_path / "s" / "cache" / name).unlink()
    (tmp_path / "s" / "cache").rmdir()
    (tmp_path / "s" / "cache").write_text("a file where the cache directory should be")
    corpus = Corpus(tmp_path / "s")
    assert corpus.rows() == full.rows()
    assert corpus._records == path and corpus._docs is None
    assert [corpus.get(r.id) for r in corpus.rows()] == [full.get(r.id) for r in full.rows()]
    assert corpus.records_current()
    assert [d["id"] for d in corpus.stream_records([r.id for r in corpus.rows()])] == [r.id for r in full.rows()]


def test_streaming_holds_rows_and_spans_not_documents(tmp_path: Path) -> None:
    """10k papers of 2 KB each: a whole-file parse holds the file's 20 MB of bytes, then over ten times as
    much in documents; the stream holds rows and spans, a window of the file and the caches' write buffers
    (fixed costs, which weigh most at this size; at 100k papers the peak is about half of the 190 MB file,
    mostly the rows the list keeps anyway)."""
    words = "retrieval augmented generation with sparse mixtures of experts at scale "
    docs = {
        f"2401.{i:05d}": _doc(f"2401.{i:05d}", i, abstract=(words * 28)[: 1800 + i % 200], date=f"2024-{1 + i % 12:02d}-01")
        for i in range(10_000)
    }
    Corpus(tmp_path).write(docs, {})
    path = tmp_path / "papers.json"
    size = path.stat().st_size
    assert size > 18_000_000
    for name in (ROWS_CACHE, RECORDS_CACHE):
        (tmp_path / "cache" / name).unlink()
    tracemalloc.start()
    try:
        cold = stream_index(path, tmp_path / "cache")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(cold.rows) == 10_000
    assert peak < size * 0.6, f"peak {peak / 1e6:.1f} MB for a {size / 1e6:.1f} MB file"
