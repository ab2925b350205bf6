"""The list cache loads fast and right: rows equal to the documents', abstracts found by their spans.

Start-up at 100k papers is mostly this load, so it builds rows without
calling ``Row(...)`` per paper and leaves the id-to-offset index for the
first abstract that is opened; these tests pin that what it builds is the
same as before.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import orjson
import pytest

from store.atomic import identity
from store.drafts import PaperDraft
from store.list_cache import read_list_cache
from store.model import Row
from store.record_spans import RecordSpans
from store.row_columns import decode, encode_int, encode_text
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
    assert by_id["2503.01234"] == Row("2503.01234", "Attention", by_id["2503.01234"].date, True, 7)
    first = cached.get(rows[0].id)
    assert first is not None and first.id == rows[0].id
    assert cached.corpus._spans._positions is not None
    for row in rows:
        paper = cached.get(row.id)
        assert paper is not None and paper.title == row.title


def _columns(path: Path) -> tuple[dict[str, Any], bytes]:
    raw = path.read_bytes()
    end = raw.index(b"\n")
    return orjson.loads(raw[:end]), raw[end + 1 :]


def test_a_cache_with_uneven_columns_is_rebuilt(tmp_path: Path) -> None:
    _fill(tmp_path)
    path = tmp_path / "cache" / "rows.bin"
    header, body = _columns(path)
    assert [name for name, _, _ in header["columns"]][-1] == "lengths"
    header["columns"][-1][2] -= 8  # one offset short
    path.write_bytes(orjson.dumps(header) + b"\n" + body[:-8])
    store = Store.open(tmp_path, readonly=True)
    assert len(store.rows()) == 3
    assert all(store.get(r.id) is not None for r in store.rows())


@pytest.mark.parametrize(
    "damage",
    [
        lambda header, body: (header, body + b"x"),  # trailing bytes
        lambda header, body: (header, body[:-1]),  # cut short
        lambda header, body: ({**header, "byteorder": "little" if sys.byteorder == "big" else "big"}, body),
        lambda header, body: ({**header, "count": header["count"] + 1}, body),
        lambda header, body: ({**header, "columns": [[n, "nonsense", k] for n, _, k in header["columns"]]}, body),
    ],
)
def test_a_damaged_rows_cache_is_ignored_never_trusted(tmp_path: Path, damage: Any) -> None:
    _fill(tmp_path)
    expected = Store.open(tmp_path, readonly=True).rows()
    path = tmp_path / "cache" / "rows.bin"
    header, body = damage(*_columns(path))
    path.write_bytes(orjson.dumps(header) + b"\n" + body)
    assert read_list_cache(tmp_path / "cache", identity(tmp_path / "papers.json")) is None
    assert Store.open(tmp_path, readonly=True).rows() == expected


@pytest.mark.parametrize(
    "values",
    [
        ["plain", "títle with ünïcode", "", "emoji 🧪"],
        ["a\x1eseparator inside", "b"],  # falls back to JSON
        [None, "x"],
    ],
)
def test_text_columns_round_trip(values: list[Any]) -> None:
    kind, data = encode_text(values)
    assert kind == ("text" if all(isinstance(v, str) and "\x1e" not in v for v in values) else "json")
    assert list(decode(kind, data, len(values))) == values


@pytest.mark.parametrize("values", [[0, 1, 2**63 - 1], [None, 5, 0], [2**63, 1], [-3, 1], [True, 1], []])
def test_count_columns_round_trip(values: list[Any]) -> None:
    kind, data = encode_int(values)
    assert list(decode(kind, data, len(values))) == values
    with pytest.raises(ValueError):
        decode(kind, data, len(values) + 1)


def test_record_spans() -> None:
    spans = RecordSpans(["a", "b"], [0, 10], [9, 4])
    assert spans.get("b") == (10, 4)
    assert spans.get("a") == (0, 9)
    assert spans.get("zz") is None
    with pytest.raises(ValueError):
        RecordSpans(["a"], [0, 1], [1])
