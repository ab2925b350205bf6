"""Every binding of the reader in one table, as the user has mapped them.

The help screen and the command palette both read this table, built by the app
(`PapertrayApp.key_rows`) from the bindings the widgets and screens declare, so
what they show cannot drift from them. This module imports no screen or app.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from textual.binding import Binding, BindingType

GROUPS = {
    "list": "Move",
    "abstract": "Abstract",
    "filter": "Filter",
    "triage": "Triage",
    "queue": "Queues",
    "cite": "Copy",
    "link": "Copy",
    "tag": "Tags & notes",
    "note": "Tags & notes",
    "view": "Views",
    "fetch": "Fetch",
    "app": "App",
}

KEY_NAMES = {
    "question_mark": "?",
    "slash": "/",
    "plus": "+",
    "pageup": "PgUp",
    "pagedown": "PgDn",
    "escape": "Esc",
    "enter": "Enter",
    "space": "Space",
}


@dataclass(frozen=True)
class KeyRow:
    id: str
    group: str
    keys: str
    description: str
    action: str


def key_rows(keymap: Mapping[str, str], sources: Iterable[Iterable[BindingType]]) -> list[KeyRow]:
    """One row per binding id, keys merged (``j, down``), user overrides applied.

    Args:
        keymap: Binding id → keys, from the config file.
        sources: The ``BINDINGS`` of each class, in the order their groups should show.
    """
    merged: dict[str, KeyRow] = {}
    for declared in sources:
        bindings = [b for b in declared if isinstance(b, Binding)]
        for binding in bindings:
            bid = binding.id or binding.action
            keys = keymap.get(bid, binding.key)
            shown = ", ".join(KEY_NAMES.get(k.strip(), k.strip()) for k in keys.split(","))
            description = binding.tooltip or binding.description
            if bid in merged:
                row = merged[bid]
                if shown not in row.keys.split(", "):
                    merged[bid] = KeyRow(bid, row.group, f"{row.keys}, {shown}", row.description, row.action)
                continue
            group = GROUPS.get(bid.split(".")[0], "Other")
            merged[bid] = KeyRow(bid, group, shown, description, binding.action)
    return sorted(
        merged.values(),
        key=lambda r: list(dict.fromkeys(GROUPS.values())).index(r.group) if r.group in GROUPS.values() else 99,
    )
