"""Importing text copies of the Daily Papers page, and reading import files."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import store.importers.files as files
from store.errors import InputError
from store.importers.files import MAX_BYTES, load_drafts, read_text_file
from store.importers.pagecopy import parse_page_copy
from tests.pagecopy_synth import make_page

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
FIXTURES = Path(__file__).parent / "fixtures"
TODAY = dt.date(2025, 6, 1)


def seed_text(prefix: str) -> tuple[str, str]:
    """The text of the seed page whose file name starts with ``prefix``."""
    matches = sorted(SEEDS.glob(f"{prefix}_*.txt")) if SEEDS.is_dir() else []
    if not matches:
        pytest.skip("../shared/seeds not present")
    return matches[0].read_text(encoding="utf-8"), str(matches[0])


# --- real pages ---------------------------------------------------------------

def fingerprint(text: str) -> str:
    """A short SHA-256 of real page text: the tests check exact values without the project holding the text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


SEED_CASES = {
    "000": (
        104,
        32,
        {
            0: "dd1c8a4ae6bd5e1b",
            1: "aaaacec24f9e5c91",
            34: "2f00e3be629f728f",
            52: "0188a30cfb679fe8",
            102: "3981779c831b3684",
            103: "d969ad840e201258",
        },
    ),
    "001": (
        281,
        49,
        {
            0: "b0d78cc868a41707",
            1: "d40548801262aea6",
            93: "856de00a4df80e4a",
            140: "30f3f1ce5cb3ce19",
            279: "7b8ed9381fc95065",
            280: "41f0f3c05337c40b",
        },
    ),
    "003": (
        33,
        3,
        {
            0: "015dd750cc1acbf3",
            1: "b19bb2504d3a117d",
            11: "69154f23f077fd15",
            16: "fa1a82c14c351bb6",
            31: "e7bd470f03aafef0",
            32: "69ae5873fd6e6ebc",
        },
    ),
}


@pytest.mark.parametrize("prefix", sorted(SEED_CASES))
def test_seed_pages_parse_exactly(prefix: str) -> None:
    text, source = seed_text(prefix)
    papers, with_github, titles = SEED_CASES[prefix]

    drafts = parse_page_copy(text, source=source, today=TODAY)

    assert len(drafts) == papers
    assert sum(1 for d in drafts if d.github) == with_github
    for index, title in titles.items():
        assert fingerprint(drafts[index].title) == title
    assert all(d.source == source for d in drafts)
    assert len({d.title for d in drafts}) == papers


@pytest.mark.parametrize("prefix", sorted(SEED_CASES))
def test_seed_pages_parse_the_same_from_a_file(prefix: str, tmp_path: Path) -> None:
    text, _ = seed_text(prefix)
    path = tmp_path / "page.txt"
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "  \r\n").encode("utf-8"))

    drafts = load_drafts(path, today=TODAY)

    assert [d.title for d in drafts] == [d.title for d in parse_page_copy(text, source="x", today=TODAY)]


def test_seed_pairs_abstracts_with_their_own_titles() -> None:
    """The abstract and links after a title are that paper's, not the next one's."""
    text, source = seed_text("000")
    drafts = parse_page_copy(text, source=source, today=TODAY)

    assert fingerprint(drafts[0].abstract[:38]) == "bd7a5a1b0587a4de"
    assert fingerprint(" ".join(drafts[0].github)) == "3551cce50c6124a3"
    assert fingerprint(drafts[1].abstract[:39]) == "b2536210cc90d505"
    assert fingerprint(" ".join(drafts[15].github)) == "ad0a05809e67c5cf"
    assert fingerprint(" ".join(drafts[37].github)) == "e3782430a29016a8"
    assert fingerprint(drafts[103].abstract[:33]) == "3fc40ae73d903b2d"


def test_seed_with_date_line_dates_every_paper() -> None:
    text, source = seed_text("000")  # its header says "Mar 14"

    assert {d.date for d in parse_page_copy(text, source=source, today=dt.date(2025, 3, 14))} == {"2025-03-14"}
    assert {d.date for d in parse_page_copy(text, source=source, today=dt.date(2025, 3, 13))} == {"2024-03-14"}


def test_compact_seed_has_no_date_and_takes_day() -> None:
    text, source = seed_text("001")

    assert {d.date for d in parse_page_copy(text, source=source)} == {None}
    assert {d.date for d in parse_page_copy(text, source=source, day="2025-02-20")} == {"2025-02-20"}


def test_compact_seed_links_are_cleaned() -> None:
    text, source = seed_text("001")
    by_title = {fingerprint(d.title): d for d in parse_page_copy(text, source=source)}

    rfs = by_title["d8d34f214b5563ed"]
    adversarial = by_title["90d6e058022b2abf"]
    assert fingerprint(" ".join(rfs.github)) == "b5deb3eb3cc1c456"  # was http://…/, now cleaned
    assert fingerprint(" ".join(adversarial.github)) == "df6cbf5579bdb5bd"


# --- our fixtures -------------------------------------------------------------


def test_blank_line_fixture() -> None:
    source = str(FIXTURES / "page_blank.txt")
    drafts = load_drafts(source, today=TODAY)

    assert [d.title for d in drafts] == [
        "Sparse Lanterns: Cheap Attention for Very Long Documents",
        "Tidepool: Curriculum Sampling from Noisy Web Corpora",
        "Ferrous: A Benchmark for Rust Code Repair by Language Models",
        "Quiet Gradients Are Not Always Small",
        "On the Calibration of Tiny Vision Transformers",
    ]
    assert [d.github for d in drafts] == [
        ("https://github.com/lantern-lab/sparse-lanterns",),
        ("https://github.com/tidepool-ml/tidepool",),
        (),
        ("https://github.com/qg-team/toolkit/tree/main/QuietGrad1.5", "https://github.com/qg-team/plots"),
        ("https://github.com/tinyvit/calib",),
    ]
    assert {d.date for d in drafts} == {"2025-02-27"}
    assert {d.source for d in drafts} == {source}
    assert fingerprint(drafts[0].abstract[:29]) == "a66dbc103e43e602"
    assert drafts[0].abstract.endswith("https://github.com/lantern-lab/sparse-lanterns.")


def test_compact_fixture() -> None:
    drafts = load_drafts(FIXTURES / "page_compact.txt")

    assert [d.title for d in drafts] == [
        "Harbor: Mooring Language Agents to Verified Tools",
        "mini-Orchard: Growing Decision Forests on Microcontrollers",
        "Why Do Retrieval Models Forget Rare Entities?",
        "Counting Sheep: Self-Supervised Flock Tracking from Drone Video",
    ]
    assert [bool(d.github) for d in drafts] == [True, False, False, True]
    assert fingerprint(" ".join(drafts[3].github)) == "56a75e064252b277"
    assert drafts[3].abstract.endswith("counting-sheep.")  # the file has no final newline
    assert {d.date for d in drafts} == {None}


def test_line_endings_bom_and_trailing_spaces_do_not_matter() -> None:
    text = (FIXTURES / "page_blank.txt").read_text(encoding="utf-8")
    expected = parse_page_copy(text, source="a", today=TODAY)

    variants = [
        text.replace("\n", "\r\n"),
        text.replace("\n", "\r"),
        "\ufeff" + text,
        text.replace("\n", " \t\n"),
        text.rstrip("\n"),
        "\n\n\n" + text + "\n\n\n",
        text.replace("\n\n", "\n"),  # blank-line layout squeezed to compact
    ]
    for variant in variants:
        assert parse_page_copy(variant, source="a", today=TODAY) == expected


def test_crlf_file_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "page_crlf.txt"
    text = (FIXTURES / "page_compact.txt").read_text(encoding="utf-8")
    path.write_bytes("\ufeff".encode() + text.replace("\n", "\r\n").encode("utf-8"))

    drafts = load_drafts(path)

    assert drafts[0].title == "Harbor: Mooring Language Agents to Verified Tools"
    assert all("\r" not in d.title + d.abstract for d in drafts)
    assert [d.title for d in drafts] == [d.title for d in load_drafts(FIXTURES / "page_compact.txt")]


def test_title_and_abstract_whitespace_runs_are_folded() -> None:
    text = (
        "Spaced   Out\tTitle\n\n  An abstract  with  double spaces inside, folded the way the API's summary is folded on import.  \n"
    )

    (draft,) = parse_page_copy(text, source="s")

    assert draft.title == "Spaced Out Title"
    assert draft.abstract == "An abstract with double spaces inside, folded the way the API's summary is folded on import."


ABSTRACT = "We propose a method that works better than the others on every benchmark we tried, and explain why."


def _page(header: list[str], papers: int = 3, blank: bool = True) -> str:
    lines = header + [line for n in range(papers) for line in (f"Paper Number {n}", f"{ABSTRACT} ({n})")]
    return ("\n\n" if blank else "\n").join(lines) + "\n"


@pytest.mark.parametrize(
    "header",
    [
        [],
        ["Subscribe"],
        ["Daily Papers", "new", "Mar 14"],
        ["Mar 14", "new", "Get trending papers in your email inbox!", "Subscribe", "Daily Papers"],
        ["new", "Get trending papers in your email inbox once a day!", "Subscribe", "byAK and the research community"],
        ["DAILY PAPERS", "by  AK and the research community", "March 14"],
    ],
)
def test_header_lines_in_any_order_and_subset(header: list[str]) -> None:
    for blank in (True, False):
        drafts = parse_page_copy(_page(header, blank=blank), source="s", today=TODAY)
        assert [d.title for d in drafts] == ["Paper Number 0", "Paper Number 1", "Paper Number 2"]
        expected_date = "2025-03-14" if any(line.lower().startswith("mar") for line in header) else None
        assert {d.date for d in drafts} == {expected_date}


@pytest.mark.parametrize(
    ("glued", "title"),
    [
        ("SubscribeLanguage Agents at Sea", "Language Agents at Sea"),
        ("Subscribe mini-Orchard at Sea", "mini-Orchard at Sea"),
        ("SubscribemPLUG at Sea", "mPLUG at Sea"),  # other header lines came first: glue is certain
    ],
)
def test_first_title_glued_to_subscribe_is_split(glued: str, title: str) -> None:
    text = "Get trending papers in your email inbox!\n" + glued + "\n" + ABSTRACT + "\n"

    assert [d.title for d in parse_page_copy(text, source="s")] == [title]


def test_subscribe_split_only_once_and_not_inside_a_word() -> None:
    after_subscribe = "Subscribe\n\nSubscribeNow: A Title\n\n" + ABSTRACT + "\n"
    no_header = "Subscribers Churn on Streaming Platforms\n\n" + ABSTRACT + "\n"

    assert parse_page_copy(after_subscribe, source="s")[0].title == "SubscribeNow: A Title"
    assert parse_page_copy(no_header, source="s")[0].title == "Subscribers Churn on Streaming Platforms"


# --- dates --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "today", "year", "expected"),
    [
        ("Mar 14", dt.date(2025, 6, 1), None, "2025-03-14"),
        ("March 14", dt.date(2025, 6, 1), None, "2025-03-14"),
        ("Mar 14", dt.date(2025, 3, 14), None, "2025-03-14"),  # today is not the future
        ("Mar 14", dt.date(2025, 3, 13), None, "2024-03-14"),  # tomorrow would be: last year
        ("Dec 31", dt.date(2026, 1, 2), None, "2025-12-31"),
        ("Jan 1", dt.date(2026, 1, 1), None, "2026-01-01"),
        ("Feb 29", dt.date(2025, 6, 1), None, "2024-02-29"),  # 2025 has none
        ("Feb 29", dt.date(2024, 2, 28), None, "2020-02-29"),
        ("Sept 3", dt.date(2025, 6, 1), None, "2024-09-03"),
        ("Mar 14", dt.date(2025, 1, 1), 2023, "2023-03-14"),  # an explicit year is used as given
        ("Dec 31", dt.date(2025, 1, 1), 2030, "2030-12-31"),
        ("Mar 14, 2022", dt.date(2025, 6, 1), None, "2022-03-14"),  # a year on the line wins
    ],
)
def test_date_line_year_rules(line: str, today: dt.date, year: int | None, expected: str) -> None:
    drafts = parse_page_copy(_page(["Daily Papers", line]), source="s", year=year, today=today)

    assert {d.date for d in drafts} == {expected}


def test_day_wins_over_date_line_and_year() -> None:
    drafts = parse_page_copy(_page(["Mar 14"]), source="s", year=2020, day="2025-07-04", today=TODAY)

    assert {d.date for d in drafts} == {"2025-07-04"}


def test_default_today_is_never_in_the_future() -> None:
    today = dt.date.today()
    tomorrow = today + dt.timedelta(days=1)
    month = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")[tomorrow.month - 1]
    line = f"{month} {tomorrow.day}"  # not %b: that follows the locale

    (date,) = {d.date for d in parse_page_copy(_page([line]), source="s")}

    assert date is not None
    assert dt.date.fromisoformat(date) <= today
    assert date[5:] == f"{tomorrow:%m-%d}"


@pytest.mark.parametrize(
    ("kwargs", "header", "reason"),
    [
        ({"day": "14/03/2025"}, [], "day must be a date like 2025-03-14"),
        ({"day": "2025-02-30"}, [], "day must be a date like 2025-03-14"),
        ({"day": "20250314"}, [], "day must be a date like 2025-03-14"),
        ({"year": 2025}, ["Feb 29"], "Feb 29, which does not exist in 2025"),
        ({}, ["Mar 32"], "Mar 32, which is not a day of any year"),
        ({}, ["Mar 14", "Daily Papers", "Mar 15"], "a second, different date line 'Mar 15'"),
    ],
)
def test_bad_dates_are_refused(kwargs: dict[str, object], header: list[str], reason: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_page_copy(_page(header), source="in.txt", today=TODAY, **kwargs)  # type: ignore[arg-type]

    assert reason in caught.value.reason
    assert str(caught.value).startswith("in.txt: ")


def test_same_date_line_twice_is_fine() -> None:
    drafts = parse_page_copy(_page(["Mar 14", "Subscribe", "Mar 14"]), source="s", today=TODAY)

    assert {d.date for d in drafts} == {"2025-03-14"}


# --- refusals -----------------------------------------------------------------

PROSE = (
    "It was a bright cold day in April, and the clocks were striking thirteen. The hall smelt of boiled cabbage.\n\n"
    "At one end of it a coloured poster, too large for indoor display, had been tacked to the wall.\n\n"
    "The flat was seven flights up, and he was in no hurry to climb them on such a day.\n\n"
    "He went slowly, resting several times on the way up.\n"
)
README = (
    "# papertray\n\nA keyboard-driven terminal reader for the daily flood of machine-learning papers.\n\n"
    "## Install\n\nUse pip to install the package into a fresh virtual environment, then run it.\n\n"
    "```\npip install papertray\n```\n"
)
SETEXT_README = (
    "papertray\n=========\n\nA keyboard-driven terminal reader for the daily flood of machine-learning papers.\n\n"
    "Install\n-------\n\nUse pip to install the package into a fresh virtual environment, then run it.\n"
)
CODE = (
    "import sys\n\n\ndef main() -> int:\n    print('hello world, this program greets you kindly')\n    return 0\n\n\n"
    "if __name__ == '__main__':\n    sys.exit(main())\n"
)
CSV = (
    "id,title,abstract\n2401.00001,Sparse Things,We study sparse things in depth and find some results\n"
    "2401.00002,Dense Things,We study dense things in depth and find other results\n"
    "2401.00003,Other Things,Another abstract with several words in it\n"
)
TSV = "title\tabstract\nA Paper\tSome words here, many more words than the title has, and then some more words too\n"
JSON_TEXT = json.dumps([{"title": "A Paper", "summary": "We study a thing in depth and find results."}] * 3, indent=2)
LOG = "\n".join(f"2025-03-14 12:00:{n:02d} INFO worker started job number {n} on the default queue" for n in range(20))
SHORT = "Hello\n\nThis is a sentence that goes on a while.\n"
SENTENCE_TITLES = (
    "The meeting ran long.\n\nEveryone agreed the budget needed another look before the board would sign off on it.\n"
)
HTML = "<!DOCTYPE html>\n<html><head><title>Daily Papers</title></head><body><p>Hi</p></body></html>\n"
TAG_SOUP = "\n".join(f"<div class='paper'><span>Paper {n}</span></div>" for n in range(30))
XML = '<?xml version="1.0"?>\n<feed><entry><title>A</title></entry></feed>\n'
HEADER_ONLY = "new\n\nSubscribe\n\nDaily Papers\n\nMar 14\n"
ODD = _page(["Subscribe"]) + "A Title Without Its Abstract\n"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "file is empty"),
        (" \n\r\n\t\n", "file is empty"),
        ("\ufeff\n", "file is empty"),
        (PROSE, "reads like a sentence, not a title"),
        (SENTENCE_TITLES, "most titles end with a period"),
        (README, "'# papertray' looks like markup or code"),
        (SETEXT_README, "not an abstract"),
        (CODE, "too short to be an abstract"),
        (CSV, "not an abstract"),
        (TSV, "tab-separated"),
        (JSON_TEXT, "'[' looks like markup or code"),
        (LOG, "not an abstract"),
        (SHORT, "too short to be abstracts"),
        (HTML, "HTML"),
        (TAG_SOUP, "HTML"),
        (XML, "HTML/XML"),
        (HEADER_ONLY, "no papers after the page header"),
        ("Just One Line\n", "no title/abstract pairs"),
        (ODD, "do not pair up (7 lines after the header, line 14 is left over)"),
        ("x" * 401 + "\n\n" + "y " * 300 + "\n", "401 characters where a title should be"),
    ],
)
def test_not_a_page_copy_is_refused(text: str, reason: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_page_copy(text, source="pasted.txt")

    assert caught.value.path == "pasted.txt"
    assert reason in caught.value.reason
    assert "\n" not in str(caught.value)


def test_a_stray_line_is_reported_where_pairing_breaks() -> None:
    lines = _page(["Subscribe"], papers=6).split("\n\n")
    lines.insert(4, "Paper Number 1b")  # right after the title "Paper Number 1", on line 7

    with pytest.raises(InputError) as caught:
        parse_page_copy("\n\n".join(lines), source="s")

    assert caught.value.reason == (
        "not a Daily Papers page copy: line 7: the line after 'Paper Number 1' is too short to be an abstract"
    )


def test_a_few_tags_in_abstracts_are_not_html() -> None:
    abstract = "We pad with <pad> and end with </s> so the model stops; <eos> marks the end of each long sequence."
    text = "\n\n".join(["Subscribe"] + [line for n in range(3) for line in (f"Tokens {n}", abstract)])

    assert len(parse_page_copy(text, source="s")) == 3


def test_title_with_a_period_is_fine_among_others() -> None:
    text = _page(["Subscribe"], papers=3).replace("Paper Number 1\n", "Attention Is Not All You Need.\n")

    assert parse_page_copy(text, source="s")[1].title == "Attention Is Not All You Need."


# --- reading files ------------------------------------------------------------


def _bad_file(tmp_path: Path, kind: str) -> Path:
    path = tmp_path / f"{kind}.txt"
    if kind == "missing":
        return path
    if kind == "directory":
        path.mkdir()
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "blank":
        path.write_bytes(b"\xef\xbb\xbf \r\n\n")
    elif kind == "binary":
        path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    elif kind == "latin1":
        path.write_bytes(
            "Caf\xe9 Models\n\nA r\xe9sum\xe9 of papers about caf\xe9s and more words.\n".encode("latin-1")
        )
    elif kind == "html":
        path.write_text(HTML, encoding="utf-8")
    elif kind == "prose":
        path.write_text(PROSE, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("missing", "no such file"),
        ("directory", "is a directory"),
        ("empty", "file is empty"),
        ("blank", "file is empty"),
        ("binary", "binary file"),
        ("latin1", "not UTF-8 text (byte 0xe9 at offset 3)"),
        ("html", "HTML"),
        ("prose", "not a Daily Papers page copy"),
    ],
)
def test_bad_files_are_refused_naming_path_and_reason(tmp_path: Path, kind: str, reason: str) -> None:
    path = _bad_file(tmp_path, kind)

    with pytest.raises(InputError) as caught:
        load_drafts(path)

    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    assert reason in message
    assert "\n" not in message


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "locked.txt"
    path.write_text((FIXTURES / "page_compact.txt").read_text(encoding="utf-8"), encoding="utf-8")
    path.chmod(0)
    try:
        with pytest.raises(InputError, match="cannot read"):
            read_text_file(path)
    finally:
        path.chmod(0o600)


def test_unreadable_open_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Same as above for root, who can read a chmod 0 file: fail the open itself."""
    path = tmp_path / "page.txt"
    path.write_text("x", encoding="utf-8")

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(InputError) as caught:
        read_text_file(path)

    assert str(caught.value) == f"{path}: cannot read: Permission denied"


def test_fifo_is_not_read(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    path = tmp_path / "pipe"
    os.mkfifo(path)

    with pytest.raises(InputError, match="not a regular file"):
        read_text_file(path)


def test_too_large_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * 2048)
    monkeypatch.setattr(files, "MAX_BYTES", 1024)

    with pytest.raises(InputError) as caught:
        read_text_file(path)

    assert "limit is" in caught.value.reason
    assert caught.value.path == str(path)


def test_size_limit_is_64_mib(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:  # sparse: no 64 MiB written to disk
        handle.truncate(MAX_BYTES + 1)

    with pytest.raises(InputError) as caught:
        read_text_file(path)

    assert MAX_BYTES == 64 * 1024 * 1024
    assert caught.value.reason == "file is 64.0 MiB; the limit is 64 MiB"


def test_utf8_bom_dropped_and_utf16_read(tmp_path: Path) -> None:
    text = (FIXTURES / "page_compact.txt").read_text(encoding="utf-8")
    utf8 = tmp_path / "bom.txt"
    utf16 = tmp_path / "notepad.txt"
    utf8.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    utf16.write_bytes(text.replace("\n", "\r\n").encode("utf-16"))

    assert read_text_file(utf8) == text
    assert [d.title for d in load_drafts(utf16)] == [d.title for d in load_drafts(FIXTURES / "page_compact.txt")]


def test_path_is_named_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)

    with pytest.raises(InputError) as caught:
        read_text_file("./nothing-here.txt")

    assert str(caught.value) == "./nothing-here.txt: no such file"


def test_json_is_routed_by_content_not_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A ``.txt`` holding JSON goes to the JSON importer, with the path as source."""
    import sys
    import types

    calls: list[tuple[str, str]] = []
    fake = types.ModuleType("store.importers.hfjson")

    def parse_api_response(text: str, *, source: str) -> list[object]:
        calls.append((text, source))
        return []

    fake.parse_api_response = parse_api_response  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "store.importers.hfjson", fake)
    path = tmp_path / "papers.txt"
    path.write_text('\ufeff  \n[{"title": "x"}]', encoding="utf-8")

    assert load_drafts(path) == []
    assert calls == [('  \n[{"title": "x"}]', str(path))]


def test_json_without_json_importer_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "store.importers.hfjson", None)  # makes the import fail
    path = tmp_path / "daily.json"
    path.write_text('{"papers": []}', encoding="utf-8")

    with pytest.raises(InputError) as caught:
        load_drafts(path)

    assert str(caught.value) == f"{path}: JSON import is not available"


def test_page_copy_with_json_extension_is_still_a_page(tmp_path: Path) -> None:
    path = tmp_path / "page.json"
    path.write_bytes((FIXTURES / "page_blank.txt").read_bytes())

    assert len(load_drafts(path, year=2023)) == 5
    assert {d.date for d in load_drafts(path, year=2023)} == {"2023-02-27"}


# --- round trip and speed -----------------------------------------------------

_TITLE = st.text(
    st.characters(codec="utf-8", categories=("L", "N", "Zs"), exclude_characters="\u2028\u2029\x85"),
    min_size=3,
    max_size=60,
)


@settings(max_examples=60, deadline=None)
@given(
    titles=st.lists(
        _TITLE.filter(lambda t: len(t.split()) > 0 and not t.strip().casefold().startswith("subscribe")),
        min_size=1,
        max_size=8,
    ),
    compact=st.booleans(),
)
def test_round_trip_of_any_titles(titles: list[str], compact: bool) -> None:
    from store.importers import pagecopy

    # A title that reads as a header line would be skipped as one, as on a real page.
    titles = [
        t
        for t in titles
        if pagecopy._header_key(t) not in pagecopy._HEADER_KEYS
        and pagecopy._parse_date_line(" ".join(t.split())) is None
    ]
    if not titles:
        return
    abstracts = [f"{ABSTRACT} Number {n} of them, longer than its title {t!s}." for n, t in enumerate(titles)]
    body = [line for pair in zip(titles, abstracts, strict=True) for line in pair]
    text = ("\n" if compact else "\n\n").join(["Daily Papers", "Subscribe", *body])

    drafts = parse_page_copy(text, source="s")

    assert [d.title for d in drafts] == [" ".join(t.split()) for t in titles]
    assert [d.abstract for d in drafts] == [" ".join(a.split()) for a in abstracts]  # stored unwrapped


@pytest.mark.parametrize("compact", [False, True])
def test_synthetic_page_parses_exactly(compact: bool) -> None:
    drafts = parse_page_copy(make_page(250, compact=compact), source="synth", today=TODAY)

    assert len(drafts) == 250
    assert sum(1 for d in drafts if d.github) == 50
    assert drafts[0].github == (drafts[0].github[0],) and drafts[0].github[0].startswith("https://github.com/lab0/")
    assert all(f": Paper {n} on " in d.title for n, d in enumerate(drafts))
    assert {d.date for d in drafts} == {"2025-03-14"}


def test_ten_thousand_papers_parse_quickly() -> None:
    """A generous bound that only a quadratic slip would break (target is >7,000/s)."""
    text = make_page(10_000)

    start = time.perf_counter()
    drafts = parse_page_copy(text, source="synth", today=TODAY)
    elapsed = time.perf_counter() - start

    assert len(drafts) == 10_000
    assert elapsed < 6.0, f"10k papers took {elapsed:.2f} s"


# --- odd titles on real pages (issue 9.1) -------------------------------------

from tests.odd_titles import ODD_TITLES  # noqa: E402


def _with_title_replaced(text: str, position: int, new_title: str) -> str:
    """``text`` with the title of paper ``position`` (0-based) replaced by ``new_title``."""
    from store.importers import pagecopy

    lines = pagecopy._content_lines(text)
    start, _ = pagecopy._read_header(list(lines), "s")
    number, _ = lines[start + 2 * position]
    raw = text.replace("\r\n", "\n").split("\n")
    original = raw[number - 1]
    # The compact layout glues the first title to "Subscribe"; keep the glue.
    prefix = "Subscribe" if original.strip().startswith("Subscribe") and start + 2 * position == start else ""
    raw[number - 1] = prefix + new_title
    return "\n".join(raw)


def test_there_are_at_least_thirty_odd_titles() -> None:
    assert len(set(ODD_TITLES)) >= 30


@pytest.mark.parametrize("prefix", sorted(SEED_CASES))
@settings(max_examples=4, deadline=None)
@given(data=st.data())
def test_seed_page_with_one_odd_title_imports_whole(prefix: str, data: st.DataObject) -> None:
    text, _ = seed_text(prefix)
    count = SEED_CASES[prefix][0]
    original = parse_page_copy(text, source="s", today=TODAY)
    for odd in ODD_TITLES:
        position = data.draw(st.integers(0, count - 1), label="position")
        drafts = parse_page_copy(_with_title_replaced(text, position, odd), source="s", today=TODAY)

        assert len(drafts) == count, odd
        assert drafts[position].title == " ".join(odd.split())
        assert [d.title for i, d in enumerate(drafts) if i != position] == [
            d.title for i, d in enumerate(original) if i != position
        ]


@pytest.mark.parametrize("odd", ODD_TITLES)
def test_small_page_with_header_and_one_odd_title_imports(odd: str) -> None:
    text = _page(["Subscribe", "Daily Papers"], papers=3).replace("Paper Number 1\n", odd + "\n")

    assert [d.title for d in parse_page_copy(text, source="s")][1] == odd


def test_header_less_page_starting_with_a_tag_like_title_is_not_html() -> None:
    text = _page([], papers=3).replace("Paper Number 0\n", "<think> Tags Considered Harmful\n")

    assert parse_page_copy(text, source="s")[0].title == "<think> Tags Considered Harmful"
