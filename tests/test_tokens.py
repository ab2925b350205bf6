"""Words as search sees them: the fast paths must agree with the plain definitions."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store.tokens import (
    TOKEN_RE,
    compound_spans,
    compounds,
    max_typos,
    normalize,
    split_normalized,
    split_with_compounds,
    token_spans,
    tokenize,
    typo_distance,
)

_PIECES = st.sampled_from(["a", "b", "1", "-", "--", " ", ",", "_", "é", "Ä", "ß", "ł", "\u2010", "\u2011", "x\u0301", "½", "İ"])


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(max_size=60), st.lists(_PIECES, max_size=20).map("".join)))
def test_fast_split_matches_the_regex_definition(text: str) -> None:
    norm = normalize(text)
    assert split_normalized(norm) == TOKEN_RE.findall(norm)
    assert split_with_compounds(norm) == (TOKEN_RE.findall(norm), compounds(norm))


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=60), st.lists(_PIECES, max_size=20).map("".join)))
def test_spans_on_original_text_give_the_same_tokens(text: str) -> None:
    """What the highlighter sees (spans on the original) is what the index saw (whole-text tokens)."""
    spans = list(token_spans(text))
    assert [token for _, _, token in spans] == tokenize(text)
    for start, end, _ in spans:
        assert 0 <= start < end <= len(text)


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("Müller, MULLER muller", ["muller", "muller", "muller"]),
        ("Łukasz Søren Æsir straße", ["lukasz", "soren", "aesir", "strasse"]),
        ("snake_case GPT-4o e\u0301te\u0301", ["snake", "case", "gpt", "4o", "ete"]),
        ("½ x²", ["1", "2", "x2"]),
    ],
)
def test_normalised_tokens(text: str, tokens: list[str]) -> None:
    assert tokenize(text) == tokens


@pytest.mark.parametrize(
    ("text", "joined"),
    [
        ("state-of-the-art pre-training", ["stateoftheart", "pretraining"]),
        ("a--b -x- y-", []),
        ("a-b--c-d", ["ab", "cd"]),
        ("fine\u2010tuning, multi\u2011modal", ["finetuning", "multimodal"]),
    ],
)
def test_compounds(text: str, joined: list[str]) -> None:
    assert compounds(normalize(text)) == joined
    assert split_with_compounds(normalize(text))[1] == joined
    assert [token for _, _, token in compound_spans(text)] == joined


@pytest.mark.parametrize(
    ("word", "candidate", "distance"),
    [
        ("transfomer", "transformer", 1),
        ("tarnsfromer", "transformer", 2),
        ("grpah", "graph", 1),
        ("graph", "grape", 1),
        ("graph", "rgaph", None),
        ("gan", "can", None),
        ("gpt4", "gpt5", None),
        ("model", "models", 1),
        ("model", "model", None),
        ("model", "modal2", None),
    ],
)
def test_typo_rules(word: str, candidate: str, distance: int | None) -> None:
    assert typo_distance(word, candidate, max_typos(word)) == distance


def test_typo_budget_grows_with_length() -> None:
    assert [max_typos(w) for w in ("gan", "mode", "network", "transformer", "gpt4o-mini")] == [0, 1, 1, 2, 0]
