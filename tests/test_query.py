"""The query language: every form, combinations, decisions, malformed input."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store.errors import StoreError
from store.query import Filter, Query, QueryError, parse_query


def only_term(text: str):
    query = parse_query(text)
    assert len(query.terms) == 1 and not query.filters, query
    return query.terms[0]


def only_filter(text: str) -> Filter:
    query = parse_query(text)
    assert len(query.filters) == 1 and not query.terms, query
    return query.filters[0]


# ---------------------------------------------------------------- free text


@pytest.mark.parametrize("text", ["", "   ", "\t\n", " - ", "& — :)"])
def test_blank_or_noise_is_empty(text: str) -> None:
    query = parse_query(text)
    assert query.is_empty
    assert not query.has_text
    assert query.highlight_terms == ()


def test_words_are_normalised_and_all_required() -> None:
    query = parse_query("Müller  TRANSFORMER")
    assert [t.tokens for t in query.terms] == [("muller",), ("transformer",)]
    assert query.has_text and not query.is_empty
    assert query.include == query.terms and query.exclude == ()


def test_only_the_word_being_typed_is_a_prefix() -> None:
    typing = parse_query("graph neur")
    assert [t.prefix for t in typing.terms] == [False, True]
    done = parse_query("graph neur ")
    assert [t.prefix for t in done.terms] == [False, False]


def test_a_filter_at_the_end_ends_the_prefix() -> None:
    query = parse_query("diffusion is:new")
    assert not query.terms[0].prefix


def test_fuzzy_only_for_single_unquoted_positive_words() -> None:
    assert only_term("transfomer").fuzzy
    assert not only_term('"transformer"').fuzzy
    assert not only_term("-transformer").fuzzy
    assert not only_term("gpt-4").fuzzy


def test_quoted_phrase() -> None:
    term = only_term('"Large  Language Models"')
    assert term.quoted and term.tokens == ("large", "language", "models")
    assert not term.prefix, "a closed quote means the phrase is finished"
    assert term.is_phrase
    assert parse_query('"large language models"').highlight_terms == ("large language models",)


def test_curly_quotes_from_pasted_text() -> None:
    term = only_term("\u201cdiffusion models\u201d")
    assert term.quoted and term.tokens == ("diffusion", "models")


def test_quote_glued_to_next_term() -> None:
    query = parse_query('"a b"title:c')
    assert [(t.tokens, t.field) for t in query.terms] == [(("a", "b"), None), (("c",), "title")]


def test_exclusions() -> None:
    query = parse_query('diffusion -gan -"image editing"')
    assert [t.negated for t in query.terms] == [False, True, True]
    assert query.exclude[1].tokens == ("image", "editing") and query.exclude[1].quoted
    assert not query.exclude[0].prefix, "excluded words match exactly, even while typed"
    assert query.highlight_terms == ("diffusion",)


def test_only_exclusions_has_no_text() -> None:
    query = parse_query("-gan")
    assert not query.has_text and not query.is_empty


def test_lone_dash_is_ignored_as_in_pasted_titles() -> None:
    query = parse_query("Mamba - Linear-Time Sequence Modeling")
    assert [t.tokens for t in query.terms] == [("mamba",), ("linear", "time"), ("sequence",), ("modeling",)]
    assert not any(t.negated for t in query.terms)


def test_hyphenated_word_is_a_phrase_with_its_joined_form() -> None:
    term = only_term("pre-training")
    assert term.tokens == ("pre", "training") and term.joined == "pretraining"
    assert term.is_phrase and term.prefix
    assert only_term("foo:bar").joined is None, "only hyphens join"
    assert only_term('"fine-tuning"').joined is None, "quotes mean exact"


def test_unknown_field_is_plain_text() -> None:
    assert only_term("foo:bar").tokens == ("foo", "bar")
    assert only_term("Mamba:").tokens == ("mamba",)
    assert only_term("arxiv:2403.12345").tokens == ("arxiv", "2403", "12345")


# ------------------------------------------------------------------ fields


def test_title_and_author_fields() -> None:
    query = parse_query('title:diffusion author:"Jane Doe" -author:smith AUTHOR:Müller')
    fields = [(t.field, t.tokens, t.quoted, t.negated) for t in query.terms]
    assert fields == [
        ("title", ("diffusion",), False, False),
        ("author", ("jane", "doe"), True, False),
        ("author", ("smith",), False, True),
        ("author", ("muller",), False, False),
    ]
    assert query.terms[-1].prefix


def test_title_phrase() -> None:
    term = only_term('title:"graph neural"')
    assert term.field == "title" and term.tokens == ("graph", "neural") and term.quoted


@pytest.mark.parametrize("status", ["new", "read", "starred", "skipped"])
def test_is_statuses(status: str) -> None:
    assert only_filter(f"is:{status}") == Filter("is", status, position=0)
    assert only_filter(f"IS:{status.upper()}").value == status
    assert only_filter(f"-is:{status}").negated


@pytest.mark.parametrize("name", ["to-read", "cvpr_2024", "v1.2", "Ünïcode", "x"])
def test_in_queue_names(name: str) -> None:
    f = only_filter(f"in:{name}")
    assert (f.kind, f.value, f.negated) == ("in", name, False)
    assert only_filter(f"-in:{name}").negated


def test_has_code() -> None:
    assert only_filter("has:code") == Filter("has", "code")
    assert only_filter("-has:code").negated
    assert only_filter("HAS:Code").value == "code"


@pytest.mark.parametrize(
    ("text", "op", "value"),
    [
        ("date:2024-03-14", "=", "2024-03-14"),
        ("date:=2024-03-14", "=", "2024-03-14"),
        ("date:>=2024-03-01", ">=", "2024-03-01"),
        ("date:<2024-04-01", "<", "2024-04-01"),
        ("date:>2024-03", ">", "2024-03"),
        ("date:<=2024", "<=", "2024"),
        ("date:2024-03", "=", "2024-03"),
        ("date:2024", "=", "2024"),
        ("date:2024-02-29", "=", "2024-02-29"),
    ],
)
def test_date_forms(text: str, op: str, value: str) -> None:
    f = only_filter(text)
    assert (f.kind, f.op, f.value) == ("date", op, value)


@pytest.mark.parametrize(
    ("text", "inside", "outside"),
    [
        ("date:2024-03-14", ["2024-03-14"], ["2024-03-13", "2024-03-15", None]),
        ("date:2024-03", ["2024-03-01", "2024-03-31"], ["2024-02-29", "2024-04-01", ""]),
        ("date:2024", ["2024-01-01", "2024-12-31"], ["2023-12-31", "2025-01-01"]),
        ("date:>=2024-03-01", ["2024-03-01", "2025-01-01"], ["2024-02-29"]),
        ("date:<2024-04-01", ["2024-03-31", "2020-01-01"], ["2024-04-01"]),
        ("date:>2024-03", ["2024-04-01"], ["2024-03-31", "2024-03-01"]),
        ("date:<=2024-03", ["2024-03-31", "2023-01-01"], ["2024-04-01"]),
    ],
)
def test_date_semantics_at_the_filter_granularity(text: str, inside: list, outside: list) -> None:
    f = only_filter(text)
    assert all(f.accepts_date(d) for d in inside)
    assert not any(f.accepts_date(d) for d in outside)


def test_everything_combined() -> None:
    query = parse_query(
        'transfomer "large language" -gan title:sparse author:müller is:starred -is:read in:to-read '
        "-in:done has:code date:>=2024-03-01 date:<2024-04 graph neu"
    )
    assert [t.tokens for t in query.include] == [
        ("transfomer",),
        ("large", "language"),
        ("sparse",),
        ("muller",),
        ("graph",),
        ("neu",),
    ]
    assert [t.tokens for t in query.exclude] == [("gan",)]
    assert [(f.kind, f.value, f.negated) for f in query.filters] == [
        ("is", "starred", False),
        ("is", "read", True),
        ("in", "to-read", False),
        ("in", "done", True),
        ("has", "code", False),
        ("date", "2024-03-01", False),
        ("date", "2024-04", False),
    ]
    assert [t.prefix for t in query.include] == [False, False, False, False, False, True]
    assert query.highlight_terms == ("transfomer", "large language", "sparse", "muller", "graph", "neu")


def test_query_is_frozen_and_hashable() -> None:
    query = parse_query("a b is:new")
    assert hash(query) == hash(parse_query("a b is:new"))
    with pytest.raises(AttributeError):
        query.text = "x"  # type: ignore[misc]


# --------------------------------------------------------------- malformed


@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        ('"unclosed phrase', "unclosed quote", 0),
        ('diffusion -"open', "unclosed quote", 11),
        ('title:"open', "unclosed quote", 6),
        ('""', "empty phrase", 0),
        ('x "  ,  "', "empty phrase", 2),
        ("is:nope", "unknown status 'nope'", 3),
        ("is:", "is: needs", 0),
        ("has:pdf", "use has:code or has:note", 4),
        ("in:bad/name", "bad queue name 'bad/name'", 3),
        ('in:"two words"', "bad queue name", 3),
        ("in:", "in: needs a queue name", 0),
        ("date:yesterday", "bad date 'yesterday'", 5),
        ("date:2024-13", "bad date", 5),
        ("date:2024-02-30", "bad date", 5),
        ("date:2023-02-29", "bad date", 5),
        ("date:24-03-01", "bad date", 5),
        ("date:>=", "bad date", 5),
        ("date:\u0662\u0660\u0662\u0664", "bad date", 5),
        ("date:", "date: needs", 0),
        ("ok title:", "title: needs a word", 3),
        ("title:!!", "title: needs a word", 0),
        ('title:""', "empty phrase", 6),
        ("-author:", "author: needs a name", 0),
    ],
)
def test_malformed_queries(text: str, message: str, position: int) -> None:
    with pytest.raises(QueryError) as info:
        parse_query(text)
    assert message in info.value.message
    assert info.value.position == position
    assert str(info.value) == f"{info.value.message} (at column {position + 1})"


def test_query_error_is_a_store_error() -> None:
    with pytest.raises(StoreError):
        parse_query("is:maybe")


# --------------------------------------------------------------- robustness

_SYNTAX = st.sampled_from(
    ['"', "\u201c", "\u201d", "-", ":", " ", "title:", "author:", "is:", "in:", "has:", "date:", "date:>=",
     "new", "code", "2024", "-03", "-14", "x", "é", "\t", "_", ".", "<", ">", "="]
)


def _check(text: str) -> None:
    try:
        query = parse_query(text)
    except QueryError as error:
        assert error.message and 0 <= error.position <= len(text)
        return
    assert isinstance(query, Query)
    for term in query.terms:
        assert term.tokens and all(term.tokens)


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_parse_never_raises_anything_but_query_error(text: str) -> None:
    _check(text)


@settings(max_examples=400, deadline=None)
@given(st.lists(_SYNTAX, max_size=14).map("".join))
def test_parse_syntax_soup(text: str) -> None:
    _check(text)


def test_parse_is_fast_on_long_input() -> None:
    text = " ".join(['title:"graph neural" -gan is:new date:>=2024-03 transfomer author:müller'] * 2000)
    start = time.perf_counter()
    query = parse_query(text)
    elapsed = time.perf_counter() - start
    assert len(query.terms) == 8000
    assert elapsed < 1.0, f"parsing 150 KB took {elapsed:.2f}s"
