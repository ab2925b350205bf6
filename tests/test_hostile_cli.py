"""Every subcommand on a hostile store: no raw control byte reaches the terminal, no traceback
(issue 11, points 4 and 5).

The store holds titles, abstracts and authors carrying ESC sequences (CSI,
OSC 52 clipboard writes, OSC 8 links), BEL, NUL, DEL, C1 controls (a one-byte
CSI) and bidi overrides, plus counts no JSON tool likes (2**64, negative,
strings); an import file's *name* carries an OSC 52 too. Every subcommand
runs on it; its stdout and stderr (captured at the file descriptors), and the
text files it exports, must hold no raw control character but tab and
newline, and no ``Traceback``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from store.drafts import PaperDraft
from store.store import Store
from tests.hf_server import AtomPaper, LoopbackServer, make_entry
from tui.cli import main

ESC_CSI = "\x1b[2J\x1b[31m"
OSC52 = "\x1b]52;c;cm0gLXJmIH4=\x07"
OSC8 = "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\"
C1_CSI = "\x9b31m"
BIDI = "\u202eevil\u202c\u2066x\u2069"
ODD = "\x00\x07\x7f\x85\x90\u061c\u200f"
HOSTILE = [ESC_CSI, OSC52, OSC8, C1_CSI, BIDI, ODD]

RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""What must never be written raw: C0 but tab and newline, DEL, C1, bidi formatting."""


def _title(i: int) -> str:
    return f"Paper {i}{HOSTILE[i % len(HOSTILE)]}: $k$NN-LM"


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer() as srv:
        entries = [
            make_entry(
                f"2611.{i:05d}",
                f"Fetched {_title(i)}",
                day="2026-11-20",
                authors=(f"Mallory{HOSTILE[i % len(HOSTILE)]}", "Ada Example"),
                summary=f"An abstract{HOSTILE[(i + 1) % len(HOSTILE)]} wrapped\nat eighty columns.",
            )
            for i in range(6)
        ]
        entries[0]["paper"]["upvotes"] = 2**64
        entries[1]["numComments"] = -(2**70)
        srv.daily("2026-11-20", entries)
        srv.arxiv(
            [
                AtomPaper(f"2611.{50 + i:05d}", f"Pasted {i}{h} title", authors=(f"Eve{h}",), summary=f"Sum{h}")
                for i, h in enumerate(HOSTILE)
            ]
        )
        yield srv


@pytest.fixture
def root(tmp_path: Path) -> Path:
    path = tmp_path / "store"
    with Store.open(path) as s:
        # Straight into the store, past the importers' cleaning: as an older papertray or a hand edit left it.
        s.add_drafts(
            [
                PaperDraft(
                    title=_title(i),
                    abstract=f"Abstract{HOSTILE[(i + 2) % len(HOSTILE)]} text",
                    authors=(f"Author{HOSTILE[(i + 3) % len(HOSTILE)]}",),
                    arxiv_id=f"2401.{i:05d}",
                    github=(f"https://github.com/a/b{i}",),
                    keywords=(f"kw{HOSTILE[i % len(HOSTILE)]}",),
                    date="2026-11-19",
                )
                for i in range(len(HOSTILE))
            ]
            + [PaperDraft(title=f"Pasted {i}{h} title", date="2026-11-18") for i, h in enumerate(HOSTILE)],
            source=f"page{OSC52}.txt",
        )
        s.queue_add("reading", [f"2401.{i:05d}" for i in range(len(HOSTILE))])
    # Counts no JSON tool likes, written by hand (json, not orjson: it accepts 2**64).
    raw = json.loads((path / "papers.json").read_text())
    docs = list(raw["papers"].values())
    docs[0]["upvotes"] = 2**64
    docs[1]["upvotes"] = -3
    docs[2]["comments"] = "many"
    docs[3]["github_stars"] = 1.5
    (path / "papers.json").write_text(json.dumps(raw))
    return path


def _check(capfd: pytest.CaptureFixture[str], argv: list[str]) -> None:
    out, err = capfd.readouterr()
    for name, text in (("stdout", out), ("stderr", err)):
        bad = RAW_CONTROL.search(text)
        assert bad is None, (
            f"`papertray {' '.join(argv)}` wrote raw {bad.group()!r} on {name}: {text[max(0, bad.start() - 40) : bad.end() + 40]!r}"
        )
        assert "Traceback" not in text, f"`papertray {' '.join(argv)}`: {text}"


def test_every_subcommand_on_a_hostile_store(
    root: Path, tmp_path: Path, server: LoopbackServer, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PAPERTRAY_HF_URL", server.url)
    monkeypatch.setenv("PAPERTRAY_ARXIV_URL", server.url)
    monkeypatch.setenv("PAPERTRAY_CONFIG", str(tmp_path / "no-config.toml"))
    files = tmp_path / f"in{OSC52}"
    files.mkdir()
    good = files / f"daily{ESC_CSI}{BIDI}.json"
    good.write_text(json.dumps([make_entry("2612.00001", f"Imported{OSC8}", authors=(f"Z{C1_CSI}",), upvotes=2**64)]))
    broken = files / f"broken{OSC52}.json"
    broken.write_text("{not json" + ODD)
    page = files / f"page{C1_CSI}.txt"
    page.write_text(f"Papers\n\nTitle{ESC_CSI}\n\nSubmitted by\nx\n")
    exported = {fmt: tmp_path / f"out.{fmt}" for fmt in ("bibtex", "markdown", "jsonl", "csv")}
    s = ["--store", str(root)]
    runs: list[list[str]] = [
        [*s, "import", str(good)],
        [*s, "import", str(broken)],
        [*s, "import", str(page)],
        [*s, "import", str(files / f"missing{OSC52}.json")],
        [*s, "list"],
        [*s, "list", "--format", "json"],
        [*s, "list", "--format", "jsonl"],
        [*s, "list", "--sort", "upvotes"],
        [*s, "list", f"paper{ESC_CSI}"],
        [*s, "list", "--queue", "reading"],
        [*s, "list", "--queue", f"nope{OSC52}"],
        [*s, "mark", "2401.00000", "starred"],
        [*s, "mark", f"nope{OSC52}", "read"],
        [*s, "queue", "ls"],
        [*s, "queue", "ls", "reading"],
        [*s, "queue", "ls", f"x{OSC52}"],
        [*s, "queue", "add", "later", "2401.00001", "2401.00002"],
        [*s, "queue", "add", f"bad{ESC_CSI}", "2401.00001"],
        [*s, "queue", "mv", "later", "2401.00002", "1"],
        [*s, "queue", "rm", "later", "2401.00001"],
        [*s, "queue", "rename", "later", "soon"],
        [*s, "queue", "drop", "soon"],
        *[[*s, "export", "--format", fmt] for fmt in exported],
        *[[*s, "export", "--format", fmt, "--queue", "reading", "-o", str(path)] for fmt, path in exported.items()],
        [*s, "export", "--format", "csv", "-o", str(root / "papers.json")],
        [*s, "fetch", "--date", "2026-11-20"],
        [*s, "fetch", "--date", "2026-11-21"],
        [*s, "resolve"],
        [*s, "doctor"],
        [*s, "doctor", "--repair"],
        [*s, f"bogus{OSC52}"],
        [*s, "list", "--status", f"x{OSC52}"],
    ]
    for argv in runs:
        try:
            main(argv)
        except SystemExit:  # argparse's usage errors
            pass
        _check(capfd, argv)
    for fmt, path in exported.items():
        text = path.read_text(encoding="utf-8")
        assert text, fmt
        bad = RAW_CONTROL.search(text)
        assert bad is None, f"{fmt} export file holds raw {bad.group()!r}"
    with Store.open(root, readonly=True) as opened:
        assert opened.get("2611.00000") is not None  # the fetched day with a 2**64 count went in
        assert opened.get("2612.00001") is not None
