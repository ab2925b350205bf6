"""Saved views on the store: save, rename and delete a named query (each one undoable)."""

from __future__ import annotations

from store.journal import Journal
from store.view_ops import ViewNameError, check_view_name


class SavedViewStore(Journal):
    """The saved-view half of `store.store.Store` (kept apart: the store module is full)."""

    def saved_views(self) -> dict[str, str]:
        """Name -> query, in the views bar's order (copies)."""
        with self._mutex:
            return dict(self._state.views)

    def saved_view(self, name: str) -> str:
        """The query of the view called ``name`` (case-insensitive when no exact match).

        Raises:
            ViewNameError: no such view.
        """
        views = self.saved_views()
        if name in views:
            return views[name]
        folded = {key.casefold(): query for key, query in views.items()}
        if name.casefold() in folded:
            return folded[name.casefold()]
        known = ", ".join(views) or "none saved yet"
        raise ViewNameError(f"no saved view named {name!r} (saved views: {known})")

    def view_save(self, name: str, query: str) -> str:
        """Save ``query`` as ``name`` (replacing a view of that name); returns the cleaned name."""
        name = check_view_name(name)
        old = self._state.views.get(name)
        if old != query:
            self._record(
                [{"op": "view_set", "name": name, "query": query}],
                [{"kind": "view", "name": name, "query": old}],
                f"saved view {name}",
            )
        return name

    def view_rename(self, old: str, new: str) -> str:
        self.saved_view(old)
        new = check_view_name(new)
        if new == old:
            return new
        if new in self._state.views:
            raise ViewNameError(f"a view named {new!r} exists already")
        self._record(
            [{"op": "view_rename", "old": old, "new": new}],
            [{"kind": "view", "old": old, "new": new}],
            f"renamed view {old} to {new}",
        )
        return new

    def view_delete(self, name: str) -> None:
        query = self.saved_view(name)
        self._record(
            [{"op": "view_set", "name": name, "query": None}],
            [{"kind": "view", "name": name, "query": query}],
            f"deleted view {name}",
        )
