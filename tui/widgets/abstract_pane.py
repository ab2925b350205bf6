"""The abstract pane: everything about the selected paper, then its abstract."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from store.model import Paper, Status
from store.texrender import render_tex
from tui.text import inert, one_line

STATUS_LABEL = {
    Status.NEW: "● new",
    Status.READ: "read",
    Status.STARRED: "★ starred",
    Status.SKIPPED: "✗ skipped",
}


def status_text(status: Status, queues: Sequence[str], tags: Sequence[str] = ()) -> Text:
    """The one line that changes on a triage or tag key, drawn apart from the rest."""
    text = Text(STATUS_LABEL[status], style="bold", no_wrap=True, overflow="ellipsis")
    if queues:
        text.append("  in " + ", ".join(inert(q) for q in queues), style="cyan")
    if tags:
        text.append("  " + " ".join(f"#{t}" for t in tags), style="magenta")
    return text


def notes_text(tags: Sequence[str], note: str) -> Text:
    """The reader's own words under the abstract: every tag, then the note (Markdown source, as written)."""
    text = Text()
    if tags:
        text.append("\nYour tags ", style="bold dim")
        text.append("(t edits): ", style="dim")
        text.append(" ".join(f"#{t}" for t in tags), style="magenta")
        text.append("\n")
    if note:
        text.append("\nYour note ", style="bold dim")
        text.append("(e edits):", style="dim")
        text.append("\n")
        text.append(inert(note.rstrip()), style="italic")
        text.append("\n")
    return text


def paper_text(
    paper: Paper, spans: Sequence[tuple[int, int]] = (), title_spans: Sequence[tuple[int, int]] = ()
) -> Text:
    """Rich text for one paper; every field from outside goes through ``inert``.

    Title, abstract and AI summary are shown with their inline TeX rendered
    (``$k$NN-LM`` reads ``kNN-LM``); the stored text stays TeX for citations.
    The AI summary is Hugging Face's, not the authors': it comes first (it is
    the quick read), labelled and dimmed, and the abstract follows under its
    own label, so one is never taken for the other.

    Args:
        spans: character spans of the *rendered* abstract to highlight
            (filter matches, from ``Store.highlight(render_tex(abstract), ...)``).
    """
    text = Text()
    text.append(one_line(render_tex(paper.title)), style="bold")
    for begin, end in title_spans:
        text.stylize("reverse yellow", begin, end)
    if paper.withdrawn:
        text.append("  [withdrawn]", style="bold red")
    text.append("\n")
    if paper.authors:
        text.append(inert(", ".join(paper.authors)), style="italic")
        text.append("\n")
    facts = [paper.date or "date unknown"]
    if paper.arxiv_id:
        facts.append(f"arXiv:{paper.arxiv_id}" + (f" [{paper.primary_class}]" if paper.primary_class else ""))
    if paper.upvotes is not None:
        facts.append(f"▲ {paper.upvotes}")
    if paper.comments:
        facts.append(f"{paper.comments} comments")
    text.append(" · ".join(inert(f) for f in facts), style="dim")
    text.append("\n")
    for link in paper.github:
        stars = f" ★{paper.github_stars}" if paper.github_stars and link == paper.github[0] else ""
        text.append("code  ", style="dim")
        text.append(inert(link) + stars, style="green")
        text.append("\n")
    if paper.url:
        text.append("link  ", style="dim")
        text.append(inert(paper.url), style="blue")
        text.append("\n")
    for link in paper.links:
        if link != paper.url:
            text.append("page  ", style="dim")
            text.append(inert(link), style="blue")
            text.append("\n")
    if paper.keywords:
        text.append("tags  ", style="dim")
        text.append(inert(", ".join(paper.keywords)), style="magenta")
        text.append("\n")
    if paper.ai_summary:
        text.append("\n")
        text.append("AI summary (Hugging Face, not the authors'):", style="bold dim")
        text.append("\n")
        text.append(inert(render_tex(paper.ai_summary)), style="italic dim")
        text.append("\n\n")
        text.append("Abstract:", style="bold dim")
        text.append("\n")
    else:
        text.append("\n")
    start = len(text)
    text.append(inert(render_tex(paper.abstract)) if paper.abstract else "(no abstract)")
    for begin, end in spans:
        text.stylize("reverse yellow", start + begin, start + end)
    return text


class AbstractPane(VerticalScroll, can_focus=False):
    """Scrolls from the keyboard while the list keeps focus (see MainScreen keys).

    The status line is its own one-line widget: a triage key repaints that
    line only, without re-wrapping the abstract or a layout pass.
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: tuple[object, ...] | None = None
        self._notes: tuple[tuple[str, ...], str] = ((), "")
        """The tags and note shown under the abstract (redrawn only when they change)."""
        self._notes_section: Static | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="abstract-status", markup=False)
        yield Static(id="abstract-body", markup=False)

    def show(
        self,
        paper: Paper | None,
        status: Status = Status.NEW,
        queues: Sequence[str] = (),
        spans: Sequence[tuple[int, int]] = (),
        title_spans: Sequence[tuple[int, int]] = (),
        tags: Sequence[str] = (),
        note: str = "",
    ) -> None:
        body = self.query_one("#abstract-body", Static)
        line = self.query_one("#abstract-status", Static)
        notes = (tuple(tags), note) if paper is not None else ((), "")
        if notes != self._notes:
            self._notes = notes
            if self._notes_section is None:
                # Made at the first tags or note shown: hidden, it still cost the first frame.
                self._notes_section = Static(id="abstract-notes", markup=False)
                self.mount(self._notes_section)
            section = self._notes_section
            section.update(notes_text(*notes))
            section.display = bool(notes[0] or notes[1])
        if paper is None:
            self._shown = None
            line.update("", layout=False)
            body.update(Text("No paper selected.", style="dim"))
            return
        line.update(status_text(status, queues, tags), layout=False)
        key = (paper, tuple(spans), tuple(title_spans))
        if key == self._shown:
            return
        same_paper = self._shown is not None and self._shown[0] == paper
        self._shown = key
        # New highlights on the same paper change colours, not line breaks: no layout pass.
        body.update(paper_text(paper, spans, title_spans), layout=not same_paper)
        if not same_paper:
            self.scroll_home(animate=False)

    def page(self, direction: int) -> None:
        if direction > 0:
            self.scroll_page_down(animate=False)
        else:
            self.scroll_page_up(animate=False)
