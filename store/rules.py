"""Watch and mute rules (``config.toml``), and the id sets they select, computed once per store change.

A rule is a query in the filter-bar language. ``watch`` rules mark papers
(the row's marker, ``is:watched``, "watched first" in the Inbox); ``mute``
rules keep papers out of the Inbox (``is:muted`` finds them). The sets are
evaluated through the search index, once per `Journal.version` (any change
this process sees, its own or another's), never per row drawn or per key
typed in the filter bar.

The query module is imported only when there are rules (start-up time).
A rule that does not parse is dropped with one message naming it; the
other rules still apply.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, NamedTuple, TypeVar

if TYPE_CHECKING:
    from store.model import Row
    from store.query import Filter, Query
    from store.store import Store

RULE_STATUSES = ("watched", "muted")
"""The ``is:`` values rules give (beside the reading statuses)."""

T = TypeVar("T")


class RuleSets(NamedTuple):
    """The papers the watch and mute rules select (a tuple: cheaper to define at start-up than a dataclass)."""

    watched: frozenset[str] = frozenset()
    muted: frozenset[str] = frozenset()


class Rules:
    """The parsed rules of one store, and a per-version memo of what they (and saved views) select."""

    def __init__(self, watch: Sequence[str] = (), mute: Sequence[str] = ()) -> None:
        self.errors: list[str] = []
        """One line per rule dropped: which rule, and why."""
        self.watch = self._parse("watch", watch)
        self.mute = self._parse("mute", mute)
        self._lock = threading.RLock()
        self._version = -1
        self._memo: dict[object, object] = {}
        self._rows: object = None
        self._corpus_memo: dict[object, object] = {}
        self.wait_for_index = True
        """False in the reader: rather than wait for the search index to be built (seconds at 100k
        papers), rules and saved views select nothing until it is, and `deferred` says so."""
        self.deferred = False
        """A selection was skipped because the index was not built yet (the reader asks again when it is)."""

    def _parse(self, kind: str, texts: Sequence[str]) -> tuple[str, ...]:
        if not texts:
            return ()
        from store.query import QueryError, parse_query  # not at import: rapidfuzz costs the first paint

        kept = []
        for number, text in enumerate(texts, start=1):
            try:
                query = parse_query(text)
                if any(f.kind == "is" and f.value in RULE_STATUSES for f in query.filters):
                    raise QueryError("a rule cannot use is:watched or is:muted", 0)
                if query.is_empty:
                    raise QueryError("the rule is empty", 0)
            except QueryError as exc:
                self.errors.append(f"{kind} rule {number} {text!r} ignored: {exc.message}")
                continue
            kept.append(text)
        return tuple(kept)

    @property
    def active(self) -> bool:
        return bool(self.watch or self.mute)

    def memo(self, store: Store, key: object, compute: Callable[[], T], *, state_free: bool = False) -> T:
        """``compute()`` once per ``key`` and store version, or per corpus when ``state_free``.

        A query without ``is:``/``in:`` depends on the papers only, so a
        triage keystroke (which bumps the version) does not recompute it; the
        corpus's row list is the same object until the papers change.
        """
        rows = store.rows()
        with self._lock:
            if self._version != store.version:
                self._version = store.version
                self._memo.clear()
            if self._rows is not rows:
                self._rows = rows
                self._corpus_memo.clear()
            memo = self._corpus_memo if state_free else self._memo
            if key not in memo:
                memo[key] = compute()
            return memo[key]  # type: ignore[return-value]

    def ready(self, store: Store) -> bool:
        """Whether rules and saved views may use the index now (see `wait_for_index`)."""
        if self.wait_for_index or store.search_cached:
            return True
        self.deferred = True
        return False

    def sets(self, store: Store) -> RuleSets:
        """The watched and muted ids as of the store's current version."""
        if not self.active or not self.ready(store):
            return RuleSets()
        return self.memo(store, "rules", lambda: RuleSets(self._select(store, self.watch), self._select(store, self.mute)))

    def _select(self, store: Store, rules: tuple[str, ...]) -> frozenset[str]:
        ids: set[str] = set()
        for text in rules:
            found = self.memo(
                store, ("rule", text), lambda text=text: self.search_ids(store, text), state_free=state_free(text)  # type: ignore[misc]
            )
            ids.update(found)
        return frozenset(ids)

    def search_ids(self, store: Store, text: str) -> list[str]:
        """Ids matching ``text`` in the whole store, best first (newest first without words).

        Straight to the index, unscoped: `Store.search` with every row as the
        scope would key 100k rows again, and take the filter bar's keyed
        scope away from it (20 ms on its next keystroke).

        Raises:
            QueryError: ``text`` does not parse.
        """
        from store.query import parse_query

        query, keep = self.narrow(store, parse_query(text))
        ids = store.search_index().search(
            query, status_of=lambda pid: store.status(pid).value, queues_of=lambda pid: frozenset(store.queues_of(pid))
        )
        tagged = store.annotation_test(query.filters)  # tag:, has:note, note: — the index knows none of them
        if keep is None and tagged is None:
            return ids
        return [pid for pid in ids if (keep is None or keep(pid)) and (tagged is None or tagged(pid))]

    def rows_of(self, store: Store, text: str) -> list[Row]:
        """The rows matching ``text`` (a saved view), in relevance order with words, else in list order."""
        from store.query import parse_query

        ids = self.search_ids(store, text)
        rows = store.rows()
        position = self.memo(store, "positions", lambda: {r.id: i for i, r in enumerate(rows)}, state_free=True)
        found = [position[pid] for pid in ids if pid in position]
        if not parse_query(text).has_text:
            found.sort()
        return [rows[i] for i in found]

    def narrow(self, store: Store, query: Query) -> tuple[Query, Callable[[str], bool] | None]:
        """``query`` without ``is:watched`` / ``is:muted`` (and their negations), and a test of ids for them.

        The search index knows reading statuses only; these two are id sets,
        applied to its results (a narrowed scope would be a new row list for
        the index to key again, 15 ms at 100k papers).
        """
        special = [f for f in query.filters if f.kind == "is" and f.value in RULE_STATUSES]
        if not special:
            return query, None
        sets = self.sets(store)
        rest: tuple[Filter, ...] = tuple(f for f in query.filters if f not in special)
        chosen = [(sets.watched if f.value == "watched" else sets.muted, f.negated) for f in special]

        def keep(paper_id: str) -> bool:
            return all((paper_id in ids) != negated for ids, negated in chosen)

        return replace(query, filters=rest), keep


@functools.lru_cache(maxsize=256)
def state_free(text: str) -> bool:
    """Whether a (parsed before) query depends on the papers only: no ``is:``, ``in:``, ``tag:`` or note filter.

    Asked for every saved view on every triage key: the answer is kept per text.
    """
    from store.query import QueryError, parse_query

    try:
        return not any(f.kind in ("is", "in", "tag", "note") for f in parse_query(text).filters)
    except QueryError:
        return False
