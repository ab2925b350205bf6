"""Saved views in the store: save, rename, delete, undo, two processes, and ``papertray list --view``."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from store.drafts import PaperDraft
from store.model import Status
from store.state import StateData, apply
from store.store import Store
from store.view_ops import ViewNameError
from store.views import View, all_views, view_counts, view_rows
from tui.cli import main

ABSTRACT = "We study a problem\nat length, hard-wrapped as arXiv abstracts are, and report results.\n"
TITLES = (
    "Diffusion Models Beat GANs on $k$NN-LM Benchmarks",
    "Latent Diffusion: High-Resolution Synthesis",
    "A Survey of Mixture-of-Experts",
    "Mamba",
    'Attention Is "All" You Need: $\\mathcal{O}(\\sqrt{n})$ Memory',
)


@pytest.fixture
def store(store_dir: Path) -> Iterator[Store]:
    with Store.open(store_dir, lock_wait=2.0) as opened:
        opened.add_drafts(
            [PaperDraft(title=t, abstract=ABSTRACT, date="2025-03-1" + str(i)) for i, t in enumerate(TITLES)],
            source="page.txt",
        )
        yield opened


def titles(rows: list) -> list[str]:  # type: ignore[type-arg]
    return sorted(r.title for r in rows)


def test_a_saved_view_shows_its_papers_with_a_live_count(store: Store) -> None:
    store.view_save("diff", "diffusion -is:skipped")
    views = all_views(list(store.queues()), store.saved_views())
    assert [v.key for v in views][:5] == ["inbox", "starred", "all", "skipped", "saved:diff"]
    view = views[4]
    assert titles(view_rows(store, view)) == sorted(TITLES[:2])
    assert view_counts(store, views, len(store.rows()))["saved:diff"] == 2
    first = next(r for r in store.rows() if r.title == TITLES[0])
    store.set_status([first.id], Status.SKIPPED)
    assert titles(view_rows(store, view)) == [TITLES[1]]
    assert view_counts(store, views, len(store.rows()))["saved:diff"] == 1


def test_saved_views_come_after_built_ins_and_before_queues(store: Store) -> None:
    store.queue_add("to-read", [store.rows()[0].id])
    store.view_save("b view", "mamba")
    store.view_save("a view", "survey")
    keys = [v.key for v in all_views(list(store.queues()), store.saved_views())]
    assert keys[4:] == ["saved:b view", "saved:a view", "queue:to-read"]


def test_rename_delete_and_undo(store: Store) -> None:
    store.view_save("diff", "diffusion")
    assert store.view_rename("diff", "Diffusion papers") == "Diffusion papers"
    assert store.saved_views() == {"Diffusion papers": "diffusion"}
    with pytest.raises(ViewNameError, match="exists already"):
        store.view_save("other", "x") and store.view_rename("other", "Diffusion papers")
    store.view_delete("Diffusion papers")
    assert store.saved_views() == {"other": "x"}
    store.undo()  # the delete
    assert store.saved_views() == {"other": "x", "Diffusion papers": "diffusion"}
    store.undo()  # the save of "other"
    store.undo()  # the rename
    assert store.saved_views() == {"diff": "diffusion"}


@pytest.mark.parametrize("name", ["", "   ", "x" * 31, "esc\x1b[31m"])
def test_bad_view_names_are_refused(store: Store, name: str) -> None:
    with pytest.raises(ViewNameError):
        store.view_save(name, "diffusion")


def test_views_survive_reopen_and_the_file_layout(store: Store) -> None:
    store.view_save("diff", "diffusion")
    store.close()
    with Store.open(store.root) as again:
        assert again.saved_views() == {"diff": "diffusion"}
    tables = StateData(views={"a": "q"}).to_tables()
    assert StateData.from_tables(tables).views == {"a": "q"}
    assert StateData.from_tables({"views": [{"name": 3, "query": "q"}, {"name": "b"}]}).views == {}


def test_view_ops_replayed_on_a_state_that_moved_on() -> None:
    data = StateData(views={"a": "1", "b": "2"})
    apply(data, {"op": "view_rename", "old": "a", "new": "b"})  # the other process took the name: no-op
    apply(data, {"op": "view_rename", "old": "gone", "new": "c"})
    apply(data, {"op": "view_set", "name": "gone", "query": None})
    assert data.views == {"a": "1", "b": "2"}
    apply(data, {"op": "view_rename", "old": "a", "new": "z"})
    assert list(data.views) == ["z", "b"]  # renamed in place: its number key stays


SAVE_LOOP = """
import sys
from store.store import Store
with Store.open(sys.argv[1]) as s:
    for i in range(15):
        s.view_save(f"theirs {i}", f"title:paper{i}")
        s.flush()
"""


def test_two_processes_saving_views_lose_none(store: Store) -> None:
    store.close()
    other = subprocess.Popen([sys.executable, "-c", SAVE_LOOP, str(store.root)])
    mine = Store.open(store.root)
    try:
        for i in range(15):
            mine.view_save(f"mine {i}", f"title:mine{i}")
            mine.flush()
            mine.poll()
    finally:
        assert other.wait(timeout=120) == 0
    mine.close()
    with Store.open(store.root) as merged:
        names = set(merged.saved_views())
    assert names == {f"mine {i}" for i in range(15)} | {f"theirs {i}" for i in range(15)}


def test_cli_list_view(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    store.view_save("Diffusion", "diffusion")
    store.close()
    assert main(["list", "--view", "diffusion", "--format", "jsonl"]) == 0  # names match case-insensitively
    out = capsys.readouterr().out
    assert sorted(json.loads(line)["title"] for line in out.splitlines()) == sorted(TITLES[:2])
    assert main(["list", "--view", "Diffusion", "latent"]) == 0
    assert "Latent Diffusion" in capsys.readouterr().out
    assert main(["list", "--view", "Diffusion", "--status", "read"]) == 0
    assert capsys.readouterr().out == ""
    code = main(["list", "--view", "nope"])
    err = capsys.readouterr().err
    assert code != 0 and "no saved view named 'nope'" in err and "Diffusion" in err


def test_a_saved_view_without_words_keeps_list_order_and_with_words_ranks(store: Store) -> None:
    store.view_save("recent", "date:>=2025-03-11")
    store.view_save("ranked", "title:diffusion")
    views = {v.key: v for v in all_views([], store.saved_views())}
    expected = [r for r in store.rows() if (r.date or "") >= "2025-03-11"]
    assert view_rows(store, views["saved:recent"]) == expected
    assert view_rows(store, views["saved:ranked"]) == store.search("title:diffusion")  # ranked as the filter bar ranks
    store.view_save("broken", "in:")  # typed by hand into state.json, say: shows nothing, fails nothing
    assert view_rows(store, View("saved:broken", "broken", query="in:")) == []
