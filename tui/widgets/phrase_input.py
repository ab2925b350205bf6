"""An input field where a burst of typed characters may arrive as one paste."""

from __future__ import annotations

from textual.widgets import Input


class PhraseInput(Input):
    """An `Input` that gives typed characters no meaning beyond the text they make.

    Over SSH a phrase typed fast arrives as one read of many keys. For a
    field like this one the app hands the printable keys held behind the
    first to the field as one `Paste` (see `tui.app.PapertrayApp`): one
    insertion and one ``Changed`` instead of one per letter, so the filter
    searches once for the whole phrase. Fields that treat a typed character
    specially (the tag picker's space ticks a row) stay plain `Input`s.
    """
