"""Fuzz the importers: page copies, saved API responses, and files of any bytes.

Install atheris into the project's venv once (it is not a project dependency)::

    .venv/bin/pip install atheris

Run (from the repository root; stops after 200,000 inputs, or leave the flag out to run until Ctrl-C)::

    .venv/bin/python fuzz/fuzz_importer.py -atheris_runs=200000

Each input goes to one of three entry points, picked by its first byte:
`parse_page_copy` (the rest decoded as UTF-8), `parse_api_response` (the
rest as raw JSON bytes) or `load_drafts` (the rest written to a file). The
only exception allowed out is `InputError`; the drafts that come back must be
well-formed (same checks as ``tests/test_properties.py``). Anything else is
a finding: libFuzzer stops and writes the input to ``crash-<sha1>``, which
replays with ``.venv/bin/python fuzz/fuzz_importer.py crash-<sha1>``.

Without a corpus directory on the command line, the run starts from seeds
built from ``tests/fixtures`` and a synthetic page (in a temporary directory).
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import tempfile
from pathlib import Path

import atheris

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

with atheris.instrument_imports():
    from store.drafts import PaperDraft
    from store.errors import InputError
    from store.importers.files import load_drafts
    from store.importers.hfjson import parse_api_response
    from store.importers.pagecopy import parse_page_copy
    from store.links import is_web_url

TODAY = dt.date(2026, 3, 14)
_URL_RE = re.compile(r"^https://github\.com/[A-Za-z0-9-]+/[A-Za-z0-9._-]+[^\x00-\x20\x7f-\x9f\s]*$")
_FILE = Path(tempfile.mkdtemp(prefix="papertray-fuzz-")) / "input.txt"


def check(drafts: list[PaperDraft], source: str) -> None:
    """The promises every importer makes about what it returns."""
    assert isinstance(drafts, list)
    for draft in drafts:
        assert draft.title.strip() and "\n" not in draft.title, draft
        for day in (draft.date, draft.published):
            assert day is None or dt.date.fromisoformat(day).isoformat() == day, draft
        assert all(_URL_RE.match(url) for url in draft.github), draft.github
        assert all(is_web_url(url) for url in draft.links), draft.links
        assert all(n is None or (type(n) is int and n >= 0) for n in (draft.upvotes, draft.comments, draft.github_stars))
        assert draft.source == source
        for text in (draft.title, draft.abstract, *draft.authors, *draft.keywords):
            text.encode("utf-8")  # stored as JSON: no lone surrogates


def test_one_input(data: bytes) -> None:
    if not data:
        return
    mode, body = data[0] % 3, data[1:]
    try:
        if mode == 0:
            source = "page.txt"
            drafts = parse_page_copy(body.decode("utf-8", "replace"), source=source, today=TODAY)
        elif mode == 1:
            source = "api.json"
            drafts = parse_api_response(body, source=source)
        else:
            source = str(_FILE)
            _FILE.write_bytes(body)
            drafts = load_drafts(_FILE, today=TODAY)
    except InputError as exc:
        assert "\n" not in str(exc), str(exc)
        return
    check(drafts, source)


def seeds() -> str:
    """A temporary corpus directory: the test fixtures and a synthetic page, under each mode byte."""
    directory = Path(tempfile.mkdtemp(prefix="papertray-fuzz-importer-corpus-"))
    samples = [p.read_bytes() for p in sorted((ROOT / "tests" / "fixtures").rglob("*")) if p.is_file() and p.suffix in (".txt", ".json")]
    try:
        from tests.pagecopy_synth import make_page

        samples += [make_page(3).encode(), make_page(2, compact=True).encode()]
    except ImportError:
        pass
    for n, sample in enumerate(samples):
        for mode in range(3):
            (directory / f"seed-{n}-{mode}").write_bytes(bytes([mode]) + sample[:20_000])
    return str(directory)


def main() -> None:
    from fuzz.harness import run

    run(test_one_input, seeds)


if __name__ == "__main__":
    main()
