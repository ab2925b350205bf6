"""Parsed CSS kept between runs, so a start does not parse the same stylesheets again.

Textual parses every CSS source at each start: papertray's ``.tcss`` files and
the ``DEFAULT_CSS`` of every widget class on the first screen. That took about
7 ms of a 10k-paper start (measured in tmux: the largest cost of the first
frame after imports), for text that changes only with papertray or Textual.

The parsed rules of each source are kept, pickled, in one file in the user's
cache directory, under a key of everything the parse depends on: the CSS text,
where it was read from, its priority and scope, and the theme's variables
(substituted while parsing). A Textual or Python upgrade uses another file. The
file is derived and never the only copy of anything: a missing, damaged,
foreign or unreadable file means the CSS is parsed as before, and a run that
parsed something new writes the file again, off the UI thread, after the first
frame. A file that another user could have written is ignored (unpickling runs
code).
"""

from __future__ import annotations

import os
import pickle
import sys
import time
import zlib
from collections.abc import Callable, Hashable, Mapping
from pathlib import Path
from typing import Any

from store.atomic import atomic_write

CSS_MODULES = ("parse.py", "model.py", "styles.py", "stylesheet.py", "tokenize.py", "types.py", "scalar.py")
"""Textual's modules that parse CSS and define the parsed objects: a change to any one is another file."""

STALE_AFTER = 30 * 86400.0
"""Seconds after which another Textual's or Python's file is removed (two installs may share the directory)."""

MAX_ENTRIES = 256
"""Sources kept (papertray's first screen parses about 25; themes and dialogs add a few each)."""

Key = tuple[Hashable, ...]


def cache_file() -> Path:
    """This Textual's and this Python's file, in the user's cache directory (``XDG_CACHE_HOME``).

    Textual is told apart by the files that define parsed rules (path, size,
    time), not by ``textual.__version__``: that reads the package metadata,
    which costs more (~9 ms of imports) than the parse the file saves.
    """
    import textual.css
    from platformdirs import user_cache_dir

    from store.location import APP_NAME

    css = Path(textual.css.__file__).parent
    stamps = [sys.version]
    for name in CSS_MODULES:
        try:
            info = (css / name).stat()
        except OSError:
            info = None
        stamps.append(f"{css / name}:{info.st_size}:{info.st_mtime_ns}" if info else name)
    version = format(zlib.crc32("\n".join(stamps).encode("utf-8", "surrogateescape")), "08x")
    return Path(user_cache_dir(APP_NAME, appauthor=False)) / f"css-{version}.pickle"


def _trusted(path: Path) -> bool:
    """Only a file of this user's that no one else can write is unpickled."""
    try:
        info = path.stat()
    except OSError:
        return False
    if not hasattr(os, "getuid"):
        return True
    return info.st_uid == os.getuid() and not info.st_mode & 0o022


class ParsedCss:
    """Parsed rules by source; `rules` answers from the file or parses and remembers."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._entries: dict[Key, bytes] = {}
        self._parsed: dict[Key, list[Any]] = {}
        """Rules handed out in this run, by key: the same list again, as Textual's own cache does."""
        self._added = False
        self._variables: tuple[Mapping[str, str] | None, tuple[tuple[str, str], ...]] = (None, ())
        if _trusted(path):
            try:
                loaded = pickle.loads(path.read_bytes())
            except Exception:  # damaged, truncated, from another version: parse as before
                loaded = None
            if isinstance(loaded, dict):
                self._entries = {key: value for key, value in loaded.items() if isinstance(value, bytes)}

    @property
    def changed(self) -> bool:
        """Whether this run parsed a source the file did not have (`save` then writes it)."""
        return self._added

    def _variables_key(self, variables: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
        # Made once per variables object: Textual replaces the dict when the theme changes
        # (`Stylesheet.set_variables`, which also empties its own parse cache), never edits it.
        seen, key = self._variables
        if seen is not variables:
            key = tuple(sorted((str(name), str(value)) for name, value in variables.items()))
            self._variables = (variables, key)
        return key

    def rules(self, source: Key, variables: Mapping[str, str], parse: Callable[[], list[Any]]) -> list[Any]:
        """The rules of ``source`` parsed with ``variables``: from the file, else ``parse()`` (kept if clean)."""
        key = (*source, self._variables_key(variables))
        rules = self._parsed.get(key)
        if rules is not None:
            return rules
        data = self._entries.pop(key, None)
        if data is not None:
            self._entries[key] = data  # used this run: the last a full file drops
            try:
                rules = pickle.loads(data)
            except Exception:
                rules = None
            if isinstance(rules, list):
                self._parsed[key] = rules
                return rules
        rules = parse()
        self._parsed[key] = rules
        if not any(getattr(rule, "errors", None) for rule in rules):
            try:
                self._entries[key] = pickle.dumps(rules, protocol=pickle.HIGHEST_PROTOCOL)
                self._added = True
            except Exception:  # a rule Textual made unpicklable: parse it every time, as Textual does
                pass
        return rules

    def save(self) -> None:
        """Write the file if this run parsed something new (call off the UI thread)."""
        if not self._added:
            return
        self._added = False
        entries = dict(list(self._entries.items())[-MAX_ENTRIES:])
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(self.path, pickle.dumps(entries, protocol=pickle.HIGHEST_PROTOCOL), mode=0o600)
            stale = time.time() - STALE_AFTER
            for old in self.path.parent.glob("css-*.pickle"):  # an older Textual's, or another Python's
                if old != self.path and old.stat().st_mtime < stale:
                    old.unlink(missing_ok=True)
        except OSError:
            pass  # a read-only home: the next start parses again, nothing else changes
