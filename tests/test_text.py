"""Tests for tui.text: untrusted text must reach the terminal inert."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.text import REPLACEMENT, inert, one_line

BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f"]


def _dangerous(char: str) -> bool:
    """A character a terminal may act on or that reorders/hides text."""
    return (unicodedata.category(char) in {"Cc", "Cs"} and char != "\n") or char in BIDI


def test_plain_text_is_returned_unchanged() -> None:
    title = "Attention Is All You Need: 日本語 😀 — naïve café ▲"
    assert inert(title) == title


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b[31mred", "␛[31mred"),  # CSI colour
        ("a\x1b]8;;http://x\x07b", "a␛]8;;http://x␇b"),  # OSC 8 hyperlink
        ("nul\x00here", "nul␀here"),
        ("del\x7f", "del␡"),
        ("back\x08space", "back␈space"),
        ("c1 \x9b31m", f"c1 {REPLACEMENT}31m"),  # 8-bit CSI
        ("c1 \x9d0;title\x9c", f"c1 {REPLACEMENT}0;title{REPLACEMENT}"),  # 8-bit OSC / ST
    ],
)
def test_controls_become_visible_pictures(raw: str, shown: str) -> None:
    assert inert(raw) == shown


@pytest.mark.parametrize("bidi", BIDI)
def test_bidi_controls_are_replaced(bidi: str) -> None:
    assert inert(f"abc{bidi}def") == f"abc{REPLACEMENT}def"


def test_trojan_source_title_reads_in_order() -> None:
    # RLO ... PDF would display "evil" reversed; inert shows both marks.
    assert inert("safe \u202elive\u202c end") == f"safe {REPLACEMENT}live{REPLACEMENT} end"


def test_line_breaks_are_normalised_and_tabs_become_spaces() -> None:
    assert inert("a\r\nb\rc\u2028d\u2029e\x85f\tg") == "a\nb\nc\nd\ne\nf g"


def test_without_newlines_a_line_break_is_shown_as_a_picture() -> None:
    assert inert("a\nb", keep_newlines=False) == "a␊b"


def test_lone_surrogate_is_replaced_and_result_encodes() -> None:
    out = inert("x\ud800y")
    assert out == f"x{REPLACEMENT}y"
    out.encode("utf-8")  # would raise for a lone surrogate


def test_one_line_collapses_whitespace() -> None:
    assert one_line("  Scaling   Laws\n  for\tNeural\r\nModels  ") == "Scaling Laws for Neural Models"
    assert one_line("ESC\x1b[2J inside") == "ESC␛[2J inside"


@given(st.text())
def test_inert_never_lets_a_control_through(text: str) -> None:
    out = inert(text)
    assert not any(_dangerous(char) for char in out)
    assert "\r" not in out
    out.encode("utf-8")
    assert inert(out) == out  # idempotent


@given(st.text())
def test_one_line_is_a_single_safe_line(text: str) -> None:
    out = one_line(text)
    assert "\n" not in out
    assert not any(_dangerous(char) for char in out)
    assert out == out.strip()
