"""The search index as a cache next to the store: loaded when current, else rebuilt.

Building the index at 100k papers reads every abstract; loading the cached
bytes is much cheaper. The cache names the ``papers.json`` it was built from
and is ignored when that file changed.
"""

from __future__ import annotations

import threading

import orjson

from store.atomic import atomic_write, identity
from store.corpus import Corpus
from store.search import SearchDoc, SearchIndex

SEARCH_CACHE = "search.bin"
_HEADER_END = b"\n"


class SearchCache:
    """One index per store; building is serialised so two workers never build twice."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self._index: SearchIndex | None = None
        self._built_for: object = None
        self._lock = threading.Lock()

    def index(self) -> SearchIndex:
        with self._lock:
            current = identity(self.corpus.path)
            if self._index is not None and self._built_for == current:
                return self._index
            index = self._load(current) if current is not None else None
            if index is None:
                index = self._build()
                self._save(index, current)
            self._index, self._built_for = index, current
            return index

    @property
    def ready(self) -> bool:
        return self._index is not None and self._built_for == identity(self.corpus.path)

    def _path(self):  # type: ignore[no-untyped-def]
        return self.corpus.cache_dir / SEARCH_CACHE

    def _load(self, current: object) -> SearchIndex | None:
        try:
            blob = self._path().read_bytes()
            header, _, body = blob.partition(_HEADER_END)
            if orjson.loads(header) != list(current):  # type: ignore[call-overload]
                return None
            index = SearchIndex.from_bytes(body)
            index.warm()
            return index
        except Exception:  # a damaged cache is only a slower start
            return None

    def _build(self) -> SearchIndex:
        docs = self.corpus.load_all() if self.corpus.exists() else {}
        return SearchIndex.build(
            [
                SearchDoc(
                    id=d["id"],
                    title=d["title"],
                    authors=", ".join(d.get("authors") or []),
                    abstract=d.get("abstract") or "",
                    date=d.get("date") or d.get("added"),
                    has_code=bool(d.get("github")),
                    keywords=" ".join(d.get("keywords") or []),
                )
                for d in docs.values()
            ]
        )

    def _save(self, index: SearchIndex, current: object) -> None:
        if current is None or self.corpus.storage.readonly:
            return
        try:
            self.corpus.cache_dir.mkdir(exist_ok=True)
            atomic_write(self._path(), orjson.dumps(list(current)) + _HEADER_END + index.to_bytes())  # type: ignore[call-overload]
        except OSError:
            return
