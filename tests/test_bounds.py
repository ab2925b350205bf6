"""Every numeric field is bounded: one odd count never fails an import or a day (issue 11, point 5)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from store.bounds import COUNT_RANGES, bounded_count
from store.corpus import paper_from_doc, row_of
from store.store import Store
from tests.hf_server import make_entry
from tui.cli import main

ODD = [2**64, 2**63, -1, -(2**70), 1.5, float("nan"), float("inf"), True, False, "12", None, [3], {"n": 1}]


@pytest.mark.parametrize("field", sorted(COUNT_RANGES))
@pytest.mark.parametrize("value", ODD, ids=repr)
def test_odd_values_are_dropped(field: str, value: object) -> None:
    assert bounded_count(value, field) is None


def test_plain_values_pass_and_integral_floats_become_ints() -> None:
    assert bounded_count(0, "upvotes") == 0
    assert bounded_count(1234, "upvotes") == 1234
    assert bounded_count(12.0, "github_stars") == 12
    assert type(bounded_count(12.0, "github_stars")) is int


def test_an_import_with_a_count_beyond_64_bits_imports_every_paper(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    entries = [make_entry(f"2411.{i:05d}", f"Paper {i}: a $\\mathcal{{O}}(\\sqrt{{n}})$ bound") for i in range(6)]
    entries[0]["paper"]["upvotes"] = 2**64
    entries[1]["numComments"] = -(2**70)
    entries[2]["paper"]["githubStars"] = 10**30
    entries[3]["paper"]["upvotes"] = True
    entries[4]["paper"]["upvotes"] = "12"
    daily = tmp_path / "daily.json"
    daily.write_text(json.dumps(entries))
    root = tmp_path / "store"
    assert main(["--store", str(root), "import", str(daily)]) == 0
    with Store.open(root, readonly=True) as s:
        papers = {p.id: p for p in s.papers()}
        assert len(papers) == 6
        assert papers["2411.00000"].upvotes is None
        assert papers["2411.00001"].comments is None
        assert papers["2411.00002"].github_stars is None
        assert papers["2411.00005"].upvotes == 1
    assert main(["--store", str(root), "list"]) == 0


def test_a_hand_edited_store_with_odd_counts_still_reads() -> None:
    doc = {"id": "x", "title": "T", "upvotes": 1.8446744073709552e19, "comments": "3", "github_stars": -4, "seq": "9"}
    paper = paper_from_doc(doc)
    assert (paper.upvotes, paper.comments, paper.github_stars) == (None, None, None)
    assert row_of(doc).upvotes is None
