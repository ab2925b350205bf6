"""The store's news for the reader: what other processes wrote (polled), and whether writing works (subscribed)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from tui.screens.main import MainScreen


class StoreChanged(Message):
    """The store changed (posted from whatever thread changed it, the writer's included)."""


class StoreNews:
    """Watches the store for the reader screen.

    Two sources, each for one kind of news:

    * other processes: once a second a ``stat`` of the store files, and a worker
      to re-read them only when one changed (`poll`);
    * this process's writes, which fail or work again on the writer thread:
      `Store.subscribe` calls back on that thread, and the callback only posts
      `StoreChanged` to the screen (``post_message`` is thread-safe and never
      waits, so a writer thread joined by ``Store.close`` on the UI thread
      cannot deadlock on it). The screen then shows the write state.
    """

    def __init__(self, reader: MainScreen) -> None:
        self.reader = reader
        self.shown_error: str | None = None
        """The failed write the notice line last reported (None: none, or writing works again)."""

    def start(self) -> None:
        """Subscribe to the store and start the once-a-second check for other processes."""
        self.reader.store.subscribe(self._store_changed)
        self.reader.set_interval(1.0, self.poll_if_changed)

    def _store_changed(self) -> None:
        """Any thread: hop to the UI thread (see the class docstring)."""
        self.reader.post_message(StoreChanged())

    def poll_if_changed(self) -> None:
        """Once a second: a ``stat`` of the store files; a worker only when one changed.

        An idle reader in tmux all day must cost next to nothing: starting a
        worker thread every second (and its state messages) did not.
        """
        try:
            wanted = self.reader.store.poll_wanted()
        except OSError:
            wanted = True
        if wanted:
            self.reader.run_worker(self._poll, thread=True, exclusive=True, group="poll", exit_on_error=False)

    def _poll(self) -> None:
        reader = self.reader
        if reader.store.poll():
            reader.app.call_from_thread(self.external_change)

    def external_change(self) -> None:
        """Another process wrote: show the store as it is now."""
        reader = self.reader
        reader.viewer.load(keep_id=reader.paper_list.current_id)
        self.show_write_state()

    def show_write_state(self) -> None:
        """Say on the notice line when a write fails, and when writing works again (once each)."""
        error = self.reader.store.write_error or None
        if error == self.shown_error:
            return
        self.shown_error = error
        app = self.reader.app
        if error:
            self.reader.say(f"⚠ {error}")
            # The notice line clears at the next key; a failing disk must stay in sight until it is fixed.
            app.notify(f"Changes are not being saved: {error}", title="Write failed", severity="error", timeout=24 * 3600)
        else:
            app.clear_notifications()
            self.reader.say("✓ writing works again: every change is saved")
