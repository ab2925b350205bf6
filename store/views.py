"""Views of the reader (Inbox, Starred, All, Skipped, each queue) and the CLI's selections.

Pure logic, so the rules ("the Inbox shows new papers") are tested without
a terminal and shared by `papertray list`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from store.errors import QueueError
from store.model import Row, Status
from store.store import Store


@dataclass(frozen=True)
class View:
    key: str
    """Stable name saved in the session: inbox, starred, all, skipped, queue:NAME."""
    label: str
    status: Status | None = None
    queue: str | None = None

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


def all_views(queue_names: Sequence[str]) -> list[View]:
    return [*FIXED_VIEWS, *(View(f"queue:{name}", name, queue=name) for name in queue_names)]


def view_rows(store: Store, view: View, rows: Sequence[Row] | None = None) -> list[Row]:
    """The rows a view shows, in its order (queue order for a queue)."""
    every = store.rows() if rows is None else rows
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
    if view.status is Status.NEW:
        return [r for r in selected if r.id not in statuses]
    return [r for r in selected if statuses.get(r.id) is view.status]


def view_counts(store: Store, views: Sequence[View], total: int) -> dict[str, int]:
    counts = store.status_counts()
    result: dict[str, int] = {}
    for view in views:
        if view.queue is not None:
            result[view.key] = len(store.queues().get(view.queue, []))
        elif view.status is None:
            result[view.key] = total
        elif view.status is Status.NEW:
            result[view.key] = total - sum(n for s, n in counts.items() if s is not Status.NEW)
        else:
            result[view.key] = counts[view.status]
    return result


def select_rows(
    store: Store, *, status: Status | None = None, queue: str | None = None, query: str = "", sort: str = "date"
) -> list[Row]:
    """Rows for ``papertray list``: a status or a queue, then a query.

    Raises:
        QueueError: ``queue`` names no queue.
        QueryError: the query does not parse.
    """
    if queue is not None:
        store.queue(queue)
    rows = view_rows(store, View("cli", "cli", status=status, queue=queue))
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
