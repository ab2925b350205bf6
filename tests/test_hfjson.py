"""The Daily Papers API mapping: raw JSON in, drafts out, never a crash."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store.errors import InputError
from store.importers.hfjson import drafts_from_api, looks_like_api_response, parse_api_response
from tests.hf_server import HF_FIXTURES, load_hf_fixture, make_entry

SOURCE = "https://huggingface.co/api/daily_papers?date=2026-11-20"


def by_title(drafts):
    return {d.title: d for d in drafts}


def test_full_entry_maps_every_field() -> None:
    drafts = drafts_from_api(load_hf_fixture("day-2026-11-20.json"), source=SOURCE)
    first = drafts[0]
    assert first.title == "Sparse Lanterns: Routing Attention Through Learned Shadows"
    assert first.arxiv_id == "2611.01234"
    assert first.authors == ("Mira Okonkwo-Lind", "Tobias Vance", "Ren Hoshida")  # hidden one included, in order
    assert first.published == "2026-11-18"
    assert first.date == "2026-11-20"  # the Daily Papers day, not the arXiv day
    assert first.upvotes == 42
    assert first.comments == 3
    assert first.github == ("https://github.com/example-lab/sparse-lanterns",)  # repo and abstract link deduplicated
    assert first.github_stars == 128
    assert first.links == ("https://example-lab.github.io/lanterns", "https://huggingface.co/papers/2611.01234")
    assert first.keywords == ("sparse attention", "routing", "shadow maps")
    assert first.withdrawn is False
    assert first.abstract.startswith("We introduce Sparse Lanterns")
    assert first.source == SOURCE


def test_zero_upvotes_stay_zero_and_missing_comments_stay_unknown() -> None:
    quiet = by_title(drafts_from_api(load_hf_fixture("day-2026-11-20.json"), source=SOURCE))[
        "Quiet Gradients: Stable Training Without Warmup"
    ]
    assert quiet.upvotes == 0
    assert quiet.comments is None
    assert quiet.github == () and quiet.github_stars is None
    assert quiet.keywords == ()


def test_withdrawn_flag() -> None:
    drafts = by_title(drafts_from_api(load_hf_fixture("day-2026-11-20.json"), source=SOURCE))
    assert drafts["A Retracted Benchmark for Tabular Reasoning"].withdrawn is True
    assert drafts["Quiet Gradients: Stable Training Without Warmup"].withdrawn is False


def test_control_characters_are_kept_as_they_are() -> None:
    """Stored raw; making them inert is the reader's job, and it needs them intact to do it."""
    drafts = drafts_from_api(load_hf_fixture("day-2026-11-20.json"), source=SOURCE)
    tricky = drafts[3]
    assert "\x1b]8;;https://evil.invalid/\x07" in tricky.title
    assert "\x1b[2J" in tricky.abstract
    assert tricky.authors == ("Eve \x1b[31mRed\x1b[0m",)


def test_requested_day_wins_over_entry_timestamp() -> None:
    entry = make_entry("2611.00001", "A Paper", day="2026-11-19")
    assert drafts_from_api([entry], source=SOURCE)[0].date == "2026-11-19"
    assert drafts_from_api([entry], source=SOURCE, day="2026-11-20")[0].date == "2026-11-20"


def test_missing_renamed_and_wrong_typed_fields_never_crash() -> None:
    drafts = by_title(drafts_from_api(load_hf_fixture("odd-fields.json"), source="odd.json"))
    # entries that are not objects, and entries without a usable title, are skipped
    assert set(drafts) == {
        "Outer Title Used When Paper Title Is Unusable",
        "Wrong Types Everywhere",
        "Odd Authors and Floats",
        "Renamed Fields",
        "Bare Paper Object Without Wrapper",
    }
    wrong = drafts["Wrong Types Everywhere"]
    assert wrong.arxiv_id == "2611.07003"  # version dropped
    assert wrong.abstract == "" and wrong.authors == ()
    assert wrong.published is None and wrong.date is None
    assert wrong.upvotes is None and wrong.comments is None and wrong.github_stars is None
    assert wrong.github == () and wrong.keywords == ()
    assert wrong.links == ("https://huggingface.co/papers/2611.07003v2",)  # no javascript: project page
    assert wrong.withdrawn is False

    odd = drafts["Odd Authors and Floats"]
    assert odd.arxiv_id is None
    assert odd.authors == ("Kept One", "Plain String Author", "Hidden Two")
    assert odd.published == "2026-11-15"
    assert odd.upvotes == 3 and odd.comments == 2 and odd.github_stars is None  # 2.5 stars is not a count
    assert odd.github == ("https://github.com/first/repo", "https://github.com/second/repo")
    assert odd.keywords == ("kept", "also kept")
    assert odd.withdrawn is True

    renamed = drafts["Renamed Fields"]
    assert renamed.abstract == "" and renamed.upvotes is None and renamed.github == ()

    bare = drafts["Bare Paper Object Without Wrapper"]
    assert bare.arxiv_id == "2611.07006" and bare.authors == ("Flat Author",) and bare.upvotes == 4


def test_not_a_papers_list_is_refused() -> None:
    text = (HF_FIXTURES / "not-a-list.json").read_text()
    with pytest.raises(InputError) as info:
        parse_api_response(text, source="saved.json")
    assert str(info.value) == "saved.json: not a Daily Papers API response"
    for data in ({"paper": {"title": "x"}}, [1, 2, 3], [{"foo": "bar"}], "text", 3, None):
        with pytest.raises(InputError):
            drafts_from_api(data, source="x")


def test_malformed_json_names_the_reason() -> None:
    text = (HF_FIXTURES / "malformed.json").read_text()
    with pytest.raises(InputError) as info:
        parse_api_response(text, source="cut.json")
    message = str(info.value)
    assert message.startswith("cut.json: malformed JSON: ")
    assert "line 1" in message and "\n" not in message


def test_deep_nesting_is_refused_not_a_recursion_crash() -> None:
    with pytest.raises(InputError, match="malformed JSON"):
        parse_api_response("[" * 100_000 + "]" * 100_000, source="deep.json")


def test_lone_surrogates_are_replaced_not_refused() -> None:
    text = '[{"paper": {"id": "2611.00002", "title": "Broken \\ud800 Surrogate"}}]'
    (draft,) = parse_api_response(text, source="s.json")
    draft.title.encode("utf-8")  # storable
    assert draft.title.startswith("Broken ") and draft.title.endswith(" Surrogate")


def test_empty_list_is_a_day_without_papers() -> None:
    assert parse_api_response("[]", source="empty.json") == []
    assert looks_like_api_response([])


def test_bytes_are_accepted() -> None:
    data = (HF_FIXTURES / "day-2026-11-21.json").read_bytes()
    drafts = parse_api_response(data, source="b.json")
    assert [d.arxiv_id for d in drafts] == ["2611.05791", "2611.06802"]
    assert drafts[0].github == ("https://github.com/tiny-tutors/tt",)  # http, www. and .git cleaned


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from(["paper", "id", "title", "summary", "authors", "name", "upvotes", "publishedAt",
                         "githubRepo", "githubStars", "projectPage", "ai_keywords", "withdrawnAt", "numComments", "x"]),
        children, max_size=6),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_json, max_size=5))
def test_any_json_list_gives_drafts_or_input_error(data: list[object]) -> None:
    """Whatever the shape, the result is drafts with sane types, or a clean refusal."""
    try:
        drafts = parse_api_response(json.dumps(data), source="fuzz.json")
    except InputError as exc:
        assert str(exc) == "fuzz.json: not a Daily Papers API response"
        return
    for draft in drafts:
        assert draft.title.strip()
        assert all(isinstance(a, str) and a for a in draft.authors)
        assert draft.upvotes is None or (isinstance(draft.upvotes, int) and draft.upvotes >= 0)
        assert isinstance(draft.withdrawn, bool)
