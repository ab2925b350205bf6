"""The search index: matching, ranking, filters, scope, cache round trip, highlighting."""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store.model import Status
from store.query import QueryError
from store.search import IndexFormatError, SearchDoc, SearchIndex, highlight_spans, parse_query
from store.tokens import normalize, tokenize
from tests.benchmarks.synth import make_docs

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"


def doc(
    pid: str,
    title: str = "",
    authors: str = "",
    abstract: str = "",
    date: str | None = "2024-01-01",
    code: bool = False,
    keywords: str = "",
) -> SearchDoc:
    return SearchDoc(
        id=pid, title=title, authors=authors, abstract=abstract, date=date, has_code=code, keywords=keywords
    )


def run(
    index: SearchIndex,
    text: str,
    *,
    status: dict[str, object] | None = None,
    queues: dict[str, frozenset[str]] | None = None,
    scope: Sequence[str] | None = None,
) -> list[str]:
    status = status or {}
    queues = queues or {}
    return index.search(
        parse_query(text),
        status_of=lambda pid: status.get(pid, "new"),  # type: ignore[return-value, arg-type]
        queues_of=lambda pid: queues.get(pid, frozenset()),
        scope=scope,
    )


def build(*docs: SearchDoc) -> SearchIndex:
    return SearchIndex.build(docs)


# ------------------------------------------------------------------ matching


def test_every_word_must_match_across_fields() -> None:
    index = build(
        doc("a", title="Sparse attention", abstract="for long documents"),
        doc("b", title="Sparse retrieval", authors="Ana Silva"),
        doc("c", title="Dense attention", keywords="efficiency, long"),
    )
    assert run(index, "sparse long ") == ["a"]
    assert set(run(index, "attention ")) == {"a", "c"}
    assert run(index, "sparse silva ") == ["b"]
    assert run(index, "long efficiency ") == ["c"], "keywords are searched"
    assert run(index, "sparse nothinglikethis ") == []


def test_case_and_accents_fold() -> None:
    index = build(doc("a", authors="Jürgen Müller, Łukasz Żółć, Søren Æbelø"), doc("b", authors="John Smith"))
    for text in ("muller", "MÜLLER", "jurgen", "lukasz", "zolc", "soren", "aebelo"):
        assert run(index, text + " ") == ["a"], text


def test_typos_match_words_of_four_letters_or_more() -> None:
    index = build(
        doc("t", abstract="a transformer backbone"),
        doc("g", abstract="a graph of papers"),
        doc("c", abstract="we mind the gap in this mode"),
    )
    assert run(index, "transfomer ") == ["t"], "one deletion"
    assert run(index, "trasnformer ") == ["t"], "one transposition"
    assert run(index, "transformmer ") == ["t"]
    assert run(index, "tarnsfromer ") == ["t"], "two edits allowed from 8 letters"
    assert run(index, "grpah ") == ["g"]
    assert run(index, "gan ") == [], "no typo for a 3-letter word ('gap')"
    assert run(index, "modr ") == ["c"], "one typo from 4 letters"
    assert run(index, "graps ") == ["g"]


def test_typos_need_the_same_first_letter_and_no_digits() -> None:
    index = build(doc("t", abstract="transformer gpt4 2024"), doc("u", abstract="other"))
    assert run(index, "rransformer ") == []
    assert run(index, "gpt5 ") == []
    assert run(index, "2025 ") == []


def test_the_word_being_typed_matches_as_a_prefix() -> None:
    index = build(doc("t", title="Transformers everywhere"), doc("d", title="Diffusion"))
    assert run(index, "transf") == ["t"]
    assert run(index, "transf ") == [], "a finished word is not a prefix"
    assert run(index, "transf diffusion") == []
    assert run(index, "t") == ["t"], "even one letter, so the list narrows as you type"


def test_quoted_phrase_needs_adjacent_words_in_one_field() -> None:
    index = build(
        doc("ok", abstract="We train Large, language models."),
        doc("reversed", abstract="language large models"),
        doc("apart", abstract="large and language"),
        doc("split", title="large", abstract="language"),
        doc("title", title="Large Language Models"),
    )
    assert set(run(index, '"large language"')) == {"ok", "title"}
    assert run(index, '"large language"')[0] == "title"
    assert run(index, '"language large models"') == ["reversed"]


def test_quoted_single_word_is_exact() -> None:
    index = build(doc("a", abstract="transformer"), doc("b", abstract="transformers"), doc("c", abstract="transfomer"))
    assert run(index, '"transformer"') == ["a"]


def test_hyphenated_compounds_match_both_spellings() -> None:
    index = build(
        doc("hy", abstract="large-scale pre-training"),
        doc("joined", abstract="pretraining at scale"),
        doc("spaced", abstract="pre training"),
        doc("other", abstract="training before"),
    )
    assert set(run(index, "pretraining ")) == {"hy", "joined"}
    assert set(run(index, "pre-training ")) == {"hy", "joined", "spaced"}
    assert set(run(index, "pretrain")) == {"hy", "joined"}, "prefix of the joined form"
    assert set(run(index, "largescale ")) == {"hy"}


def test_unknown_field_is_searched_as_text() -> None:
    index = build(doc("m", title="Mamba: Linear-Time Sequence Modeling"), doc("x", title="Other"))
    assert run(index, "Mamba: Linear-Time Sequence Modeling") == ["m"]
    assert run(index, "mamba:linear") == ["m"]


def test_title_and_author_fields_restrict() -> None:
    index = build(
        doc("t", title="Graph transformers", authors="Ana Silva"),
        doc("a", title="Other", authors="Tom Graph"),
        doc("b", title="Else", abstract="graph"),
    )
    assert run(index, "title:graph ") == ["t"]
    assert run(index, "author:graph ") == ["a"]
    assert run(index, 'author:"ana silva"') == ["t"]
    assert run(index, 'title:"graph transformers"') == ["t"]
    assert run(index, 'author:"silva ana"') == []


def test_exclusions_are_exact() -> None:
    index = build(
        doc("a", title="Diffusion for images"),
        doc("b", title="Diffusion with GANs", abstract="a gan baseline"),
        doc("c", title="Diffusion transformers", abstract="image editing"),
    )
    assert set(run(index, "diffusion -gan")) == {"a", "c"}
    assert set(run(index, 'diffusion -"image editing"')) == {"a", "b"}
    assert set(run(index, "diffusion -transform")) == {"a", "b", "c"}, "no prefix for exclusions"
    assert set(run(index, "diffusion -imag")) == {"a", "b", "c"}, "no typo for exclusions"
    assert set(run(index, "-gan")) == {"a", "c"}
    assert run(index, "-title:diffusion") == []
    assert set(run(index, "-author:diffusion")) == {"a", "b", "c"}


# ------------------------------------------------------------------- ranking


def test_title_beats_authors_beats_abstract_whatever_the_date() -> None:
    index = build(
        doc("abstract", abstract="a transformer", date="2025-01-01"),
        doc("keywords", keywords="transformer", date="2024-12-01"),
        doc("author", authors="Tom Transformer", date="2024-06-01"),
        doc("title", title="Transformer", date="2020-01-01"),
    )
    assert run(index, "transformer ") == ["title", "author", "keywords", "abstract"]


def test_exact_beats_prefix_beats_typo() -> None:
    index = build(
        doc("typo", abstract="grpah", date="2025-01-01"),
        doc("prefix", abstract="graphormer", date="2024-06-01"),
        doc("exact", abstract="graph", date="2020-01-01"),
    )
    assert run(index, "graph") == ["exact", "prefix", "typo"]


def test_a_typo_in_the_title_beats_an_exact_author_hit() -> None:
    index = build(doc("author", authors="Transformer Jones"), doc("title", title="Transfomer"))
    assert run(index, "transformer ") == ["title", "author"]


def test_scores_add_up_over_terms() -> None:
    index = build(
        doc("one", title="graph", abstract="neural", date="2025-01-01"),
        doc("two", title="graph neural", date="2020-01-01"),
    )
    assert run(index, "graph neural ") == ["two", "one"]


def test_ties_go_to_the_newest() -> None:
    index = build(
        doc("old", title="graph", date="2022-01-01"),
        doc("new", title="graph", date="2024-01-01"),
        doc("none", title="graph", date=None),
        doc("mid", title="graph", date="2023-01-01"),
    )
    assert run(index, "graph ") == ["new", "mid", "old", "none"]


def test_without_text_newest_first_then_title() -> None:
    index = build(
        doc("b", title="Beta", date="2024-01-01"),
        doc("a", title="alpha", date="2024-01-01"),
        doc("n", title="Aaa", date=None),
        doc("z", title="Zeta", date="2024-05-01"),
    )
    assert run(index, "") == ["z", "a", "b", "n"]
    assert run(index, "is:new") == ["z", "a", "b", "n"]
    assert index.ids == ["z", "a", "b", "n"]


# ------------------------------------------------------------------- filters


def test_status_filters_accept_strings_and_status_enums() -> None:
    index = build(doc("a"), doc("b"), doc("c"), doc("d"))
    status: dict[str, object] = {"a": "starred", "b": Status.STARRED, "c": Status.READ, "d": "new"}
    assert set(run(index, "is:starred", status=status)) == {"a", "b"}
    assert set(run(index, "-is:starred", status=status)) == {"c", "d"}
    assert set(run(index, "-is:starred -is:new", status=status)) == {"c"}
    assert run(index, "is:starred is:read", status=status) == []
    assert run(index, "is:skipped", status=status) == []


def test_queue_filters() -> None:
    index = build(doc("a"), doc("b"), doc("c"))
    queues = {"a": frozenset({"to-read", "cvpr.2024"}), "b": frozenset({"To-Read"}), "c": frozenset()}
    assert set(run(index, "in:to-read", queues=queues)) == {"a", "b"}, "queue names ignore case"
    assert run(index, "in:cvpr.2024", queues=queues) == ["a"]
    assert run(index, "-in:to-read", queues=queues) == ["c"]
    assert run(index, "in:to-read in:cvpr.2024", queues=queues) == ["a"]
    assert run(index, "in:nowhere", queues=queues) == []


def test_callbacks_are_not_called_without_state_filters() -> None:
    index = build(doc("a", title="x"))

    def boom(pid: str) -> str:
        raise AssertionError("called")

    assert index.search(parse_query("x date:2024"), status_of=boom, queues_of=boom) == ["a"]  # type: ignore[arg-type]


def test_has_code() -> None:
    index = build(doc("a", code=True), doc("b"), doc("c", code=True, date="2023-01-01"))
    assert run(index, "has:code") == ["a", "c"]
    assert run(index, "-has:code") == ["b"]
    assert run(index, "has:code -has:code") == []


DATED = [
    doc("d0314", date="2024-03-14"),
    doc("d0301", date="2024-03-01"),
    doc("d0331", date="2024-03-31"),
    doc("d0229", date="2024-02-29"),
    doc("d0401", date="2024-04-01"),
    doc("d2023", date="2023-06-30"),
    doc("none", date=None),
    doc("empty", date=""),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("date:2024-03-14", {"d0314"}),
        ("date:2024-03", {"d0314", "d0301", "d0331"}),
        ("date:2024", {"d0314", "d0301", "d0331", "d0229", "d0401"}),
        ("date:>=2024-03-01", {"d0314", "d0301", "d0331", "d0401"}),
        ("date:<2024-04-01", {"d0314", "d0301", "d0331", "d0229", "d2023"}),
        ("date:>2024-03", {"d0401"}),
        ("date:<=2024-02", {"d0229", "d2023"}),
        ("date:>=2024-03-01 date:<2024-04-01", {"d0314", "d0301", "d0331"}),
        ("date:>2024-04 date:<2024", set()),
        ("-date:2024", {"d2023", "none", "empty"}),
        ("date:2024 -date:2024-03", {"d0229", "d0401"}),
        ("date:2019", set()),
    ],
)
def test_date_filters(text: str, expected: set[str]) -> None:
    index = SearchIndex.build(DATED)
    assert set(run(index, text)) == expected


def test_date_filters_agree_with_the_filter_definition() -> None:
    """Binary search over the date order gives what `Filter.accepts_date` says, for many bounds."""
    rng = random.Random(5)
    days = [f"202{rng.randint(2, 5)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" for _ in range(300)]
    docs = [doc(str(i), date=d) for i, d in enumerate(days)]
    index = SearchIndex.build(docs)
    for _ in range(150):
        op = rng.choice(["", ">=", ">", "<=", "<"])
        value = rng.choice(days)[: rng.choice([4, 7, 10])]
        query = parse_query(f"date:{op}{value}")
        f = query.filters[0]
        assert set(run(index, f"date:{op}{value}")) == {d.id for d in docs if f.accepts_date(d.date)}


def test_combined_query() -> None:
    index = build(
        doc("hit", title="Sparse transformers", abstract="long context", date="2024-03-10", code=True),
        doc("read", title="Sparse transformers", abstract="long context", date="2024-03-11", code=True),
        doc("gan", title="Sparse transformers", abstract="long context gan", date="2024-03-12", code=True),
        doc("late", title="Sparse transformers", abstract="long context", date="2024-05-01", code=True),
        doc("nocode", title="Sparse transformers", abstract="long context", date="2024-03-13"),
    )
    status = {"read": "read"}
    queues = {pid: frozenset({"to-read"}) for pid in ("hit", "read", "gan", "late", "nocode")}
    text = "transfomer long -gan -is:read in:to-read has:code date:2024-03 spar"
    assert run(index, text, status=status, queues=queues) == ["hit"]


# --------------------------------------------------------------------- scope


def test_scope_without_text_keeps_the_callers_order() -> None:
    index = build(doc("a", date="2024-01-01"), doc("b", date="2024-02-01"), doc("c", date="2024-03-01", code=True))
    assert run(index, "", scope=["a", "c", "b"]) == ["a", "c", "b"]
    assert run(index, "", scope=["b", "ghost", "a", "b"]) == ["b", "a"], "unknown ids and repeats dropped"
    assert run(index, "has:code", scope=["a", "c"]) == ["c"]
    assert run(index, "date:>=2024-02", scope=["c", "a", "b"]) == ["c", "b"]
    assert run(index, "", scope=[]) == []


def test_scope_with_text_ranks_within_the_scope() -> None:
    index = build(
        doc("t", title="graph", date="2020-01-01"),
        doc("x", abstract="graph", date="2025-01-01"),
        doc("out", title="graph", date="2024-01-01"),
    )
    assert run(index, "graph ", scope=["x", "t"]) == ["t", "x"]
    assert run(index, "graph ", scope=["out", "ghost", "x", "t", "x"]) == ["out", "t", "x"]
    assert run(index, "graph date:2020", scope=["x", "t"]) == ["t"]


# ------------------------------------------------------------ index life cycle


def test_empty_index() -> None:
    index = SearchIndex.build([])
    assert len(index) == 0
    assert run(index, "anything is:new date:2024") == []
    again = SearchIndex.from_bytes(index.to_bytes())
    assert run(again, "") == []


def test_later_duplicate_id_wins() -> None:
    index = build(doc("a", title="old title"), doc("a", title="new title"))
    assert len(index) == 1
    assert run(index, "new ") == ["a"]
    assert run(index, "old ") == []


QUERIES = [
    "",
    "transfomer",
    "graph neur",
    '"large language"',
    "-gan diffusion",
    "title:sparse",
    "author:muller",
    "is:new has:code",
    "date:>=2024-03 mod",
    "pre-training",
    "t",
]


def test_round_trip_gives_identical_results() -> None:
    docs = make_docs(400, seed=3)
    built = SearchIndex.build(docs)
    loaded = SearchIndex.from_bytes(built.to_bytes())
    assert len(loaded) == len(built) == 400
    assert loaded.ids == built.ids
    for text in QUERIES:
        assert run(loaded, text) == run(built, text), text
    assert loaded.to_bytes() == built.to_bytes()


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"garbage",
        b"PTSRCH1\n" + (10**6).to_bytes(8, "little") + bytes(8) + b"{}",
        b"PTSRCH1\n\x02\0\0\0\0\0\0\0" + bytes(8) + b"{}",
        b"PTSRCH1\n\x08\0\0\0\0\0\0\0" + bytes(8) + b"[1]     ",
    ],
)
def test_from_bytes_rejects_damage(data: bytes) -> None:
    with pytest.raises(IndexFormatError):
        SearchIndex.from_bytes(data)


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_from_bytes_raises_only_index_format_error(data: st.DataObject) -> None:
    valid = _SMALL_BYTES
    cut = data.draw(st.integers(0, len(valid)))
    flip = data.draw(st.integers(0, len(valid) - 1))
    value = data.draw(st.integers(0, 255))
    damaged = [valid[:cut], valid[:flip] + bytes([value]) + valid[flip + 1 :], data.draw(st.binary(max_size=64))]
    for blob in damaged:
        try:
            index = SearchIndex.from_bytes(blob)
        except IndexFormatError:
            continue
        run(index, "transfomer graph")  # a header edit that still parses must not break search


_SMALL_BYTES = SearchIndex.build([doc("a", title="graph transformer"), doc("b", abstract="pre-training")]).to_bytes()


def test_from_bytes_accepts_any_bytes_like() -> None:
    index = SearchIndex.from_bytes(bytearray(_SMALL_BYTES))
    assert run(index, "graph ") == ["a"]


def test_from_bytes_rejects_other_versions_and_truncation() -> None:
    data = SearchIndex.build(make_docs(20)).to_bytes()
    with pytest.raises(IndexFormatError, match="version"):
        SearchIndex.from_bytes(data.replace(b'"version":2', b'"version":9', 1))
    with pytest.raises(IndexFormatError):
        SearchIndex.from_bytes(data[: len(data) // 2])


def test_warm_changes_nothing_but_timing() -> None:
    data = SearchIndex.build(make_docs(200, seed=6)).to_bytes()
    cold, warmed = SearchIndex.from_bytes(data), SearchIndex.from_bytes(data)
    warmed.warm()
    for text in QUERIES:
        assert run(cold, text) == run(warmed, text), text


def test_term_cache_does_not_change_results() -> None:
    index = SearchIndex.build(make_docs(200, seed=1))
    first = [run(index, text) for text in QUERIES]
    second = [run(index, text) for text in QUERIES]
    index.clear_cache()
    third = [run(index, text) for text in QUERIES]
    assert first == second == third


# ---------------------------------------------------------- brute-force oracle


def _tokens_of(d: SearchDoc) -> set[str]:
    return set(tokenize(f"{d.title} \n {d.authors} \n {d.keywords} \n {d.abstract}"))


def test_exact_words_agree_with_a_linear_scan() -> None:
    docs = make_docs(300, seed=7)
    index = SearchIndex.build(docs)
    tokens = {d.id: _tokens_of(d) for d in docs}
    rng = random.Random(11)
    vocabulary = sorted(set().union(*tokens.values()))
    for _ in range(120):
        include = rng.sample(vocabulary, rng.randint(1, 2))
        exclude = rng.sample(vocabulary, rng.randint(0, 1))
        text = " ".join([f'"{w}"' for w in include] + [f"-{w}" for w in exclude])
        expected = {
            d.id for d in docs if all(w in tokens[d.id] for w in include) and not any(w in tokens[d.id] for w in exclude)
        }
        assert set(run(index, text)) == expected, text


def test_prefixes_agree_with_a_linear_scan() -> None:
    """One-letter prefixes use their own postings; longer ones a vocabulary range. Both must agree."""
    docs = make_docs(300, seed=8)
    index = SearchIndex.build(docs)
    tokens = {d.id: _tokens_of(d) | set(_joined_of(d)) for d in docs}
    for prefix in ["m", "q", "z", "4", "ma", "tra", "reinf", "xylophone"]:
        expected = {pid for pid, words in tokens.items() if any(w.startswith(prefix) for w in words)}
        assert set(run(index, prefix)) == expected, prefix
        assert set(run(index, f"title:{prefix}")) == {
            d.id for d in docs if any(w.startswith(prefix) for w in tokenize(d.title) + _joined_of(d, "title"))
        }


def _joined_of(d: SearchDoc, field: str | None = None) -> list[str]:
    texts = [getattr(d, field)] if field else [d.title, d.authors, d.keywords, d.abstract]
    return [m.replace("-", "") for text in texts for m in re.findall(r"[^\W_]+(?:-[^\W_]+)+", normalize(text))]


def test_each_title_finds_its_paper_first() -> None:
    docs = make_docs(300, seed=2)
    index = SearchIndex.build(docs)
    for d in docs[:60]:
        phrase = " ".join(tokenize(d.title))
        found = run(index, f'title:"{phrase}"')
        assert d.id in found
        assert all(" ".join(tokenize(index_doc.title)).find(phrase) >= 0 for index_doc in docs if index_doc.id in found)


def test_real_abstracts_from_seeds() -> None:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds not present")
    paragraphs = [
        p.strip()
        for path in sorted(SEEDS.glob("*.txt"))
        for p in path.read_text(encoding="utf-8").split("\n\n")
        if len(p.strip()) > 300
    ]
    if not paragraphs:
        pytest.skip("../shared/seeds holds no abstracts")
    docs = [doc(str(i), abstract=p) for i, p in enumerate(paragraphs)]
    index = SearchIndex.build(docs)
    rng = random.Random(0)
    for d in rng.sample(docs, min(40, len(docs))):
        words = [w for w in re.findall(r"[A-Za-z]{6,}", d.abstract)]
        word = rng.choice(words)
        assert d.id in run(index, word + " "), word
        spans = highlight_spans(d.abstract, parse_query(word + " "))
        assert any(d.abstract[s:e].casefold() == word.casefold() for s, e in spans)


# ------------------------------------------------------------- highlighting


def marked(text: str, query: str, field: str | None = None) -> list[str]:
    return [text[s:e] for s, e in highlight_spans(text, parse_query(query), field=field)]


def test_highlight_exact_prefix_typo_and_accents() -> None:
    text = "Transformers and a transformer, by Jürgen Müller; grpah nets"
    assert marked(text, "transformer ") == ["Transformers", "transformer"], "typo (one letter more) counts"
    assert marked(text, "transform") == ["Transformers", "transformer"]
    assert marked(text, "muller ") == ["Müller"]
    assert marked(text, "graph ") == ["grpah"]
    assert marked(text, "and ") == ["and"]
    assert marked(text, "nets ") == ["nets"]


def test_highlight_spans_are_sorted_and_merged() -> None:
    text = "large language models are large"
    spans = highlight_spans(text, parse_query('"large language" language models '))
    assert spans == [(0, 14), (15, 21)], "phrase and word overlap: one span; 'large' alone is not a term"
    assert highlight_spans("graphgraph", parse_query("graph")) == [(0, 10)]


def test_highlight_phrase_only_where_adjacent() -> None:
    text = "large and language; then Large, Language models"
    assert marked(text, '"large language"') == ["Large, Language"]


def test_highlight_compounds_and_joined_forms() -> None:
    assert marked("We use pre-training here", "pretraining ") == ["pre-training"]
    assert marked("We use pretraining here", "pre-training ") == ["pretraining"]
    assert marked("pre training and pre-training", "pre-training ") == ["pre training", "pre-training"]


def test_highlight_ignores_exclusions_and_short_typos() -> None:
    assert marked("a gan and a can", "-gan can ") == ["can"]
    assert marked("a gap in the gan", "gan ") == ["gan"]


def test_highlight_respects_fields() -> None:
    text = "Graph Learning"
    assert marked(text, "title:graph ", field="title") == ["Graph"]
    assert marked(text, "title:graph ", field="abstract") == []
    assert marked(text, "author:graph ", field="authors") == ["Graph"]
    assert marked(text, "author:graph ", field="title") == []
    assert marked(text, "graph ", field="keywords") == ["Graph"]
    assert marked(text, "title:graph ") == ["Graph"], "no field: every positive term"


def test_highlight_nothing() -> None:
    assert highlight_spans("", parse_query("x")) == []
    assert highlight_spans("text", parse_query("")) == []
    assert highlight_spans("text", parse_query("is:new")) == []


def test_highlight_agrees_with_search() -> None:
    """Every paper a word query finds has at least one highlighted span; others have none."""
    docs = make_docs(150, seed=9)
    index = SearchIndex.build(docs)
    for text in ["transfomer", "graph", "diffusio", "muller ", "pre-training ", '"language models"', "reinforcment "]:
        query = parse_query(text)
        found = set(index.search(query, status_of=lambda _: "new", queues_of=lambda _: frozenset()))
        for d in docs:
            lit = any(highlight_spans(getattr(d, f), query) for f in ("title", "authors", "abstract", "keywords"))
            assert lit == (d.id in found), (text, d.id)


# ------------------------------------------------------------- robustness


@pytest.fixture(scope="module")
def small_index() -> SearchIndex:
    return SearchIndex.build(make_docs(120, seed=4) + [doc("weird", title="Ünïcode ½ x²", abstract="", date=None)])


_SOUP = st.lists(
    st.sampled_from(
        ['"', "-", ":", " ", "title:", "author:", "is:new", "in:q", "has:code", "date:>=2024-03", "date:2023",
         "trans", "graph", "é", "½", "neural", "model", "gpt-4", "pre-", "x", "a", "zz", "\u201c"]
    ),
    max_size=10,
).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.text(max_size=40), _SOUP))
def test_search_never_raises_on_a_parsed_query(small_index: SearchIndex, text: str) -> None:
    try:
        query = parse_query(text)
    except QueryError:
        return
    result = small_index.search(query, status_of=lambda _: "new", queues_of=lambda _: frozenset({"q"}))
    assert len(result) == len(set(result))
    assert set(result) <= set(small_index.ids)
    for field_text in ("Ünïcode ½ x² trans-graph", text):
        for start, end in highlight_spans(field_text, query):
            assert 0 <= start < end <= len(field_text)


def test_status_of_callback_type_is_flexible() -> None:
    index = build(doc("a"))
    by_id: Callable[[str], str] = {"a": Status.SKIPPED}.__getitem__  # type: ignore[assignment]
    assert index.search(parse_query("is:skipped"), status_of=by_id, queues_of=lambda _: frozenset()) == ["a"]
