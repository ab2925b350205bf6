"""Views of the reader (Inbox, Starred, All, Skipped, each queue) and the CLI's selections.

Pure logic, so the rules ("the Inbox shows new papers") are tested without
a terminal and shared by `papertray list`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import compress
from operator import itemgetter, not_
from typing import NamedTuple

from store.errors import QueueError, StoreError
from store.model import Row, Status
from store.rules import state_free
from store.store import Store


class View(NamedTuple):
    key: str
    """Stable name saved in the session: inbox, starred, all, skipped, saved:NAME, queue:NAME."""
    label: str
    status: Status | None = None
    queue: str | None = None
    query: str | None = None
    """A saved view's query (its rows are the papers it matches)."""

    @property
    def drops_triaged(self) -> bool:
        """In the Inbox a triaged paper leaves the view."""
        return self.status is Status.NEW


FIXED_VIEWS = (
    View("inbox", "Inbox", status=Status.NEW),
    View("starred", "Starred", status=Status.STARRED),
    View("all", "All"),
    View("skipped", "Skipped", status=Status.SKIPPED),
)


def all_views(queue_names: Sequence[str], saved: Mapping[str, str] | None = None) -> list[View]:
    """Built-in views, then saved views (made rarely, so their number keys stay put), then queues."""
    searches = [View(f"saved:{name}", name, query=query) for name, query in (saved or {}).items()]
    return [*FIXED_VIEWS, *searches, *(View(f"queue:{name}", name, queue=name) for name in queue_names)]


_row_id = itemgetter(0)
"""``row.id`` for a `Row` (a tuple: its first field), callable from C."""


def view_rows(store: Store, view: View, rows: Sequence[Row] | None = None) -> list[Row]:
    """The rows a view shows, in its order (queue order for a queue); the Inbox leaves muted papers out."""
    every = store.rows() if rows is None else rows
    if view.query is not None:
        return saved_rows(store, view.query)
    if view.queue is not None:
        by_id = {r.id: r for r in every}
        try:
            selected = [by_id[pid] for pid in store.queue(view.queue) if pid in by_id]
        except QueueError:
            return []
    else:
        selected = list(every)
    if view.status is None:
        return selected
    statuses = store.statuses()
    # compress/map: the test for each of 100k rows runs in C (a comprehension took 11 ms
    # of the Inbox's first paint at 100k papers).
    if view.status is Status.NEW:
        hidden = statuses.keys() | store.rules.sets(store).muted
        if not hidden:
            return selected
        return list(compress(selected, map(not_, map(hidden.__contains__, map(_row_id, selected)))))
    wanted = {pid for pid, status in statuses.items() if status is view.status}
    return list(compress(selected, map(wanted.__contains__, map(_row_id, selected))))


def saved_rows(store: Store, query: str) -> list[Row]:
    """A saved view's papers; a query that no longer parses shows nothing rather than failing."""
    if not store.rules.ready(store):
        return []
    try:
        return list(store.rules.memo(store, ("saved", query), lambda: store.rules.rows_of(store, query), state_free=state_free(query)))
    except StoreError:  # QueryError (store.query is imported only once searching)
        return []


def muted_new(store: Store) -> int:
    """How many new papers mute rules keep out of the Inbox (shown beside its count)."""
    statuses = store.statuses()
    return sum(1 for pid in store.rules.sets(store).muted if pid not in statuses)


def view_counts(store: Store, views: Sequence[View], total: int, known: Mapping[str, int] | None = None) -> dict[str, int]:
    """Papers per view key; ``inbox:muted`` is how many new papers mute rules hide.

    ``known``: counts of saved views to take as they are rather than search for
    (the reader's last counts of views that depend on reading state, while a
    worker counts them again).
    """
    counts = store.status_counts()
    result: dict[str, int] = {}
    for view in views:
        if view.query is not None:
            result[view.key] = known[view.key] if known and view.key in known else len(saved_rows(store, view.query))
        elif view.queue is not None:
            result[view.key] = len(store.queues().get(view.queue, []))
        elif view.status is None:
            result[view.key] = total
        elif view.status is Status.NEW:
            result[f"{view.key}:muted"] = muted = muted_new(store)
            result[view.key] = total - sum(n for s, n in counts.items() if s is not Status.NEW) - muted
        else:
            result[view.key] = counts[view.status]
    return result


def select_rows(
    store: Store,
    *,
    status: Status | None = None,
    queue: str | None = None,
    query: str = "",
    sort: str = "date",
    view: str | None = None,
) -> list[Row]:
    """Rows for ``papertray list``: a status, a queue or a saved view, then a query.

    ``--status new`` is every new paper, muted or not: statuses are exact on
    the command line; ``-is:muted`` (or ``is:muted``) asks for the Inbox's cut.

    Raises:
        QueueError: ``queue`` names no queue.
        ViewNameError: ``view`` names no saved view.
        QueryError: the query does not parse.
    """
    if queue is not None:
        store.queue(queue)
    if view is not None:
        rows = store.search(store.saved_view(view))
    else:
        rows = view_rows(store, View("cli", "cli", queue=queue))
    if status is not None:
        rows = [r for r in rows if store.status(r.id) is status]
    if queue is None:
        rows = sort_rows(rows, sort)
    if query.strip():
        rows = store.search(query, scope=rows)
    return rows


SORTS = ("date", "upvotes")


def sort_rows(rows: list[Row], by: str) -> list[Row]:
    """Rows in date order (as stored) or by upvotes, most first; unknown upvotes last.

    The sort is stable, so papers with equal upvotes keep date order.
    """
    if by == "upvotes":
        return sorted(rows, key=lambda r: -1 if r.upvotes is None else r.upvotes, reverse=True)
    return rows
