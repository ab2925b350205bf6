"""Palette commands for saved views (save the filter, rename, delete) and the watch rules' "watched first".

Saved views have no key of their own: saving, renaming and deleting are rare,
and the palette finds "Rename view NAME" by typing part of the name.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING

from textual.app import SystemCommand
from textual.markup import escape

from store.model import Status
from store.views import View

if TYPE_CHECKING:
    from tui.app import PapertrayApp
    from tui.screens.main import MainScreen


def view_commands(app: PapertrayApp, screen: MainScreen) -> Iterable[SystemCommand]:
    yield SystemCommand(
        "Save filter as view…",
        "Keep this view's filter under a name, as a view of its own with a number key",
        partial(save_view, app, screen),
    )
    for name in app.store.saved_views():
        yield SystemCommand(escape(f"Rename view {name}"), "Give this saved view a new name", partial(rename_view, app, screen, name))
        yield SystemCommand(escape(f"Delete view {name}"), "Forget this saved view (u undoes)", partial(delete_view, app, screen, name))
    state = "on" if screen.watched_first else "off"
    yield SystemCommand(
        f"Watched first in the Inbox (now {state})",
        "Papers that a watch rule of config.toml matches (♦) come first in the Inbox",
        partial(toggle_watched_first, app, screen),
    )


def scope_query(view: View, text: str) -> str:
    """The query a saved view keeps: the current view as a filter, then what the filter bar holds."""
    if view.query is not None:
        scope = view.query
    elif view.queue is not None:
        scope = f"in:{view.queue}"
    elif view.status is Status.NEW:
        scope = "is:new -is:muted"  # the Inbox: new papers, muted ones left out
    elif view.status is not None:
        scope = f"is:{view.status.value}"
    else:
        scope = ""
    return " ".join(part for part in (scope, text.strip()) if part)


def save_view(app: PapertrayApp, screen: MainScreen) -> None:
    from tui.screens.prompt import PromptScreen

    query = scope_query(screen.view, screen.filter.query)
    if not query:
        app.notify("Nothing to save: type a filter first (/), e.g. title:diffusion", severity="warning")
        return

    def saved(name: str | None) -> None:
        if not name or not screen.ran(partial(app.store.view_save, name, query)):
            return
        name = " ".join(name.split())
        screen.filter_bar.set_text("")  # the view carries the filter now
        screen.filter.query = ""
        screen.refresh_all()
        view = next(v for v in screen.views if v.query is not None and v.label == name)
        screen.viewer.switch(view)
        number = screen.views.index(view) + 1
        app.notify(f"Saved view {name}: {query}" + (f" (key {number})" if number <= 9 else ""))

    app.push_screen(PromptScreen(f"Save «{query}» as view named:", screen.filter.query.strip()[:30]), saved)


def rename_view(app: PapertrayApp, screen: MainScreen, old: str) -> None:
    from tui.screens.prompt import PromptScreen

    def renamed(new: str | None) -> None:
        if new and screen.ran(partial(app.store.view_rename, old, new)):
            if screen.view.key == f"saved:{old}":  # stay in the view under its new name
                screen.view = View(f"saved:{' '.join(new.split())}", " ".join(new.split()), query=screen.view.query)
            screen.refresh_all()
            app.notify(f"Renamed view {old} to {' '.join(new.split())}")

    app.push_screen(PromptScreen(f"New name for view {old}:", old), renamed)


def delete_view(app: PapertrayApp, screen: MainScreen, name: str) -> None:
    if screen.ran(partial(app.store.view_delete, name)):
        screen.refresh_all()
        app.notify(f"Deleted view {name} (u undoes)")


def toggle_watched_first(app: PapertrayApp, screen: MainScreen) -> None:
    screen.watched_first = not screen.watched_first
    screen.ran(partial(app.store.meta_set, "watched_first", screen.watched_first))
    screen.refresh_all()
    if not app.store.rules.watch:
        app.notify("No watch rules yet: add watch = [\"title:WORD\"] to config.toml", severity="warning")
    else:
        screen.say("watched papers first in the Inbox" if screen.watched_first else "watched papers in date order")
