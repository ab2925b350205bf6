"""Read BibTeX back the way BibTeX itself does: pybtex, and the real ``bibtex`` program.

bibtexparser treats ``\\}`` as an escaped brace; BibTeX and pybtex do not (a
brace is a brace whatever precedes it), which is exactly how a title such as
``x}, author={Mallory`` forges fields. These oracles count braces as BibTeX
does, so a test using them fails where a real bibliography would break.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

BIBTEX = shutil.which("bibtex")
"""The real program (Debian: texlive-binaries), or None: tests skip with a reason."""

FIELDS = ("title", "author", "year", "eprint", "archiveprefix", "primaryclass", "url", "note")

_BST = (
    "ENTRY { " + " ".join(FIELDS) + " } {} {}\n"
    "FUNCTION {out} { duplicate$ missing$ { pop$ \"<MISSING>\" } 'skip$ if$ write$ newline$ }\n"
    "FUNCTION {misc} {\n"
    '  "<<PT>>key " cite$ * write$ newline$\n'
    + "".join(f'  "<<PT>>{name} " write$ {name} out\n' for name in FIELDS)
    + '  "<<PT>>names " write$ author missing$ { "0" } { author num.names$ int.to.str$ } if$ write$ newline$\n'
    "}\n"
    "FUNCTION {default.type} { misc }\n"
    "READ\n"
    "ITERATE {call.type$}\n"
)

_TEXT_MACROS = {
    r"\textbraceleft{}": "",
    r"\textbraceright{}": "",
    r"\textbackslash{}": "",
    r"\textasciicircum{}": "^",
    r"\textasciitilde{}": "~",
}
_TEXT_MACRO_RE = re.compile("|".join(re.escape(m) for m in _TEXT_MACROS))


def plain(value: str) -> str:
    """What survives of a value once TeX escapes and all braces and backslashes are dropped.

    Applied to both the exported field and the paper's own text, it checks
    that nothing was lost, moved to another field or added, whatever the
    escaping chose to write.
    """
    value = _TEXT_MACRO_RE.sub(lambda m: _TEXT_MACROS[m.group(0)], value)
    return " ".join(re.sub(r"[{}\\]", "", value).split())


def pybtex_entries(bibtex: str) -> list[tuple[str, dict[str, str], list[str]]]:
    """``(key, fields lower-cased, author names)`` per entry, as pybtex reads them."""
    from pybtex.database import parse_string

    data = parse_string(bibtex, "bibtex")
    out = []
    for key, entry in data.entries.items():
        assert entry.type == "misc"
        fields = {name.lower(): value for name, value in entry.fields.items()}
        names = [
            " ".join(p.first_names + p.middle_names + p.prelast_names + p.last_names + p.lineage_names)
            for p in entry.persons.get("author", [])
        ]
        out.append((key, fields, names))
    return out


def bibtex_entries(bibtex: str) -> list[dict[str, str]]:
    """Every entry as the real ``bibtex`` reads it: field values, ``key`` and ``names`` (a count).

    Runs bibtex on a minimal ``.aux`` (``\\citation{*}``) and a tiny ``.bst``
    that writes each field on its own marked line. Missing fields read
    ``<MISSING>``. BibTeX wraps long output lines at spaces, so values are
    compared with whitespace runs made one space.
    """
    assert BIBTEX is not None
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "t.bib").write_text(bibtex, encoding="utf-8")
        (root / "dump.bst").write_text(_BST, encoding="ascii")
        (root / "t.aux").write_text("\\relax\n\\citation{*}\n\\bibstyle{dump}\n\\bibdata{t}\n", encoding="ascii")
        done = subprocess.run([BIBTEX, "-terse", "t"], cwd=root, capture_output=True, timeout=60, check=False)
        log = (root / "t.blg").read_text(encoding="utf-8", errors="replace") if (root / "t.blg").exists() else ""
        assert done.returncode in (0, 1), (done.returncode, done.stdout, log)  # 1: warnings only
        assert "error message" not in log, log
        output = (root / "t.bbl").read_text(encoding="utf-8", errors="replace")
    entries: list[dict[str, str]] = []
    for chunk in output.split("<<PT>>")[1:]:
        name, *rest = chunk.split(None, 1)  # bibtex may wrap the line right after the name
        value = " ".join("".join(rest).split())
        if name == "key":
            entries.append({"key": value})
        else:
            entries[-1][name] = value
    return entries
