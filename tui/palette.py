"""The command palette (ctrl+p): every key's action, plus what has no key."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import SystemCommand
from textual.markup import escape
from textual.screen import Screen

from store.errors import StoreError
from store.export import EXPORT_FORMATS, FILE_SUFFIXES, ExportFormat, export_papers, write_export
from tui.palette_views import view_commands

if TYPE_CHECKING:
    from tui.app import PapertrayApp
    from tui.screens.main import MainScreen



def screen_commands(app: PapertrayApp, screen: Screen[object]) -> Iterable[SystemCommand]:
    from tui.screens.main import MainScreen

    if not isinstance(screen, MainScreen):
        return
    for row in app.key_rows():
        if row.group in ("App",) or row.id.startswith("list."):
            continue
        action = row.action
        if not hasattr(screen, f"action_{action.split('(')[0]}"):
            continue  # a widget's own key (the filter bar's Esc): run from here it would do nothing
        # The palette parses titles as markup: "[/]" (the filter key) once crashed it.
        title = escape(f"{row.description} ({row.keys})")
        yield SystemCommand(title, escape(f"key {row.keys} · {row.id}"), partial(screen.run_action, action))
    for fmt in EXPORT_FORMATS:
        yield SystemCommand(
            f"Export this view as {fmt}",
            "Write the papers of the current view to a file",
            partial(export_view, app, screen, fmt),
        )
    for by in ("date", "upvotes"):
        yield SystemCommand(
            f"Sort by {by}", "Order the list (queues keep their own order)", partial(screen.sort_by, by)
        )
    yield from view_commands(app, screen)
    yield SystemCommand("Rename a queue", "Pick a queue, then give it a new name", partial(rename_queue, app, screen))
    yield SystemCommand(
        "Delete a queue", "Pick a queue to delete (its papers stay in the store)", partial(delete_queue, app, screen)
    )


def export_view(app: PapertrayApp, screen: MainScreen, fmt: ExportFormat) -> None:
    from tui.screens.prompt import PromptScreen

    default = f"papertray-{screen.view.label}{FILE_SUFFIXES[fmt]}".replace(" ", "-")

    def write(name: str | None) -> None:
        if not name:
            return
        path = Path(name).expanduser().resolve()  # the message names the file wherever the app was started
        store = app.store
        papers = store.papers_of(r.id for r in screen.paper_list.rows)
        try:
            text = export_papers(
                papers,
                fmt,
                status_of=lambda pid: store.status(pid).value,
                queues_of=store.queues_of,
                tags_of=store.tags_of,
                note_of=store.note,
            )
            write_export(path, text, store_root=store.root)
        except (OSError, StoreError) as exc:
            app.notify(f"{path}: not written ({exc})", severity="error")
            return
        app.notify(f"Exported {len(papers)} papers to {path}")

    app.push_screen(PromptScreen(f"Export {len(screen.paper_list.rows)} papers as {fmt} to file:", default), write)


def rename_queue(app: PapertrayApp, screen: MainScreen) -> None:
    from tui.screens.prompt import PromptScreen
    from tui.screens.queue_picker import QueuePickerScreen

    def picked(old: str | None) -> None:
        if not old or old not in app.store.queues():
            return

        def renamed(new: str | None) -> None:
            if new and screen.ran(partial(app.store.queue_rename, old, new)):
                screen.refresh_all()
                app.notify(f"Renamed {old} to {new}")

        app.push_screen(PromptScreen(f"New name for queue {old}:", old), renamed)

    app.push_screen(QueuePickerScreen(app.store, title="Rename queue", allow_new=False, verb="renames it"), picked)


def delete_queue(app: PapertrayApp, screen: MainScreen) -> None:
    from tui.screens.confirm import ConfirmScreen
    from tui.screens.queue_picker import QueuePickerScreen

    def picked(name: str | None) -> None:
        queues = app.store.queues()
        if not name or name not in queues:
            return

        def drop(ok: bool | None = True) -> None:
            if ok and screen.ran(partial(app.store.queue_drop, name)):
                screen.refresh_all()
                app.notify(f"Deleted queue {name} (u undoes)")

        if queues[name]:
            app.push_screen(ConfirmScreen(f"Delete queue {name} with {len(queues[name])} papers?"), drop)
        else:
            drop()

    app.push_screen(
        QueuePickerScreen(
            app.store, title="Delete queue", allow_new=False, verb="deletes it (asks first if it holds papers)"
        ),
        picked,
    )
