"""Parsed CSS kept between runs (tui/css_cache.py): the same rules as a parse, never trusted when in doubt."""

from __future__ import annotations

import inspect
import os
import pickle
from pathlib import Path
from typing import Any

import pytest
from textual.css.stylesheet import Stylesheet

import tui.css_cache as css_cache
from tests.app_helpers import SIZE, AppFactory, main_screen, screen_text, wait_for_workers
from tui.app import PapertrayApp
from tui.css_cache import ParsedCss, cache_file
from tui.textual_private import parse_css_through

CSS = "Label { color: red; padding: 0 1; }\n#x { background: $panel; }"
VARIABLES = {"panel": "#123456"}
SOURCE = (CSS, ("test.tcss", ""), False, 0, "")


def parse_with(variables: dict[str, str], css: str = CSS) -> list[Any]:
    sheet = Stylesheet(variables=variables)
    return sheet._parse_rules(css, ("test.tcss", ""))


def rules_text(rules: list[Any]) -> list[tuple[str, dict[str, object]]]:
    """What a rule set means: its selectors and declared values."""
    return [(rule.selectors, dict(rule.styles._rules)) for rule in rules]


def fail() -> list[Any]:
    raise AssertionError("parsed again: the kept rules were not used")


def test_rules_parsed_once_are_read_back_by_the_next_run(tmp_path: Path) -> None:
    path = tmp_path / "css.pickle"
    first = ParsedCss(path)
    parsed = first.rules(SOURCE, VARIABLES, lambda: parse_with(VARIABLES))
    assert first.changed
    first.save()
    assert path.exists() and not first.changed

    second = ParsedCss(path)
    again = second.rules(SOURCE, VARIABLES, fail)
    assert rules_text(again) == rules_text(parsed)
    assert second.rules(SOURCE, VARIABLES, fail) is again, "one list per source in a run, as Textual's own cache"
    assert not second.changed


def test_other_theme_variables_or_text_are_parsed_anew(tmp_path: Path) -> None:
    path = tmp_path / "css.pickle"
    first = ParsedCss(path)
    first.rules(SOURCE, VARIABLES, lambda: parse_with(VARIABLES))
    first.save()
    second = ParsedCss(path)
    calls: list[str] = []

    def parse(variables: dict[str, str], css: str = CSS) -> list[Any]:
        calls.append(css)
        return parse_with(variables, css)

    other = {"panel": "#abcdef"}
    dark = second.rules(SOURCE, other, lambda: parse(other))
    edited = "Label { color: blue; }"
    second.rules((edited, *SOURCE[1:]), VARIABLES, lambda: parse(VARIABLES, edited))
    assert calls == [CSS, edited]
    assert rules_text(dark) != rules_text(parse_with(VARIABLES)), "the theme's value is in the parsed rules"


@pytest.mark.parametrize(
    "damage",
    [b"", b"not a pickle", pickle.dumps(["a", "list"]), pickle.dumps({("k",): "not bytes"})],
    ids=["empty", "garbage", "a-list", "wrong-values"],
)
def test_a_damaged_file_means_parsing_as_before(tmp_path: Path, damage: bytes) -> None:
    path = tmp_path / "css.pickle"
    path.write_bytes(damage)
    path.chmod(0o600)
    cache = ParsedCss(path)
    rules = cache.rules(SOURCE, VARIABLES, lambda: parse_with(VARIABLES))
    assert rules_text(rules) == rules_text(parse_with(VARIABLES))
    cache.save()
    assert rules_text(ParsedCss(path).rules(SOURCE, VARIABLES, fail)) == rules_text(rules), "rewritten"


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="file owners are a POSIX notion")
def test_a_file_others_can_write_is_not_unpickled(tmp_path: Path) -> None:
    path = tmp_path / "css.pickle"
    cache = ParsedCss(path)
    cache.rules(SOURCE, VARIABLES, lambda: parse_with(VARIABLES))
    cache.save()
    path.chmod(0o666)
    calls: list[int] = []
    ParsedCss(path).rules(SOURCE, VARIABLES, lambda: calls.append(1) or parse_with(VARIABLES))
    assert calls == [1]


def test_rules_with_errors_are_not_kept(tmp_path: Path) -> None:
    cache = ParsedCss(tmp_path / "css.pickle")
    bad = ("Label { colour: red; }", ("bad.tcss", ""), False, 0, "")
    rules = cache.rules(bad, VARIABLES, lambda: parse_with(VARIABLES, bad[0]))
    assert any(rule.errors for rule in rules)
    assert not cache.changed


def test_a_read_only_cache_directory_is_not_an_error(tmp_path: Path) -> None:
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("")
    cache = ParsedCss(blocked / "css.pickle")
    cache.rules(SOURCE, VARIABLES, lambda: parse_with(VARIABLES))
    cache.save()  # cannot create the directory: nothing raised, nothing written


def test_the_file_names_python_and_textuals_css_modules(monkeypatch: pytest.MonkeyPatch) -> None:
    path = cache_file()
    assert path.name.startswith("css-") and path.suffix == ".pickle"
    assert str(path).startswith(os.environ["XDG_CACHE_HOME"]), "in the user's cache directory"
    monkeypatch.setattr(css_cache, "CSS_MODULES", (*css_cache.CSS_MODULES, "model.py.absent"))
    assert cache_file() != path, "another Textual gives another file"


def test_only_the_routed_stylesheet_uses_the_kept_rules(tmp_path: Path) -> None:
    """The hook names Textual's private parser with its parameters; Textual's own reparse is untouched."""
    assert list(inspect.signature(Stylesheet._parse_rules).parameters) == [
        "self",
        "css",
        "read_from",
        "is_default_rules",
        "tie_breaker",
        "scope",
    ]
    cache = ParsedCss(tmp_path / "css.pickle")
    routed = Stylesheet(variables=VARIABLES)
    parse_css_through(routed, cache.rules)
    first = routed._parse_rules(CSS, ("test.tcss", ""))
    assert cache.changed and routed._parse_rules(CSS, ("test.tcss", "")) is first
    assert rules_text(Stylesheet(variables=VARIABLES)._parse_rules(CSS, ("test.tcss", ""))) == rules_text(first)


async def test_a_warm_start_parses_no_css_and_looks_the_same(
    demo_dir: Path, make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second start gets every stylesheet from the file: Textual's parser is never called, the screen is the same."""
    cold = make_app(demo_dir, demo=True)
    async with cold.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        cold_screen = screen_text(cold)
        cold_styles = {w.id: w.styles.css for w in main_screen(cold).walk_children() if w.id}
        assert cold.parsed_css.changed or cold.parsed_css.path.exists()
        cold.parsed_css.save()
    assert cold.parsed_css.path.exists()

    def no_parse(*args: object, **kwargs: object) -> object:
        raise AssertionError("Textual parsed CSS on a warm start")

    monkeypatch.setattr("textual.css.stylesheet.parse", no_parse)
    warm: PapertrayApp = make_app(demo_dir, demo=True)
    async with warm.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        assert screen_text(warm) == cold_screen
        assert {w.id: w.styles.css for w in main_screen(warm).walk_children() if w.id} == cold_styles


def test_a_textual_with_another_parser_signature_parses_as_it_does(tmp_path: Path) -> None:
    """Keyword calls are the same source; a parser Textual calls otherwise, or a stylesheet without
    ``_variables``, parses as Textual does rather than failing the start."""
    cache = ParsedCss(tmp_path / "css.pickle")
    routed = Stylesheet(variables=VARIABLES)
    calls: list[tuple[tuple[object, ...], dict[str, object]]] = []

    def textual_parse(*args: object, **kwargs: object) -> list[Any]:
        calls.append((args, kwargs))
        return parse_with(VARIABLES)

    routed._parse_rules = textual_parse  # type: ignore[method-assign]
    parse_css_through(routed, cache.rules)
    first = routed._parse_rules(CSS, ("test.tcss", ""))
    assert routed._parse_rules(css=CSS, read_from=("test.tcss", "")) is first, "keywords name the same source"
    routed._parse_rules(CSS, ("test.tcss", ""), False, 0, "", "a new argument")
    del routed._variables
    routed._parse_rules("Label { color: blue; }", ("other.tcss", ""))
    assert len(calls) == 3, calls
