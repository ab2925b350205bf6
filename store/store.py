"""The store: one object the TUI and the CLI use for everything on disk.

A store is a directory::

    papers.json     the corpus (TinyDB) — written by imports and fetches
    state.json      statuses, queues, undo, settings (TinyDB) — written by triage
    .lock           held for the milliseconds of each write
    cache/          list index and records, rebuilt when stale
    backups/        the previous good copies of both files

Triage calls return at once: the change is applied in memory and a writer
thread puts it on disk within ``FLUSH_DELAY`` seconds, merged under the lock
with whatever another papertray process wrote meanwhile. ``close()`` (and
``flush()``) write synchronously.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from store.annotations import Annotations
from store.backups import KEEP as KEEP_BACKUPS
from store.errors import UnknownPaperError
from store.journal import FLUSH_DELAY, LOCK_FILE, RETRY_DELAY, STATE_FILE, Listener, prepare_root
from store.model import Paper, Row
from store.reading import ReadingState
from store.rules import Rules
from store.saved_views import SavedViewStore
from store.scope_keys import ScopeKeys
from store.state import follow_aliases
from store.temps import sweep

if TYPE_CHECKING:
    from store.drafts import ImportReport, PaperDraft  # imports only: not on the way to the first paint
    from store.search import SearchIndex
    from store.search_cache import SearchCache
    from store.search_titles import TitleScan

__all__ = ["FLUSH_DELAY", "LOCK_FILE", "RETRY_DELAY", "STATE_FILE", "Listener", "Store"]


class Store(Annotations, SavedViewStore, ReadingState):
    """Open with :meth:`open`; use as a context manager so pending writes land.

    The writing machinery (writer thread, flush, poll, listeners) is the
    :class:`~store.journal.Journal` it extends; this class is what callers use.
    """

    def __init__(self, root: Path, *, readonly: bool, lock_wait: float) -> None:
        super().__init__(root, readonly=readonly, lock_wait=lock_wait)
        self._search_cache: SearchCache | None = None
        self._search_cache_lock = threading.Lock()
        self._title_scan: TitleScan | None = None
        self._scope = ScopeKeys()
        """The rows `search` was last given, numbered for the search index."""
        self.rules = Rules()  # watch and mute rules: the app and the CLI set them from the config

    # -- opening and closing -------------------------------------------------
    @classmethod
    def open(
        cls,
        root: Path | str,
        *,
        readonly: bool = False,
        create: bool = True,
        lock_wait: float = 10.0,
        keep_backups: int = KEEP_BACKUPS,
    ) -> Store:
        """Open (and create) the store at ``root``.

        Args:
            keep_backups: how many previous good copies of each file to keep.

        Raises:
            DamagedFileError: a store file does not parse or is not ours.
            StoreError: ``root`` is not a directory, or cannot be created.
        """
        path = prepare_root(Path(root).expanduser(), create=create and not readonly)
        unwritable = not readonly and not os.access(path, os.W_OK)
        store = cls(path, readonly=readonly or unwritable, lock_wait=lock_wait)
        store.keep_backups = max(0, keep_backups)
        if unwritable:
            store.readonly_reason = (
                "store directory is not writable (read-only filesystem or permissions); changes cannot be saved"
            )
        if not store.readonly:
            sweep(path)  # temp files of writers that were killed
        store._load_state()
        store.corpus.validate()
        follow_aliases(store._state, store.corpus.aliases)  # marks a concurrent re-key left on old ids
        return store

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- papers ------------------------------------------------------------------
    @property
    def is_empty(self) -> bool:
        return not self.corpus.exists() or not self.rows()

    def rows(self) -> list[Row]:
        """All papers as list rows, newest first (from the list cache when current)."""
        return self.corpus.rows()

    def get(self, paper_id: str) -> Paper | None:
        return self.corpus.get(paper_id)

    def require(self, paper_id: str) -> Paper:
        paper = self.get(paper_id)
        if paper is None:
            raise UnknownPaperError(paper_id)
        return paper

    def papers_of(self, ids: Iterable[str]) -> list[Paper]:
        """The papers of ``ids`` that exist, in that order (exports, the .bib sync)."""
        return self.corpus.papers_of(ids)

    def papers(self) -> list[Paper]:
        return self.corpus.papers()

    def resolve(self, paper_id: str) -> str:
        return self.corpus.resolve(paper_id)

    # -- search ----------------------------------------------------------------
    def search_index(self) -> SearchIndex:
        """The search index (built or loaded on first use: call from a worker).

        Imported lazily: rapidfuzz and the index cost start-up time that the
        first paint should not pay.
        """
        return self._searcher().index()

    def warm_search(self, scope: Sequence[Row] = ()) -> None:
        """Load the index and key ``scope`` (the rows the filter will search) now, in a worker.

        The first search of a scope maps its ids to the index's papers: about
        40 ms at 100k, paid here rather than by the first keystroke.
        """
        index = self.search_index()
        self._scope.numbered(scope, index.numbers(), len(index))

    def _searcher(self) -> SearchCache:
        """The one `SearchCache` of this store: made once, under a lock (the filter, the index warm-up
        and the .bib sync may all ask first, from their own threads)."""
        with self._search_cache_lock:
            if self._search_cache is None:
                from store.search_cache import SearchCache

                self._search_cache = SearchCache(self.corpus)
            return self._search_cache

    def search(self, text: str, *, scope: Sequence[Row] | None = None) -> list[Row]:
        """Rows matching a query, ranked (relevance with words, else date).

        Raises:
            QueryError: the query does not parse (message says where).
        """
        from store.query import parse_query

        query, keep = self.rules.narrow(self, parse_query(text))  # is:watched / is:muted: id sets, after
        rows = self.rows() if scope is None else scope
        if query.is_empty:
            return list(rows) if keep is None else [r for r in rows if keep(r.id)]
        index = self.search_index()
        in_scope, row_at = self._scope.numbered(rows, index.numbers(), len(index))
        numbers = index.search_numbers(
            query,
            status_of=lambda pid: self.status(pid).value,
            queues_of=lambda pid: frozenset(self.queues_of(pid)),
            scope_numbers=in_scope,
        )
        tagged = self.annotation_test(query.filters)  # tag:, has:note, note: (see store.annotations)
        found = [r for r in map(row_at.__getitem__, numbers) if r is not None]
        if keep is not None:
            found = [r for r in found if keep(r.id)]
        return found if tagged is None else [r for r in found if tagged(r.id)]

    @property
    def search_ready(self) -> bool:
        """True when `search` answers at once: the index is loaded and current."""
        return self._search_cache is not None and self._search_cache.ready

    @property
    def search_cached(self) -> bool:
        """True when `search_index` returns quickly (loaded, or a current cache to map): no build to wait for."""
        return self._searcher().cached

    @property
    def search_builds_apart(self) -> bool:
        """True when `search_index` would build in a child process: seconds of waiting and no CPU here, so ask
        for it at once (a cold open of a big store). Cheap: no index module is imported to answer."""
        return self._searcher().builds_in_child

    def search_titles(self, text: str, *, scope: Sequence[Row]) -> list[Row] | None:
        """A provisional answer from titles alone, while the index is built (see `store.search_titles`).

        Raises:
            QueryError: the query does not parse.
        """
        from store.search_titles import TitleScan

        if self._title_scan is None:
            self._title_scan = TitleScan()
        return self._title_scan.answer(text, scope)

    def highlight(self, text: str, query_text: str) -> list[tuple[int, int]]:
        """Spans of ``text`` that match the query's words (for the abstract pane)."""
        from store.query import QueryError, parse_query
        from store.search import highlight_spans

        try:
            return highlight_spans(text, parse_query(query_text))
        except QueryError:
            return []

    def add_drafts(self, drafts: Sequence[PaperDraft], *, source: str) -> ImportReport:
        return self.import_batches([(source, drafts)])[0]

    def import_batches(self, batches: Sequence[tuple[str, Sequence[PaperDraft]]]) -> list[ImportReport]:
        """Merge several files' drafts in one all-or-nothing write."""
        self._require_writable()
        with self._corpus_lock("nothing imported"):
            merged = self.corpus.merge(batches)
            self._write_corpus(merged.docs, merged.aliases, merged.rekeys, "nothing imported")
        if merged.rekeys:
            self.flush()
        self._changed()
        return merged.reports

    def update_papers(self, updates: Mapping[str, Mapping[str, object]]) -> None:
        """Set fields on existing papers (the resolver fills arXiv ids, authors...)."""
        self._require_writable()
        with self._corpus_lock("nothing changed"):
            docs, aliases, rekeys = self.corpus.update_fields({k: dict(v) for k, v in updates.items()})
            self._write_corpus(docs, aliases, rekeys, "nothing changed")
        self.flush()
        self._changed()

    # -- settings ----------------------------------------------------------------
    def meta_get(self, key: str, default: Any = None) -> Any:
        return self._state.meta.get(key, default)

    def meta_set(self, key: str, value: Any) -> None:
        self._submit({"op": "meta", "key": key, "value": value})
