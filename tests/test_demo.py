"""The bundled demo dataset: big enough to demo, varied enough to catch edge cases."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

import store.demo
from store.demo import DEMO_SOURCE, demo_drafts
from store.drafts import PaperDraft
from store.ids import clean_arxiv_id, normalise_title
from store.links import clean_github_url, extract_github_links, is_web_url


@pytest.fixture(scope="module")
def drafts() -> list[PaperDraft]:
    return demo_drafts()


def _non_ascii(text: str) -> bool:
    return any(ord(ch) > 127 for ch in text)


def test_size_and_days(drafts: list[PaperDraft]) -> None:
    assert len(drafts) >= 55
    days = {d.date for d in drafts}
    assert None not in days
    assert len(days) >= 5
    for day in days:
        assert dt.date.fromisoformat(day).year == 2026  # type: ignore[arg-type]


def test_every_draft_is_tagged_as_demo(drafts: list[PaperDraft]) -> None:
    assert {d.source for d in drafts} == {DEMO_SOURCE}


def test_tuple_fields_are_tuples(drafts: list[PaperDraft]) -> None:
    for d in drafts:
        for value in (d.authors, d.github, d.links, d.keywords):
            assert isinstance(value, tuple)
    # Frozen drafts with tuple fields are hashable; lists would make this raise.
    assert len({hash(d) for d in drafts}) == len(drafts)


def test_loading_twice_gives_equal_drafts(drafts: list[PaperDraft]) -> None:
    assert demo_drafts() == drafts


def test_edge_cases_are_present(drafts: list[PaperDraft]) -> None:
    titles = [d.title for d in drafts]
    assert any(_non_ascii(t) for t in titles)
    assert any("\u4e00" <= ch <= "\u9fff" for t in titles for ch in t), "a CJK title"
    assert any(ord(ch) >= 0x1F300 for t in titles for ch in t), "an emoji title"
    assert any(len(t) > 150 for t in titles), "a very long title"
    assert any("[" in t for t in titles) and any("{" in t for t in titles) and any("&" in t for t in titles)
    assert any(_non_ascii(a) for d in drafts for a in d.authors)
    assert sum(1 for d in drafts if d.withdrawn) == 1
    assert sum(1 for d in drafts if not d.authors) >= 2
    page_style = [d for d in drafts if d.arxiv_id is None]
    assert len(page_style) >= 2
    assert all(not d.authors and d.upvotes is None and not d.github for d in page_style)
    assert sum(1 for d in drafts if len(d.github) >= 2) >= 2
    assert any(d.links for d in drafts)
    assert any(d.upvotes is None for d in drafts) and any(d.upvotes is not None for d in drafts)


def test_authors_per_paper(drafts: list[PaperDraft]) -> None:
    for d in drafts:
        assert not d.authors or 2 <= len(d.authors) <= 8, d.title
        assert len(set(d.authors)) == len(d.authors), d.title


def test_arxiv_ids_are_valid_unique_and_match_the_month(drafts: list[PaperDraft]) -> None:
    ids = [d.arxiv_id for d in drafts if d.arxiv_id is not None]
    assert len(ids) == len(set(ids))
    for d in drafts:
        if d.arxiv_id is None:
            continue
        assert clean_arxiv_id(d.arxiv_id) == d.arxiv_id
        assert d.published is not None and d.date is not None
        assert d.published <= d.date
        assert d.arxiv_id[:4] == d.published[2:4] + d.published[5:7]


def test_github_links_are_clean_and_cover_the_abstract(drafts: list[PaperDraft]) -> None:
    with_code = [d for d in drafts if d.github]
    assert len(with_code) >= 15
    for d in with_code:
        for url in d.github:
            assert clean_github_url(url) == url
    # Links written in the abstract must also be in the draft's github field,
    # as an importer that extracts them would produce.
    for d in drafts:
        assert set(extract_github_links(d.abstract)) <= set(d.github), d.title
    assert sum(1 for d in drafts if extract_github_links(d.abstract)) >= 5


def test_other_links_are_web_urls(drafts: list[PaperDraft]) -> None:
    for d in drafts:
        for url in d.links:
            assert is_web_url(url)
            assert "github.com" not in url


def test_titles_unique_after_normalising(drafts: list[PaperDraft]) -> None:
    keys = [normalise_title(d.title) for d in drafts]
    assert len(keys) == len(set(keys))


def test_abstracts_are_substantial(drafts: list[PaperDraft]) -> None:
    for d in drafts:
        assert len(d.abstract.split()) >= 60, d.title
        assert "\n" not in d.abstract


def test_numbers_are_in_range(drafts: list[PaperDraft]) -> None:
    for d in drafts:
        assert d.upvotes is None or 0 <= d.upvotes <= 300
        assert d.comments is None or d.comments >= 0
        assert d.github_stars is None or (d.github_stars >= 0 and d.github)
        assert not d.keywords or 3 <= len(d.keywords) <= 6


def test_unknown_field_in_file_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    document = {"papers": [{"title": "A", "abstract": "b", "venue": "nowhere"}]}
    (tmp_path / "papers.json").write_text(json.dumps(document), encoding="utf-8")
    monkeypatch.setattr(store.demo.resources, "files", lambda _package: tmp_path)
    with pytest.raises(ValueError, match="venue"):
        demo_drafts()
