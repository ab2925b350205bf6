"""Pilot tests of issue 4 in the reader: queues (q, Q, J/K, d, D), citations (c, C)
and links (y, o), with the clipboard read back from the app."""

from __future__ import annotations

import webbrowser
from pathlib import Path

import pytest
from textual.widgets import Input, Label, OptionList

from store.citations import CitationFormat, format_citation
from store.model import Status
from store.store import Store
from tests.app_helpers import (
    SIZE,
    AppFactory,
    StoreOpener,
    abstract_status,
    fill,
    footer_text,
    list_line,
    main_screen,
    notice,
    notifications,
    press,
    rendered,
    screen_text,
    type_text,
    view_label,
    wait_for_workers,
)
from tui.palette import delete_queue
from tui.screens.cite_chooser import CitationChooserScreen
from tui.screens.confirm import ConfirmScreen
from tui.screens.main import MainScreen
from tui.screens.queue_picker import CREATE, QueuePickerScreen

TOTAL = 62



def view_bar(app: object) -> str:
    return screen_text(app).splitlines()[0]  # type: ignore[arg-type]


async def go_to_title(pilot: object, screen: MainScreen, fragment: str) -> None:
    """Put the cursor on the paper whose title contains ``fragment`` (All view)."""
    await press(pilot, "3")  # type: ignore[arg-type]
    index = next(i for i, r in enumerate(screen.paper_list.rows) if fragment in r.title)
    screen.paper_list.cursor_index = index
    await wait_for_workers(pilot)  # type: ignore[arg-type]
    assert screen._current is not None and fragment in screen._current.title


# -- queues ---------------------------------------------------------------------------
async def test_a_toggles_the_default_queue(demo_dir: Path, make_app: AppFactory) -> None:
    app = make_app(demo_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        screen = main_screen(app)
        pid = screen.paper_list.current_id
        await press(pilot, "a")
        assert screen.store.queues() == {"to-read": [pid]}
        assert list_line(screen, 0)[1] == "≡"
        assert abstract_status(screen) == "● new  in to-read"
        assert "5 to-read 1" in view_bar(app)
        assert notice(screen) == "added to to-read"
        assert screen.paper_list.current_id == pid, "queueing is not triage: the paper stays in the Inbox"
        await press(pilot, "a")
        assert screen.store.queue("to-read") == []
        assert list_line(screen, 0)[1] == " "
        assert abstract_status(screen) == "● new"
        assert "5 to-read 0" in view_bar(app)


async def test_plus_picker_filters_adds_and_creates(demo_dir: Path, open_store: StoreOpener, make_app: AppFactory) -> None:
    store = open_store(demo_dir)
    store.queue_create("reading-group")
    store.queue_create("ml-theory")
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        screen = main_screen(app)
        pid = screen.paper_list.current_id
        await press(pilot, "plus")
        assert isinstance(app.screen, QueuePickerScreen)
        options = app.screen.query_one(OptionList)
        assert options.option_count == 2
        await type_text(pilot, "read")
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert ids == ["reading-group", CREATE], "the match, then an explicit create row"
        await press(pilot, "enter")  # like fzf: Enter takes the highlighted match
        assert isinstance(app.screen, MainScreen)
        assert store.queue("reading-group") == [pid]
        assert abstract_status(screen) == "● new  in reading-group"
        assert set(store.queues()) == {"reading-group", "ml-theory"}, "no queue 'read' created"
        # A new name: the create row is the only one, and Enter creates.
        await press(pilot, "j", "plus")
        second = screen.paper_list.current_id
        await fill(pilot, "brand-new")
        options = app.screen.query_one(OptionList)
        assert [options.get_option_at_index(i).id for i in range(options.option_count)] == [CREATE]
        assert 'create "brand-new"' in str(options.get_option_at_index(0).prompt)
        await press(pilot, "enter")
        assert store.queue("brand-new") == [second]
        assert "brand-new 1" in view_bar(app), "the new queue is a view"
        # A bad name is refused in the picker; Esc cancels.
        await press(pilot, "plus")
        await fill(pilot, "no/slash")
        await press(pilot, "enter")
        assert isinstance(app.screen, QueuePickerScreen)
        assert rendered(app.screen.query_one("#picker-hint"))
        await press(pilot, "escape")
        assert isinstance(app.screen, MainScreen)
        # A new name that is part of an existing one is created through its row.
        await press(pilot, "plus")
        await fill(pilot, "read")
        await press(pilot, "down", "enter")
        assert store.queue("read") == [second]
        assert set(store.queues()) == {"reading-group", "ml-theory", "brand-new", "read"}


async def test_queue_view_reorders_removes_and_finishes(demo_dir: Path, make_app: AppFactory) -> None:
    with Store.open(demo_dir) as store:
        ids = [r.id for r in store.rows()[:12]]
        store.queue_add("to-read", ids)
        store.meta_set("session", {"view": "queue:to-read"})
        app = make_app(store)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for_workers(pilot)
            screen = main_screen(app)
            assert view_label(screen) == "to-read 1 / 12"
            assert [r.id for r in screen.paper_list.rows] == ids
            footer = await footer_text(pilot)
            assert "JK Reorder" in footer and "D Done" in footer, "the queue keys are offered"
            await press(pilot, "j", "j")
            assert view_label(screen) == "to-read 3 / 12"
            moved = ids[2]
            await press(pilot, "J")
            assert store.queue("to-read").index(moved) == 3
            assert screen.paper_list.current_id == moved, "the cursor moves with the paper"
            assert view_label(screen) == "to-read 4 / 12"
            await press(pilot, "shift+down")
            assert store.queue("to-read").index(moved) == 4
            await press(pilot, "K", "K", "shift+up")
            assert store.queue("to-read").index(moved) == 1
            assert view_label(screen) == "to-read 2 / 12"
            order = store.queue("to-read")
            assert [r.id for r in screen.paper_list.rows] == order
            # K on the first row stays there.
            await press(pilot, "g", "K")
            assert store.queue("to-read") == order
    # The order survives a restart, and the queue view comes back.
    with Store.open(demo_dir) as store:
        assert store.queue("to-read") == order
        app = make_app(store)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for_workers(pilot)
            screen = main_screen(app)
            assert screen.view.queue == "to-read"
            assert [r.id for r in screen.paper_list.rows] == order
            await press(pilot, "j")
            removed = screen.paper_list.current_id
            await press(pilot, "d")
            assert removed not in store.queue("to-read")
            assert store.status(removed) is Status.NEW, "d only takes it out of the queue"  # type: ignore[arg-type]
            assert view_label(screen) == "to-read 2 / 11"
            assert screen.paper_list.row_count == 11
            done = screen.paper_list.current_id
            await press(pilot, "D")
            assert done not in store.queue("to-read")
            assert store.status(done) is Status.READ  # type: ignore[arg-type]
            assert screen.paper_list.row_count == 10
            assert view_label(screen).endswith("/ 10")
            await press(pilot, "u")
            assert done in store.queue("to-read") and store.status(done) is Status.NEW  # type: ignore[arg-type]
            # Outside a queue view the queue keys do nothing and are not offered.
            await press(pilot, "1")
            footer = await footer_text(pilot)
            assert "a To-read" in footer and "Done" not in footer
            before = store.queues()
            await press(pilot, "J", "d", "D")
            assert store.queues() == before
            assert store.statuses() == {}


# -- citations ------------------------------------------------------------------------
async def test_c_copies_the_default_citation(demo_dir: Path, make_app: AppFactory) -> None:
    app = make_app(demo_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        screen = main_screen(app)
        paper = screen._current
        assert paper is not None and paper.arxiv_id
        await press(pilot, "c")
        assert app.clipboard == format_citation(paper, CitationFormat.BIBTEX)
        assert app.clipboard.startswith("@misc{") and f"eprint={{{paper.arxiv_id}}}" in app.clipboard
        assert "BibTeX copied (OSC 52)" in notifications(app)


async def test_citation_without_authors_says_so_and_names_resolve(demo_dir: Path, make_app: AppFactory) -> None:
    app = make_app(demo_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        screen = main_screen(app)
        await go_to_title(pilot, screen, "Synthetic Data Curricula")
        assert screen._current is not None and not screen._current.authors
        await press(pilot, "c")
        assert app.clipboard.startswith("@misc{")
        message = [n for n in notifications(app) if "BibTeX copied" in n][-1]
        assert "no authors" in message and "papertray resolve" in message


async def test_configured_citation_format(demo_dir: Path, make_app: AppFactory, config_file: Path) -> None:
    config_file.write_text('citation = "markdown"\n', encoding="utf-8")
    app = make_app(demo_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        paper = main_screen(app)._current
        assert paper is not None
        await press(pilot, "c")
        assert app.clipboard == f"[{paper.title}](https://arxiv.org/abs/{paper.arxiv_id})"


async def test_unknown_citation_format_in_config_is_reported(demo_dir: Path, make_app: AppFactory, config_file: Path) -> None:
    config_file.write_text('citation = "apa"\n', encoding="utf-8")
    app = make_app(demo_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        assert any("citation" in n for n in notifications(app))
        await press(pilot, "c")
        assert app.is_running
        assert app.clipboard.startswith("@misc{"), "falls back to BibTeX"


async def test_capital_c_chooser_copies_the_chosen_format_and_skips_disabled_ones(demo_dir: Path, make_app: AppFactory) -> None:
    app = make_app(demo_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        screen = main_screen(app)
        paper = screen._current
        assert paper is not None
        await press(pilot, "C")
        assert isinstance(app.screen, CitationChooserScreen)
        preview = app.screen.query_one("#chooser-preview")
        assert rendered(preview) == format_citation(paper, CitationFormat.BIBTEX)
        await press(pilot, "j")
        assert rendered(preview) == format_citation(paper, CitationFormat.PLAIN)
        await press(pilot, "escape")
        assert isinstance(app.screen, MainScreen)
        assert app.clipboard == "", "Esc copies nothing"
        for steps, fmt in ((2, CitationFormat.MARKDOWN), (3, CitationFormat.ARXIV)):
            await press(pilot, "C", *["j"] * steps, "enter")
            assert isinstance(app.screen, MainScreen)
            assert app.clipboard == format_citation(paper, fmt), fmt
            assert f"{fmt.label} copied (OSC 52)" in notifications(app)
        assert app.clipboard == paper.arxiv_id
        # Without an arXiv id, that format is disabled and skipped.
        await go_to_title(pilot, screen, "Synthetic Data Curricula")
        await press(pilot, "C")
        options = app.screen.query_one(OptionList)
        assert options.get_option("arxiv").disabled
        for _ in range(3):
            await press(pilot, "j")
            assert options.highlighted != 3, "the disabled format is skipped"
        picked = options.get_option_at_index(options.highlighted).id  # type: ignore[arg-type]
        await press(pilot, "enter")
        assert isinstance(app.screen, MainScreen)
        assert app.clipboard == format_citation(main_screen(app)._current, CitationFormat(picked))  # type: ignore[arg-type]


# -- links ----------------------------------------------------------------------------
async def test_y_copies_the_github_link_again_the_next_and_nothing_without_one(demo_dir: Path, make_app: AppFactory) -> None:
    app = make_app(demo_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        screen = main_screen(app)
        assert not screen._current.github  # type: ignore[union-attr]
        await press(pilot, "y")
        assert app.clipboard == ""
        assert any("no GitHub link" in n for n in notifications(app))
        await go_to_title(pilot, screen, "Long-Horizon Tool Use")
        links = screen._current.github  # type: ignore[union-attr]
        assert len(links) == 2
        await press(pilot, "y")
        assert app.clipboard == links[0]
        assert any("1 of 2" in n and "OSC 52" in n for n in notifications(app))
        await press(pilot, "y")
        assert app.clipboard == links[1]
        await press(pilot, "y")
        assert app.clipboard == links[0], "and round again"
        # A paper with a single link.
        await go_to_title(pilot, screen, "Kernel Fusion Compilers")
        await press(pilot, "y")
        assert app.clipboard == screen._current.github[0]  # type: ignore[union-attr]


async def test_o_over_ssh_copies_instead_of_opening(
    demo_dir: Path, make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, new=0: opened.append(url) or True)
    monkeypatch.setenv("SSH_TTY", "/dev/pts/3")
    monkeypatch.setenv("DISPLAY", ":0")
    app = make_app(demo_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        screen = main_screen(app)
        await go_to_title(pilot, screen, "Kernel Fusion Compilers")
        await press(pilot, "o")
        assert opened == []
        assert app.clipboard == screen._current.github[0]  # type: ignore[union-attr]
        assert any("on your clipboard" in n for n in notifications(app))
        assert any("(OSC 52)" in n for n in notifications(app))
        # Locally, with a display, o opens the browser (the paper's page when there is no code).
        monkeypatch.delenv("SSH_TTY")
        await press(pilot, "g")
        await press(pilot, "o")
        assert opened == [f"https://arxiv.org/abs/{screen._current.arxiv_id}"]  # type: ignore[union-attr]
        # Nothing to open: said, nothing opened.
        await go_to_title(pilot, screen, "Synthetic Data Curricula")
        await press(pilot, "o")
        assert len(opened) == 1
        assert any("no link to open" in n for n in notifications(app))


async def test_palette_renames_and_deletes_a_queue(demo_dir: Path, open_store: StoreOpener, make_app: AppFactory) -> None:
    store = open_store(demo_dir)
    rows = store.rows()
    store.queue_add("ideas", [rows[0].id, rows[1].id])
    store.queue_create("empty-one")
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        screen = main_screen(app)
        await press(pilot, "ctrl+p")
        await fill(pilot, "Rename a queue")
        await pilot.pause(0.2)
        await press(pilot, "enter")
        assert isinstance(app.screen, QueuePickerScreen)
        await fill(pilot, "ide")
        await press(pilot, "enter")
        field = app.screen.query_one(Input)
        assert field.value == "ideas"
        field.value = "later"
        await press(pilot, "enter")
        assert isinstance(app.screen, MainScreen)
        assert store.queues() == {"later": [rows[0].id, rows[1].id], "empty-one": []}
        assert "5 later 2" in view_bar(app)
        # Deleting a non-empty queue asks first.
        delete_queue(app, screen)
        await wait_for_workers(pilot)
        await fill(pilot, "later")
        await press(pilot, "enter")
        assert isinstance(app.screen, ConfirmScreen)
        assert "later" in store.queues()
        await press(pilot, "y")
        assert store.queues() == {"empty-one": []}
        assert "later" not in view_bar(app)
        # An empty queue goes without a question.
        delete_queue(app, screen)
        await wait_for_workers(pilot)
        await press(pilot, "enter")
        assert store.queues() == {}
        assert isinstance(app.screen, MainScreen)


async def test_rename_and_delete_pickers_say_what_enter_does_and_name_unknown_queues(
    demo_dir: Path, open_store: StoreOpener, make_app: AppFactory
) -> None:
    from tui.palette import rename_queue

    store = open_store(demo_dir)
    store.queue_create("survey")
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        screen = main_screen(app)
        for start, verb in ((rename_queue, "renames it"), (delete_queue, "deletes it")):
            start(app, screen)
            await wait_for_workers(pilot)
            assert isinstance(app.screen, QueuePickerScreen)
            assert verb in rendered(app.screen.query_one(Label))
            await fill(pilot, "nope")
            assert "no queue matches 'nope'" in rendered(app.screen.query_one("#picker-hint"))
            await press(pilot, "enter")
            assert isinstance(app.screen, QueuePickerScreen), "an unknown name is said, not silently ignored"
            assert "no queue named 'nope'" in rendered(app.screen.query_one("#picker-hint"))
            options = app.screen.query_one(OptionList)
            assert all(options.get_option_at_index(i).id != CREATE for i in range(options.option_count))
            await press(pilot, "escape")
        rename_queue(app, screen)
        await wait_for_workers(pilot)
        await fill(pilot, "sur")
        await press(pilot, "enter")
        assert "New name for queue survey" in screen_text(app)
