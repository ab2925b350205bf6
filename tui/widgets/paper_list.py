"""The paper list widget: one line per paper, drawn only for the rows on screen.

`PaperList` is a Line-API `ScrollView` (the approach of Textualize/toolong's
log view): it keeps the row sequence it is given, sets its virtual height to
the row count, and builds a `Strip` only when Textual asks for a visible line.
Replacing 100k rows therefore costs O(1) and a cursor move repaints two lines,
where OptionList/DataTable/ListView build a widget or a line per row up front
(seconds at 100k rows, see /work/shared/STYLE.md).

How a row reads is `tui.widgets.paper_row`'s docstring.

Styles live in ``tui/styles/paper_list.tcss`` (`STYLESHEET`); the component
classes in `PaperList.COMPONENT_CLASSES` colour the parts of a row. This
module is the widget (rows, cursor, scrolling, the strip cache).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import ClassVar

from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from store.model import Row, Status
from tui.widgets.paper_row import CODE_MARK, QUEUE_MARK, empty_strip, row_strip

__all__ = ["CODE_MARK", "QUEUE_MARK", "STYLESHEET", "PaperList"]

STYLESHEET = Path(__file__).resolve().parent.parent / "styles" / "paper_list.tcss"
"""The widget's CSS; list it in the App's ``CSS_PATH``."""

STRIP_CACHE_SIZE = 1024
"""Rendered rows kept; a few screens' worth, so scrolling back is free."""


MOVE = Binding.Group("Move", compact=True)
"""j and k share one footer item ("jk Move")."""


class PaperList(ScrollView, can_focus=True):
    """A fast, keyboard-driven list of papers with one highlighted row (the cursor).

    The screen owns the data: it passes a row sequence with `set_rows` and
    looks statuses and queues up through the `status_of` / `queued` callables,
    so a status change needs only `refresh_rows`.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", id="list.down", tooltip="Move to the next paper", group=MOVE),
        Binding("k", "cursor_up", "Up", id="list.up", tooltip="Move to the previous paper", group=MOVE),
        Binding("down", "cursor_down", "Down", show=False, id="list.down", tooltip="Move to the next paper"),
        Binding("up", "cursor_up", "Up", show=False, id="list.up", tooltip="Move to the previous paper"),
        Binding("g", "cursor_first", "First", show=False, id="list.first", tooltip="Move to the first paper"),
        Binding("home", "cursor_first", "First", show=False, id="list.first", tooltip="Move to the first paper"),
        Binding("G", "cursor_last", "Last", show=False, id="list.last", tooltip="Move to the last paper"),
        Binding("end", "cursor_last", "Last", show=False, id="list.last", tooltip="Move to the last paper"),
        Binding("pageup", "cursor_page_up", "Page up", show=False, id="list.page_up", tooltip="Move up one screen"),
        Binding("pagedown", "cursor_page_down", "Page down", show=False, id="list.page_down", tooltip="Move down one screen"),
    ]
    """Keys for moving the cursor. Each has an id so a keymap can rebind it; the
    arrow/home/end duplicates share the id and are hidden from the footer."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "paper-list--cursor",
        "paper-list--new",
        "paper-list--read",
        "paper-list--starred",
        "paper-list--skipped",
        "paper-list--mark",
        "paper-list--watched",
        "paper-list--upvotes",
        "paper-list--date",
        "paper-list--empty",
    }
    """Parts of a row that CSS can style. The status classes style the glyph and
    the title; ``--cursor`` is laid over the whole cursor row."""

    cursor_index: reactive[int] = reactive(0, init=False, repaint=False)
    """Index of the highlighted row in the current rows (0 when empty)."""

    empty_text: reactive[str] = reactive("No papers match")
    """Shown, centred and dim, when there are no rows."""

    class Highlighted(Message):
        """The cursor moved to another row, or the rows changed under it.

        Handle with ``on_paper_list_highlighted``; the screen shows the abstract.
        """

        def __init__(self, paper_list: PaperList, paper_id: str | None, index: int) -> None:
            super().__init__()
            self.paper_list = paper_list
            """The list that sent the message."""
            self.paper_id = paper_id
            """Id of the highlighted paper, or None when the list is empty."""
            self.index = index
            """The cursor index (0 when the list is empty)."""

        @property
        def control(self) -> PaperList:
            """The list, so ``@on(PaperList.Highlighted, "#selector")`` works."""
            return self.paper_list

    def __init__(
        self,
        rows: Sequence[Row] = (),
        *,
        status_of: Callable[[str], Status] = lambda paper_id: Status.NEW,
        queued: Callable[[str], bool] = lambda paper_id: False,
        watched: Callable[[str], bool] = lambda paper_id: False,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        """Create the list.

        Args:
            rows: Initial rows (kept as is, not copied).
            status_of: Reading status of a paper id; called only for drawn rows.
            queued: Whether a paper id is in any reading queue.
            watched: Whether a watch rule matches a paper id (the row's ``♦``).
            name, id, classes, disabled: As for any widget.
        """
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.status_of = status_of
        """Reading status lookup; call `refresh_rows` after replacing it."""
        self.queued = queued
        """Queue-membership lookup; call `refresh_rows` after replacing it."""
        self.tags_of: Callable[[str], str] = lambda paper_id: ""
        """A paper's compact tag cell (``#ml +2``), precomputed by the owner; `refresh_rows` after a change."""
        self.watched = watched
        self._rows: Sequence[Row] = rows
        self._index_of: Mapping[str, int] | None = None
        self._strips: LRUCache[tuple[Row, Status, bool, str, int, bool, bool, bool], Strip] = LRUCache(STRIP_CACHE_SIZE)
        self._styles: dict[tuple[str | None, bool, bool], Style] = {}
        """A row part's style by (component, on the cursor row, focused), made once per theme: a screenful asks ~250 times."""
        self.virtual_size = Size(0, len(rows))

    # ----------------------------------------------------------------- data
    @property
    def rows(self) -> Sequence[Row]:
        """The rows shown, exactly as given to `set_rows`."""
        return self._rows

    @property
    def row_count(self) -> int:
        """Number of rows."""
        return len(self._rows)

    @property
    def current_id(self) -> str | None:
        """Id of the paper under the cursor, or None when the list is empty."""
        rows = self._rows
        return rows[self.cursor_index].id if rows else None

    @property
    def visible_range(self) -> range:
        """Indices of the rows currently on screen (empty before the first layout)."""
        top = round(self.scroll_y)
        return range(min(top, self.row_count), min(top + self.scrollable_content_region.height, self.row_count))

    def set_rows(
        self, rows: Sequence[Row], *, keep_id: str | None = None, index_of: Mapping[str, int] | None = None
    ) -> None:
        """Show another set of rows (a view, a filter result).

        The sequence is kept, not copied, so this is O(1) whatever its length,
        except for finding `keep_id` (see below). Posts `Highlighted`.

        Args:
            rows: The new rows. Do not mutate it afterwards; pass a new one.
            keep_id: Keep the cursor on this paper if it is among `rows`;
                otherwise the cursor keeps its index, clamped to the new length.
            index_of: Optional precomputed id → index map for `rows`, used to
                find `keep_id` in O(1). Without it the row under the old index
                is tried first, then one linear scan (about 6 ms per 100k
                rows), three times cheaper than building a dict that would
                serve a single lookup.
        """
        old_index = self.cursor_index
        self._rows = rows
        self._index_of = index_of
        count = len(rows)
        index = min(old_index, max(count - 1, 0))
        if keep_id is not None and count:
            found = self._find(keep_id, index, index_of)
            if found is not None and 0 <= found < count:
                index = found
        self.set_reactive(PaperList.cursor_index, index)
        self._set_row_count(count)
        self._scroll_cursor_visible()
        self.refresh()
        self._post_highlighted()

    def _set_row_count(self, count: int) -> None:
        """Resize the scrollable area, with a layout pass only when it is needed.

        ``virtual_size`` is a layout reactive: setting it re-lays out the whole
        screen, which costs most of a frame. When the scrollbar neither appears
        nor disappears (one paper leaving a long Inbox), the new size and the
        scrollbar's thumb can be set directly.
        """
        old = self.virtual_size.height
        height = self.scrollable_content_region.height
        if old == count:
            return
        if height and old > height and count > height and self.show_vertical_scrollbar:
            self.set_reactive(PaperList.virtual_size, Size(0, count))
            self.vertical_scrollbar.window_virtual_size = count
            self.vertical_scrollbar.refresh()
        else:
            self.virtual_size = Size(0, count)

    def _find(self, paper_id: str, hint: int, index_of: Mapping[str, int] | None) -> int | None:
        """Find `paper_id` in the current rows, trying `hint` first."""
        rows = self._rows
        if index_of is not None:
            return index_of.get(paper_id)
        if rows[hint].id == paper_id:
            return hint
        for index, row in enumerate(rows):
            if row.id == paper_id:
                return index
        return None

    def index_of(self, paper_id: str) -> int | None:
        """Index of `paper_id` in the current rows, or None.

        Builds an id → index dict on first use and keeps it until the rows
        change, so repeated lookups ("jump to paper") are O(1).

        Args:
            paper_id: A paper id.

        Returns:
            Its row index, or None when it is not shown.
        """
        if self._index_of is None:
            self._index_of = {row.id: index for index, row in enumerate(self._rows)}
        return self._index_of.get(paper_id)

    def refresh_rows(self) -> None:
        """Repaint every row, keeping rows, cursor and scroll.

        Call after statuses or queues changed (or `status_of`/`queued` were
        replaced). Cached strips stay: a row's status and queue mark are part
        of its cache key, so only the rows that changed are drawn again (one
        row per triage key, not a screenful: about 5 ms less per key).
        """
        self.refresh()

    # --------------------------------------------------------------- cursor
    def validate_cursor_index(self, index: int) -> int:
        return max(0, min(index, self.row_count - 1))

    def watch_cursor_index(self, old_index: int, new_index: int) -> None:
        self.refresh_line(old_index)
        self.refresh_line(new_index)
        self._scroll_cursor_visible()
        self._post_highlighted()

    def _post_highlighted(self) -> None:
        self.post_message(self.Highlighted(self, self.current_id, self.cursor_index))

    def _scroll_cursor_visible(self) -> None:
        """Scroll the least amount that puts the cursor row on screen."""
        height = self.scrollable_content_region.height
        if height <= 0:
            return  # not laid out yet; on_resize will do it
        index = self.cursor_index
        top = round(self.scroll_y)
        # force: right after set_rows Textual has not yet decided that a
        # scrollbar is needed (that waits for layout) and would refuse to
        # scroll; the target is clamped to the new virtual size either way.
        if index < top:
            self.scroll_to(y=index, animate=False, force=True)
        elif index >= top + height:
            self.scroll_to(y=index - height + 1, animate=False, force=True)

    def on_mount(self) -> None:
        """Announce the first highlighted paper so the screen can show it."""
        # No super() call: Textual dispatches ScrollView.on_mount itself.
        self._post_highlighted()

    def _on_resize(self, event: events.Resize) -> None:
        self._scroll_cursor_visible()

    def _on_focus(self, event: events.Focus) -> None:
        self.refresh_line(self.cursor_index)

    def _on_blur(self, event: events.Blur) -> None:
        self.refresh_line(self.cursor_index)

    title_spans: Callable[[str], Sequence[tuple[int, int]]] | None = None
    """Spans of a title that match the filter, to highlight; None when there is no filter."""

    def set_title_spans(self, spans: Callable[[str], Sequence[tuple[int, int]]] | None) -> None:
        """Highlight filter matches in the titles (None: no highlights); redraws the visible rows."""
        self.title_spans = spans
        self._strips.clear()
        self.refresh()

    def notify_style_update(self) -> None:
        """Drop cached strips: the theme or the CSS changed."""
        super().notify_style_update()
        self._strips.clear()
        self._styles.clear()
        self.refresh()

    def action_cursor_down(self) -> None:
        """Move the cursor to the next row."""
        self.cursor_index += 1

    def action_cursor_up(self) -> None:
        """Move the cursor to the previous row."""
        self.cursor_index -= 1

    def action_cursor_first(self) -> None:
        """Move the cursor to the first row."""
        self.cursor_index = 0

    def action_cursor_last(self) -> None:
        """Move the cursor to the last row."""
        self.cursor_index = self.row_count - 1

    def action_cursor_page_down(self) -> None:
        """Move the cursor and the view down by one screen."""
        self._page(+1)

    def action_cursor_page_up(self) -> None:
        """Move the cursor and the view up by one screen."""
        self._page(-1)

    def _page(self, direction: int) -> None:
        # Scroll the view with the cursor so the cursor keeps its place on
        # screen; scrolling only "enough to see it" would advance one line.
        page = max(1, self.scrollable_content_region.height)
        old = self.cursor_index
        new = self.validate_cursor_index(old + direction * page)
        self.scroll_to(y=self.scroll_y + (new - old), animate=False, force=True)
        self.cursor_index = new

    def on_click(self, event: events.Click) -> None:
        """Move the cursor to the clicked row."""
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = round(self.scroll_y) + offset.y
        if 0 <= index < self.row_count:
            self.cursor_index = index

    # ------------------------------------------------------------ rendering
    def render_line(self, y: int) -> Strip:
        """Draw screen line `y` (Textual calls this only for visible lines)."""
        width = self.scrollable_content_region.width
        rows = self._rows
        if not rows:
            return self._render_empty(y, width)
        index = round(self.scroll_y) + y
        if index >= len(rows) or width <= 0:
            return Strip.blank(width, self.rich_style)
        row = rows[index]
        is_cursor = index == self.cursor_index
        # Only the cursor row looks different with focus, so only its key
        # carries it: blurring the list re-renders one row, not a screenful.
        pid = row.id
        focused = is_cursor and self.has_focus
        key = (row, self.status_of(pid), self.queued(pid), self.tags_of(pid), width, is_cursor, focused, self.watched(pid))
        strip = self._strips.get(key)
        if strip is None:
            strip = self._render_row(*key)
            self._strips[key] = strip
        return strip

    def _render_empty(self, y: int, width: int) -> Strip:
        if y != self.scrollable_content_region.height // 2:
            return Strip.blank(width, self.rich_style)
        return empty_strip(self.empty_text, width, self.get_component_rich_style("paper-list--empty"), self.rich_style)

    def _render_row(
        self, row: Row, status: Status, queued: bool, tags: str, width: int, is_cursor: bool, focused: bool, watched: bool
    ) -> Strip:
        """Build the strip for one row; the arguments are the cache key."""
        styles = self._styles

        def style(component: str | None) -> Style:
            found = styles.get((component, is_cursor, focused))
            if found is None:
                # Row parts sit on the widget style; the cursor is laid on top so
                # its colours win (contrast) while bold/dim from the part remain.
                base = self.rich_style
                found = base + self.get_component_rich_style(component, partial=True) if component else base
                if is_cursor:
                    found += self.get_component_rich_style("paper-list--cursor")
                styles[(component, is_cursor, focused)] = found
            return found

        return row_strip(row, status, queued, width, style, self.title_spans, tags, watched)
