"""The typed way from a screen to the app: ``self.app`` is a `PapertrayApp`, not Textual's ``App[object]``.

Textual types ``MessagePump.app`` as the generic ``App``; the screens call the
app's own methods (``copy_text``, ``open_link``, ``start_fetch``...). Typing it
once here, with Textual's own `textual.getters.app`, spares every call an
ignore. It is declared for the type checker only: at run time ``app`` stays
Textual's property (no extra check per access), and the app module is not
imported, so the layers (``app > screens``) stay as they are.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

from textual.screen import Screen

if TYPE_CHECKING:
    from textual import getters

    from tui.app import PapertrayApp


class PapertrayScreen(Screen[None]):
    """A screen of the papertray app."""

    if TYPE_CHECKING:
        app = getters.app(PapertrayApp)


def settle_collector() -> None:
    """After the first paint: freeze what start-up made, then let the cyclic collector run again.

    ``papertray`` pauses the collector for the start-up (`tui.cli.main`).
    """
    gc.freeze()
    gc.enable()
