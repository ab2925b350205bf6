"""User settings from ``config.toml``: key map, clipboard mode, citation format.

Example::

    clipboard = "auto"          # auto | osc52 | system
    citation = "bibtex"         # bibtex | plain | markdown | arxiv

    [keys]
    "triage.star" = "f"         # binding id = key(s), comma-separated
    "list.down" = "j,down,ctrl+n"
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from store.citations import CitationFormat
from store.location import config_path


@dataclass(frozen=True)
class Config:
    keys: dict[str, str] = field(default_factory=dict)
    clipboard: str = "auto"
    citation: str = "bibtex"
    error: str | None = None
    """Why the file was ignored (shown once as a notification), or None."""


def load_config(path: Path | None = None) -> Config:
    """Read the config; a broken file is reported, never fatal."""
    path = path or config_path()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Config()
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return Config(error=f"{path}: ignored ({exc})")
    keys = raw.get("keys", {})
    if not isinstance(keys, dict) or not all(isinstance(v, str) for v in keys.values()):
        return Config(error=f"{path}: [keys] must map binding ids to key strings")
    clipboard = raw.get("clipboard", "auto")
    citation = raw.get("citation", "bibtex")
    if clipboard not in ("auto", "osc52", "system"):
        return Config(keys=dict(keys), error=f"{path}: clipboard must be auto, osc52 or system")
    formats = [f.value for f in CitationFormat]
    if citation not in formats:
        # Unchecked, a typo here made every `c` press crash the app.
        return Config(keys=dict(keys), clipboard=str(clipboard), error=f"{path}: citation must be one of {', '.join(formats)}")
    return Config(keys=dict(keys), clipboard=str(clipboard), citation=str(citation))
