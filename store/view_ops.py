"""The state operations of saved views (a filter kept under a name), pure like the rest of `store.state`.

Saved views live in ``state.json`` beside queues, not in ``config.toml``:
they are made and renamed from the app, and two processes merge them the
same way, by replaying named operations on what the other one wrote.
"""

from __future__ import annotations

from typing import Any

from store.errors import StoreError

VIEW_NAME_MAX = 30


class ViewNameError(StoreError):
    """A saved view name that cannot be used (empty, too long, taken, unknown)."""


def check_view_name(name: str) -> str:
    """A saved view's name is a label in the views bar and an argument of ``papertray list --view``."""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ViewNameError("a view name cannot be empty")
    if len(cleaned) > VIEW_NAME_MAX:
        raise ViewNameError(f"view name too long ({len(cleaned)} > {VIEW_NAME_MAX} characters)")
    if not cleaned.isprintable():
        raise ViewNameError(f"view name {cleaned!r}: no control characters")
    return cleaned


def apply_view_op(views: dict[str, str], op: dict[str, Any]) -> None:
    """``view_set`` (query None deletes) and ``view_rename``, applied in place; stale ones are no-ops."""
    if op["op"] == "view_set":
        if op["query"] is None:
            views.pop(op["name"], None)
        else:
            views[op["name"]] = op["query"]
    elif op["op"] == "view_rename" and op["old"] in views and op["new"] not in views:
        renamed = {(op["new"] if name == op["old"] else name): query for name, query in views.items()}
        views.clear()
        views.update(renamed)


def view_undo_op(change: dict[str, Any]) -> dict[str, Any]:
    """The op that takes back one ``view`` undo change: put the old query back, or the old name."""
    if "old" in change:
        return {"op": "view_rename", "old": change["new"], "new": change["old"]}
    return {"op": "view_set", "name": change["name"], "query": change["query"]}
