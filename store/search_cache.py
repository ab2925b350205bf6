"""The search index as a cache next to the store: loaded when current, else rebuilt.

Building the index at 100k papers reads every abstract; loading the cached
bytes is much cheaper. The cache names the ``papers.json`` it was built from
and is ignored when that file changed.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import orjson

from store.atomic import FileIdentity, atomic_write, identity
from store.corpus import Corpus
from store.search import SearchDoc, SearchIndex
from store.texrender import search_form

SEARCH_CACHE = "search.bin"
_HEADER_END = b"\n"
CHILD_BUILD_BYTES = 4_000_000
FOLDING = "fold-2"
"""Which `store.fold.search_fold` built the words in a cached index: a cache from another folding is rebuilt."""
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
                self._save(index, current)
            self._index, self._built_for = index, current
            return index

    @property
    def ready(self) -> bool:
        return self._index is not None and self._built_for == identity(self.corpus.path)

    def _path(self) -> Path:
        return self.corpus.cache_dir / SEARCH_CACHE

    def _load(self, current: FileIdentity) -> SearchIndex | None:
        try:
            blob = self._path().read_bytes()
            header, _, body = blob.partition(_HEADER_END)
            if orjson.loads(header) != _header(current):
                return None
            index = SearchIndex.from_bytes(body)
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
        docs = self.corpus.load_all() if self.corpus.exists() else {}
        return SearchIndex.build(
            [
                SearchDoc(
                    id=d["id"],
                    title=_searchable(d["title"]),
                    authors=", ".join(d.get("authors") or []),
                    abstract=_searchable(d.get("abstract") or ""),
                    date=d.get("date") or d.get("added"),
                    has_code=bool(d.get("github")),
                    keywords=" ".join(d.get("keywords") or []),
                )
                for d in docs.values()
            ]
        )

    def _save(self, index: SearchIndex, current: FileIdentity | None) -> None:
        if current is None or self.corpus.storage.readonly:
            return
        try:
            self.corpus.cache_dir.mkdir(exist_ok=True)
            atomic_write(self._path(), orjson.dumps(_header(current)) + _HEADER_END + index.to_bytes())
        except OSError:
            return


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
    """Child-process entry: build the index of the store at ``argv[0]`` and save it."""
    corpus = Corpus(Path(argv[0]))
    current = identity(corpus.path)
    cache = SearchCache(corpus)
    cache._save(cache._build(), current)
    return 0


def _searchable(text: str) -> str:
    """Raw text plus, when it holds TeX, its plain form: ``$k$NN-LM`` is found by ``knn-lm`` too.

    Whitespace runs are folded first, so where a stored line was wrapped never
    matters to a phrase.
    """
    text = " ".join(text.split())
    plain = search_form(text)
    return f"{text} \u2029 {plain}" if plain else text


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
