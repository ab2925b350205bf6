"""Editing a text in the user's editor: ``$VISUAL``, else ``$EDITOR``, else ``vi``.

Used by the reader (with the app suspended, see `tui.controllers.notes`) and by
``papertray note ID``. The text goes through a temp file in a private
directory (the note may be personal), named ``….md`` so the editor picks
Markdown highlighting. The editor runs on the real terminal, so it works over
SSH and in tmux like any other full-screen program.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

from store.errors import StoreError

EditorRunner = Callable[[str, str], "str | None"]
"""(initial text, file name hint) -> the edited text, or None when the edit was abandoned."""


class EditorError(StoreError):
    """The editor could not be started (the message names the command)."""


def editor_command(env: Mapping[str, str] | None = None) -> list[str]:
    """The editor to run, as argv: ``$VISUAL``, then ``$EDITOR``, then ``vi`` (``VISUAL="code -w"`` works)."""
    import shlex

    environ = os.environ if env is None else env
    for name in ("VISUAL", "EDITOR"):
        value = environ.get(name, "").strip()
        if value:
            try:
                return shlex.split(value)
            except ValueError as exc:
                raise EditorError(f"${name}={value!r} does not parse: {exc}") from exc
    return ["vi"]


def edit_text(initial: str, name: str = "note") -> str | None:
    """Open ``initial`` in the editor and return what was saved.

    Returns:
        The file's text when the editor exits with status 0 (the temp file
        is removed), or None when it exits with an error (``:cq`` in vim):
        the caller keeps the old text.

    Raises:
        EditorError: the editor command is not found or cannot be run.
    """
    command = editor_command()
    if shutil.which(command[0]) is None:
        raise EditorError(f"editor {command[0]!r} not found: set $VISUAL or $EDITOR")
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in name)[:60] or "note"
    with tempfile.TemporaryDirectory(prefix="papertray-") as folder:
        path = Path(folder) / f"{safe}.md"
        path.write_text(initial, encoding="utf-8")
        try:
            status = subprocess.call([*command, str(path)])
        except OSError as exc:
            raise EditorError(f"cannot run {command[0]!r}: {exc.strerror or exc}") from exc
        if status != 0:
            return None
        try:
            return path.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:  # the editor removed or replaced the file
            raise EditorError(f"cannot read the note back ({exc.strerror or exc}); the old note is kept") from exc
