"""The search index as a cache next to the store: loaded when current, else rebuilt.

Building the index at 100k papers reads every abstract; loading the cached
bytes is much cheaper. The cache names the ``papers.json`` it was built from
and is ignored when that file changed.

The index modules (and rapidfuzz) are imported where an index is loaded or
built, not here: the reader asks `SearchCache.builds_in_child` before its
first paint, which must not pay for them.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from store.atomic import FileIdentity, fsync_dir, identity
from store.corpus import Corpus
from store.temps import temp_prefix
from store.texrender import search_form

if TYPE_CHECKING:
    from store.search import SearchDoc, SearchIndex

SEARCH_CACHE = "search.bin"
_HEADER_END = b"\n"
FOLDING = "fold-2"
"""Which `store.fold.search_fold` built the words in a cached index: a cache from another folding is rebuilt."""
CHILD_BUILD_BYTES = 4_000_000
"""Above this size of papers.json, the index is built in a child process.

Building takes seconds of pure-Python work at 10k papers and tens of
seconds at 100k; in a thread of the app it would hold the GIL and make the
reader stutter. A child process builds on the other core and writes the
cache, which the app then loads in well under a second.
"""


class SearchCache:
    """One index per store; building is serialised so two workers never build twice."""

    def __init__(self, corpus: Corpus, *, child_build_bytes: int = CHILD_BUILD_BYTES) -> None:
        self.corpus = corpus
        self.child_build_bytes = child_build_bytes
        """Size of ``papers.json`` above which the index is built in a child process."""
        self._index: SearchIndex | None = None
        self._built_for: object = None
        self._lock = threading.Lock()

    def index(self) -> SearchIndex:
        with self._lock:
            current = identity(self.corpus.path)
            if self._index is not None and self._built_for == current:
                return self._index
            index = self._load(current) if current is not None else None
            if index is None and current is not None and current.size > self.child_build_bytes:
                index = self._build_in_child(current)
            if index is None:
                index = self._build()
            self._index, self._built_for = index, current
            return index

    @property
    def ready(self) -> bool:
        return self._index is not None and self._built_for == identity(self.corpus.path)

    @property
    def builds_in_child(self) -> bool:
        """True when `index` would build in a child process: nothing loaded or cached, and a big corpus.

        The caller then asks at once: the build takes seconds and costs this
        process no CPU, only the wait.
        """
        current = identity(self.corpus.path)
        return current is not None and current.size > self.child_build_bytes and not self.corpus.storage.readonly and not self.cached

    @property
    def cached(self) -> bool:
        """True when `index` answers quickly: loaded already, or a current cache file to map (no build)."""
        if self.ready:
            return True
        current = identity(self.corpus.path)
        try:
            with open(self._path(), "rb") as handle:
                line = handle.readline(4096)
            return current is not None and line.endswith(_HEADER_END) and orjson.loads(line) == _header(current)
        except (OSError, orjson.JSONDecodeError):
            return False

    def _path(self) -> Path:
        return self.corpus.cache_dir / SEARCH_CACHE

    def _load(self, current: FileIdentity) -> SearchIndex | None:
        """The cached index when it was built from ``current``, mapped in place (see `SearchIndex.open`)."""
        try:
            path = self._path()
            with open(path, "rb") as handle:
                line = handle.readline(4096)
            if not line.endswith(_HEADER_END) or orjson.loads(line) != _header(current):
                return None
            from store.search import SearchIndex

            index = SearchIndex.open(path, len(line))
            index.warm()
            return index
        except Exception:  # a damaged cache is only a slower start
            return None

    def _build_in_child(self, current: FileIdentity) -> SearchIndex | None:
        """Build and save in a child Python; None when that failed.

        The child runs isolated (``-I``: no working directory, no user site,
        no ``PYTHON*`` variables on its path) and is told where this very
        ``store`` package lives: ``python -m store.search_cache`` would put
        the directory papertray was started in first on ``sys.path``, and a
        ``store.py`` there would run instead of ours.
        """
        if self.corpus.storage.readonly:
            return None
        try:
            done = subprocess.run(
                child_command(self.corpus.root),
                capture_output=True,
                timeout=900,
                check=False,
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return self._load(current) if done.returncode == 0 else None

    def _build(self) -> SearchIndex:
        """Build into the cache file and map it; in memory only when it cannot be written."""
        current = identity(self.corpus.path)
        if current is not None and self._write(current):
            index = self._load(current)
            if index is not None:
                return index
        from store.search import SearchIndex

        return SearchIndex.build(list(self._docs()))

    def _docs(self) -> Iterator[SearchDoc]:
        docs = self.corpus.load_all() if self.corpus.exists() else {}
        return _search_docs(docs.values())

    def _ordered_ids(self) -> list[str] | None:
        """Every paper's id in the index's order, from the list and records caches; None when they are stale.

        Parsing all of ``papers.json`` at once costs about four times its size
        in memory; the list cache gives the order, the records cache each paper
        (see `_streamed_docs`).
        """
        if not self.corpus.records_current():
            return None
        from store.search_build import default_order

        rows = self.corpus.rows()
        keys = [(r.id, r.title, r.date) for r in rows]
        undated = [i for i, r in enumerate(rows) if not r.date]  # the index falls back to the day it was added
        for i, doc in zip(undated, self.corpus.stream_records(rows[i].id for i in undated), strict=True):
            keys[i] = (keys[i][0], keys[i][1], doc.get("added"))
        return [rows[i].id for i in default_order(keys)]

    def _streamed_docs(self, ids: Sequence[str]) -> Iterator[SearchDoc]:
        """The papers of ``ids`` read one at a time from the records cache."""
        return _search_docs(self.corpus.stream_records(ids))

    def _write(self, current: FileIdentity, *, parts: bool = False) -> bool:
        """Stream a new index of the corpus into the cache file (replaced atomically); False when it cannot be.

        Args:
            parts: Split the build over two processes (`store.search_parts`):
                only for the build child, which has no other threads to fork.
        """
        if self.corpus.storage.readonly:
            return False
        from store.search_build import write_index, write_ordered
        from store.search_parts import write_in_parts

        directory = self.corpus.cache_dir
        try:
            directory.mkdir(exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(prefix=temp_prefix(SEARCH_CACHE), suffix=".tmp", dir=directory)
        except OSError:
            return False
        try:
            with os.fdopen(fd, "wb") as handle:
                line = orjson.dumps(_header(current))
                handle.write(line + b" " * (-(len(line) + 1) % 8) + _HEADER_END)  # arrays stay 8-byte aligned
                try:
                    ids = self._ordered_ids()
                    if ids is None:
                        raise ValueError("records cache is stale")
                    if parts:
                        write_in_parts(ids, self._streamed_docs, handle)
                    else:
                        write_ordered(self._streamed_docs(ids), handle)
                except (KeyError, ValueError, OSError):  # no current records cache (or a damaged or missing one): parse papers.json
                    handle.seek(len(line) + (-(len(line) + 1) % 8) + 1)
                    handle.truncate()
                    write_index(self._docs(), handle)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp_name, self._path())
            fsync_dir(directory)
        except OSError:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass
            return False
        return True


def _search_docs(docs: Iterable[dict[str, Any]]) -> Iterator[SearchDoc]:
    """What the index needs of each paper document."""
    from store.search import SearchDoc

    for d in docs:
        yield SearchDoc(
            id=d["id"],
            title=_searchable(d["title"]),
            authors=", ".join(d.get("authors") or []),
            abstract=_searchable(d.get("abstract") or ""),
            date=d.get("date") or d.get("added"),
            has_code=bool(d.get("github")),
            keywords=" ".join(d.get("keywords") or []),
        )


def _searchable(text: str) -> str:
    """Raw text plus, when it holds TeX, its plain form: ``$k$NN-LM`` is found by ``knn-lm`` too.

    Whitespace is left as it is: the index keeps tokens, never the spaces
    between them, so where a stored line was wrapped never matters to a phrase
    (folding the runs first cost a second of the build at 100k papers).
    """
    plain = search_form(text)
    return f"{text} \u2029 {plain}" if plain else text


def _header(current: FileIdentity) -> list[object]:
    """What a cache file must start with to be used: the corpus it indexes and how its words were folded."""
    return [*current, FOLDING]


_PACKAGE_PARENT = str(Path(__file__).resolve().parent.parent)
"""The directory holding the ``store`` package this process imported."""


def child_command(root: Path) -> list[str]:
    """The command line of the index-building child for the store at ``root``."""
    bootstrap = (
        "import sys; sys.path.insert(0, sys.argv[1]); "
        "from store.search_cache import main; raise SystemExit(main(sys.argv[2:]))"
    )
    return [sys.executable, "-I", "-c", bootstrap, _PACKAGE_PARENT, str(Path(root).resolve())]


def main(argv: list[str]) -> int:
    """Child-process entry: build the index of the store at ``argv[0]`` and save it.

    At the reader's own priority, though the build keeps both cores busy for
    seconds: the scheduler favours the reader's thread, which sleeps between
    keystrokes, and a lower priority (``nice``) made the build several seconds
    slower whenever anything else ran on the machine.
    """
    corpus = Corpus(Path(argv[0]))
    current = identity(corpus.path)
    if current is None:
        return 1
    return 0 if SearchCache(corpus)._write(current, parts=True) else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
