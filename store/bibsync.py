"""A ``.bib`` file that stays in sync with a selection of papers (``papertray bib sync``, ``[[bib]]``).

The rules, for a LaTeX user whose ``\\cite{...}`` must keep working:

* papertray's entries carry a ``papertray-id`` field (`store.bibfile.PAPERTRAY_FIELD`);
  every other byte of the file (hand-written entries, ``@string``,
  ``@preamble``, comments, free text) is left exactly as it was, in place;
* a paper keeps the key it has in the file for ever: the entry is rewritten in
  place under the same key (the paper's facts may have changed: ``resolve``
  added authors); a newcomer whose natural key is taken, by a hand-written
  entry, another paper or a key retired earlier, gets a letter suffix;
* a paper that leaves the selection loses its entry, and its key is recorded as
  retired in one ``@comment`` block, so that the key is never given to another
  paper (a stale ``\\cite`` then reads "undefined", never the wrong paper) and
  the paper gets it back when it returns;
* a paper cited by hand (a hand-written entry with its arXiv id in ``eprint``)
  gets no second entry: the hand entry wins.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from store.atomic import atomic_write
from store.bibfile import PAPERTRAY_FIELD, Chunk, parse_bib
from store.citation_keys import citation_key, key_suffix
from store.citations import bibtex_entry
from store.errors import StoreError
from store.model import Paper, Status
from store.store import Store
from store.views import select_rows

HEADER = (
    "% Kept in sync by papertray (`papertray bib sync`). Entries with a papertray-id field are\n"
    "% papertray's: rewritten or removed on every sync, under the same key. Everything else in\n"
    "% this file (your own entries, strings, comments) is left exactly as it is.\n\n"
)
"""Written at the top of a new file only (free text: BibTeX skips it)."""

RETIRED_MARK = "papertray-retired-keys"
"""First word of the ``@comment`` that remembers the keys of papers that left the selection."""

_SAFE_RE = re.compile(r"[A-Za-z0-9._:/+-]+")
"""Characters a paper id or a key may have to be written into the file and read back verbatim."""
_RETIRED_LINE_RE = re.compile(r"^\s*(\S+)\s*=\s*(\S+)\s*$")
_SPACE_AFTER_RE = re.compile(r"[ \t]*\r?\n(?:[ \t]*\r?\n)?")
_EPRINT_RE = re.compile(r"^(?:arxiv:)?\s*(.+?)(?:v\d+)?$", re.IGNORECASE)


class BibSyncError(StoreError):
    """The file cannot be synced (does not parse, cannot be read or written): it was left unchanged."""


@dataclass(frozen=True)
class SyncResult:
    """What a sync did to one file."""

    path: Path
    written: bool
    """False when the file already said all this (it is then not touched: no new mtime for latexmk)."""
    added: int = 0
    updated: int = 0
    removed: int = 0
    papers: int = 0
    """papertray entries in the file now."""
    by_hand: int = 0
    """Selected papers left to a hand-written entry with their arXiv id."""

    def summary(self) -> str:
        changes = f"{self.added} added, {self.updated} updated, {self.removed} removed"
        extra = f", {self.by_hand} cited by hand" if self.by_hand else ""
        state = changes if self.written else "up to date"
        return f"{self.path}: {self.papers} papers ({state}{extra})"


@dataclass(frozen=True)
class _Synced:
    text: str
    added: int
    updated: int
    removed: int
    papers: int
    by_hand: int


def _eprint_id(value: str) -> str:
    match = _EPRINT_RE.match(value.strip())
    return (match.group(1) if match else value).strip().lower()


def render_entry(paper: Paper, key: str) -> str:
    """The paper's ``@misc`` entry (as ``c`` copies it) under ``key``, marked as papertray's."""
    entry = bibtex_entry(paper, key)
    assert entry.endswith("\n}")
    return f"{entry[:-2]},\n  {PAPERTRAY_FIELD}={{{paper.id}}}\n}}"


def _retired_block(retired: dict[str, str]) -> str:
    lines = "".join(f"  {key} = {pid}\n" for key, pid in sorted(retired.items()))
    return (
        f"@comment{{{RETIRED_MARK}: keys of papers that left the selection; papertray gives them to no other\n"
        f"paper, and back to the same paper when it returns.\n{lines}}}"
    )


def _read_retired(chunk: Chunk) -> dict[str, str] | None:
    """``key -> paper id`` from papertray's retired-keys comment, or None for any other chunk."""
    if chunk.kind != "comment":
        return None
    opener = min(i for i in (chunk.text.find("{"), chunk.text.find("(")) if i >= 0)
    body = chunk.text[opener + 1 : -1]
    if not body.lstrip().startswith(RETIRED_MARK):
        return None
    retired: dict[str, str] = {}
    for line in body.splitlines()[1:]:
        match = _RETIRED_LINE_RE.match(line)
        if match:
            retired[match.group(1)] = match.group(2)
    return retired


def sync_text(old: str, papers: Sequence[Paper]) -> _Synced:
    """The new text of a ``.bib`` file that held ``old``, with papertray's entries for ``papers``.

    Raises:
        BibParseError: ``old`` cannot be cut into entries safely.
    """
    chunks = parse_bib(old)
    wanted = {p.id: p for p in papers if _SAFE_RE.fullmatch(p.id)}
    retired: dict[str, str] = {}
    taken: set[str] = set()
    """Keys (lower-case) of every entry in the file, and the retired ones."""
    entry_keys: set[str] = set()
    by_hand_ids: set[str] = set()
    for chunk in chunks:
        found = _read_retired(chunk)
        if found is not None:
            retired.update(found)
        elif chunk.kind == "entry":
            entry_keys.add(chunk.key.lower())
            eprint = (chunk.fields or {}).get("eprint")
            if chunk.papertray_id is None and eprint:
                by_hand_ids.add(_eprint_id(eprint))
    taken.update(entry_keys)
    taken.update(key.lower() for key in retired)

    def cited_by_hand(paper: Paper) -> bool:
        return paper.arxiv_id is not None and paper.arxiv_id.lower() in by_hand_ids

    out: list[str] = []
    placed: set[str] = set()
    updated = removed = 0
    drop_space = False
    for chunk in chunks:
        if _read_retired(chunk) is not None:
            drop_space = True
            continue
        pid = chunk.papertray_id
        if pid is None:
            text = chunk.text
            if drop_space and chunk.kind == "text":
                text = _after_removed(text)
            drop_space = False
            if text:
                out.append(text)
            continue
        paper = wanted.get(pid)
        if paper is None or pid in placed or cited_by_hand(paper):
            removed += 1
            if pid not in placed and pid not in wanted and _SAFE_RE.fullmatch(chunk.key) and _SAFE_RE.fullmatch(pid):
                retired[chunk.key] = pid
            drop_space = True
            continue
        drop_space = False
        entry = render_entry(paper, chunk.key)
        updated += entry != chunk.text
        placed.add(pid)
        out.append(entry)

    newcomers = [p for p in wanted.values() if p.id not in placed and not cited_by_hand(p)]
    returning = {pid: key for key, pid in retired.items()}
    additions: list[str] = []
    for paper in newcomers:
        key = returning.get(paper.id)
        if key is not None:
            del retired[key]
        if key is None or key.lower() in entry_keys:  # a hand entry took the retired key meanwhile
            key = _free_key(citation_key(paper), taken)
        taken.add(key.lower())
        additions.append(render_entry(paper, key))
    text = "".join(out)
    if not old.strip() and not text.strip():
        text = HEADER
    for entry in additions:
        text = _append(text, entry)
    if retired:
        text = _append(text, _retired_block(retired))
    by_hand = sum(1 for p in wanted.values() if cited_by_hand(p))
    return _Synced(text, len(additions), updated, removed, len(placed) + len(additions), by_hand)


def _after_removed(text: str) -> str:
    """Free text after a removed entry, without the line end and the blank line papertray put there.

    Only that white space goes; anything a person wrote stays.
    """
    match = _SPACE_AFTER_RE.match(text)
    return text[match.end() :] if match else text


def _append(text: str, entry: str) -> str:
    if not text:
        return entry + "\n"
    if not text.endswith("\n"):
        text += "\n"
    if not text.endswith("\n\n"):
        text += "\n"
    return text + entry + "\n"


def _free_key(base: str, taken: set[str]) -> str:
    """``base``, or ``base`` with the first letter suffix no entry has (BibTeX keys ignore case)."""
    if base.lower() not in taken:
        return base
    index = 0
    while f"{base}{key_suffix(index)}".lower() in taken:
        index += 1
    return f"{base}{key_suffix(index)}"


def select_papers(store: Store, *, query: str = "", queue: str | None = None, status: Status | None = None) -> list[Paper]:
    """The papers of a selection (a queue in queue order, a status, a query), as ``papertray list`` picks them."""
    rows = select_rows(store, status=status, queue=queue, query=query)
    return store.papers_of(r.id for r in rows)


def sync_file(path: Path, papers: Sequence[Paper]) -> SyncResult:
    """Bring ``path`` in line with ``papers``; write it (atomically) only when its text changes.

    A symbolic link is followed (the file it names is replaced, the link stays),
    and the file keeps its permission bits.

    Raises:
        BibSyncError: the file cannot be read, is not UTF-8, does not parse, or
            cannot be written. It is then unchanged.
    """
    target = Path(os.path.realpath(path.expanduser()))
    try:
        raw = target.read_bytes()
    except FileNotFoundError:
        raw = b""
    except OSError as exc:
        raise BibSyncError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    try:
        old = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BibSyncError(f"{path}: not UTF-8 (byte {exc.start}); not written") from exc
    try:
        synced = sync_text(old, papers)
    except StoreError as exc:
        raise BibSyncError(f"{path}: {exc}; not written") from exc
    result = SyncResult(
        path, synced.text != old, synced.added, synced.updated, synced.removed, synced.papers, synced.by_hand
    )
    if not result.written:
        return result
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except OSError:
        mode = 0o644
    try:
        if target.read_bytes() != raw:  # changed under us (an editor saved): do not overwrite it
            raise BibSyncError(f"{path}: changed while syncing; not written (sync again)")
    except FileNotFoundError:
        if raw:
            raise BibSyncError(f"{path}: removed while syncing; not written") from None
    except OSError as exc:
        raise BibSyncError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    try:
        atomic_write(target, synced.text.encode("utf-8"), mode=mode)
    except OSError as exc:
        raise BibSyncError(f"{path}: cannot write ({exc.strerror or exc}); not written") from exc
    return result
