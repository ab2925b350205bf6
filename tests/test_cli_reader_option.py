"""``papertray [--store PATH]`` is read without argparse, exactly as argparse would read it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT
from tui.cli import _base_parser, _reader_option


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--store", "/tmp/papers"],
        ["--store", "~/papers with spaces"],
        ["--store=/tmp/papers"],
        ["--store="],
        ["--store", "ünïcode/στόρ"],
    ],
)
def test_the_readers_usual_command_lines_read_as_argparse_reads_them(argv: list[str]) -> None:
    fast = _reader_option(argv)
    assert fast is not None
    assert fast.store == _base_parser().parse_args(argv).store


@pytest.mark.parametrize(
    "argv",
    [["--help"], ["-h"], ["--version"], ["--store"], ["--store", "-x"], ["--sto", "x"], ["--store", "a", "b"], ["x"]],
)
def test_anything_else_goes_to_argparse(argv: list[str]) -> None:
    assert _reader_option(argv) is None


def test_opening_the_reader_imports_no_argparse() -> None:
    """argparse and gettext cost about 2 ms of every start; ``papertray --store PATH`` does without them."""
    code = (
        "import sys; from tui.cli import main; status = main(['--store', 'nowhere']); "
        "print(status, 'argparse' in sys.modules, 'gettext' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], stdin=subprocess.DEVNULL, capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert done.stdout.split() == ["2", "False", "False"], (done.stdout, done.stderr)
