"""The keys table has no import cycle, and ``q`` keeps its binding id while leaving Textual's own action alone."""

from __future__ import annotations

import ast
from pathlib import Path

from textual.app import App
from textual.binding import Binding

from tui.app import PapertrayApp

ROOT = Path(__file__).resolve().parent.parent


def test_the_keys_table_imports_no_screen_and_no_app() -> None:
    """Help and the palette get their rows from the app; ``tui.keys`` reaching back up made a cycle.

    Checked in the source, so an import inside a function (as the cycle's was) counts too.
    """
    tree = ast.parse((ROOT / "tui" / "keys.py").read_text(encoding="utf-8"))
    imported = [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    imported += [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
    assert [m for m in imported if m.startswith(("tui.app", "tui.screens", "tui.widgets"))] == []


def test_q_keeps_the_id_app_back_and_textuals_back_action_is_not_overridden() -> None:
    assert PapertrayApp.action_back is App.action_back, "Textual's async action_back must not be shadowed"
    (q,) = [b for b in PapertrayApp.BINDINGS if isinstance(b, Binding) and b.id == "app.back"]
    assert q.key == "q" and q.action == "back_out"
