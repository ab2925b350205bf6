"""Fuzz the query language: parse, search a small index, highlight.

Install atheris into the project's venv once (it is not a project dependency)::

    .venv/bin/pip install atheris

Run (from the repository root; stops after 500,000 inputs, or leave the flag out to run until Ctrl-C)::

    .venv/bin/python fuzz/fuzz_query.py -atheris_runs=500000

Each input is decoded as UTF-8 (with replacement) and goes through what the
filter bar does with every keystroke: `parse_query`, `SearchIndex.search` on
a three-paper index, and `highlight_spans` on each abstract. `parse_query`
may refuse with `QueryError` (its position must point inside the text);
nothing else may be raised, results must be known ids without duplicates,
and spans must lie inside the text. A finding is written to
``crash-<sha1>``; replay it with ``.venv/bin/python fuzz/fuzz_query.py crash-<sha1>``.

Without a corpus directory on the command line, the run starts from seeds
that use every part of the grammar (in a temporary directory).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import atheris

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

with atheris.instrument_imports():
    from store.query import QueryError, parse_query
    from store.search import SearchDoc, SearchIndex, highlight_spans

DOCS = [
    SearchDoc("2401.00001", "Sparse attention for long documents", "Ada Lovelace, 李明",
              "We route tokens. GPT-4 and state-of-the-art transformers; pre-training helps.", "2024-01-05", True,
              "attention, routing"),
    SearchDoc("2402.00002", "Diffusion policies 🦜", "Grace Hopper", "A policy that diffuses.", "2024-02-29", False, ""),
    SearchDoc("t-0000000003", "Untitled", "", "", None, False, ""),
]
INDEX = SearchIndex.build(DOCS)
IDS = {d.id for d in DOCS}

SEEDS = [
    "attention", 'title:"sparse attention" -is:read', "author:lovelace has:code", "date:>=2024-01 date:<2024-03",
    "in:to-read -has:code", 'transfromer -"a b"', "GPT-4 state-of-the-art", "\u201cquoted\u201d", "Mamba: a title",
    "is:starred date:2024-02-29", "李明 🦜", "pre-train", "-", "title:", 'author:""', "date:2024-13",
]


def test_one_input(data: bytes) -> None:
    text = data.decode("utf-8", "replace")
    try:
        query = parse_query(text)
    except QueryError as exc:
        assert 0 <= exc.position <= len(text), (exc.position, len(text))
        assert "\n" not in exc.message
        return
    found = INDEX.search(query, status_of=lambda pid: "new", queues_of=lambda pid: frozenset({"to-read"}))
    assert set(found) <= IDS and len(found) == len(set(found)), found
    scoped = INDEX.search(query, status_of=lambda pid: "read", queues_of=lambda pid: frozenset(), scope=["2402.00002"])
    assert set(scoped) <= {"2402.00002"}, scoped
    for doc in DOCS:
        for field, value in (("title", doc.title), ("authors", doc.authors), ("abstract", doc.abstract)):
            for start, end in highlight_spans(value, query, field=field):
                assert 0 <= start < end <= len(value), (start, end, value)


def seeds() -> str:
    directory = Path(tempfile.mkdtemp(prefix="papertray-fuzz-query-corpus-"))
    for n, seed in enumerate(SEEDS):
        (directory / f"seed-{n}").write_bytes(seed.encode())
    return str(directory)


def main() -> None:
    from fuzz.harness import run

    run(test_one_input, seeds)


if __name__ == "__main__":
    main()
