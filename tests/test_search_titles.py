"""While the search index is built, the filter answers from titles at once, says so, and is replaced by the full answer."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from store.model import Row
from store.query import parse_query
from store.search import SearchIndex
from store.search_titles import TitleScan
from tests.app_helpers import SIZE, AppFactory, StoreOpener, count_text, main_screen


def row(pid: str, title: str) -> Row:
    return Row(id=pid, title=title, date="2024-01-01", has_code=False, upvotes=None)


ROWS = [
    row("a", "Graph Transformers for $k$NN-LM Retrieval"),
    row("b", "Paragraphs: a Study"),
    row("c", "Ødegaard's \"Graphical\" Models: Sparse [Attention]"),
    row("d", "Pre-Training at Scale 🚀"),
    row("e", "Sparse"),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("graph ", ["a"]),  # a finished word: not "Graphical", never "Paragraphs"
        ("grap", ["a", "c"]),  # the word being typed is a prefix of a title word
        ('"graph transformers"', ["a"]),
        ('"transformers graph"', []),
        ("transformers graph ", ["a"]),
        ("sparse -graphical ", ["e"]),
        ("title:sparse ", ["c", "e"]),
        ("odegaard ", ["c"]),
        ("nn-lm ", ["a"]),
        ("pre-training ", ["d"]),
        ("attention", ["c"]),
        ("", ["a", "b", "c", "d", "e"]),
    ],
)
def test_titles_match_words_from_their_start(text: str, expected: list[str]) -> None:
    found = TitleScan().search(parse_query(text), ROWS)
    assert found is not None
    assert [r.id for r in found] == expected


@pytest.mark.parametrize("text", ["author:tanaka", "is:new graph", "date:2024 graph", "has:code"])
def test_queries_titles_cannot_answer_are_left_to_the_index(text: str) -> None:
    assert TitleScan().search(parse_query(text), ROWS) is None


async def _until(pilot: Pilot[object], test: Callable[[], bool], what: str) -> None:
    for _ in range(500):
        if test():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"never happened: {what}")


async def test_the_filter_answers_from_titles_until_the_index_is_ready(
    demo_dir: Path, make_app: AppFactory, open_store: StoreOpener
) -> None:
    store = open_store(demo_dir)
    gate = threading.Event()
    build = store.search_index

    def slow_index() -> SearchIndex:
        gate.wait(20)  # the index "builds" until the test lets it finish
        return build()

    store.search_index = slow_index  # type: ignore[method-assign]
    titles_with_graph = {r.title for r in store.rows() if re.search(r"\bgraph", r.title, re.I)}
    assert titles_with_graph
    app = make_app(store)
    try:
        async with app.run_test(size=SIZE) as pilot:
            screen = main_screen(app)
            await _until(pilot, lambda: screen.paper_list.row_count > 0, "the list painted")
            screen.filter_bar.query_one(Input).value = "graph"
            await _until(pilot, lambda: "indexing" in count_text(screen), "a titles-only answer, said to be one")
            assert {r.title for r in screen.paper_list.rows} == titles_with_graph
            gate.set()
            await _until(pilot, lambda: "indexing" not in count_text(screen), "the full answer")
            full = [r.id for r in build_search(store, "graph")]
            assert [r.id for r in screen.paper_list.rows] == full
    finally:
        gate.set()


def build_search(store: object, text: str) -> list[Row]:
    return store.search(text, scope=store.rows())  # type: ignore[attr-defined,no-any-return]
