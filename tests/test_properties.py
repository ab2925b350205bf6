"""Hostile input, property-tested: the importers and GitHub link extraction never misbehave.

Each property states the whole contract of an entry point that reads text
from outside (a page copy, a saved API response, any file, an abstract): the result is well-formed, or the refusal is the one error
type callers handle (`InputError`). Any other exception is a bug
that would surface as a traceback in the CLI or a dead worker in the reader.

Covered elsewhere, so not repeated here: BibTeX round trips
(``tests/test_citations.py``), the query language on any string, including
search and highlighting of what parses (``tests/test_query.py``,
``tests/test_search.py``), and JSON *lists* for the API importer
(``tests/test_hfjson.py``; this module adds arbitrary top-level values).
The query parser is also fuzzed: ``fuzz/fuzz_query.py``.

Every property runs twice: a quick variant in the default run and a
``@pytest.mark.slow`` one with many more examples
(``.venv/bin/pytest -m slow tests/test_properties.py``). How many examples ran
is printed at the end of the module (``-rA`` or ``-s`` not needed: it goes to
the terminal reporter) and is kept in `EXAMPLES`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store.drafts import PaperDraft
from store.errors import InputError
from store.importers.files import load_drafts
from store.importers.hfjson import drafts_from_api, parse_api_response
from store.importers.pagecopy import parse_page_copy
from store.links import extract_github_links, is_web_url

FAST = 300
"""Examples per property in the default run (the module stays under ~15 s)."""
SLOW = 20_000
"""Examples per property in the slow run."""

EXAMPLES: Counter[str] = Counter()
"""Examples actually run, per property, in this session."""

TODAY = dt.date(2026, 3, 14)

F = TypeVar("F", bound=Callable[..., Any])


@pytest.fixture(scope="module", autouse=True)
def _report_examples(request: pytest.FixtureRequest) -> Iterator[None]:
    """Print how many examples each property ran (the figure the issue asks for)."""
    yield
    if not EXAMPLES:
        return
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    line = "hypothesis examples run: " + ", ".join(f"{k} {v:,}" for k, v in sorted(EXAMPLES.items()))
    line += f"; total {sum(EXAMPLES.values()):,}"
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line("")
            reporter.write_line(line)


def fast(test: F) -> F:
    return settings(max_examples=FAST, deadline=None, suppress_health_check=[HealthCheck.too_slow])(test)


def slow(test: F) -> F:
    return pytest.mark.slow(
        settings(max_examples=SLOW, deadline=None, suppress_health_check=[HealthCheck.too_slow])(test)
    )


# --------------------------------------------------------------------------- strategies

_HOSTILE_CHARS = st.sampled_from(
    ["\x00", "\x1b", "\x1b[2J", "\x1b]52;c;ZXZpbA==\x07", "\x9b", "\u202e", "\u2028", "\r", "\r\n", "\t", "\ufeff",
     "\ud800", "\x85", "\u00a0", "\u3000", "🦜", "李", "\u0301"]
)
"""Characters and sequences that have broken text handling elsewhere."""

_ANY_CHARS = st.text(st.characters(codec=None), max_size=40)
"""Any code points, lone surrogates included (a str can hold them; files cannot)."""

_PROSE = st.lists(
    st.sampled_from(
        ["We", "propose", "a", "model", "that", "learns", "attention", "over", "tokens", "with", "sparse", "routing",
         "and", "show", "gains", "on", "six", "benchmarks", "Code:", "https://github.com/lab/repo.", "(see", "it)",
         "github.com/a-b/c.d", "LLMs,", "李明", "🦜", "."]
    ),
    min_size=0,
    max_size=30,
).map(" ".join)

_PAGE_LINE = st.one_of(
    st.sampled_from(
        ["Daily Papers", "Subscribe", "by AK and the research community", "new", "Mar 14", "March 14, 2025",
         "Feb 29", "Feb 30", "Dec 31", "Sept 3rd", "SubscribeHarbor: a title", "", " ", "<html>", "<p>x</p>",
         "# heading", "| a | b |", "```", "{", "a\tb\tc", "Get trending papers in your email inbox!"]
    ),
    _PROSE,
    _ANY_CHARS,
    st.lists(st.one_of(_HOSTILE_CHARS, _ANY_CHARS), max_size=5).map("".join),
)

PAGE_TEXT = st.one_of(
    st.text(max_size=400),
    st.lists(_PAGE_LINE, max_size=30).flatmap(
        lambda lines: st.sampled_from(["\n", "\n\n", "\r\n", "\r"]).map(lambda sep: sep.join(lines))
    ),
)
"""Random text, and text shaped like a page copy (headers, date lines, prose, junk)."""

_KEYS = st.sampled_from(
    ["paper", "id", "title", "summary", "authors", "name", "hidden", "upvotes", "publishedAt", "submittedOnDailyAt",
     "githubRepo", "githubStars", "projectPage", "ai_keywords", "withdrawnAt", "numComments", "x", ""]
)
_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30)
    | st.sampled_from(
        ["2409.11074", "https://github.com/a/b", "javascript:alert(1)", "2024-09-17T13:22:30.000Z", "2024-02-30",
         "\ud800", "\x1b]52;c;QQ==\x07", "  ", "arXiv:2409.11074v2"]
    )
)
JSON_VALUES = st.recursive(
    _SCALARS,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(_KEYS | st.text(max_size=8), children, max_size=8),
    max_leaves=40,
)
"""Arbitrary JSON-like values with the API's key names, so entries get past the shape check."""

_GITHUB_PIECES = st.sampled_from(
    ["github.com/", "https://github.com/", "http://www.github.com/", "GITHUB.COM/", "github.com//", "github.com/-/",
     "github.com/a", "/", "owner", "-owner", "o" * 40, "repo", ".git", ".", "..", ",", ")", "(", "…", "\u201d",
     "?q=1", "#L10", "/tree/main/x y", "\n", " ", "\t", "\x00", "\x1b[31m", "\u202e", "\u00a0", "\u3002", "李",
     "%20", "@", ":", "<", ">", "'", '"', "[", "]", "{", "}", "|", "\\", "^", "`", "_", "~"]
)
_LINK_JUNK = st.lists(st.one_of(_HOSTILE_CHARS, _GITHUB_PIECES, st.text(max_size=3)), max_size=6).map("".join)
LINK_TEXT = st.one_of(
    st.text(max_size=200),
    st.lists(st.one_of(_GITHUB_PIECES, st.text(max_size=4)), max_size=25).map("".join),
    st.tuples(
        _LINK_JUNK,
        st.sampled_from(["", "https://", "http://www.", "HTTPS://"]),
        st.from_regex(r"[A-Za-z0-9-]{1,8}", fullmatch=True),
        st.from_regex(r"[A-Za-z0-9._-]{1,8}", fullmatch=True),
        st.sampled_from(["", "/", "?", "#", "/tree/main/", "/blob/x.py#L", ".git"]),
        _LINK_JUNK,
    ).map(lambda p: f"{p[0]}{p[1]}github.com/{p[2]}/{p[3]}{p[4]}{p[5]}"),
)
"""Random text, and text built around fragments of GitHub URLs."""

_URL_RE = re.compile(r"^https://github\.com/[A-Za-z0-9-]+/[A-Za-z0-9._-]+")
_CONTROL_RE = re.compile("[\\x00-\\x20\\x7f-\\x9f\\s\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")

# --------------------------------------------------------------------------- checks


def _check_drafts(drafts: object, source: str, *, encodable: bool = True) -> None:
    """What every importer promises about the drafts it returns.

    ``encodable``: the input could be stored as UTF-8, so the drafts must be too
    (a page copy passes lone surrogates through, but only a ``str`` that never
    came from a file can hold them; the API importer replaces them).
    """
    assert isinstance(drafts, list)
    for draft in drafts:
        assert isinstance(draft, PaperDraft)
        assert isinstance(draft.title, str) and draft.title.strip()
        assert "\n" not in draft.title and "\r" not in draft.title
        assert isinstance(draft.abstract, str)
        for day in (draft.date, draft.published):
            assert day is None or dt.date.fromisoformat(day).isoformat() == day
        for url in draft.github:
            assert _URL_RE.match(url) and not _CONTROL_RE.search(url), url
        for url in draft.links:
            assert is_web_url(url), url
        for count in (draft.upvotes, draft.comments, draft.github_stars):
            assert count is None or (type(count) is int and count >= 0)
        assert all(isinstance(a, str) and a for a in draft.authors)
        assert isinstance(draft.withdrawn, bool)
        assert draft.source == source
        if encodable:  # drafts end up in a JSON file
            orjson.dumps([draft.title, draft.abstract, list(draft.authors), list(draft.keywords)])


def check_page_copy(text: str) -> None:
    EXAMPLES["page copy (text)"] += 1
    try:
        drafts = parse_page_copy(text, source="page.txt", today=TODAY)
    except InputError as exc:
        assert str(exc).startswith("page.txt: ") and "\n" not in str(exc)
        return
    assert drafts
    _check_drafts(drafts, "page.txt", encodable=_utf8(text))


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_file_bytes(path: Path, data: bytes) -> None:
    EXAMPLES["import file (bytes)"] += 1
    path.write_bytes(data)
    try:
        drafts = load_drafts(path, today=TODAY)
    except InputError as exc:
        assert str(exc).startswith(f"{path}: ") and "\n" not in str(exc)
        return
    _check_drafts(drafts, str(path))


def check_api_value(value: object) -> None:
    EXAMPLES["API JSON (values)"] += 1
    try:
        drafts = drafts_from_api(value, source="api.json")
    except InputError as exc:
        assert str(exc) == "api.json: not a Daily Papers API response"
        return
    _check_drafts(drafts, "api.json")
    # The same value, saved and read back as a file, gives the same drafts.
    try:
        text = orjson.dumps(value)
    except (orjson.JSONEncodeError, TypeError):
        return  # NaN, huge ints, surrogates: not representable by orjson
    if b"NaN" in text or not _finite(value):
        return
    assert parse_api_response(text, source="api.json") == drafts


def _finite(value: object) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, list):
        return all(_finite(v) for v in value)
    if isinstance(value, dict):
        return all(_finite(v) for v in value.values())
    return True


def check_api_text(text: str | bytes) -> None:
    EXAMPLES["API JSON (text)"] += 1
    try:
        drafts = parse_api_response(text, source="api.json")
    except InputError as exc:
        assert str(exc).startswith("api.json: ") and "\n" not in str(exc)
        return
    _check_drafts(drafts, "api.json")


def check_links(text: str) -> None:
    EXAMPLES["GitHub links"] += 1
    links = extract_github_links(text)
    assert isinstance(links, tuple)
    assert len({u.lower() for u in links}) == len(links)
    for url in links:
        assert _URL_RE.match(url), url
        assert not _CONTROL_RE.search(url), url
        assert is_web_url(url)
        assert extract_github_links(url) == (url,), url  # a cleaned link cleans to itself


# --------------------------------------------------------------------------- properties


@fast
@given(PAGE_TEXT)
def test_page_copy_any_text_gives_drafts_or_input_error(text: str) -> None:
    check_page_copy(text)


@slow
@given(PAGE_TEXT)
def test_page_copy_any_text_slow(text: str) -> None:
    check_page_copy(text)


_FILE_BYTES = st.one_of(
    st.binary(max_size=300),
    PAGE_TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")),
    PAGE_TEXT.map(lambda t: t.encode("utf-16", "surrogatepass")),
    JSON_VALUES.map(lambda v: orjson.dumps(v, option=orjson.OPT_PASSTHROUGH_DATACLASS) if _encodable(v) else b"[]"),
    st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff\x00", b"[", b"{", b"[" * 5000, b"\x00", b" \n"]),
)


def _encodable(value: object) -> bool:
    try:
        orjson.dumps(value)
    except (orjson.JSONEncodeError, TypeError):
        return False
    return True


@pytest.fixture(scope="module")
def import_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("props") / "import.txt"


@fast
@given(data=_FILE_BYTES)
def test_any_file_bytes_give_drafts_or_input_error(import_file: Path, data: bytes) -> None:
    check_file_bytes(import_file, data)


@slow
@given(data=_FILE_BYTES)
def test_any_file_bytes_slow(import_file: Path, data: bytes) -> None:
    check_file_bytes(import_file, data)


@fast
@given(JSON_VALUES)
def test_api_importer_any_json_value_gives_drafts_or_input_error(value: object) -> None:
    check_api_value(value)


@slow
@given(JSON_VALUES)
def test_api_importer_any_json_value_slow(value: object) -> None:
    check_api_value(value)


@fast
@given(st.one_of(st.text(max_size=200), st.binary(max_size=200), JSON_VALUES.map(repr)))
def test_api_importer_any_text_gives_drafts_or_input_error(text: str | bytes) -> None:
    check_api_text(text)


@fast
@given(LINK_TEXT)
def test_github_links_are_always_clean_repository_urls(text: str) -> None:
    check_links(text)


@slow
@given(LINK_TEXT)
def test_github_links_slow(text: str) -> None:
    check_links(text)


# --------------------------------------------------------------------------- found while fuzzing


@pytest.mark.parametrize("junk", ["\x01\x00\x00\x00", "\x1b[31m", "\x1b]52;c;QQ==\x07", "\x9b2J", "\u202e", "\u200b", "\x7f"])
def test_control_and_bidi_characters_end_a_github_link(junk: str) -> None:
    """Found by fuzz/fuzz_importer.py: a link's sub-path went on through control characters.

    ``https://github.com/qg-team/toolkit/tree/ma\\x01\\x00\\x00\\x00uietGrad0.5`` came out of
    an abstract as one link, control bytes included.
    """
    text = f"Code at https://github.com/qg-team/toolkit/tree/ma{junk}uietGrad0.5 and github.com/qg-team/plots."
    assert extract_github_links(text) == ("https://github.com/qg-team/toolkit/tree/ma", "https://github.com/qg-team/plots")
    assert not is_web_url(f"https://example.org/a{junk}b")
    check_links(text)
    page = "\n".join(["Daily Papers", "Mar 14", "A Title", f"An abstract of enough words to pass, with {text}"])
    check_page_copy(page)
    (draft,) = parse_page_copy(page, source="page.txt", today=TODAY)
    assert draft.github[0] == "https://github.com/qg-team/toolkit/tree/ma"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("GITHUB.COM/0/./", ()),
        ("github.com/0/.#x", ()),
        ("github.com/a/..", ()),
        ("github.com/a/b./", ("https://github.com/a/b",)),
        ("github.com/a/b.git/", ("https://github.com/a/b",)),
        ("github.com/a/b..git", ("https://github.com/a/b",)),
        ("github.com/a/...x", ("https://github.com/a/...x",)),
    ],
)
def test_dot_repositories_and_trailing_slashes(text: str, expected: tuple[str, ...]) -> None:
    """Found by the link property (``GITHUB.COM/0/./`` gave ``https://github.com/0/.``, which
    extracted again to nothing): "." and ".." are not repositories, and "repo./" loses both."""
    assert extract_github_links(text) == expected
    check_links(text)
