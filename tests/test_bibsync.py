"""``.bib`` sync: pybtex reads the file, papertray's entries match their papers, hand-written text is untouched.

The oracles are pybtex (`tests.bib_oracles`) and, where installed, the real
``bibtex`` program on a minimal ``.aux`` that cites a synced key.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from store.bibfile import BibParseError, parse_bib
from store.bibsync import BibSyncError, sync_file, sync_text
from store.citations import citation_key
from store.model import Paper
from tests.bib_oracles import BIBTEX, plain

HAND = r"""% My thesis bibliography (50% done; {braces} in prose are fine).
@string{neurips = "Advances in Neural Information Processing Systems"}

@preamble{ "\newcommand{\noopsort}[1]{} " }

@Article{vaswani2017attention,
  title     = {Attention Is All You Need},
  author    = "Vaswani, Ashish and Shazeer, Noam",
  journal   = neurips # " 30",
  year      = 2017,
}

Some free text I keep here; BibTeX skips it.
@comment{old entries below}

@inproceedings ( knuth84,
  title = {Literate {P}rogramming (revisited)},
  author = {Knuth, Donald E.},
  booktitle = {The Computer Journal},
  year = {1984} )
"""
"""Hand-written BibTeX in several styles (quotes, @string, parentheses, odd spacing)."""

HAND_ENTRIES = ("vaswani2017attention", "knuth84")


def paper(pid: str, title: str, authors: tuple[str, ...] = ("Ada Lovelace",), **kw: object) -> Paper:
    arxiv = pid if not pid.startswith("t-") else None
    return Paper(id=pid, title=title, authors=authors, date="2024-03-14", arxiv_id=arxiv, **kw)  # type: ignore[arg-type]


PAPERS = [
    paper("2403.00001", "$k$NN-LM Revisited: Memory at Scale"),
    paper("2403.00002", r"$\mathcal{O}(\sqrt{n})$-Regret Bandits", ("Grace Hopper", "Alan M. Turing")),
    paper("2403.00003", 'Why "Attention" Still Matters: A {Braced} Review', ("José Álvarez-Núñez",)),
    paper("t-0123456789", "Emergence", ("Ada Lovelace",)),
    paper("2403.00005", "Scaling 🚀 Laws [Revisited]", ()),
]


def pybtex(text: str) -> dict[str, tuple[str, dict[str, str], list[str]]]:
    from pybtex.database import parse_string

    data = parse_string(text, "bibtex")
    out = {}
    for key, entry in data.entries.items():
        names = [" ".join(p.first_names + p.middle_names + p.prelast_names + p.last_names) for p in entry.persons.get("author", [])]
        out[key] = (entry.type, {k.lower(): v for k, v in entry.fields.items()}, names)
    return out


def hand_pieces(text: str) -> list[str]:
    """Every hand-written chunk (entries, commands, free text), without papertray's and the white space."""
    return [c.text.strip() for c in parse_bib(text) if c.papertray_id is None and "papertray-retired-keys" not in c.text and c.text.strip()]


def check_entries(text: str, papers: list[Paper]) -> dict[str, str]:
    """Assert every paper has exactly one entry that matches it; return paper id -> key."""
    entries = pybtex(text)
    keys: dict[str, str] = {}
    for key, (kind, fields, names) in entries.items():
        pid = fields.get("papertray-id")
        if pid is None:
            continue
        assert pid not in keys, f"two entries for {pid}"
        keys[pid] = key
        (p,) = [p for p in papers if p.id == pid]
        assert kind == "misc"
        assert plain(fields["title"]) == plain(p.title)
        assert [plain(n) for n in names] == [plain(a) for a in p.authors]
        assert fields.get("year") == str(p.year)
        assert fields.get("eprint") == p.arxiv_id
    assert set(keys) == {p.id for p in papers}
    return keys


def test_a_new_file_parses_and_every_entry_matches_its_paper() -> None:
    text = sync_text("", PAPERS).text
    keys = check_entries(text, PAPERS)
    assert keys["2403.00001"] == citation_key(PAPERS[0])
    assert text.startswith("% Kept in sync by papertray")


def test_hand_written_text_is_byte_identical_after_three_syncs_with_additions_and_removals() -> None:
    text = HAND
    steps = [PAPERS[:3], PAPERS[1:5], [PAPERS[0], PAPERS[4]]]
    for step in steps:
        text = sync_text(text, step).text
        check_entries(text, step)
        assert set(HAND_ENTRIES) <= set(pybtex(text))
        for piece in hand_pieces(HAND):
            assert piece in text
        assert hand_pieces(text) == hand_pieces(HAND)
    # Byte for byte, in place: the file still begins with the hand-written part, unchanged.
    assert text.startswith(HAND)
    # A fourth sync with the same papers changes nothing.
    assert sync_text(text, steps[-1]).text == text


def test_entries_in_between_hand_entries_stay_in_place_and_are_rewritten_there() -> None:
    first = sync_text(HAND, PAPERS[:2]).text
    # The user moves papertray's entries between hand-written ones.
    chunks = parse_bib(first)
    ours = "".join(c.text + "\n\n" for c in chunks if c.papertray_id)
    moved = HAND.replace("Some free text", ours + "Some free text")
    changed = [PAPERS[0], paper("2403.00002", "A New Title After Resolve", ("Grace Hopper",))]
    text = sync_text(moved, changed).text
    assert text.index("A New Title After Resolve") < text.index("Some free text")
    assert hand_pieces(text) == hand_pieces(HAND)
    check_entries(text, changed)


def test_keys_are_stable_and_a_clash_suffixes_only_the_newcomer() -> None:
    old = paper("2403.00010", "Attention Sinks", ("Ada Lovelace",))
    text = sync_text(HAND, [old]).text
    first_key = check_entries(text, [old])[old.id]
    assert first_key == "lovelace2024attention"
    # Newcomers whose natural key is the same, added before it in the selection.
    clash1 = paper("2403.00011", "Attention Sinks Again", ("Ada Lovelace",))
    clash2 = paper("2403.00012", "Attention, Please", ("Ada Lovelace",))
    text = sync_text(text, [clash1, clash2, old]).text
    keys = check_entries(text, [clash1, clash2, old])
    assert keys[old.id] == first_key
    assert keys[clash1.id] == "lovelace2024attentiona" and keys[clash2.id] == "lovelace2024attentionb"
    # A hand entry's key is never reused: a paper whose natural key is vaswani2017attention gets a suffix.
    vas = Paper(id="1706.03762", title="Attention Is All You Need", authors=("Ashish Vaswani",), date="2017-06-12", arxiv_id="1706.03762")
    text2 = sync_text(text, [old, vas]).text
    assert check_entries(text2, [old, vas])[vas.id] == "vaswani2017attentiona"
    # A paper that leaves keeps its key reserved: nobody else gets it, and it gets it back.
    text = sync_text(text, [old, clash2]).text
    assert "lovelace2024attentiona = 2403.00011" in text
    clash3 = paper("2403.00013", "Attention Everywhere", ("Ada Lovelace",))
    text = sync_text(text, [old, clash2, clash3]).text
    keys = check_entries(text, [old, clash2, clash3])
    assert keys[clash3.id] == "lovelace2024attentionc"
    text = sync_text(text, [old, clash2, clash3, clash1]).text
    assert check_entries(text, [old, clash2, clash3, clash1])[clash1.id] == "lovelace2024attentiona"
    assert "lovelace2024attentiona = " not in text
    assert hand_pieces(text) == hand_pieces(HAND)


def test_a_paper_cited_by_hand_gets_no_second_entry() -> None:
    hand = HAND + "\n@misc{mine, title={My copy}, eprint={arXiv:2403.00001v2}}\n"
    result = sync_text(hand, PAPERS[:2])
    assert result.by_hand == 1
    keys = check_entries(result.text, [PAPERS[1]])
    assert "mine" in pybtex(result.text) and len(keys) == 1


@pytest.mark.parametrize(
    "broken",
    [
        HAND + "\n@misc{open, title={never closed}\n",
        "@article{a, title={x}}\n@book{b, title = {unbalanced {brace}\n@misc{c, title={y}}\n",
    ],
)
def test_a_file_that_does_not_parse_is_refused_and_left_unchanged(tmp_path: Path, broken: str) -> None:
    with pytest.raises(BibParseError):
        parse_bib(broken)
    target = tmp_path / "refs.bib"
    target.write_text(broken, encoding="utf-8")
    before = target.stat()
    with pytest.raises(BibSyncError, match=r"never closed.*not written"):
        sync_file(target, PAPERS)
    assert target.read_text(encoding="utf-8") == broken
    assert target.stat().st_mtime_ns == before.st_mtime_ns


def test_sync_file_writes_only_on_change_keeps_the_mode_and_follows_a_link(tmp_path: Path) -> None:
    real = tmp_path / "thesis" / "refs.bib"
    real.parent.mkdir()
    real.write_text(HAND, encoding="utf-8")
    real.chmod(0o640)
    link = tmp_path / "refs.bib"
    link.symlink_to(real)
    result = sync_file(link, PAPERS)
    assert result.written and result.added == 5 and result.papers == 5
    assert link.is_symlink() and real.read_text(encoding="utf-8").startswith(HAND)
    assert (real.stat().st_mode & 0o777) == 0o640
    mtime = real.stat().st_mtime_ns
    again = sync_file(link, PAPERS)
    assert not again.written and "up to date" in again.summary()
    assert real.stat().st_mtime_ns == mtime


def test_crlf_and_non_ascii_hand_text_survive(tmp_path: Path) -> None:
    hand = HAND.replace("\n", "\r\n").replace("Some free text", "Ünïcödé free text ✓")
    target = tmp_path / "refs.bib"
    target.write_bytes(hand.encode("utf-8"))
    sync_file(target, PAPERS[:2])
    sync_file(target, PAPERS[2:])
    sync_file(target, [])
    data = target.read_bytes().decode("utf-8")
    assert data.startswith(hand)
    assert hand_pieces(data) == hand_pieces(hand)


@pytest.mark.skipif(BIBTEX is None, reason="bibtex is not installed (Debian: texlive-binaries)")
def test_real_bibtex_resolves_a_synced_key(tmp_path: Path) -> None:
    target = tmp_path / "refs.bib"
    target.write_text(HAND, encoding="utf-8")
    sync_file(target, PAPERS)
    key = check_entries(target.read_text(encoding="utf-8"), PAPERS)["2403.00002"]
    style = "plain"
    aux = tmp_path / "paper.aux"
    aux.write_text(f"\\relax\n\\citation{{{key}}}\n\\citation{{knuth84}}\n\\bibstyle{{{style}}}\n\\bibdata{{refs}}\n", encoding="ascii")
    assert BIBTEX is not None
    done = subprocess.run([BIBTEX, "paper"], cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False,
                          env={**os.environ, "openout_any": "a"})
    if "I couldn't open style file" in done.stdout:
        pytest.skip("bibtex is installed but plain.bst is not (Debian: texlive-base)")
    assert done.returncode == 0, done.stdout
    bbl = (tmp_path / "paper.bbl").read_text(encoding="utf-8")
    assert f"\\bibitem{{{key}}}" in bbl and "\\bibitem{knuth84}" in bbl
    assert "Hopper" in bbl and "Turing" in bbl
    assert "Warning" not in done.stdout, done.stdout
    assert shutil.which("bibtex") == BIBTEX


def test_an_at_sign_in_prose_stays_free_text() -> None:
    """BibTeX skips ``@word`` not followed by a brace (an e-mail address in a comment); so do we, keeping it."""
    hand = "% Questions: me@example.org\n@comment on its own\n" + HAND
    text = sync_text(hand, PAPERS[:1]).text
    assert text.startswith(hand)
    assert hand_pieces(text) == hand_pieces(hand)


def test_config_bib_tables(tmp_path: Path) -> None:
    from tui.config import BibRule, load_config

    config = tmp_path / "config.toml"
    config.write_text('[[bib]]\nfile = "refs.bib"\nselect = "in:thesis"\n[[bib]]\nfile = "/abs/x.bib"\nselect = "is:starred"\n')
    assert load_config(config).bib == (BibRule(tmp_path / "refs.bib", "in:thesis"), BibRule(Path("/abs/x.bib"), "is:starred"))
    config.write_text('clipboard = "osc52"\n[[bib]]\nfile = "refs.bib"\nquery = "in:thesis"\n')
    broken = load_config(config)
    assert broken.bib == () and broken.clipboard == "osc52"
    assert broken.error is not None and "[[bib]] number 1" in broken.error
