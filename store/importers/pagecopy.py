"""Import a text copy of the Hugging Face "Daily Papers" page.

People select the page in a browser, copy it, and save it as a text file. What
lands in the file is a few header lines ("Subscribe", "Daily Papers", ...), an
optional date line ("Mar 14"), then one title line and one abstract line per
paper. Two layouts occur:

* blank-line separated: every line is followed by an empty line;
* compact: no empty lines at all, and the first title is glued to the
  "Subscribe" button text ("SubscribeHarbor: ...").

Both reduce to the same thing once empty lines are dropped, so the parser works
on non-empty lines only. The file carries no other structure, which makes
pairing fragile: one stray line shifts every title onto an abstract. Rather
than guess, the parser refuses the whole file when the pairing breaks (an
"abstract" no longer than its title, a paragraph where a title should be),
naming the line, so a wrong file never half-imports.

Whether a file is a page copy at all is judged from the whole file, never
from one pair: real titles begin with quotes, brackets, digits, ``<``, ``$``
or emoji, end with ``:``, ``?``, ``)`` or ``…``, carry TeX, or are one word,
so one odd-looking title only counts against a file when many of its titles
look like markup, code or sentences (READMEs, JSON, prose, tables).
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Sequence

from store.drafts import PaperDraft
from store.errors import InputError
from store.links import extract_github_links
from store.unwrap import unwrap

TITLE_MAX_CHARS = 400
"""A longer "title" is a paragraph: real titles stay well under 200 characters."""

ABSTRACT_MIN_WORDS = 6
"""An abstract is prose; a line with fewer words is a heading, a cell or code."""

ABSTRACT_MIN_MEDIAN_CHARS = 80
"""Half the abstracts of a page are at least this long (real ones: 400+)."""

MIN_ABSTRACT_TO_TITLE_RATIO = 2.0
"""Over the whole file, abstracts are much longer than titles (about 15x on
real pages, never under 6x for a single paper); lists, tables and code are not."""

_HEADER_LINES = (
    "new",
    "Get trending papers in your email inbox!",
    "Get trending papers in your email inbox once a day!",
    "Subscribe",
    "Daily Papers",
    "by AK and the research community",
)
_SUBSCRIBE = "subscribe"


def _header_key(line: str) -> str:
    """Fold a line so "byAK and the research community" matches "by AK ..."."""
    return "".join(line.split()).casefold()


_HEADER_KEYS = frozenset(_header_key(line) for line in _HEADER_LINES)

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DATE_LINE_RE = re.compile(r"^(?P<month>[A-Za-z]{3,9})\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(?P<year>\d{4}))?$")

_ISO_DAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

_HTML_START_RE = re.compile(r"^\s*<(?:!doctype|html|head|body|\?xml)\b", re.IGNORECASE | re.MULTILINE)
_TAG_RE = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>\n]{0,300})?/?>")
_MIN_TAGS_FOR_HTML = 10

_SENTENCE_BREAK_RE = re.compile(r"[.!?]\s+[A-Z]")
_MARKUP_START = ("# ", "## ", "### ", "- ", "* ", "> ", "|", "```", "//", "/*")
_CODE_ENDINGS = ("{", ";", ",", "=", "(", "[")
_JSON_MEMBER_RE = re.compile(r'^"[^"]*"\s*:\s*(?:".*"|[\[{]|-?\d+(?:\.\d+)?|true|false|null)\s*,?$')
"""A JSON object member (``"title": "A",``), not a quoted phrase before a colon
(``"Attention Sink": A Study of ...``), which real titles start with."""
_WORD_CHAR_RE = re.compile(r"\w")

MIN_ODD_TITLES_TOLERATED = 1
"""Odd-looking titles a page with a header may hold whatever its size."""


def parse_page_copy(
    text: str,
    *,
    source: str,
    year: int | None = None,
    day: str | None = None,
    today: _dt.date | None = None,
) -> list[PaperDraft]:
    """Turn the text of a Daily Papers page copy into paper drafts.

    The date line ("Mar 14", "March 14", "Mar 14, 2025") gives every draft its
    ``date``. A date line without a year gets ``year`` when given; otherwise
    the year of ``today`` unless that would put the day in the future, in
    which case the previous year (a page copied on 2 January titled "Dec 31"
    is from last year). ``day`` wins over any date line: it is what the user
    said on the command line, and it is the only date a file without a date
    line can get.

    Args:
        text: The whole file, as read (BOM, CRLF and trailing spaces are fine).
        source: Where the text came from; stored on each draft and named in errors.
        year: Year for a date line that has none.
        day: ``YYYY-MM-DD`` date for every paper, overriding any date line.
        today: The reference day for the never-in-the-future rule
            (default: ``datetime.date.today()``).

    Returns:
        One draft per paper, in page order, with ``title``, ``abstract``,
        ``date``, ``github`` and ``source`` filled in.

    Raises:
        InputError: The text is empty, is HTML, or is not a Daily Papers page
            (the reason names the first line that does not fit).
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise InputError(source, "file is empty")
    _refuse_markup(text, source)
    lines = _content_lines(text)

    body_start, month_day = _read_header(lines, source)
    body = lines[body_start:]
    if not body:
        raise InputError(source, "no papers after the page header")
    _check_pairs(body, source, has_header=body_start > 0)

    paper_date = _paper_date(month_day, source=source, year=year, day=day, today=today)
    drafts: list[PaperDraft] = []
    for index in range(0, len(body), 2):
        title = " ".join(body[index][1].split())
        abstract = unwrap(body[index + 1][1])
        drafts.append(
            PaperDraft(
                title=title,
                abstract=abstract,
                date=paper_date,
                github=extract_github_links(abstract),
                source=source,
            )
        )
    return drafts


def _refuse_markup(text: str, source: str) -> None:
    """Refuse a saved web page: "Save as HTML" is the usual wrong way to copy."""
    first_line = text.lstrip().split("\n", 1)[0].rstrip()
    # A title may begin with "<" ("<think> Tags Considered Harmful"); a line that is all tag may not.
    if _HTML_START_RE.search(text[:4096]) or (first_line.startswith("<") and first_line.endswith(">")):
        raise InputError(
            source, "this is an HTML/XML file, not a text copy of the page (select the page text and copy it)"
        )
    tags = len(_TAG_RE.findall(text))
    # Many tags alone is not enough: a long page may mention "<s>" now and then.
    if tags >= _MIN_TAGS_FOR_HTML and tags * 4 >= text.count("\n") + 1:
        raise InputError(source, "text is full of HTML tags, not a text copy of the page")


def _content_lines(text: str) -> list[tuple[int, str]]:
    """Non-empty lines, stripped, with their 1-based line numbers for errors.

    Only ``\\n`` and ``\\r`` split lines: ``str.splitlines`` would also split
    on U+2028 and friends, which can sit inside an abstract and would then
    shift every pair after it.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    out: list[tuple[int, str]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if stripped:
            out.append((number, stripped))
    return out


def _parse_date_line(line: str) -> tuple[int, int, int | None] | None:
    """``(month, day, year or None)`` for a line like "Mar 14", else None."""
    if len(line) > 20:
        return None
    match = _DATE_LINE_RE.match(line)
    if not match:
        return None
    month = _MONTHS.get(match.group("month").casefold())
    if month is None:
        return None
    year = match.group("year")
    return month, int(match.group("day")), int(year) if year else None


def _read_header(lines: list[tuple[int, str]], source: str) -> tuple[int, tuple[int, int, int | None] | None]:
    """Skip the header block; return where the papers start and its date line.

    Header lines may come in any order and any subset. In the compact layout
    the first title is glued to "Subscribe"; it is split off when no separate
    "Subscribe" line came first and the rest does not read as the same word
    going on ("Subscribers ..."), unless other header lines already showed
    this is a page copy.
    """
    month_day: tuple[int, int, int | None] | None = None
    seen_header = False
    seen_subscribe = False
    index = 0
    while index < len(lines):
        number, line = lines[index]
        key = _header_key(line)
        if key in _HEADER_KEYS:
            seen_header = True
            seen_subscribe = seen_subscribe or key == _SUBSCRIBE
            index += 1
            continue
        parsed = _parse_date_line(line)
        if parsed is not None:
            if month_day is not None and parsed != month_day:
                raise InputError(source, f"line {number}: a second, different date line {line!r}")
            month_day = parsed
            seen_header = True
            index += 1
            continue
        if not seen_subscribe and key.startswith(_SUBSCRIBE) and len(line) > len(_SUBSCRIBE):
            rest = line[len(_SUBSCRIBE) :].strip()
            if rest and (seen_header or not rest[0].islower()):
                lines[index] = (number, rest)
                seen_subscribe = seen_header = True
                continue
        break
    return index, month_day


def _check_pairs(body: Sequence[tuple[int, str]], source: str, *, has_header: bool) -> None:
    """Refuse unless the body reads as a page's (title, abstract) pairs.

    Two kinds of problem. A *broken pair* (a paragraph where a title should
    be, an "abstract" no longer or barely longer than its title) is what a
    stray line or a wrong file produces and never what a real page holds: one
    is enough to refuse, and the error names the first. An *odd title* (looks
    like markup, code or a sentence) is something real titles sometimes are:
    it only refuses the file when odd titles are more than a quarter of the
    pairs (half when a page header vouches for the file, and always at least
    one is let through then). Then a few checks over the whole file catch what
    passes pair by pair: prose whose "titles" are sentences, tables, and lines
    too short to be abstracts.
    """
    pairs = len(body) // 2
    if pairs == 0:
        raise InputError(source, "not a Daily Papers page copy: no title/abstract pairs")
    title_chars = abstract_chars = sentence_titles = 0
    abstract_lengths: list[int] = []
    first_problem: str | None = None
    first_broken: str | None = None
    odd_titles = 0
    for index in range(0, 2 * pairs, 2):
        (number, title), (_, abstract) = body[index], body[index + 1]
        odd = _odd_title(title, abstract)
        broken = _broken_pair(title, abstract)
        if odd:
            odd_titles += 1
        problem = odd or broken
        if problem and first_problem is None:
            first_problem = f"line {number}: {problem}"
        if broken and first_broken is None:
            first_broken = f"line {number}: {broken}"
        title_chars += len(title)
        abstract_chars += len(abstract)
        abstract_lengths.append(len(abstract))
        sentence_titles += title.endswith(".") and not title.endswith("..")
    tolerated = max(MIN_ODD_TITLES_TOLERATED, pairs // 2) if has_header else pairs // 4
    if odd_titles > tolerated:
        raise InputError(source, f"not a Daily Papers page copy: {first_problem}")
    if first_broken:
        raise InputError(source, f"not a Daily Papers page copy: {first_broken}")
    if len(body) % 2:
        number, _ = body[-1]
        raise InputError(
            source,
            "not a Daily Papers page copy: titles and abstracts do not pair up "
            f"({len(body)} lines after the header, line {number} is left over)",
        )
    if 2 * sentence_titles > pairs:
        raise InputError(source, "not a Daily Papers page copy: most titles end with a period, as sentences do")
    if sum(1 for _, line in body if "\t" in line) * 2 > len(body):
        raise InputError(source, "not a Daily Papers page copy: the lines hold tab-separated columns (a table?)")
    abstract_lengths.sort()
    if (
        abstract_lengths[pairs // 2] < ABSTRACT_MIN_MEDIAN_CHARS
        or abstract_chars < MIN_ABSTRACT_TO_TITLE_RATIO * title_chars
    ):
        raise InputError(source, "not a Daily Papers page copy: the text under the titles is too short to be abstracts")


def _odd_title(title: str, abstract: str) -> str | None:
    """Why ``title`` looks unlike a title (markup, code, a sentence), or None.

    Only shapes that are rare in real titles count, and even these are
    judged over the whole file (see :func:`_check_pairs`).
    """
    if title.startswith(_MARKUP_START) or title.endswith(_CODE_ENDINGS) or _JSON_MEMBER_RE.match(title):
        return f"{_clip(title)!r} looks like markup or code, not a title"
    if not _WORD_CHAR_RE.search(title):
        return f"{_clip(title)!r} looks like markup or code, not a title"
    if title.endswith(".") and (_SENTENCE_BREAK_RE.search(title) or len(abstract) < 3 * len(title)):
        return f"{_clip(title)!r} reads like a sentence, not a title"
    return None


def _broken_pair(title: str, abstract: str) -> str | None:
    """Why ``title``/``abstract`` cannot be a paper's title and abstract, or None."""
    if len(title) > TITLE_MAX_CHARS:
        return f"{len(title)} characters where a title should be (a paragraph?)"
    if len(abstract) <= len(title):
        return f"the line after {_clip(title)!r} is no longer than the title, not an abstract"
    if len(abstract.split()) < ABSTRACT_MIN_WORDS:
        return f"the line after {_clip(title)!r} is too short to be an abstract"
    return None


def _clip(line: str, width: int = 40) -> str:
    return line if len(line) <= width else line[: width - 1] + "…"


def _paper_date(
    month_day: tuple[int, int, int | None] | None,
    *,
    source: str,
    year: int | None,
    day: str | None,
    today: _dt.date | None,
) -> str | None:
    """The ISO day for every paper of this page, or None when none is known."""
    if day is not None:
        try:
            # fromisoformat alone would also take "20250314" and "2025-W11-5" on Python 3.11+.
            if not _ISO_DAY_RE.match(day.strip()):
                raise ValueError(day)
            return _dt.date.fromisoformat(day.strip()).isoformat()
        except ValueError:
            raise InputError(source, f"day must be a date like 2025-03-14, not {day!r}") from None
    if month_day is None:
        return None
    month, day_of_month, line_year = month_day
    label = f"{_MONTH_NAMES[month - 1]} {day_of_month}"
    explicit = line_year if line_year is not None else year
    if explicit is not None:
        try:
            return _dt.date(explicit, month, day_of_month).isoformat()
        except ValueError:
            raise InputError(source, f"the date line says {label}, which does not exist in {explicit}") from None
    today = today or _dt.date.today()
    # Newest year that holds this day (Feb 29 skips back to a leap year) and is not after today.
    for candidate_year in range(today.year, today.year - 9, -1):
        try:
            candidate = _dt.date(candidate_year, month, day_of_month)
        except ValueError:
            continue
        if candidate <= today:
            return candidate.isoformat()
    raise InputError(source, f"the date line says {label}, which is not a day of any year")
