"""The ``papertray`` command line: help, import (good and bad input), list, mark, queue.

Most tests call ``tui.cli.main(argv)`` in-process; a few run the installed
console script to prove the entry point itself works.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import unicodedata
from importlib.metadata import version
from pathlib import Path

import pytest

from store.ids import title_id
from store.model import Status
from store.store import Store
from tests.cli_helpers import run
from tests.conftest import FIXTURES

EXE = Path(sys.executable).with_name("papertray")
REPORT = re.compile(r"^(?P<file>.+): (?P<n>\d+) papers \((?P<new>\d+) new, (?P<old>\d+) already in store\)$")
SEED_COUNTS = {"000": 104, "001": 281, "003": 33}




def tree(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    return {str(p.relative_to(path)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(path.rglob("*")) if p.is_file()}


def cells(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 0 if unicodedata.combining(ch) else 1 for ch in text)


def page(tmp_path: Path, name: str, *papers: tuple[str, str], header: str = "Daily Papers\n\nMar 14\n\n") -> Path:
    """A small blank-line page copy written for the test."""
    path = tmp_path / name
    path.write_text(header + "".join(f"{title}\n\n{abstract}\n\n" for title, abstract in papers), encoding="utf-8")
    return path


ABSTRACT = "We study a problem at length and report results that are much longer than the title line above. "


@pytest.fixture
def small_page(tmp_path: Path) -> Path:
    return page(
        tmp_path,
        "small.txt",
        ("Alpha: Learning to Rank Papers", ABSTRACT + "Code at https://github.com/alpha/rank."),
        ("Beta Models Are Few-Shot Readers", ABSTRACT),
        ("Gamma Rays and Attention", ABSTRACT + "See http://github.com/g/rays)."),
    )


@pytest.fixture
def imported(capsys: pytest.CaptureFixture[str], small_page: Path) -> list[str]:
    code, _out, err = run(capsys, "import", "--year", "2025", str(small_page))
    assert (code, err) == (0, ""), err
    return [title_id(t) for t in ("Alpha: Learning to Rank Papers", "Beta Models Are Few-Shot Readers", "Gamma Rays and Attention")]


# -- help and version ----------------------------------------------------------------------


def test_help_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--help")
    assert code == 0
    for word in ("import", "list", "mark", "queue", "--store", "--version", "PAPERTRAY_STORE"):
        assert word in out


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["import"], ["FILE", "--year", "--date", "YYYY-MM-DD"]),
        (["list"], ["QUERY", "--status", "--queue", "--format", "table", "json", "jsonl", "--limit", "starred"]),
        (["mark"], ["ID", "new", "read", "starred", "skipped"]),
        (["queue"], ["add", "rm", "ls", "mv", "rename", "drop"]),
        (["queue", "add"], ["NAME", "ID"]),
        (["queue", "rm"], ["NAME", "ID"]),
        (["queue", "ls"], ["NAME"]),
        (["queue", "mv"], ["NAME", "ID", "POSITION"]),
        (["queue", "rename"], ["OLD", "NEW"]),
        (["queue", "drop"], ["NAME"]),
    ],
)
def test_each_subcommand_has_help(capsys: pytest.CaptureFixture[str], argv: list[str], words: list[str]) -> None:
    code, out, _ = run(capsys, *argv, "--help")
    assert code == 0
    for word in words:
        assert word in out, f"{word!r} missing from `papertray {' '.join(argv)} --help`"


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--version")
    assert code == 0
    assert out.strip() == f"papertray {version('papertray')}"


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "list", "--format", "xml")[0] == 2
    assert run(capsys, "mark", "x", "done")[0] == 2
    assert run(capsys, "frobnicate")[0] == 2


def test_the_console_script(tmp_path: Path, small_page: Path, store_dir: Path) -> None:
    assert EXE.exists(), f"no papertray script next to {sys.executable}"
    env = {**os.environ, "COLUMNS": "80"}
    for argv in (["--help"], ["list", "--help"], ["queue", "--help"]):
        result = subprocess.run([str(EXE), *argv], capture_output=True, text=True, env=env, timeout=60)
        assert result.returncode == 0 and "usage: papertray" in result.stdout
    result = subprocess.run([str(EXE), "--version"], capture_output=True, text=True, env=env, timeout=60)
    assert result.stdout.strip() == f"papertray {version('papertray')}"
    result = subprocess.run([str(EXE), "import", str(small_page)], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{small_page}: 3 papers (3 new, 0 already in store)\n"
    argv = [str(EXE), "--store", str(store_dir), "list", "--format", "jsonl"]
    result = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=60)
    assert [json.loads(line)["title"] for line in result.stdout.splitlines()] == [
        "Alpha: Learning to Rank Papers",
        "Beta Models Are Few-Shot Readers",
        "Gamma Rays and Attention",
    ]
    result = subprocess.run([str(EXE), "mark", "nope", "read"], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 1 and result.stderr.count("\n") == 1 and "nope" in result.stderr


# -- import ------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", sorted(SEED_COUNTS))
def test_each_seed_imports_with_its_count(capsys: pytest.CaptureFixture[str], seeds_dir: Path, seed: str) -> None:
    (path,) = seeds_dir.glob(f"{seed}_*.txt")
    n = SEED_COUNTS[seed]
    code, out, err = run(capsys, "import", str(path))
    assert (code, err) == (0, "")
    assert out == f"{path}: {n} papers ({n} new, 0 already in store)\n"
    code, out, err = run(capsys, "import", str(path))
    assert out == f"{path}: {n} papers (0 new, {n} already in store)\n"
    code, out, _ = run(capsys, "list", "--format", "jsonl")
    assert len(out.splitlines()) == n


def test_all_seeds_in_one_command_dedupe_across_files(capsys: pytest.CaptureFixture[str], seeds_dir: Path, store_dir: Path) -> None:
    paths = [next(seeds_dir.glob(f"{seed}_*.txt")) for seed in sorted(SEED_COUNTS)]
    code, out, err = run(capsys, "import", *map(str, paths))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert len(lines) == 3
    new_total = 0
    for path, line, seed in zip(paths, lines, sorted(SEED_COUNTS), strict=False):
        match = REPORT.match(line)
        assert match, line
        assert match["file"] == str(path)
        assert int(match["n"]) == SEED_COUNTS[seed]
        assert int(match["new"]) + int(match["old"]) == SEED_COUNTS[seed]
        new_total += int(match["new"])
    with Store.open(store_dir) as store:
        assert len(store.rows()) == new_total == 409, "the seeds share 9 papers"
    code, out, _ = run(capsys, "import", *map(str, paths))
    assert [REPORT.match(line)["new"] for line in out.splitlines()] == ["0", "0", "0"]  # type: ignore[index]


@pytest.mark.parametrize(("name", "count"), [("page_blank.txt", 5), ("page_compact.txt", 4)])
def test_project_fixtures_import(capsys: pytest.CaptureFixture[str], name: str, count: int) -> None:
    code, out, err = run(capsys, "import", "--date", "2025-02-27", str(FIXTURES / name))
    assert (code, err) == (0, "")
    assert out == f"{FIXTURES / name}: {count} papers ({count} new, 0 already in store)\n"
    code, out, _ = run(capsys, "list", "--format", "jsonl")
    records = [json.loads(line) for line in out.splitlines()]
    assert len(records) == count
    assert {r["date"] for r in records} == {"2025-02-27"}
    assert all(r["status"] == "new" and r["queues"] == [] for r in records)
    assert any(r["github"] for r in records)


def test_import_uses_the_date_line_and_year(capsys: pytest.CaptureFixture[str], small_page: Path) -> None:
    run(capsys, "import", "--year", "2024", str(small_page))
    _code, out, _ = run(capsys, "list", "--format", "jsonl")
    assert {json.loads(line)["date"] for line in out.splitlines()} == {"2024-03-14"}


BAD_INPUTS = {
    "empty": (b"", "empty"),
    "blank": (b"\n\n   \n", "empty"),
    "binary": (b"\x7fELF\x02\x01\x01\x00\x00\x00" + bytes(range(256)), "binary"),
    "latin1": ("Daily Papers\n\nCaf\u00e9 Learning\n\n".encode("latin-1") + ABSTRACT.encode() * 2, "UTF-8"),
    "html": (b"<!DOCTYPE html>\n<html><head><title>Daily Papers</title></head><body><h3>A paper</h3></body></html>\n", "HTML"),
    "not-a-page": (b"eggs\nmilk\nflour\nbutter\n", "not a Daily Papers page"),
}


def _bad(tmp_path: Path, kind: str) -> tuple[str, str]:
    """Make a bad input; returns (path as given on the command line, a word of the reason)."""
    if kind == "missing":
        return str(tmp_path / "no-such-file.txt"), "no such file"
    if kind == "directory":
        (tmp_path / "a-directory").mkdir()
        return str(tmp_path / "a-directory"), "directory"
    data, reason = BAD_INPUTS[kind]
    path = tmp_path / f"bad-{kind}.txt"
    path.write_bytes(data)
    return str(path), reason


@pytest.mark.parametrize("existing", [False, True], ids=["fresh-store", "filled-store"])
@pytest.mark.parametrize("kind", [*BAD_INPUTS, "missing", "directory"])
def test_bad_input_changes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, store_dir: Path, small_page: Path, kind: str, existing: bool
) -> None:
    if existing:
        assert run(capsys, "import", str(small_page))[0] == 0
        run(capsys, "mark", title_id("Beta Models Are Few-Shot Readers"), "starred")
    before = tree(store_dir)
    bad, reason = _bad(tmp_path, kind)
    code, out, err = run(capsys, "import", bad)
    assert code == 1
    assert out == ""
    assert err.count("\n") == 1 and err.endswith("\n"), err
    assert err.startswith(f"papertray: {bad}: "), err
    assert reason.lower() in err.lower()
    assert tree(store_dir) == before
    assert store_dir.exists() is existing, "a refused import does not even create the store"


@pytest.mark.parametrize("order", ["good-bad-good", "bad-good-bad"])
def test_files_are_imported_independently(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, store_dir: Path, order: str
) -> None:
    good = [
        page(tmp_path, "good1.txt", ("A Perfectly Good Paper Title", ABSTRACT)),
        page(tmp_path, "good2.txt", ("Another Good Paper Title", ABSTRACT), ("A Third Good Title", ABSTRACT)),
    ]
    bad = [_bad(tmp_path, "not-a-page")[0], _bad(tmp_path, "missing")[0]]
    argv = [str(good[0]), bad[0], str(good[1])] if order == "good-bad-good" else [bad[0], str(good[0]), bad[1]]

    code, out, err = run(capsys, "import", *argv)

    assert code == 1
    landed = [line for line in out.splitlines() if REPORT.match(line)]
    refused = err.splitlines()
    assert len(landed) + len(refused) == 3, (out, err)
    assert all(line.startswith("papertray: ") and "(file not imported)" in line for line in refused)
    assert [REPORT.match(line)["file"] for line in landed] == [a for a in argv if a in map(str, good)]
    titles = {json.loads(line)["title"] for line in run(capsys, "list", "--format", "jsonl")[1].splitlines()}
    expected = {"A Perfectly Good Paper Title"} | (
        {"Another Good Paper Title", "A Third Good Title"} if order == "good-bad-good" else set()
    )
    assert titles == expected


# -- list --------------------------------------------------------------------------------


def test_list_jsonl_fields(capsys: pytest.CaptureFixture[str], imported: list[str]) -> None:
    alpha, beta, gamma = imported
    run(capsys, "mark", beta, "starred")
    run(capsys, "queue", "add", "later", beta, alpha)
    code, out, _ = run(capsys, "list", "--format", "jsonl")
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in records] == [alpha, beta, gamma]
    for record in records:
        assert {"id", "title", "date", "authors", "github", "status", "queues"} <= record.keys()
        assert isinstance(record["authors"], list) and isinstance(record["github"], list) and isinstance(record["queues"], list)
        assert record["date"] == "2025-03-14"
    by_id = {r["id"]: r for r in records}
    assert by_id[alpha]["github"] == ["https://github.com/alpha/rank"]
    assert by_id[gamma]["github"] == ["https://github.com/g/rays"]
    assert by_id[beta]["status"] == "starred" and by_id[beta]["queues"] == ["later"]
    assert by_id[gamma]["status"] == "new" and by_id[gamma]["queues"] == []


def test_list_json_is_one_array(capsys: pytest.CaptureFixture[str], imported: list[str]) -> None:
    code, out, _ = run(capsys, "list", "--format", "json")
    data = json.loads(out)
    assert code == 0 and isinstance(data, list) and [r["id"] for r in data] == imported


def test_list_filters_and_limit(capsys: pytest.CaptureFixture[str], imported: list[str]) -> None:
    alpha, beta, gamma = imported
    run(capsys, "mark", alpha, gamma, "skipped")
    run(capsys, "queue", "add", "q", gamma, beta)

    def ids(*argv: str) -> list[str]:
        code, out, err = run(capsys, "list", "--format", "jsonl", *argv)
        assert code == 0, err
        return [json.loads(line)["id"] for line in out.splitlines()]

    assert ids("--status", "skipped") == [alpha, gamma]
    assert ids("--status", "new") == [beta]
    assert ids("--status", "starred") == []
    assert ids("--queue", "q") == [gamma, beta], "queue order, not date order"
    assert ids("--queue", "q", "--status", "skipped") == [gamma]
    assert ids("--limit", "2") == [alpha, beta]
    assert ids("--limit", "0") == []
    code, _, err = run(capsys, "list", "--queue", "nope")
    assert code == 1 and "nope" in err and err.count("\n") == 1


@pytest.mark.parametrize(
    "argv",
    [["list"], ["list", "--format", "json"], ["export", "--format", "bibtex"], ["queue", "ls"], ["queue", "ls", "to-read"]],
)
def test_read_commands_on_a_missing_store_say_so(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str]
) -> None:
    missing = tmp_path / "typo" / "store"
    code, out, err = run(capsys, "--store", str(missing), *argv)
    assert (code, out) == (1, "")
    assert err == f"papertray: no store at {missing}: import or fetch first\n"
    assert not missing.exists() and not missing.parent.exists(), "a read never creates the store"


def test_json_on_an_empty_store_is_an_empty_list(capsys: pytest.CaptureFixture[str], store_dir: Path) -> None:
    store_dir.mkdir(parents=True)
    assert run(capsys, "list", "--format", "json") == (0, "[]\n", "")
    assert run(capsys, "list", "--format", "jsonl") == (0, "", "")


@pytest.mark.parametrize("columns", [100, 60, 40])
def test_table_fits_the_terminal(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, columns: int) -> None:
    long = page(
        tmp_path,
        "long.txt",
        ("A Very Long Title " + "That Keeps Going " * 6, ABSTRACT * 3),
        ("短い題名ではない長い日本語のタイトルで幅の広い文字が列をずらさないことを確かめる論文", ABSTRACT * 3),
        ("Short But Sweet Paper", ABSTRACT),
    )
    assert run(capsys, "import", str(long))[0] == 0
    monkeypatch.setenv("COLUMNS", str(columns))
    code, out, _ = run(capsys, "list")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 3
    for line in lines:
        assert cells(line) <= columns, f"{cells(line)} > {columns}: {line!r}"
    assert any(line.endswith("…") for line in lines)
    assert any("Short" in line for line in lines)


def test_table_shows_status_id_date_title(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, imported: list[str]) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    run(capsys, "mark", imported[1], "starred")
    _code, out, _ = run(capsys, "list")
    first, second, _third = out.splitlines()
    assert second.startswith(f"{Status.STARRED.glyph} {imported[1]}") and "2025-03-14" in second
    assert first.startswith(f"{Status.NEW.glyph} {imported[0]}") and first.endswith("Alpha: Learning to Rank Papers")


# -- mark ------------------------------------------------------------------------------------


def test_mark_then_list(capsys: pytest.CaptureFixture[str], imported: list[str]) -> None:
    alpha, beta, _ = imported
    code, out, err = run(capsys, "mark", alpha, beta, "read")
    assert (code, err) == (0, "")
    assert out == "2 of 2 papers marked read\n"
    code, out, _ = run(capsys, "mark", alpha, "read")
    assert out == "0 of 1 papers marked read\n"
    code, out, _ = run(capsys, "list", "--status", "read", "--format", "jsonl")
    assert [json.loads(line)["id"] for line in out.splitlines()] == [alpha, beta]
    run(capsys, "mark", alpha, "new")
    code, out, _ = run(capsys, "list", "--status", "read", "--format", "jsonl")
    assert [json.loads(line)["id"] for line in out.splitlines()] == [beta]


def test_mark_an_unknown_id_changes_nothing(capsys: pytest.CaptureFixture[str], imported: list[str], store_dir: Path) -> None:
    before = tree(store_dir)
    code, out, err = run(capsys, "mark", imported[0], "no-such-id", "starred")
    assert code == 1 and out == ""
    assert err == "papertray: no paper with id 'no-such-id'\n"
    assert tree(store_dir) == before


def test_mark_on_a_damaged_store(capsys: pytest.CaptureFixture[str], imported: list[str], store_dir: Path) -> None:
    (store_dir / "state.json").write_bytes(b"{oops")
    before = tree(store_dir)
    code, _, err = run(capsys, "mark", imported[0], "read")
    assert code == 1 and err.count("\n") == 1 and "state.json" in err
    assert tree(store_dir) == before


# -- queue ---------------------------------------------------------------------------------


def test_queue_commands(capsys: pytest.CaptureFixture[str], imported: list[str]) -> None:
    alpha, beta, gamma = imported
    assert run(capsys, "queue", "add", "to-read", alpha, beta, gamma) == (0, "to-read: 3 added (3 in queue)\n", "")
    assert run(capsys, "queue", "add", "to-read", alpha)[1] == "to-read: 0 added (3 in queue)\n"
    assert run(capsys, "queue", "add", "other", beta)[0] == 0
    assert run(capsys, "queue", "ls")[1] == "to-read\t3\nother\t1\n"
    assert run(capsys, "queue", "mv", "to-read", gamma, "1")[1] == f"to-read: {gamma} at position 1\n"
    out = run(capsys, "queue", "ls", "to-read")[1]
    assert out.splitlines() == [
        f"1\t{gamma}\tGamma Rays and Attention",
        f"2\t{alpha}\tAlpha: Learning to Rank Papers",
        f"3\t{beta}\tBeta Models Are Few-Shot Readers",
    ]
    assert run(capsys, "queue", "rm", "to-read", alpha)[1] == "to-read: 1 removed (2 in queue)\n"
    assert run(capsys, "queue", "rename", "to-read", "reading")[1] == "renamed to-read to reading\n"
    _code, out, _ = run(capsys, "list", "--queue", "reading", "--format", "jsonl")
    assert [json.loads(line)["id"] for line in out.splitlines()] == [gamma, beta]
    assert run(capsys, "queue", "drop", "reading")[1] == "deleted queue reading (2 papers; they stay in the store)\n"
    assert run(capsys, "queue", "ls")[1] == "other\t1\n"
    assert len(run(capsys, "list", "--format", "jsonl")[1].splitlines()) == 3


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["queue", "ls", "nope"], ["no queue named 'nope'"]),
        (["queue", "rm", "nope", "x"], ["no queue named 'nope'"]),
        (["queue", "add", "q", "no-such-id"], ["no paper with id 'no-such-id'"]),
        (["queue", "add", "bad name", "x"], ["queue name"]),
        (["queue", "rename", "nope", "new"], ["no queue named 'nope'"]),
        (["queue", "drop", "nope"], ["no queue named 'nope'"]),
        (["queue", "mv", "q0", "no-such-id", "1"], ["not in queue"]),
    ],
)
def test_queue_errors(capsys: pytest.CaptureFixture[str], imported: list[str], store_dir: Path, argv: list[str], words: list[str]) -> None:
    run(capsys, "queue", "add", "q0", imported[0])
    before = tree(store_dir)
    code, out, err = run(capsys, *argv)
    assert code == 1 and out == ""
    assert err.startswith("papertray: ") and err.count("\n") == 1
    for word in words:
        assert word in err
    assert tree(store_dir) == before
