"""Tags and notes: the reader's own words on papers, kept in ``state.json``.

Both are state operations like statuses (see :mod:`store.state`): a tag
change names one tag on one paper, a note edit carries the whole new text and
its time, so two processes merge (each replays its own operations on what
the other wrote; the last note written for a paper wins, edits of other
papers are never lost). Every change is one undo step.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from store.errors import UnknownPaperError
from store.journal import Journal, now
from store.state import Op
from store.tags import check_tag, compact_tags

if TYPE_CHECKING:
    from store.query import Filter  # its parser and patterns are not needed to open a store


class Annotations(Journal):
    """The tag and note half of :class:`store.store.Store` (kept apart to keep each module small)."""

    # -- tags ------------------------------------------------------------------
    def tags_of(self, paper_id: str) -> list[str]:
        """The paper's tags, sorted (an old id finds its paper's tags)."""
        return list(self._state.tags.get(self.corpus.resolve_loaded(paper_id), ()))

    def tag_cell(self, paper_id: str) -> str:
        """The compact tag cell of a list row (``#ml +2``; see `compact_tags`): the list's per-line look-up."""
        tags = self._state.tags.get(paper_id)
        return compact_tags(tags) if tags else ""

    def all_tags(self) -> dict[str, list[str]]:
        """Paper id -> tags, for every tagged paper (copies)."""
        with self._mutex:
            return {pid: list(names) for pid, names in self._state.tags.items()}

    def tag_counts(self) -> dict[str, int]:
        """Tag -> how many papers carry it, most used first, then by name."""
        counts = Counter(t for names in self._state.tags.values() for t in names)
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    def tagged(self, tag: str) -> list[str]:
        """Ids of the papers carrying ``tag``."""
        name = check_tag(tag)
        return [pid for pid, names in self._state.tags.items() if name in names]

    def tag_papers(self, paper_ids: Iterable[str], add: Iterable[str] = (), remove: Iterable[str] = ()) -> int:
        """Add and remove tags on papers in one undo step; returns how many (paper, tag) pairs changed.

        Raises:
            TagError: a tag name is not valid (nothing is changed then).
            UnknownPaperError: an id is not in the store.
        """
        adding = [check_tag(t) for t in add]
        removing = [check_tag(t) for t in remove]
        ids = list(dict.fromkeys(self.corpus.resolve(p) for p in paper_ids))
        for pid in ids:
            if self.corpus.get(pid) is None:
                raise UnknownPaperError(pid)
        ops: list[Op] = []
        changes: list[dict[str, Any]] = []
        for pid in ids:
            have = set(self._state.tags.get(pid, ()))
            for tag in dict.fromkeys(adding):
                if tag not in have:
                    ops.append({"op": "tag", "id": pid, "tag": tag, "on": True})
                    changes.append({"kind": "tag", "id": pid, "tag": tag, "on": False})
            for tag in dict.fromkeys(removing):
                if tag in have:
                    ops.append({"op": "tag", "id": pid, "tag": tag, "on": False})
                    changes.append({"kind": "tag", "id": pid, "tag": tag, "on": True})
        if ops:
            self._record(ops, changes, _tag_label(adding, removing, len(ids)))
        return len(ops)

    def annotation_test(self, filters: Iterable[Filter]) -> Callable[[str], bool] | None:
        """A test of a paper id for the ``tag:``, ``has:note`` and ``note:`` filters; None without them.

        Applied after the search index (which knows nothing of the reader's
        own words), like ``is:`` and ``in:``: a lookup per candidate.
        """
        wanted = [f for f in filters if f.kind in ("tag", "note")]
        if not wanted:
            return None
        from store.tokens import normalize  # the search's folding: not needed to open a store

        tags, notes = self._state.tags, self._state.notes

        def holds(f: Filter, pid: str) -> bool:
            if f.kind == "tag":
                return f.value in tags.get(pid, ())
            if not f.value:
                return pid in notes
            entry = notes.get(pid)
            return entry is not None and f.value in normalize(entry[0])

        return lambda pid: all(holds(f, pid) != f.negated for f in wanted)

    # -- notes -------------------------------------------------------------------
    def note(self, paper_id: str) -> str:
        """The paper's note (Markdown), or ``""``."""
        entry = self._state.notes.get(self.corpus.resolve_loaded(paper_id))
        return entry[0] if entry else ""

    def noted_ids(self) -> frozenset[str]:
        return frozenset(self._state.notes)

    def set_note(self, paper_id: str, text: str) -> bool:
        """Replace the paper's note (blank text deletes it); one undo step. Returns True when it changed.

        Raises:
            UnknownPaperError: the id is not in the store.
        """
        pid = self.corpus.resolve(paper_id)
        if self.corpus.get(pid) is None:
            raise UnknownPaperError(paper_id)
        text = text.rstrip() + "\n" if text.strip() else ""
        old = self.note(pid)
        if text == old:
            return False
        self._record(
            [{"op": "note", "id": pid, "text": text, "at": now()}],
            [{"kind": "note", "id": pid, "text": old}],
            "note deleted" if not text else "note edited",
        )
        return True


def _tag_label(adding: list[str], removing: list[str], papers: int) -> str:
    parts = [f"+#{t}" for t in adding] + [f"-#{t}" for t in removing]
    what = " ".join(parts[:3]) + (" …" if len(parts) > 3 else "")
    return f"tags {what}" + (f" on {papers} papers" if papers > 1 else "")
