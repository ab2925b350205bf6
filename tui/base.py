"""The typed way from a screen to the app: ``self.app`` is a `PapertrayApp`, not Textual's ``App[object]``.

Textual types ``MessagePump.app`` as the generic ``App``; the screens call the
app's own methods (``copy_text``, ``open_link``, ``start_fetch``...). Typing it
once here spares every call an ignore. The app is imported for type checking
only, so the layers (``app > screens``) stay as they are at run time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.screen import Screen

if TYPE_CHECKING:
    from tui.app import PapertrayApp


class PapertrayScreen(Screen[None]):
    """A screen of the papertray app."""

    @property
    def app(self) -> PapertrayApp:
        """The running app, typed as papertray's."""
        return cast("PapertrayApp", super().app)
