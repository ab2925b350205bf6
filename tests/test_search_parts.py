"""The search index built on two cores is byte for byte the one-process index; whitespace never changes it.

`store.search_parts` forks a helper that indexes the second half of the
papers with token characters of its own, which the parent then re-encodes.
Any slip (a token first seen in the second half, a compound only the helper
saw, a character width that changes) would give a different file, so the
files are compared whole. The fork runs in a fresh interpreter: the test
process has threads, and forking it is what the module forbids.
"""

from __future__ import annotations

import io
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store import search_parts
from store.corpus import Corpus
from store.search_build import SearchDoc, default_order, write_ordered
from store.search_cache import SearchCache, _search_docs, _searchable
from store.tokens import normalize, split_with_compounds

ROOT = Path(__file__).resolve().parent.parent

WORDS = (
    "retrieval augmented generation pre-training state-of-the-art Müller Gudmundsson Guðmundsson 大型 语言 模型 "
    "$k$NN-LM \\emph{Tiny} $\\mathcal{O}(\\sqrt{n})$-Regret e\u0301t\u00e9 naïve co-operate x-ray 50\\% 3D 2024 "
    "ﬁne-tuning GPT-4o ÆTHER Straße İstanbul smörgåsbord"
).split()


def corpus_docs(count: int, seed: int = 7) -> list[dict[str, Any]]:
    """Documents whose later half brings words the first half never had (numbered words, late compounds)."""
    rng = random.Random(seed)
    docs = []
    for i in range(count):
        late = [f"late{i}", f"only-in-{i}-half"] if i >= count // 2 else []
        words = [rng.choice(WORDS) for _ in range(rng.randint(0, 40))] + late
        docs.append(
            {
                "id": f"2401.{i:05d}",
                "title": " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 8))),
                "abstract": " ".join(words),
                "authors": [rng.choice(["Ada Lovelace", "Jón Guðmundsson", "山田 太郎", ""]) for _ in range(rng.randint(0, 4))],
                "keywords": [rng.choice(WORDS)] if i % 3 else [],
                "date": f"2024-0{1 + i % 9}-1{i % 10}" if i % 11 else None,
                "added": "2024-10-01",
                "github": ["https://github.com/o/r"] if i % 5 == 0 else [],
            }
        )
    return docs


def ordered(docs: list[dict[str, Any]]) -> list[SearchDoc]:
    found = list(_search_docs(docs))
    return [found[i] for i in default_order([(d.id, d.title, d.date) for d in found])]


SCRIPT = """
import io, os, sys
from store import search_parts
from store.search_build import write_ordered
from tests.test_search_parts import corpus_docs, ordered

search_parts.MIN_SPLIT = 10
docs = ordered(corpus_docs(int(sys.argv[1])))
by_id = {d.id: d for d in docs}
parent = os.getpid()
mode = sys.argv[2]

def docs_of(ids):
    if os.getpid() != parent:
        if mode == "helper-fails":
            raise RuntimeError("the helper dies")
        print("helper", len(ids), flush=True)
    return (by_id[i] for i in ids)

alone, parted = io.BytesIO(), io.BytesIO()
write_ordered(docs, alone)
search_parts.write_in_parts([d.id for d in docs], docs_of, parted)
print("same" if alone.getvalue() == parted.getvalue() else "DIFFERENT", len(alone.getvalue()))
"""


@pytest.mark.parametrize(("count", "mode"), [(600, "helper"), (601, "helper"), (300, "helper-fails")])
def test_the_two_part_index_is_the_one_process_index(count: int, mode: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(count), mode], capture_output=True, text=True, cwd=ROOT, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.split("\n")
    assert any(line.startswith("same ") for line in lines), done.stdout
    if mode == "helper":
        assert f"helper {count - count // 2}" in lines, "no helper indexed the second half"


@pytest.mark.parametrize("why", ["one-core", "no-fork"])
def test_without_a_helper_the_parent_indexes_everything(monkeypatch: pytest.MonkeyPatch, why: str) -> None:
    """In this process nothing is forked: one core, or a platform without ``fork``."""
    docs = ordered(corpus_docs(200))
    monkeypatch.setattr(search_parts, "MIN_SPLIT", 10)
    if why == "one-core":
        monkeypatch.setattr(search_parts, "_cores", lambda: 1)
    else:
        monkeypatch.setattr(search_parts.os, "fork", lambda: (_ for _ in ()).throw(OSError("no fork here")))
    alone, parted = io.BytesIO(), io.BytesIO()
    write_ordered(docs, alone)
    by_id = {d.id: d for d in docs}
    search_parts.write_in_parts([d.id for d in docs], lambda ids: (by_id[i] for i in ids), parted)
    assert parted.getvalue() == alone.getvalue()


SPACES = st.sampled_from([" ", "  ", "\n", "\n\n", "\t", "\r\n", "\u00a0", "\u2009", "\u2028", "\u2029", "\u3000", "\x1c", " \n "])
PIECES = st.sampled_from(
    ["pre", "-", "training", "Müller", "大型", "$k$", "NN", "\\emph{", "}", "~", "x", "ﬁ", "e\u0301", "GPT-4", "_", "'s"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(PIECES, SPACES), max_size=30))
def test_whitespace_never_changes_what_is_indexed(parts: list[str]) -> None:
    """The build no longer folds whitespace runs first (a second at 100k papers): the tokens must not notice."""
    text = "".join(parts)
    folded = " ".join(text.split())
    assert split_with_compounds(normalize(_searchable(text))) == split_with_compounds(normalize(_searchable(folded)))


def test_a_cold_big_store_builds_apart_and_a_cached_one_does_not(tmp_path: Path) -> None:
    corpus = Corpus(tmp_path)
    corpus.write({d["id"]: d for d in corpus_docs(50)}, {})
    assert SearchCache(corpus, child_build_bytes=0).builds_in_child
    assert not SearchCache(corpus).builds_in_child, "a small store builds in this process"
    SearchCache(corpus).index()  # builds in-process and caches it
    assert not SearchCache(corpus, child_build_bytes=0).builds_in_child
    (tmp_path / "cache" / "search.bin").unlink()
    assert not SearchCache(Corpus(tmp_path, readonly=True), child_build_bytes=0).builds_in_child, "read-only: no child"
