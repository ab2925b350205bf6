"""The tag picker: type to narrow, Space ticks or unticks tags, Enter applies them all at once.

Like the queue picker (`tui.screens.queue_picker`), a new tag is never a
side effect of typing: it is an explicit ``+ create "name"`` row, ticked like
any other. Enter with nothing ticked or unticked yet toggles the highlighted
tag and applies, so a single tag is ``t``, a few letters, Enter.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from store.tags import TagError, check_tag
from tui.screens.picker import PickerScreen

CREATE = "\x00create"
"""Option id of the ``+ create "name"`` row (no tag can contain NUL)."""

TagChange = tuple[list[str], list[str]]
"""(tags to add, tags to remove)."""


class TagPickerScreen(PickerScreen[TagChange | None]):
    """Returns the tags to add and to remove (None on Esc, or when nothing changed)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="tags.cancel"),
    ]
    PLACEHOLDER = "tag (lower-case; letters, digits, - _ .)"

    def __init__(self, counts: Mapping[str, int], current: Sequence[str], title: str = "Tags") -> None:
        """
        Args:
            counts: Every tag in the store with its number of papers.
            current: The paper's tags now.
            title: The dialog's title (the paper's title, shortened).
        """
        super().__init__()
        self.counts = dict(counts)
        self.initial = frozenset(current)
        self.chosen = set(current)
        """Ticked tags: what the paper will carry after Enter."""
        self.title_text = title
        self._filled = ""
        """The text the list was last filled for (its highlight is the user's while the text stays)."""

    def help_text(self) -> str:
        return "Space ticks · Enter applies · Esc cancels"

    @property
    def change(self) -> TagChange:
        return sorted(self.chosen - self.initial), sorted(self.initial - self.chosen)

    def _hint(self, text: str = "", *, error: bool = False) -> None:
        """The line under the list: an error, or what Enter will change (``+#new -#old``)."""
        if not text:
            add, remove = self.change
            text = " ".join([*(f"+#{t}" for t in add), *(f"-#{t}" for t in remove)])
        self.show_hint(text, error=error)

    def _typed(self) -> str:
        return self.query_one(Input).value.strip().lower().removeprefix("#")

    def _fill(self, text: str, keep: int | None = None) -> None:
        self._filled = text
        options = self.query_one(OptionList)
        options.clear_options()
        wanted = text.strip().lower().removeprefix("#")
        names = sorted({*self.counts, *self.chosen})
        names = [n for n in names if wanted in n]
        # fzf order: exact, prefix, anywhere; with nothing typed the paper's own tags first; then the most used.
        names.sort(key=lambda n: (n != wanted, not n.startswith(wanted), n not in self.initial, -self.counts.get(n, 0)))
        for name in names:
            mark = "[x]" if name in self.chosen else "[ ]"
            line = Content.from_markup("$mark #$name  [dim]$count[/dim]", mark=mark, name=name, count=self.counts.get(name, 0))
            options.add_option(Option(line, id=name))
        self._hint()
        if wanted and wanted not in names:
            try:
                check_tag(wanted)
                options.add_option(Option(Content.from_markup('[b]+ create[/b] "#$name"', name=wanted), id=CREATE))
            except TagError as exc:
                self._hint(str(exc), error=True)
        if options.option_count:
            options.highlighted = min(keep, options.option_count - 1) if keep is not None else 0

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        """Typing narrows; a space (no tag has one) ticks the highlighted row and is not kept.

        Works from the field's text now, not the event's: keys typed in one
        burst are all in the field before the first change reaches here.
        Each space then ticks what was typed before it, as typed slowly.
        """
        field = self.query_one(Input)
        value = field.value
        if value.count(" ") == 1 and value.replace(" ", "") == self._filled:
            # One space typed (anywhere) into the text the list shows: it ticks the row
            # highlighted there, which the arrows may have moved.
            value = self._filled + " "
        typed, *after_spaces = value.split(" ")
        for more in after_spaces:
            self._set_field(typed)
            if typed != self._filled:  # a refill puts the highlight back on the first row
                self._fill(typed)
            self.action_tick()  # a created tag empties the field
            typed = field.value + more
        if after_spaces:
            self._set_field(typed)
        if typed != self._filled:
            self._fill(typed)

    def _set_field(self, text: str) -> None:
        field = self.query_one(Input)
        with field.prevent(Input.Changed):
            field.value = text

    def _toggle(self, option_id: str | None) -> bool:
        """Tick or untick a row (the create row ticks the new tag); False when there was nothing to toggle."""
        if option_id is None:
            return False
        if option_id == CREATE:
            try:
                name = check_tag(self._typed())
            except TagError as exc:
                self._hint(str(exc), error=True)
                return False
            self.chosen.add(name)
            self.query_one(Input).value = ""  # Input.Changed refills the list, the new tag ticked
            return True
        self.chosen.symmetric_difference_update({option_id})
        return True

    def _highlighted_id(self) -> str | None:
        options = self.query_one(OptionList)
        if options.highlighted is None or not options.option_count:
            return None
        return options.get_option_at_index(options.highlighted).id

    def action_tick(self) -> None:
        """Space: tick or untick the highlighted row, keeping the highlight where it was."""
        options = self.query_one(OptionList)
        keep, target = options.highlighted, self._highlighted_id()
        if self._toggle(target) and target != CREATE:
            self._fill(self.query_one(Input).value, keep)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        """Enter: apply; when nothing was ticked yet, the highlighted row is toggled first."""
        if self.chosen == self.initial and not self._toggle(self._highlighted_id()):
            typed = self._typed()
            if typed:
                return  # the hint already says why it cannot be a tag
            self.dismiss(None)
            return
        add, remove = self.change
        self.dismiss((add, remove) if add or remove else None)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        """A click ticks the row (the keyboard's Enter goes through the field)."""
        self._toggle(event.option.id)
        self._fill(self.query_one(Input).value, event.option_index)
