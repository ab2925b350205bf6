"""The queue picker: type to narrow, Enter takes the highlighted queue, like fzf.

Creating a queue is never a side effect of Enter on a prefix (``sur`` must
pick "survey", not create "sur"): it is an explicit last row,
``+ create "sur"``, highlighted only when nothing else matches.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from store.errors import QueueError
from store.state import check_queue_name
from store.store import Store
from tui.screens.picker import PickerScreen

CREATE = "\x00create"
"""Option id of the ``+ create "name"`` row (no queue name can contain NUL)."""


class QueuePickerScreen(PickerScreen[str | None]):
    """Returns the chosen (or new) queue name; rename/delete pass ``allow_new=False`` and their own ``verb``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "cancel", "Cancel", id="picker.cancel"),  # q: only when the field lets it through
    ]
    PLACEHOLDER = "queue name"

    def __init__(
        self, store: Store, title: str = "Add to queue", *, allow_new: bool = True, verb: str = "adds to it"
    ) -> None:
        super().__init__()
        self.store = store
        self.title_text = title
        self.allow_new = allow_new
        """False for rename/delete: only existing queues can be picked."""
        self.verb = verb
        """What Enter does to the highlighted queue, for the hint ("renames it")."""

    def help_text(self) -> str:
        return f"type to narrow · Enter {self.verb} · Esc cancels"

    def _fill(self, text: str) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        typed = text.strip()
        wanted = typed.casefold()
        queues = self.store.queues()
        names = [n for n in queues if wanted in n.casefold()]
        # fzf order: exact, then prefix, then anywhere; ties keep the queues' order.
        names.sort(key=lambda n: (n.casefold() != wanted, not n.casefold().startswith(wanted)))
        for name in names:
            options.add_option(Option(f"{name}  ({len(queues[name])})", id=name))
        self.show_hint("")
        if typed and typed not in queues and self.allow_new:
            try:
                check_queue_name(typed)
                options.add_option(Option(Content.from_markup('[b]+ create[/b] "$name"', name=typed), id=CREATE))
            except QueueError as exc:
                self.show_hint(str(exc), error=True)
        elif typed and not names:
            self.show_hint(f"no queue matches '{typed}'", error=True)
        options.highlighted = 0 if options.option_count else None

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        """Enter: the highlighted row (a queue, or the create row); with none, say why."""
        options = self.query_one(OptionList)
        if options.highlighted is not None and options.option_count:
            self._take(options.get_option_at_index(options.highlighted).id)
            return
        typed = event.value.strip()
        if not typed:
            self.show_hint(
                "no queues yet: type a name to create one" if self.allow_new else "there are no queues", error=True
            )
        elif self.allow_new:
            try:
                check_queue_name(typed)
            except QueueError as exc:
                self.show_hint(str(exc), error=True)
        else:
            self.show_hint(f"no queue named '{typed}'", error=True)

    def _take(self, option_id: str | None) -> None:
        if option_id == CREATE:
            self.dismiss(check_queue_name(self.query_one(Input).value.strip()))
        elif option_id is not None:
            self.dismiss(option_id)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._take(event.option.id)
