"""Tags and notes: the store API, undo, re-keys, queries, exports, the CLI, and two processes."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import bibtexparser
import pytest

from store.drafts import PaperDraft
from store.errors import UnknownPaperError
from store.export import export_papers, with_annotations
from store.ids import title_id
from store.query import QueryError, parse_query
from store.state import StateData
from store.store import Store
from store.tags import TagError, check_tag, compact_tags
from tests.test_cli import run
from tui.editor import editor_command

DAY = "2025-03-12"
TITLES = ("Alpha: Learning to Rank", "Beta $k$NN-LM Readers", "Gamma \u201cRays\u201d [v2]", "Delta")


@pytest.fixture
def store(store_dir: Path) -> Iterator[Store]:
    with Store.open(store_dir, lock_wait=2.0) as opened:
        drafts = [PaperDraft(title=t, abstract=f"Abstract of {t}.\nSecond line.", date=DAY) for t in TITLES]
        opened.add_drafts(drafts, source="day.txt")
        yield opened


def ids(*titles: str) -> list[str]:
    return [title_id(t) for t in titles]


# -- names --------------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "norm"), [("ml", "ml"), (" ML ", "ml"), ("#rl", "rl"), ("cs.cl", "cs.cl"), ("to_read-2", "to_read-2")])
def test_tags_are_normalised(raw: str, norm: str) -> None:
    assert check_tag(raw) == norm


@pytest.mark.parametrize("bad", ["", "  ", "two words", "a/b", "-lead", "semi;colon", "x" * 41, "é\u0301?"])
def test_bad_tags_get_one_clear_message(bad: str) -> None:
    with pytest.raises(TagError, match="tag"):
        check_tag(bad)


def test_compact_cell() -> None:
    assert compact_tags([]) == ""
    assert compact_tags(["ml"]) == "#ml"
    assert compact_tags(["ml", "rl", "x"]) == "#ml +2"
    assert compact_tags(["averyveryverylongtag"], width=8) == "#averyve…"


# -- store ---------------------------------------------------------------------------------


def test_tag_add_remove_counts_and_one_undo_step(store: Store) -> None:
    a, b, c, _ = ids(*TITLES)
    assert store.tag_papers([a, b], add=["ML", "thesis"]) == 4
    assert store.tag_papers([a], add=["ml"]) == 0  # already there
    assert store.tags_of(a) == ["ml", "thesis"]
    store.tag_papers([c], add=["ml"])
    assert store.tag_counts() == {"ml": 3, "thesis": 2}
    assert sorted(store.tagged("ml")) == sorted([a, b, c])
    store.tag_papers([a], remove=["thesis"])
    assert store.tags_of(a) == ["ml"]
    store.undo()
    assert store.tags_of(a) == ["ml", "thesis"]
    store.undo()  # c's tag
    store.undo()  # the first call, both papers at once
    assert store.all_tags() == {}


def test_bad_tag_or_unknown_paper_changes_nothing(store: Store) -> None:
    a = ids(TITLES[0])[0]
    with pytest.raises(TagError):
        store.tag_papers([a], add=["ok", "not ok"])
    with pytest.raises(UnknownPaperError):
        store.tag_papers([a, "t-nothere000"], add=["ok"])
    assert store.all_tags() == {} and store.undo_label() is None


def test_notes_set_undo_delete_and_survive_reopen(store: Store) -> None:
    a = ids(TITLES[0])[0]
    assert store.note(a) == ""
    assert store.set_note(a, "First *thought*.\n\n- a list\n\n\n")
    assert store.note(a) == "First *thought*.\n\n- a list\n"
    assert not store.set_note(a, "First *thought*.\n\n- a list")  # same text
    store.set_note(a, "Second.")
    store.undo()
    assert store.note(a).startswith("First")
    store.set_note(a, "   \n")  # blank deletes
    assert store.note(a) == "" and a not in store.noted_ids()
    store.undo()
    store.close()
    with Store.open(store.root) as again:
        assert again.note(a).startswith("First")
        state = json.loads((store.root / "state.json").read_text())
        assert next(iter(state["notes"].values()))["text"].startswith("First")


def test_rekey_moves_tags_and_notes(store: Store) -> None:
    a = ids(TITLES[0])[0]
    store.tag_papers([a], add=["ml"])
    store.set_note(a, "note")
    store.flush()
    store.update_papers({a: {"arxiv_id": "2503.01234"}})
    new = store.resolve(a)
    assert new != a
    assert store.tags_of(new) == ["ml"] and store.note(new) == "note\n"
    assert store.tags_of(a) == ["ml"]  # the old id still finds them


def test_state_tables_round_trip_and_bad_docs_are_dropped() -> None:
    data = StateData(tags={"a": ["ml", "rl"]}, notes={"a": ("hi\n", "2025")})
    back = StateData.from_tables(data.to_tables())
    assert back.tags == data.tags and back.notes == data.notes
    junk = StateData.from_tables({"tags": [{"id": 3, "tags": []}, {"id": "b", "tags": "x"}], "notes": [{"id": "c", "text": 5}]})
    assert junk.tags == {} and junk.notes == {}


# -- queries -------------------------------------------------------------------------------


def test_tag_and_note_queries(store: Store) -> None:
    a, b, c, d = ids(*TITLES)
    store.tag_papers([a, b], add=["ml"])
    store.tag_papers([b], add=["rl"])
    store.set_note(c, "Compare with the Müller baseline.")

    def found(text: str) -> set[str]:
        return {r.id for r in store.search(text)}

    assert found("tag:ml") == {a, b}
    assert found("tag:ML tag:rl") == {b}
    assert found("-tag:ml") == {c, d}
    assert found("has:note") == {c}
    assert found("-has:note") == {a, b, d}
    assert found("note:muller") == {c}
    assert found("note:absent") == set()
    assert found("tag:ml beta") == {b}
    for bad, message in (("tag:", "tag: needs"), ("tag:a/b", "bad tag"), ("has:notes", "has:code or has:note")):
        with pytest.raises(QueryError, match=message):
            parse_query(bad)


# -- exports -------------------------------------------------------------------------------


def test_exports_carry_tags_and_notes(store: Store) -> None:
    a, b = ids(*TITLES[:2])
    store.tag_papers([a], add=["ml", "to_read"])
    store.set_note(a, "Line {one} & 100%.\n\nLine two.")
    papers = [store.require(a), store.require(b)]

    def export(fmt: str) -> str:
        return export_papers(
            papers, fmt, status_of=lambda p: "new", queues_of=lambda p: [], tags_of=store.tags_of, note_of=store.note  # type: ignore[arg-type]
        )

    records = [json.loads(line) for line in export("jsonl").splitlines()]
    assert records[0]["tags"] == ["ml", "to_read"] and records[0]["note"].startswith("Line {one}")
    assert records[1]["tags"] == [] and records[1]["note"] is None
    assert "ml; to_read" in export("csv")
    markdown = export("markdown")
    assert "`#ml` `#to_read`" in markdown and "  > Line two." in markdown
    library = bibtexparser.parse_string(export("bibtex"))
    assert not library.failed_blocks
    first = library.entries[0]
    assert first.fields_dict["keywords"].value == r"ml, to\_read"
    assert first.fields_dict["annote"].value == "Line \\textbraceleft{}one\\textbraceright{} \\& 100\\%.\n    Line two."
    assert "keywords" not in library.entries[1].fields_dict


def test_tags_merge_with_keywords_the_entry_has() -> None:
    entry = "@misc{k,\n  title={T},\n  keywords={nlp, ml}\n}"
    assert with_annotations(entry, ["ml", "rl"], "") == "@misc{k,\n  title={T},\n  keywords={nlp, ml, rl}\n}"


# -- CLI -----------------------------------------------------------------------------------


def test_cli_tag_add_rm_ls(capsys: pytest.CaptureFixture[str], store: Store) -> None:
    a, b, c, _ = ids(*TITLES)
    store.close()
    assert run(capsys, "tag", "add", "ML", a, b)[:2] == (0, "#ml: added to 2 papers (2 tagged)\n")
    assert run(capsys, "tag", "add", "thesis", c)[0] == 0
    code, out, _ = run(capsys, "tag", "ls")
    assert (code, out) == (0, "ml\t2\nthesis\t1\n")
    code, out, _ = run(capsys, "tag", "ls", "ml")
    assert code == 0 and sorted(line.split("\t")[0] for line in out.splitlines()) == sorted([a, b])
    assert run(capsys, "tag", "rm", "ml", a)[1] == "#ml: removed from 1 papers\n"
    code, _, err = run(capsys, "tag", "add", "bad tag", a)
    assert code == 1 and "bad tag 'bad tag'" in err
    code, _, err = run(capsys, "tag", "add", "ok", "t-nothere000")
    assert code == 1 and "t-nothere000" in err
    code, out, _ = run(capsys, "list", "--format", "jsonl", "tag:thesis")
    assert [(json.loads(line)["id"], json.loads(line)["tags"]) for line in out.splitlines()] == [(c, ["thesis"])]


def _editor(tmp_path: Path, body: str) -> str:
    """A tiny editor: appends ``body`` to the file it is given (so the old text must be there)."""
    script = tmp_path / "fake-editor"
    script.write_text(f"#!{sys.executable}\nimport sys\nopen(sys.argv[-1], 'a').write({body!r})\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


def test_cli_note_edit_and_print(capsys: pytest.CaptureFixture[str], store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    a = ids(TITLES[0])[0]
    store.close()
    monkeypatch.setenv("VISUAL", _editor(tmp_path, "Read **this** again.\n"))
    code, _, err = run(capsys, "note", a)
    assert (code, err) == (0, f"{a}: note saved\n")
    monkeypatch.setenv("VISUAL", _editor(tmp_path, "More.\n"))
    assert run(capsys, "note", a)[0] == 0
    assert run(capsys, "note", a, "--print") == (0, "Read **this** again.\nMore.\n", "")
    monkeypatch.setenv("VISUAL", "false")
    code, _, err = run(capsys, "note", a)
    assert code == 1 and "not changed" in err
    monkeypatch.setenv("VISUAL", "no-such-editor-xyz")
    code, _, err = run(capsys, "note", a)
    assert code == 1 and "no-such-editor-xyz" in err and "not found" in err
    assert run(capsys, "note", a, "--print")[1] == "Read **this** again.\nMore.\n"


@pytest.mark.parametrize(
    ("argv", "words"), [(["tag"], ["add", "rm", "ls"]), (["tag", "add"], ["TAG", "ID"]), (["note"], ["ID", "--print", "VISUAL"])]
)
def test_help_of_tag_and_note(capsys: pytest.CaptureFixture[str], argv: list[str], words: list[str]) -> None:
    code, out, _ = run(capsys, *argv, "--help")
    assert code == 0 and all(word in out for word in words), out


def test_editor_command_order() -> None:
    assert editor_command({"VISUAL": "code -w", "EDITOR": "nano"}) == ["code", "-w"]
    assert editor_command({"VISUAL": " ", "EDITOR": "nano"}) == ["nano"]
    assert editor_command({}) == ["vi"]


# -- two processes ------------------------------------------------------------------------

OTHER = """
import sys, time
from store.store import Store
root, ids = sys.argv[1], sys.argv[2:]
with Store.open(root, lock_wait=20) as s:
    for n, pid in enumerate(ids):
        s.tag_papers([pid], add=["theirs"])
        s.set_note(pid, f"their note {n}")
        time.sleep(0.02)
        s.poll()
"""


def test_two_processes_tag_and_note_lose_nothing(store_dir: Path) -> None:
    titles = [f"Paper number {n}" for n in range(40)]
    with Store.open(store_dir) as s:
        s.add_drafts([PaperDraft(title=t, abstract="x", date=DAY) for t in titles], source="many.txt")
    pids = ids(*titles)
    mine, theirs = pids[:20], pids[20:]
    shared = pids[0]  # both tag this one: both tags survive
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    other = subprocess.Popen([sys.executable, "-c", OTHER, str(store_dir), *theirs, shared], env=env)
    s = Store.open(store_dir, lock_wait=20)
    try:
        for n, pid in enumerate(mine):
            s.tag_papers([pid], add=["mine"])
            s.set_note(pid, f"my note {n}")
            time.sleep(0.05)
            s.poll()
    finally:
        assert other.wait(timeout=120) == 0
    s.close()
    with Store.open(store_dir) as merged:
        assert sorted(merged.tagged("mine")) == sorted(mine)
        assert sorted(merged.tagged("theirs")) == sorted([*theirs, shared])
        assert merged.tags_of(shared) == ["mine", "theirs"]
        assert all(merged.note(pid) == f"my note {n}\n" for n, pid in enumerate(mine[1:], start=1))
        assert all(merged.note(pid) == f"their note {n}\n" for n, pid in enumerate(theirs))
        assert merged.note(shared) in ("my note 0\n", f"their note {len(theirs)}\n")  # last writer wins


def test_tags_edited_into_the_state_file_by_hand_are_dropped_unless_they_are_tags() -> None:
    """A hand-edited state.json cannot put escapes or markup into a list row through a 'tag'."""
    from store.state import StateData

    data = StateData.from_tables({"tags": [{"id": "p1", "tags": ["ok", "\x1b[2J", "[b]x[/b]", "UPPER", "", 3, "fine.v2"]}]})
    assert data.tags == {"p1": ["fine.v2", "ok"]}
