"""User settings from ``config.toml``: key map, clipboard mode, citation format.

Example::

    clipboard = "auto"          # auto | osc52 | system
    citation = "bibtex"         # bibtex | plain | markdown | arxiv
    backups = 3                 # previous good copies kept of each store file
    hf_url = "https://huggingface.co"          # PAPERTRAY_HF_URL wins
    arxiv_url = "https://export.arxiv.org"     # PAPERTRAY_ARXIV_URL wins

    watch = ['author:"Yann LeCun"', "title:diffusion"]   # marked ♦, is:watched
    mute = ["title:survey", "-has:code date:<2020"]      # out of the Inbox, is:muted

    [keys]
    "triage.star" = "f"         # binding id = key(s), comma-separated
    "list.down" = "j,down,ctrl+n"

    [[bib]]                     # a .bib file kept in sync with a query (any number of these)
    file = "~/thesis/refs.bib"  # relative paths: from the config file's directory
    select = "in:thesis"
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

from store.location import config_path

CITATION_FORMATS = ("bibtex", "plain", "markdown", "arxiv")
"""The values of ``store.citations.CitationFormat``, spelled out: importing the
citation module here would cost start-up time (a test keeps the two equal)."""


class BibRule(NamedTuple):
    """A ``[[bib]]`` table: ``file`` kept in sync with the papers ``select`` (a query) finds."""

    file: Path
    select: str


class Config(NamedTuple):
    """The settings (a tuple: cheaper to define at start-up than a frozen dataclass)."""

    keys: Mapping[str, str] = MappingProxyType({})
    clipboard: str = "auto"
    citation: str = "bibtex"
    backups: int = 3
    hf_url: str | None = None
    arxiv_url: str | None = None
    bib: tuple[BibRule, ...] = ()
    """The ``.bib`` files the reader keeps in sync (`store.bib_auto`)."""
    error: str | None = None
    """Why the file was ignored (shown once as a notification), or None."""
    watch: tuple[str, ...] = ()
    mute: tuple[str, ...] = ()
    """Rules in the query language (`store.rules`); a rule that does not parse is reported there."""


def load_config(path: Path | None = None) -> Config:
    """Read the config; a broken file is reported, never fatal."""
    path = path or config_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Config()
    except (OSError, UnicodeDecodeError) as exc:
        return Config(error=f"{path}: ignored ({exc})")
    if sys.version_info >= (3, 11):  # imported only when there is a file: start-up time
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]  # only on Python < 3.11, mypy's target
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return Config(error=f"{path}: ignored ({exc})")
    keys = raw.get("keys", {})
    if not isinstance(keys, dict) or not all(isinstance(v, str) for v in keys.values()):
        return Config(error=f"{path}: [keys] must map binding ids to key strings")
    clipboard = raw.get("clipboard", "auto")
    citation = raw.get("citation", "bibtex")
    if clipboard not in ("auto", "osc52", "system"):
        return Config(keys=dict(keys), error=f"{path}: clipboard must be auto, osc52 or system")
    formats = list(CITATION_FORMATS)
    if citation not in formats:
        # Unchecked, a typo here made every `c` press crash the app.
        return Config(
            keys=dict(keys), clipboard=str(clipboard), error=f"{path}: citation must be one of {', '.join(formats)}"
        )
    backups = raw.get("backups", 3)
    if not isinstance(backups, int) or isinstance(backups, bool) or not 0 <= backups <= 100:
        return Config(
            keys=dict(keys),
            clipboard=str(clipboard),
            citation=str(citation),
            error=f"{path}: backups must be a whole number from 0 to 100",
        )
    urls = {name: raw.get(name) for name in ("hf_url", "arxiv_url")}
    for name, url in urls.items():
        if url is not None and not (isinstance(url, str) and url.startswith(("http://", "https://"))):
            return Config(
                keys=dict(keys),
                clipboard=str(clipboard),
                citation=str(citation),
                error=f"{path}: {name} must be an http(s) URL",
            )
    rules = {name: raw.get(name, []) for name in ("watch", "mute")}
    for name, value in rules.items():
        if not (isinstance(value, list) and all(isinstance(rule, str) for rule in value)):
            rules[name] = []
            error = f"{path}: {name} must be a list of queries, such as {name} = [\"title:diffusion\"]"
            return Config(keys=dict(keys), clipboard=str(clipboard), citation=str(citation), backups=backups, error=error)
    config = Config(
        keys=dict(keys),
        clipboard=str(clipboard),
        citation=str(citation),
        backups=backups,
        watch=tuple(rules["watch"]),
        mute=tuple(rules["mute"]),
        **urls,
    )
    bib = _bib_rules(raw.get("bib", []), path)
    if isinstance(bib, str):
        return config._replace(error=f"{path}: {bib}")
    return config._replace(bib=bib)


def _bib_rules(raw: object, path: Path) -> tuple[BibRule, ...] | str:
    """The ``[[bib]]`` tables, or what is wrong with them (one line)."""
    if not isinstance(raw, list):
        return "bib must be [[bib]] tables with file and select"
    rules: list[BibRule] = []
    for number, table in enumerate(raw, 1):
        if not isinstance(table, dict) or set(table) != {"file", "select"}:
            return f"[[bib]] number {number} must have exactly file and select"
        file, select = table["file"], table["select"]
        if not isinstance(file, str) or not file.strip() or not isinstance(select, str) or not select.strip():
            return f"[[bib]] number {number}: file and select must be non-empty strings"
        where = Path(file).expanduser()
        rules.append(BibRule(where if where.is_absolute() else path.parent / where, select))
    return tuple(rules)


def apply_urls(config: Config, environ: dict[str, str] | None = None) -> None:
    """Make the config's service URLs the default; the environment variables still win."""
    import os

    target = os.environ if environ is None else environ
    if config.hf_url:
        target.setdefault("PAPERTRAY_HF_URL", config.hf_url)
    if config.arxiv_url:
        target.setdefault("PAPERTRAY_ARXIV_URL", config.arxiv_url)
