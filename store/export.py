"""Export of many papers to a file format: BibTeX, Markdown, JSON Lines or CSV.

Reading state lives apart from paper data (in ``state.json``, see :mod:`store.state`),
so the caller passes two look-ups, ``status_of`` and ``queues_of``, instead of
this module reaching into the store. That keeps export pure and easy to test.

JSON Lines and CSV carry the same columns (:data:`COLUMNS`). In CSV, list
values are joined with ``"; "`` and unknown values are empty cells; rows end
with ``"\\n"``, so write the text with ``newline=""`` or in binary mode.

CSV cells that a spreadsheet would run as a formula (starting with ``=``,
``+``, ``-``, ``@``, tab or carriage return) get a leading ``'`` by default:
titles and abstracts come from web pages, and ``=HYPERLINK(...)`` in an
abstract should stay text when the file is opened in a spreadsheet.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Literal

from store.atomic import atomic_write
from store.bibtex import latex_escape
from store.citation_keys import authors_of, paper_year, unique_keys
from store.citations import bibtex_entry, markdown_escape, markdown_link
from store.errors import StoreError
from store.model import Paper
from store.visible import inert, json_visible

ExportFormat = Literal["bibtex", "markdown", "jsonl", "csv"]

EXPORT_FORMATS: tuple[ExportFormat, ...] = ("bibtex", "markdown", "jsonl", "csv")

FILE_SUFFIXES: dict[ExportFormat, str] = {"bibtex": ".bib", "markdown": ".md", "jsonl": ".jsonl", "csv": ".csv"}
"""The usual file name ending for each format, for a save dialog's default."""

COLUMNS: tuple[str, ...] = (
    "id",
    "title",
    "date",
    "published",
    "authors",
    "arxiv_id",
    "url",
    "github",
    "links",
    "status",
    "queues",
    "tags",
    "note",
    "abstract",
)
"""Fields of a JSON Lines object and columns of a CSV row, in order."""

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_MARKDOWN_AUTHORS = 3


def paper_record(
    paper: Paper,
    *,
    status_of: Callable[[str], str],
    queues_of: Callable[[str], Sequence[str]],
    tags_of: Callable[[str], Sequence[str]] = lambda _: (),
    note_of: Callable[[str], str] = lambda _: "",
) -> dict[str, object]:
    """The paper as a plain dict with the :data:`COLUMNS` keys.

    Args:
        paper: The paper.
        status_of: Reading status of a paper id ("new", "read"...).
        queues_of: Names of the queues a paper id is in.
        tags_of: The reader's tags of a paper id.
        note_of: The reader's note (Markdown) of a paper id, ``""`` for none.

    Returns:
        A JSON-ready dict; unknown values are None, lists are lists.
    """
    return {
        "id": paper.id,
        "title": paper.title,
        "date": paper.date,
        "published": paper.published,
        "authors": list(paper.authors),
        "arxiv_id": paper.arxiv_id,
        "url": paper.url,
        "github": list(paper.github),
        "links": list(paper.links),
        "status": str(status_of(paper.id)),
        "queues": list(queues_of(paper.id)),
        "tags": list(tags_of(paper.id)),
        "note": note_of(paper.id) or None,
        "abstract": paper.abstract,
    }


def _csv_cell(value: object, *, guard_formulas: bool) -> str:
    if value is None:
        text = ""
    elif isinstance(value, list):
        text = "; ".join(str(item) for item in value)
    else:
        text = str(value)
    text = inert(text, keep_tabs=True)  # a CSV is read by people, in terminals too
    if guard_formulas and text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def _bibtex(papers: Sequence[Paper], tags_of: Callable[[str], Sequence[str]], note_of: Callable[[str], str]) -> str:
    """The BibTeX export: each entry with the reader's tags in ``keywords`` and note in ``annote``."""
    chosen = list({p.id: p for p in papers}.values())
    return "\n\n".join(
        with_annotations(bibtex_entry(paper, key), tags_of(paper.id), note_of(paper.id))
        for paper, key in zip(chosen, unique_keys(chosen), strict=True)
    )


def with_annotations(entry: str, tags: Sequence[str], note: str) -> str:
    """A BibTeX entry (as `bibtex_entry` writes it) with ``keywords`` and ``annote`` fields.

    Tags join keywords the entry has already (no duplicates, its own first);
    the note keeps its lines (blank ones dropped: a field is not a document).
    """
    fields = entry.rstrip().removesuffix("}").rstrip().split(",\n")
    if tags:
        index = next((i for i, f in enumerate(fields) if f.lstrip().lower().startswith("keywords=")), None)
        mine = [latex_escape(t) for t in tags]
        if index is None:
            fields.append(f"  keywords={{{', '.join(mine)}}}")
        else:
            have = [k.strip() for k in fields[index].split("=", 1)[1].strip()[1:-1].split(",") if k.strip()]
            fields[index] = f"  keywords={{{', '.join(dict.fromkeys([*have, *mine]))}}}"
    lines = [latex_escape(line.rstrip()) for line in note.splitlines() if line.strip()]
    if lines:
        fields.append("  annote={" + "\n    ".join(lines) + "}")
    return ",\n".join(fields) + "\n}"


def _markdown_line(paper: Paper, tags: Sequence[str] = (), note: str = "") -> str:
    line = f"- {markdown_link(paper)}"
    names = authors_of(paper)
    if names:
        shown = ", ".join(markdown_escape(name) for name in names[:_MARKDOWN_AUTHORS])
        if len(names) > _MARKDOWN_AUTHORS:
            shown += " et al."
        line += f" — {shown}"
    year = paper_year(paper)
    if year is not None:
        line += f" ({year})"
    if tags:
        line += " " + " ".join(f"`#{t}`" for t in tags)
    for note_line in note.splitlines():
        line += f"\n  > {note_line}".rstrip()
    return line


def export_papers(
    papers: Sequence[Paper],
    fmt: ExportFormat,
    *,
    status_of: Callable[[str], str],
    queues_of: Callable[[str], Sequence[str]],
    tags_of: Callable[[str], Sequence[str]] = lambda _: (),
    note_of: Callable[[str], str] = lambda _: "",
    guard_formulas: bool = True,
) -> str:
    """Papers as the text of one export file.

    Args:
        papers: The papers, in the order to write them.
        fmt: ``"bibtex"`` (unique keys, see :func:`store.citation_keys.unique_keys`),
            ``"markdown"`` (``- [Title](url) — Authors (year)``), ``"jsonl"``
            (one object per line) or ``"csv"`` (header row, then one row each).
        status_of: Reading status of a paper id.
        queues_of: Queue names of a paper id.
        tags_of: Tags of a paper id (BibTeX ``keywords``, a list, a column, ``#tag`` in Markdown).
        note_of: Note of a paper id (BibTeX ``annote``, a quote under the Markdown line).
        guard_formulas: CSV only: prefix ``'`` to cells a spreadsheet would
            read as formulas.

    Returns:
        The file's text, ending with a newline unless it is empty (a CSV
        always has its header).

    Raises:
        ValueError: ``fmt`` is not one of :data:`EXPORT_FORMATS`.
    """
    # Text formats pass the one sanitiser (`store.visible.inert`): they are read by people.
    if fmt == "bibtex":
        text = _bibtex(papers, tags_of, note_of)
        return inert(text, keep_tabs=True) + "\n" if text else ""
    if fmt == "markdown":
        lines = (_markdown_line(p, tags_of(p.id), note_of(p.id)) + "\n" for p in papers)
        return inert("".join(lines), keep_tabs=True)
    if fmt == "jsonl":
        records = (
            paper_record(p, status_of=status_of, queues_of=queues_of, tags_of=tags_of, note_of=note_of) for p in papers
        )
        return "".join(json_visible(json.dumps(record, ensure_ascii=False)) + "\n" for record in records)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(COLUMNS)
        for paper in papers:
            record = paper_record(paper, status_of=status_of, queues_of=queues_of, tags_of=tags_of, note_of=note_of)
            writer.writerow([_csv_cell(record[column], guard_formulas=guard_formulas) for column in COLUMNS])
        return buffer.getvalue()
    raise ValueError(f"unknown export format {fmt!r} (expected one of: {', '.join(EXPORT_FORMATS)})")


def write_export(path: Path, text: str, *, store_root: Path) -> None:
    """Write an export file atomically (temp file, fsync, rename), never inside the store.

    A kill half-way leaves the previous export in place, not a truncated one;
    and ``-o STORE/papers.json`` (or any path into the store directory,
    through symlinks too) is refused before anything is written.

    Raises:
        StoreError: the path is inside the store, or cannot be written.
    """
    target = Path(path).expanduser()
    resolved = target.resolve()
    store = Path(store_root).expanduser().resolve()
    if resolved == store or store in resolved.parents:
        raise StoreError(f"{target}: inside the store directory {store}; export somewhere else")
    if resolved.is_dir():
        raise StoreError(f"{target}: is a directory; give a file name")
    try:
        mode = os.stat(resolved).st_mode & 0o777
    except OSError:
        mode = 0o644
    try:
        atomic_write(resolved, text.encode("utf-8"), mode=mode)
    except OSError as exc:
        raise StoreError(f"{target}: cannot write ({exc.strerror or exc})") from exc
