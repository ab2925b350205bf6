"""The data model: typed, frozen records that are all `store/` hands out.

TinyDB documents never leave `store/`; callers get these dataclasses.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import NamedTuple


class Status(str, Enum):
    """Reading status of a paper.

    One status per paper keeps triage a single keystroke with a single meaning:
    ``starred`` implies the paper was read, ``skipped`` means "not for me".
    """

    NEW = "new"
    READ = "read"
    STARRED = "starred"
    SKIPPED = "skipped"

    @property
    def glyph(self) -> str:
        return _GLYPHS[self]


_GLYPHS = {Status.NEW: "●", Status.READ: " ", Status.STARRED: "★", Status.SKIPPED: "✗"}

DEFAULT_QUEUE = "to-read"


@dataclass(frozen=True, slots=True, kw_only=True)
class PaperFields:
    """What is known about a paper, shared by drafts and stored papers.

    Every field but the title may be unknown: page copies give only a title
    and an abstract, the Hugging Face API gives much more.
    """

    title: str
    abstract: str = ""
    authors: tuple[str, ...] = ()
    date: str | None = None
    """ISO day the paper appeared in a daily list (YYYY-MM-DD)."""
    published: str | None = None
    """ISO day the paper itself was published (arXiv), when known."""
    arxiv_id: str | None = None
    github: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    """Other links: project pages, Hugging Face pages."""
    upvotes: int | None = None
    comments: int | None = None
    github_stars: int | None = None
    keywords: tuple[str, ...] = ()
    ai_summary: str = ""
    """Hugging Face's machine-written summary (``ai_summary``): not the authors' words."""
    withdrawn: bool = False
    primary_class: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Paper(PaperFields):
    """A paper in the store. ``id`` is the arXiv id when known."""

    id: str
    sources: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    """Ids this paper was known by before (a title id later matched to arXiv)."""

    @property
    def year(self) -> int | None:
        day = self.published or self.date
        return int(day[:4]) if day else None

    @property
    def url(self) -> str | None:
        if self.arxiv_id:
            return f"https://arxiv.org/abs/{self.arxiv_id}"
        return self.links[0] if self.links else None


class Row(NamedTuple):
    """One line of the paper list: what the list pane needs, nothing more.

    Rows come from a compact cache next to the store so that the first paint
    does not wait for every abstract to load. A NamedTuple, not a dataclass:
    100k of them are built at start-up, and a tuple is built several times
    faster than a frozen dataclass.
    """

    id: str
    title: str
    date: str | None
    has_code: bool
    upvotes: int | None = None
