"""The index-building child never runs code from the working directory (issue 11, point 2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from store.drafts import PaperDraft
from store.search_cache import SEARCH_CACHE, SearchCache
from store.store import Store

MARKER = "from pathlib import Path\nPath({path!r}).write_text('ran')\n"


def test_child_ignores_store_and_tui_modules_in_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "papers"
    with Store.open(root) as store:
        store.add_drafts(
            [PaperDraft(title=f"$k$NN-LM number {i}: retrieval", abstract="Words " * 20, arxiv_id=f"2401.{i:05d}") for i in range(30)],
            source="test",
        )
    hostile = tmp_path / "cwd"
    (hostile / "store").mkdir(parents=True)
    (hostile / "tui").mkdir()
    ran = tmp_path / "ran"
    for i, module in enumerate(["store.py", "store/__init__.py", "tui.py", "tui/__init__.py", "store/search_cache.py"]):
        (hostile / module).write_text(MARKER.format(path=str(ran / str(i))))
    ran.mkdir()
    monkeypatch.chdir(hostile)
    monkeypatch.setenv("PYTHONPATH", str(hostile))  # isolated: the child ignores this too

    with Store.open(root) as store:
        cache = SearchCache(store.corpus, child_build_bytes=0)  # any store is "large"
        monkeypatch.setattr(SearchCache, "_build", lambda self: pytest.fail("built in-process: the child failed"))
        index = cache.index()
        assert index is not None
        assert (root / "cache" / SEARCH_CACHE).exists()
    assert list(ran.iterdir()) == [], "a module from the working directory ran"
