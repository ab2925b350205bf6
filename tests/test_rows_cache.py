"""The list cache loads fast and right: rows equal to the documents', abstracts found by their spans.

Start-up at 100k papers is mostly this load, so it builds rows without
calling ``Row(...)`` per paper and leaves the id-to-offset index for the
first abstract that is opened; these tests pin that what it builds is the
same as before.
"""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from store.model import PaperDraft, Row
from store.record_spans import RecordSpans
from store.store import Store


def _fill(root: Path) -> None:
    drafts = [
        PaperDraft(title="$k$NN-LM: Nearest Neighbours", abstract="A first\nwrapped abstract.", authors=("A", "B", "C", "D")),
        PaperDraft(title="Attention", arxiv_id="2503.01234", github=("https://github.com/o/r",), upvotes=7),
        PaperDraft(title="Ünïcode “quotes” 🚀 [brackets]", abstract="Third.", date="2025-03-14"),
    ]
    with Store.open(root) as store:
        store.add_drafts(drafts, source="page.txt")


def test_rows_from_cache_equal_rows_from_documents(tmp_path: Path) -> None:
    _fill(tmp_path)
    cached = Store.open(tmp_path, readonly=True)
    rows = cached.rows()
    assert cached.corpus._spans._positions is None  # nothing looked up yet: no index built
    from_docs = [r for r in Store.open(tmp_path, readonly=True).corpus.papers()]
    assert all(type(r) is Row for r in rows)
    assert [r.id for r in rows] == [p.id for p in from_docs]
    by_id = {r.id: r for r in rows}
    assert by_id["2503.01234"].has_code is True and by_id["2503.01234"].upvotes == 7
    assert by_id["2503.01234"] == Row("2503.01234", "Attention", by_id["2503.01234"].date, "", True, 7)
    first = cached.get(rows[0].id)
    assert first is not None and first.id == rows[0].id
    assert cached.corpus._spans._positions is not None
    for row in rows:
        paper = cached.get(row.id)
        assert paper is not None and paper.title == row.title


def test_a_cache_with_uneven_columns_is_rebuilt(tmp_path: Path) -> None:
    _fill(tmp_path)
    path = tmp_path / "cache" / "rows.bin"
    blob = orjson.loads(path.read_bytes())
    blob["lengths"] = blob["lengths"][:-1]
    path.write_bytes(orjson.dumps(blob))
    store = Store.open(tmp_path, readonly=True)
    assert len(store.rows()) == 3
    assert all(store.get(r.id) is not None for r in store.rows())


def test_record_spans() -> None:
    spans = RecordSpans(["a", "b"], [0, 10], [9, 4])
    assert spans.get("b") == (10, 4)
    assert spans.get("a") == (0, 9)
    assert spans.get("zz") is None
    with pytest.raises(ValueError):
        RecordSpans(["a"], [0, 1], [1])
