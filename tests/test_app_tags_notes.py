"""The reader's ``t`` (tag picker) and ``e`` (note in the editor), through Pilot."""

from __future__ import annotations

import contextlib
import os
import pty
import select
import stat
import sys
from pathlib import Path

import pytest
from textual.widgets import OptionList

from store.store import Store
from tests.app_helpers import (
    SIZE,
    AppFactory,
    StoreOpener,
    abstract_status,
    fill,
    list_line,
    main_screen,
    notice,
    notifications,
    press,
    rendered,
    type_text,
    wait_for_workers,
)
from tui.palette import screen_commands
from tui.screens.main import MainScreen
from tui.screens.tag_picker import CREATE, TagPickerScreen


def seed_tags(store: Store, most: str, middle: str, least: str) -> None:
    """Three tags on papers 5-7, used 3, 2 and 1 times (the picker lists the most used first)."""
    pids = [r.id for r in store.rows()]
    store.tag_papers(pids[5:8], add=[most])
    store.tag_papers(pids[5:7], add=[middle])
    store.tag_papers(pids[5:6], add=[least])


def option_ids(options: OptionList) -> list[str | None]:
    return [options.get_option_at_index(i).id for i in range(options.option_count)]


async def test_t_picks_two_tags_and_creates_one(demo_dir: Path, open_store: StoreOpener, make_app: AppFactory) -> None:
    store = open_store(demo_dir)
    seed_tags(store, "ml", "thesis", "rl")
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        screen = main_screen(app)
        pid = screen.paper_list.current_id
        assert pid is not None and store.tags_of(pid) == []
        await press(pilot, "t")
        assert isinstance(app.screen, TagPickerScreen)
        options = app.screen.query_one(OptionList)
        assert option_ids(options) == ["ml", "thesis", "rl"], "most used first"
        await press(pilot, "space")  # tick ml
        await type_text(pilot, "the")
        assert option_ids(options) == ["thesis", CREATE], "the match first, the explicit create row last"
        await press(pilot, "space")  # tick thesis
        await fill(pilot, "New-Idea")
        assert option_ids(options) == [CREATE]
        await press(pilot, "space")  # create and tick
        assert app.screen.query_one("#picker-input").value == ""  # type: ignore[attr-defined]
        assert "+#ml +#new-idea +#thesis" in rendered(app.screen.query_one("#picker-hint"))  # type: ignore[arg-type]
        await press(pilot, "enter")
        assert isinstance(app.screen, MainScreen)
        assert store.tags_of(pid) == ["ml", "new-idea", "thesis"]
        assert "#ml #new-idea #thesis" in abstract_status(screen)
        assert "#ml +2" in list_line(screen, 0)
        assert "Your tags" in rendered(screen.query_one("#abstract-notes"))  # type: ignore[arg-type]
        assert notice(screen).startswith("tags +#ml +#new-idea +#thesis")
        # Untick one; a bad name is refused in the picker.
        await press(pilot, "t")
        await fill(pilot, "bad/tag")
        assert "bad tag" in rendered(app.screen.query_one("#picker-hint"))  # type: ignore[arg-type]
        await press(pilot, "enter")
        assert isinstance(app.screen, TagPickerScreen)
        await fill(pilot, "thesis")
        await press(pilot, "enter")  # nothing ticked yet: Enter toggles the highlighted row and applies
        assert store.tags_of(pid) == ["ml", "new-idea"]
        await press(pilot, "u")
        assert store.tags_of(pid) == ["ml", "new-idea", "thesis"]
        await press(pilot, "t", "escape")
        assert store.tags_of(pid) == ["ml", "new-idea", "thesis"]


async def test_space_ticks_the_row_the_arrows_highlighted(demo_dir: Path, open_store: StoreOpener, make_app: AppFactory) -> None:
    """Space ticks the highlighted row, not the first: with nothing typed, after a few letters, or typed mid-word."""
    store = open_store(demo_dir)
    seed_tags(store, "ml", "mlops", "mlp")
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        pid = main_screen(app).paper_list.current_id
        assert pid is not None and store.tags_of(pid) == []
        await press(pilot, "t")
        picker = app.screen
        assert isinstance(picker, TagPickerScreen)
        options = picker.query_one(OptionList)
        assert option_ids(options) == ["ml", "mlops", "mlp"]
        await press(pilot, "down", "down", "space")  # nothing typed
        assert picker.chosen == {"mlp"}
        assert options.highlighted == 2, "the highlight stays where it was"
        await type_text(pilot, "ml")
        await press(pilot, "down", "space")  # after letters
        assert picker.chosen == {"mlp", "mlops"}
        assert picker.query_one("#picker-input").value == "ml"  # type: ignore[attr-defined]
        await press(pilot, "left", "down", "space")  # a space typed mid-word (the cursor after "m")
        assert picker.chosen == {"mlops"}, "mlp (third row) unticked"
        assert picker.query_one("#picker-input").value == "ml"  # type: ignore[attr-defined]


def write_editor(tmp_path: Path, text: str) -> str:
    script = tmp_path / "editor.py"
    script.write_text(f"#!{sys.executable}\nimport sys\nopen(sys.argv[-1], 'w').write({text!r})\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


async def test_e_edits_the_note_in_visual(
    demo_dir: Path, open_store: StoreOpener, make_app: AppFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(demo_dir)
    monkeypatch.setenv("VISUAL", write_editor(tmp_path, "Key idea: **sparse** attention.\n"))
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        screen = main_screen(app)
        suspended: list[bool] = []

        @contextlib.contextmanager
        def fake_suspend() -> object:
            suspended.append(True)  # headless: Textual's driver cannot suspend
            yield

        screen.notes.suspend = fake_suspend  # type: ignore[assignment]
        pid = screen.paper_list.current_id
        assert pid is not None
        await press(pilot, "e")
        assert suspended == [True]
        assert store.note(pid) == "Key idea: **sparse** attention.\n"
        assert "Your note" in rendered(screen.query_one("#abstract-notes"))  # type: ignore[arg-type]
        assert "sparse" in rendered(screen.query_one("#abstract-notes"))  # type: ignore[arg-type]
        assert notice(screen) == "note saved — u undoes"
        await press(pilot, "u")
        assert store.note(pid) == ""
        assert "Your note" not in rendered(screen.query_one("#abstract-notes"))  # type: ignore[arg-type]
        monkeypatch.setenv("VISUAL", "false")  # an editor exiting with an error keeps the note
        await press(pilot, "e")
        assert store.note(pid) == "" and "not changed" in notice(screen)
        monkeypatch.setenv("VISUAL", "no-such-editor-xyz")
        await press(pilot, "e")
        assert any("no-such-editor-xyz" in n for n in notifications(app))


async def test_keys_remap_by_id_and_show_in_help_and_palette(demo_dir: Path, make_app: AppFactory, config_file: Path) -> None:
    config_file.write_text('[keys]\n"tag.pick" = "T"\n', encoding="utf-8")
    app = make_app(demo_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        screen = main_screen(app)
        rows = {row.id: row for row in app.key_rows()}
        assert rows["tag.pick"].keys == "T" and rows["note.edit"].keys == "e"
        assert rows["tag.pick"].group == rows["note.edit"].group == "Tags & notes"
        titles = [str(command.title) for command in screen_commands(app, screen)]
        assert any("(T)" in t and "Tag the paper" in t for t in titles)
        assert any("(e)" in t and "note" in t for t in titles)
        await press(pilot, "T")
        assert isinstance(app.screen, TagPickerScreen)


async def test_e_without_fake_suspend_says_it_cannot(demo_dir: Path, make_app: AppFactory) -> None:
    """Headless (like Textual Web) the app cannot hand the terminal over: a message, no crash."""
    app = make_app(demo_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        await press(pilot, "e")
        assert any("papertray note" in n for n in notifications(app))


def test_the_editor_runs_on_a_real_terminal(tmp_path: Path) -> None:
    """`edit_text` in a pty: the editor sees a terminal on stdin/stdout and its saved text comes back."""
    script = tmp_path / "tty-editor.py"
    script.write_text(
        f"#!{sys.executable}\nimport os, sys\n"
        "ok = os.isatty(0) and os.isatty(1)\n"
        "old = open(sys.argv[-1]).read()\n"
        "open(sys.argv[-1], 'w').write(old + ('tty ok' if ok else 'no tty') + '\\n')\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    out = tmp_path / "out.txt"
    child = (
        "import sys; from tui.editor import edit_text; "
        f"r = edit_text('before\\n', 'note-x'); open({str(out)!r}, 'w').write(repr(r))"
    )
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child
        os.environ["VISUAL"] = str(script)
        os.execv(sys.executable, [sys.executable, "-c", child])
    output = b""
    while True:
        ready, _, _ = select.select([fd], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(fd, 1024)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, output
    assert out.read_text() == repr("before\ntty ok\n")
