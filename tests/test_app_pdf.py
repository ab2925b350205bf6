"""``p``: the arXiv PDF of the paper under the cursor, opened locally, copied over SSH."""

from __future__ import annotations

import webbrowser
from pathlib import Path

import pytest

from store.links import pdf_url
from tests.app_helpers import SIZE, AppFactory, main_screen, notifications, press, wait_for_workers
from tests.test_app_queues import go_to_title
from tui.palette import screen_commands


def test_pdf_url_is_the_arxiv_pdf_link_and_nothing_for_odd_ids() -> None:
    assert pdf_url("2403.01234") == "https://arxiv.org/pdf/2403.01234"
    assert pdf_url("cs.LG/0601001") == "https://arxiv.org/pdf/cs.LG/0601001"
    assert pdf_url(None) is None
    assert pdf_url("") is None
    assert pdf_url("2403.01234\n") is None
    assert pdf_url("../../evil") is None


async def test_p_copies_the_pdf_link_over_ssh_opens_it_locally_and_explains_without_an_id(
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
        paper = screen._current
        assert paper is not None and paper.arxiv_id
        await press(pilot, "p")
        assert opened == []
        assert app.clipboard == f"https://arxiv.org/pdf/{paper.arxiv_id}"
        assert any("on your clipboard" in n for n in notifications(app))
        # Locally, with a display, p opens the browser on the PDF.
        monkeypatch.delenv("SSH_TTY")
        await press(pilot, "p")
        assert opened == [f"https://arxiv.org/pdf/{paper.arxiv_id}"]
        # No arXiv id: said (naming resolve), nothing opened or copied.
        await go_to_title(pilot, screen, "Synthetic Data Curricula")
        assert screen._current is not None and not screen._current.arxiv_id
        before = app.clipboard
        await press(pilot, "p")
        assert opened == [f"https://arxiv.org/pdf/{paper.arxiv_id}"] and app.clipboard == before
        message = notifications(app)[-1]
        assert "no arXiv id" in message and "papertray resolve" in message
        # In help (binding id) and in the palette.
        assert any(row.id == "link.pdf" and row.keys == "p" for row in app.key_rows())
        titles = [str(c.title) for c in screen_commands(app, screen)]
        assert "Open the arXiv PDF in a browser (over SSH: copy its link) (p)" in titles
