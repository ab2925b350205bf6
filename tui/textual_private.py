"""Every private Textual name the UI relies on, in one place, each for a reason Textual's public API does not cover.

A Textual upgrade may rename or drop any of these; ``tests/test_textual_private.py``
then fails naming the attribute, instead of the app failing in front of a user.
Nothing else in ``tui/`` touches an underscore name of Textual.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from typing import TYPE_CHECKING, Any

from textual._xterm_parser import XTermParser
from textual.widget import Widget

if TYPE_CHECKING:
    import asyncio

    from textual.app import App
    from textual.css.stylesheet import Stylesheet
    from textual.drivers.linux_driver import LinuxDriver  # POSIX only: imported where a driver is made
    from textual.screen import Screen

__all__ = [
    "REQUIRED",
    "XTermParser",
    "app_is_closing",
    "driver_app",
    "driver_debug",
    "driver_loop",
    "paint_now",
    "parse_css_through",
]

REQUIRED: dict[str, tuple[str, ...]] = {
    "textual.screen.Screen": ("_on_timer_update",),
    "textual.widget.Widget": ("_check_refresh",),
    "textual.app.App": ("_screen_stack", "_exit", "_batch_count"),
    "textual.drivers.linux_driver.LinuxDriver": ("_app", "_loop", "_debug", "_sigcont_application"),
    "textual._xterm_parser.XTermParser": ("feed", "tick"),
    "textual.css.stylesheet.Stylesheet": ("_parse_rules", "_variables"),
}
"""Class → the private attributes used (instance attributes included), checked by the test."""


def paint_now(screen: Screen[Any]) -> None:
    """Paint ``screen``'s pending updates in one frame, now rather than at the next 60 Hz frame slot.

    A widget's ``refresh()`` only sets a flag; the widget tells its screen
    when its own message loop next goes idle, and the screen paints at the
    tick of a 60 Hz timer, 17-33 ms after an idle frame. Painting at once
    would paint only what had reached the screen (a filter's results came in
    two frames, the list 17 ms after the rest). So every widget reports now,
    and the frame is painted once the screen has taken those reports in (a
    callback queued behind them). No public call does either; Textual's own
    idle handling and frame timer do. Skipped while an `App.batch_update`
    holds the screen (Textual has no public "is batching") or when
    ``screen`` is not the current one.
    """
    if screen.app._batch_count or not screen.is_current:
        return
    for widget in screen.walk_children(Widget):
        widget._check_refresh()
    screen.call_later(_paint, screen)


def _paint(screen: Screen[Any]) -> None:
    if not screen.app._batch_count and screen.is_current:
        screen._on_timer_update()


def app_is_closing(app: App[Any]) -> bool:
    """Whether ``app`` has no screen yet or is exiting: a key then has no one to go to.

    ``App.screen`` raises in that state and ``App.is_running`` stays True while exiting.
    """
    return not app._screen_stack or app._exit


def driver_app(driver: LinuxDriver) -> App[Any]:
    """The app a driver feeds (Textual keeps it private)."""
    return driver._app


def driver_loop(driver: LinuxDriver) -> asyncio.AbstractEventLoop:
    """The event loop a driver's input thread posts to."""
    return driver._loop


def driver_debug(driver: LinuxDriver) -> bool:
    """Whether the driver was started with debug (the parser takes it)."""
    return driver._debug


CssParse = Callable[[tuple[Hashable, ...], Mapping[str, str], Callable[[], list[Any]]], list[Any]]
"""``(source, theme variables, parse) -> rules``: `tui.css_cache.ParsedCss.rules`."""


def parse_css_through(stylesheet: Stylesheet, rules: CssParse) -> None:
    """Have ``stylesheet`` get each source's parsed rules from ``rules`` (parsed CSS kept between runs).

    ``Stylesheet._parse_rules`` is the one place Textual turns a CSS text into
    rules, and ``_variables`` the theme values it substitutes while parsing;
    no public hook exists. Only this instance is routed: a stylesheet Textual
    makes anew (``reparse``, on a theme change) parses as usual.
    """
    parse = stylesheet._parse_rules

    def parse_rules(*args: Any, **kwargs: Any) -> list[Any]:
        variables = getattr(stylesheet, "_variables", None)
        try:
            source = _css_source(*args, **kwargs)
        except TypeError:
            source = None
        if source is None or not isinstance(variables, Mapping):  # another Textual: parse as it does
            return parse(*args, **kwargs)
        return rules(source, variables, lambda: parse(*args, **kwargs))

    stylesheet._parse_rules = parse_rules  # type: ignore[method-assign]


def _css_source(
    css: str, read_from: tuple[str, str], is_default_rules: bool = False, tie_breaker: int = 0, scope: str = ""
) -> tuple[Hashable, ...]:
    """What a parse depends on besides the theme, from ``_parse_rules``'s arguments (TypeError: other ones)."""
    return (css, read_from, is_default_rules, tie_breaker, scope)
