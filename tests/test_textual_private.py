"""The private Textual names papertray uses still exist (see tui/textual_private.py).

A Textual upgrade that drops one fails here, naming it, rather than in front of a user.
"""

from __future__ import annotations

import asyncio
import importlib
import os

import pytest
from textual.app import App

from tui.textual_private import REQUIRED


def _instance(path: str) -> object:
    """An instance of the class at ``path``, so attributes set in ``__init__`` count too."""
    module, _, name = path.rpartition(".")
    cls = getattr(importlib.import_module(module), name)
    if name == "App":
        return App()
    if name in ("Screen", "Widget"):
        return cls()
    if name == "XTermParser":
        return cls(False)
    if name == "Stylesheet":
        return cls()
    if name == "LinuxDriver":
        if os.name != "posix":
            pytest.skip("the Linux driver exists on POSIX only")

        async def make() -> object:
            return cls(App(), debug=False, mouse=False, size=(80, 24))

        return asyncio.run(make())
    raise AssertionError(f"add a way to build {path} to this test")


@pytest.mark.parametrize("path", sorted(REQUIRED))
def test_private_textual_names_still_exist(path: str) -> None:
    instance = _instance(path)
    missing = [attr for attr in REQUIRED[path] if not hasattr(instance, attr)]
    assert not missing, f"Textual no longer has {path}.{', '.join(missing)}: update tui/textual_private.py"


def test_nothing_else_in_tui_uses_private_textual_names() -> None:
    """Every private Textual import goes through tui/textual_private.py."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "tui"
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if path.name != "textual_private.py" and "from textual._" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
