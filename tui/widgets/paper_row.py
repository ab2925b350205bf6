"""One row of the paper list as a `Strip`: its columns, their widths, and the filter's highlights.

Plain functions of a row and a width, so `tui.widgets.paper_list.PaperList`
can cache their strips.

A row reads, left to right::

    ●≡λ Title cut to fit with an ellipsis…      ▲123 2026-11-20

* status glyph from `Status.glyph` (● new, ★ starred, ✗ skipped, blank read);
* ``≡`` when the paper is in any reading queue (looks like a list);
* ``λ`` when the paper has code (a nod to code that every terminal font has);
* ``♦`` before the title when a watch rule of config.toml matches it (coloured too);
* the title, its inline TeX rendered (`store.texrender`, cached), made inert
  (`tui.text.one_line`) and cut to the cells left;
* the reader's tags, compact (``#ml +2``, `store.tags.compact_tags`), right after
  the cut title so the columns after it stay aligned;
* upvotes as ``▲123`` (``▲12k`` above 9999) right-aligned in 5 cells; a paper
  without upvotes (a page copy) gives those cells to its title;
* the day as ISO ``YYYY-MM-DD``: the list spans years, so the year matters,
  and ISO days sort and read the same everywhere.

``≡``, ``λ``, ``▲`` and ``…`` are all in WGL4 / code page 437, which common
terminal fonts cover. All widths are measured in terminal cells
(`rich.cells`), so wide CJK characters and emoji keep the columns aligned. On
narrow widths the upvote column goes first, then the date.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from store.model import Row, Status
from store.texrender import render_tex
from tui.text import one_line

QUEUE_MARK = "≡"
"""Drawn when the paper is in a reading queue."""
CODE_MARK = "λ"
"""Drawn when the paper links to code."""
WATCH_MARK = "♦ "
"""Before the title of a paper a watch rule matches: the glyph carries it without colour (NO_COLOR)."""
ELLIPSIS = "…"

UPVOTES_WIDTH = 5
"""``▲`` plus up to four characters (``▲9999``, ``▲12k``)."""
DATE_WIDTH = 10
"""An ISO day, ``YYYY-MM-DD``."""
PREFIX_WIDTH = 4
"""Status glyph, queue mark, code mark, one space."""
MIN_TITLE_WIDTH = 16
"""Below this many title cells the upvotes column is dropped, then the date."""

def format_upvotes(upvotes: int | None) -> str:
    """Format upvotes for the 5-cell column (empty when unknown)."""
    if upvotes is None:
        return ""
    if upvotes < 10_000:
        return f"▲{max(upvotes, 0)}"
    return f"▲{min(upvotes // 1000, 999)}k"


def columns(width: int) -> tuple[int, bool, bool]:
    """Decide the layout for a row `width` cells wide.

    Returns:
        (title cells, show upvotes, show date). Every row of one width gets the
        same layout, so the columns line up.
    """
    title = width - PREFIX_WIDTH - (1 + UPVOTES_WIDTH) - (1 + DATE_WIDTH)
    if title >= MIN_TITLE_WIDTH:
        return title, True, True
    title += 1 + UPVOTES_WIDTH
    if title >= MIN_TITLE_WIDTH:
        return title, False, True
    return max(0, width - PREFIX_WIDTH), False, False


def fit(text: str, width: int) -> str:
    """Cut `text` to exactly `width` cells, ending in an ellipsis when cut."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    # set_cell_size pads with a space when a wide character would be split,
    # so the result is always exactly width - 1 cells before the ellipsis.
    return set_cell_size(text, width - 1) + ELLIPSIS


MATCH_STYLE = Style(reverse=True, color="yellow")
"""Filter matches in titles: as in the abstract pane."""


def title_segments(
    title: str, style: Style, spans_of: Callable[[str], Sequence[tuple[int, int]]] | None, match: Style
) -> list[Segment]:
    """The fitted title as segments, filter matches (clipped to what is shown) highlighted."""
    spans = spans_of(title) if spans_of is not None else ()
    if not spans:
        return [Segment(title, style)]
    segments, at = [], 0
    for begin, end in sorted(spans):
        begin, end = max(begin, at), min(end, len(title))
        if begin >= end:
            continue
        if begin > at:
            segments.append(Segment(title[at:begin], style))
        segments.append(Segment(title[begin:end], style + match))
        at = end
    if at < len(title):
        segments.append(Segment(title[at:], style))
    return segments




def empty_strip(text: str, width: int, style: Style, blank: Style) -> Strip:
    """The list's empty-text line: ``text`` made inert, cut to ``width`` and centred."""
    if width <= 0:
        return Strip.blank(width, blank)
    text = one_line(text)
    if cell_len(text) > width:
        text = fit(text, width)
    left = (width - cell_len(text)) // 2
    return Strip(
        [
            Segment(" " * left, style),
            Segment(text, style),
            Segment(" " * (width - left - cell_len(text)), style),
        ],
        width,
    )


def row_strip(
    row: Row,
    status: Status,
    queued: bool,
    width: int,
    style: Callable[[str | None], Style],
    spans_of: Callable[[str], Sequence[tuple[int, int]]] | None,
    tags: str = "",
    watched: bool = False,
) -> Strip:
    """The strip for one row ``width`` cells wide.

    Args:
        row: The paper's row.
        status: Its reading status (the glyph and the title's style).
        queued: Whether it is in a reading queue.
        width: Cells available.
        style: The style of a component class (None: the row's own style), cursor included.
        spans_of: The filter's title highlighter, or None.
        tags: The compact tag cell (``#ml +2``), or ``""``; dropped when the title would get too short.
        watched: Whether a watch rule matches it (``♦`` before the title).
    """
    status_style = style(f"paper-list--{status.value}")
    mark_style = style("paper-list--mark")
    title_width, show_upvotes, show_date = columns(width)
    if show_upvotes and row.upvotes is None:
        # A page-copy paper has no upvotes: its title takes the empty column.
        title_width += 1 + UPVOTES_WIDTH
        show_upvotes = False
    watch = [Segment(WATCH_MARK, style("paper-list--watched"))] if watched and title_width > 2 * len(WATCH_MARK) else []
    title_width -= len(WATCH_MARK) * len(watch)
    tag_cells = cell_len(tags) + 1 if tags else 0
    if tag_cells and title_width - tag_cells >= MIN_TITLE_WIDTH:
        title_width -= tag_cells
    else:
        tags = ""
    title = fit(one_line(render_tex(row.title)), title_width)
    segments = [
        Segment(status.glyph, status_style),
        Segment(QUEUE_MARK if queued else " ", mark_style),
        Segment(CODE_MARK if row.has_code else " ", mark_style),
        Segment(" ", style(None)),
        *watch,
        *title_segments(title, status_style, spans_of, MATCH_STYLE),
    ]
    if tags:
        segments.append(Segment(" ", style(None)))
        segments.append(Segment(tags, mark_style))
    if show_upvotes:
        upvotes = format_upvotes(row.upvotes).rjust(UPVOTES_WIDTH)
        segments.append(Segment(" ", style(None)))
        segments.append(Segment(upvotes, style("paper-list--upvotes")))
    if show_date:
        date = fit(one_line(row.date or "")[:DATE_WIDTH], DATE_WIDTH)
        segments.append(Segment(" ", style(None)))
        segments.append(Segment(date, style("paper-list--date")))
    strip = Strip(segments, width if width >= PREFIX_WIDTH else None)
    return strip if width >= PREFIX_WIDTH else strip.crop(0, width)
