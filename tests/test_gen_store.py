"""The synthetic-paper generator used by the benchmarks keeps its promises."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from store.drafts import PaperDraft
from store.ids import clean_arxiv_id, normalise_title
from store.links import clean_github_url, extract_github_links
from tests.benchmarks.gen_store import MAX_DRAFTS, PAGE_HEADER, make_drafts, make_page_copy

N = 2000


@pytest.fixture(scope="module")
def drafts() -> list[PaperDraft]:
    return make_drafts(N, seed=7)


def test_same_seed_same_drafts(drafts: list[PaperDraft]) -> None:
    assert make_drafts(N, seed=7) == drafts


def test_other_seed_other_text(drafts: list[PaperDraft]) -> None:
    other = make_drafts(N, seed=8)
    assert [d.arxiv_id for d in other] == [d.arxiv_id for d in drafts]  # ids come from the index
    assert sum(a.title == b.title for a, b in zip(other, drafts, strict=False)) < N // 100
    assert sum(a.abstract == b.abstract for a, b in zip(other, drafts, strict=False)) == 0


def test_counts_and_edges() -> None:
    assert make_drafts(0) == []
    assert len(make_drafts(1)) == 1
    assert len(make_drafts(37, seed=3)) == 37
    with pytest.raises(ValueError):
        make_drafts(-1)
    with pytest.raises(ValueError):
        make_drafts(MAX_DRAFTS + 1)


def test_ids_and_titles_are_unique(drafts: list[PaperDraft]) -> None:
    ids = [d.arxiv_id for d in drafts]
    assert len(set(ids)) == N
    assert all(i is not None and clean_arxiv_id(i) == i and re.fullmatch(r"2[45]\d\d\.\d{5}", i) for i in ids)
    assert len({normalise_title(d.title) for d in drafts}) == N


def test_ids_match_published_month_and_dates_span_two_years(drafts: list[PaperDraft]) -> None:
    for d in drafts:
        assert d.arxiv_id is not None and d.published is not None and d.date is not None
        assert d.arxiv_id[:4] == d.published[2:4] + d.published[5:7]
        assert d.published <= d.date
    dates = [d.date for d in drafts]
    assert dates == sorted(dates)  # type: ignore[type-var]
    first, last = dt.date.fromisoformat(dates[0]), dt.date.fromisoformat(dates[-1])  # type: ignore[arg-type]
    assert (last - first).days > 700


def test_lengths_are_realistic(drafts: list[PaperDraft]) -> None:
    for d in drafts:
        assert 6 <= len(d.title.split()) <= 16, d.title
        assert 150 <= len(d.abstract.split()) <= 250
        assert 1 <= len(d.authors) <= 10
        assert len(set(d.authors)) == len(d.authors)
    mean_bytes = sum(len(d.abstract.encode()) for d in drafts) / N
    assert 1200 <= mean_bytes <= 1800


def test_mix_of_fields(drafts: list[PaperDraft]) -> None:
    with_code = sum(1 for d in drafts if d.github) / N
    assert 0.25 <= with_code <= 0.35
    assert any(len(d.github) == 2 for d in drafts)
    non_ascii = sum(1 for d in drafts if any(not a.isascii() for a in d.authors)) / N
    assert 0.1 <= non_ascii <= 0.7
    assert any(d.upvotes is None for d in drafts) and any(d.upvotes for d in drafts)
    assert all(not d.keywords or 3 <= len(d.keywords) <= 6 for d in drafts)


def test_github_links_are_clean_and_match_the_abstract(drafts: list[PaperDraft]) -> None:
    for d in drafts:
        for url in d.github:
            assert clean_github_url(url) == url
        assert set(extract_github_links(d.abstract)) <= set(d.github)
    assert sum(1 for d in drafts if extract_github_links(d.abstract)) > N // 10


def test_page_copy_layout() -> None:
    text = make_page_copy(50, seed=2)
    blocks = text.rstrip("\n").split("\n\n")
    assert tuple(blocks[: len(PAGE_HEADER)]) == PAGE_HEADER
    body = blocks[len(PAGE_HEADER) :]
    drafts = make_drafts(50, seed=2)
    assert body[0::2] == [d.title for d in drafts]
    assert body[1::2] == [d.abstract for d in drafts]
    assert "\n\n\n" not in text


def test_page_copy_parses_back() -> None:
    pagecopy = pytest.importorskip("store.importers.pagecopy")
    drafts = pagecopy.parse_page_copy(make_page_copy(300, seed=4), source="bench.txt", year=2025)
    expected = make_drafts(300, seed=4)
    assert [d.title for d in drafts] == [d.title for d in expected]
    assert [d.abstract for d in drafts] == [d.abstract for d in expected]
    assert {d.date for d in drafts} == {"2025-03-14"}
