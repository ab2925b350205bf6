"""Type-ahead: keys are applied one at a time, to whatever has focus at that point.

Over SSH a fast typist's keys arrive in one read: ``/robust`` is seven key
events queued at once. Textual forwards every queued key to the widget that
has focus *now*, while the focus change that ``/`` asks for is deferred
(``Widget.focus()`` goes through ``call_later``, a pushed screen mounts in its
own task). The letters after ``/`` then reach the list and run its commands.

`KeyRouter` holds the keys back instead: the app forwards one key, and the next
only once the previous one has settled, that is:

1. the key has travelled up its whole chain to the app (a marker message
   posted right behind it bubbles up the same queues, so it arrives after the
   key and after the binding it ran);
2. every message pump of the app and of the current screen has emptied what it
   had queued (focus callbacks, a new screen's mount and its ``on_mount``
   focus), repeated until focus and screen stop changing.

A lone key is forwarded at once: only keys that come in a burst wait, and then
for a few milliseconds each. A key never waits more than ``MAX_HOLD`` seconds.
Text typed into a field does not wait at all: a printable key given to an
``Input`` cannot move focus, so the printable keys held behind it follow it
straight away, together (the field then takes the whole phrase before the
first of its change messages reaches the filter, which searches once).
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from textual import events
from textual.message import Message

if TYPE_CHECKING:
    from textual.app import App
    from textual.message_pump import MessagePump

MAX_HOLD = 0.5
"""Longest one key holds back the next (seconds): a stuck screen must not eat typing."""

MAX_ROUNDS = 8
"""Most rounds of "let every pump empty its queue" after one key."""


class KeyApplied(Message):
    """Posted behind a key to the widget that got it; reaches the app once the key has."""

    def __init__(self, done: asyncio.Event) -> None:
        self.done = done
        super().__init__()


class KeyRouter:
    """The app's key queue: see the module docstring."""

    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self.pending: deque[events.Key | events.Paste] = deque()
        self.busy = False
        """Whether a key is on its way; new keys wait in ``pending`` meanwhile."""
        self._task: asyncio.Task[None] | None = None

    def hold(self, event: events.Key | events.Paste) -> bool:
        """Queue ``event`` if another key is still settling; True if it was queued."""
        if self.busy:
            self.pending.append(event)
            return True
        return False

    def started(self, target: object, *, settle: bool = True) -> None:
        """A key was just forwarded to ``target`` (or handled by a priority binding).

        ``settle=False`` for a key that cannot move focus (text typed into a
        field): the next key follows at once, so a phrase typed in one burst
        costs no more than the keys' own work.
        """
        self.busy = True
        if not settle:
            self.app.post_message(NextKey())
            return
        done = asyncio.Event()
        post = getattr(target, "post_message", None)
        if post is None or not post(KeyApplied(done)):
            done.set()
        self._task = asyncio.create_task(self._settle(done))

    def next_typed(self) -> events.Key | events.Paste | None:
        """The next held event if it is text (a printable key, a paste: more for the same field), else None."""
        if self.pending and is_text(self.pending[0]):
            return self.pending.popleft()
        return None

    def next_key(self) -> events.Key | events.Paste | None:
        """The next held key, or None (and the router is free) when none is left."""
        if self.pending:
            return self.pending.popleft()
        self.busy = False
        return None

    async def _settle(self, done: asyncio.Event) -> None:
        try:
            await asyncio.wait_for(done.wait(), MAX_HOLD)
        except asyncio.TimeoutError:
            pass
        else:
            try:
                await asyncio.wait_for(self._quiet(), MAX_HOLD)
            except asyncio.TimeoutError:
                pass
        self.app.post_message(NextKey())

    async def _quiet(self) -> None:
        """Wait until the app and the current screen have handled what they had queued."""
        app = self.app
        for round_ in range(MAX_ROUNDS):
            try:
                screen = app.screen
            except Exception:  # no screen yet, or the app is closing
                return
            before = (screen, screen.focused, len(app.screen_stack))
            pumps: list[MessagePump] = [app, *screen.walk_children(with_self=True)]
            await _drain(pumps)
            try:
                after_screen = app.screen
            except Exception:
                return
            if round_ >= 1 and (after_screen, after_screen.focused, len(app.screen_stack)) == before:
                return


def is_text(event: events.Key | events.Paste) -> bool:
    """Whether ``event`` only adds text where it lands (a printable key, a paste): it cannot move focus."""
    return isinstance(event, events.Paste) or event.is_printable


class NextKey(Message):
    """The key on its way has settled: the app may forward the next one."""


async def _drain(pumps: Sequence[MessagePump]) -> None:
    """Return once each pump has run a callback posted behind everything it holds now."""
    count = 0
    zero = asyncio.Event()

    def one_done() -> None:
        nonlocal count
        count -= 1
        if count == 0:
            zero.set()

    for pump in pumps:
        if pump.call_later(one_done):
            count += 1
    if count:
        await zero.wait()
