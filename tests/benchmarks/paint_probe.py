"""A mixin that tells a benchmark when a Textual app has put a frame on screen.

Textual renders every frame in `App._display`; headless, it computes the
frame (layout, ``render_line`` of every dirty widget, the compositor update)
and then skips the one step a terminal needs, encoding it as escape
sequences. `PaintProbe` does that step too, so a headless frame costs what a
real one would, then calls `on_frame`. Mixed in ahead of `App` (or a
subclass) by the benchmark drivers only; the app code has no hooks.
"""

from __future__ import annotations

import time
from typing import Any

from textual._compositor import CompositorUpdate


class PaintProbe:
    """Put first in the bases: ``class Probe(PaintProbe, PapertrayApp)``."""

    frames_encoded_bytes: int = 0
    """Characters of terminal output the frames would have written."""

    def _display(self, screen: Any, renderable: Any) -> None:
        super()._display(screen, renderable)  # type: ignore[misc]
        if renderable is None:
            return
        if isinstance(renderable, CompositorUpdate) and self.is_headless:  # type: ignore[attr-defined]
            self.frames_encoded_bytes += len(renderable.render_segments(self.console))  # type: ignore[attr-defined]
        self.on_frame(time.perf_counter())

    def on_frame(self, at: float) -> None:
        """Called after each frame, with its ``time.perf_counter()``."""
