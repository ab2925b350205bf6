"""The demo dataset that ships inside the package.

``papertray --demo`` and the screenshot script need papers to show without
touching the network or the user's files. ``papers.json`` holds 62 papers
written for papertray (none of them exist), spread over six days, and chosen
to exercise the awkward cases: non-ASCII titles and authors, a CJK and an
emoji title, a very long title, brackets and braces that a markup or BibTeX
layer could misread, papers without arXiv id or authors, two GitHub links,
and a withdrawn paper.
"""

from __future__ import annotations

import json
from dataclasses import fields
from importlib import resources
from typing import Any

from store.drafts import PaperDraft

DEMO_SOURCE = "papertray demo"
"""The ``source`` of every demo draft, so demo papers can be told apart."""

_FIELDS = frozenset(f.name for f in fields(PaperDraft))
_TUPLE_FIELDS = frozenset({"authors", "github", "links", "keywords"})


def demo_drafts() -> list[PaperDraft]:
    """Load the bundled demo papers as drafts ready for import.

    The JSON is read through ``importlib.resources`` so it works from an
    installed wheel or a zip as well as from a source checkout.

    Returns:
        One draft per demo paper, in file order (grouped by day), each with
        ``source`` set to :data:`DEMO_SOURCE`.

    Raises:
        ValueError: If the bundled file names a field ``PaperDraft`` lacks,
            which means the file and the model have drifted apart.
    """
    text = resources.files("store.demo").joinpath("papers.json").read_text(encoding="utf-8")
    document = json.loads(text)
    return [_draft(entry) for entry in document["papers"]]


def _draft(entry: dict[str, Any]) -> PaperDraft:
    unknown = set(entry) - _FIELDS
    if unknown:
        raise ValueError(f"demo paper {entry.get('title')!r} has unknown fields: {sorted(unknown)}")
    values: dict[str, Any] = {key: tuple(value) if key in _TUPLE_FIELDS else value for key, value in entry.items()}
    values["source"] = DEMO_SOURCE
    return PaperDraft(**values)
