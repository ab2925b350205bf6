"""The paper corpus: ``papers.json`` (TinyDB) and the caches derived from it.

How one paper is stored as a document is :mod:`store.paper_docs`.

``papers.json`` is the store of record. Loading all of it takes seconds at
100k papers, so two caches sit beside it in ``cache/``:

* ``rows.bin`` — the compact list index (id, title, date, authors, code mark,
  upvotes) in display order, enough to paint the list;
* ``records.jsonl`` — one JSON line per paper with byte offsets in
  ``rows.bin``, so one abstract loads with one seek.

Both carry the identity of the ``papers.json`` they were made from; a cache
that does not match is rebuilt, never trusted: streamed from the file a
document at a time (:mod:`store.corpus_stream`), or, when that reader has any
doubt about the file, from a parse of all of it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import orjson

from store.atomic import FileIdentity, identity
from store.bounds import bound_doc, bounded_count
from store.ids import clean_arxiv_id, is_title_id, normalise_title, title_id
from store.list_cache import RECORDS_CACHE, read_list_cache, read_record, stream_records, write_list_cache
from store.model import Paper, Row
from store.paper_docs import (
    PAPER_FIELDS,
    doc_from_paper,
    merge_into,
    paper_from_doc,
    row_of,
    sort_key,
    unwrap_text,
)
from store.record_spans import RecordSpans
from store.storage import MARKER_TABLE, AtomicJSONStorage

if TYPE_CHECKING:
    from store.drafts import ImportReport, PaperDraft  # imports only: not on the way to the first paint

PAPERS_FILE = "papers.json"
CACHE_DIR = "cache"
TEXT_UNWRAPPED = "unwrapped"
"""Marker note: titles and abstracts in this file are stored unwrapped (see store.unwrap)."""

class MergeResult(NamedTuple):
    """What `Corpus.merge` made of an import (a tuple: cheaper to define at start-up than a dataclass)."""

    docs: dict[str, dict[str, Any]]
    aliases: dict[str, str]
    reports: list[ImportReport]
    rekeys: list[tuple[str, str]]


class Corpus:
    """Reads and writes ``papers.json`` and keeps its caches honest."""

    def __init__(self, root: Path, *, readonly: bool = False) -> None:
        self.root = root
        self.path = root / PAPERS_FILE
        self.cache_dir = root / CACHE_DIR
        self.storage = AtomicJSONStorage(self.path, "papers", readonly=readonly)
        self._docs: dict[str, dict[str, Any]] | None = None
        self._aliases: dict[str, str] = {}
        self._rows: list[Row] | None = None
        self._spans = RecordSpans([], [], [])
        """Where each paper's JSON is in ``_records``."""
        self._records = self.cache_dir / RECORDS_CACHE
        """``records.jsonl``, or ``papers.json`` itself after a cold open that could not write the cache."""
        self._records_identity: Any = None
        self._seen: FileIdentity | None = None
        """Identity of the ``papers.json`` that ``_rows`` and ``_aliases`` reflect."""
        self._indexed = False
        """False until ``_rows``/``_aliases`` were loaded once (or after :meth:`forget`)."""
        self._text_unwrapped = False
        """True when the loaded ``papers.json`` says its text is stored unwrapped (written by this version)."""

    # -- loading -------------------------------------------------------------
    def exists(self) -> bool:
        return self.path.exists()

    def load_all(self) -> dict[str, dict[str, Any]]:
        """Every paper document, by id (parses all of ``papers.json``)."""
        if self._docs is None or self.storage.changed_on_disk():
            self.storage.reload()
            tables = self.storage.read() or {}
            docs = {d["id"]: d for d in tables.get("papers", {}).values() if isinstance(d, dict) and "id" in d}
            self._aliases = {
                a["old"]: a["new"] for a in tables.get("aliases", {}).values() if "old" in a and "new" in a
            }
            marker = tables.get(MARKER_TABLE, {}).get("1", {})
            self._text_unwrapped = isinstance(marker, dict) and marker.get("text") == TEXT_UNWRAPPED
            self._docs = docs
            self._rows = None
            self._seen = self.storage.loaded_identity
            self._indexed = True
        return self._docs

    def changed_on_disk(self) -> bool:
        """True when another process replaced ``papers.json`` since we last looked."""
        return self._indexed and identity(self.path) != self._seen

    def forget(self) -> None:
        """Drop the in-memory index so the next read picks up the file on disk (cheaply, from cache)."""
        self._rows = None
        self._indexed = False

    def validate(self) -> None:
        """Parse ``papers.json`` (or trust a cache made from this very file).

        Raises:
            DamagedFileError: the file does not parse or is not ours.
        """
        if self.exists():
            self.aliases  # noqa: B018 - loads the index, parsing the file when no cache vouches for it

    @property
    def aliases(self) -> dict[str, str]:
        # Checked on every call (one stat) but parsed only when papers.json changed:
        # resolve() runs on every triage keystroke.
        if not self._indexed or identity(self.path) != self._seen:
            if not self._load_rows_cache():
                self._index_cold()
        return self._aliases

    def resolve(self, paper_id: str) -> str:
        seen = 0
        while paper_id in self.aliases and seen < 16:
            paper_id = self.aliases[paper_id]
            seen += 1
        return paper_id

    def resolve_loaded(self, paper_id: str) -> str:
        """:meth:`resolve` against the aliases already in memory, without a ``stat``.

        For per-row hot paths (a status for every row of a 100k search); our own
        writes update the aliases and ``Store.poll`` picks up other processes'.
        """
        if not self._indexed:
            return self.resolve(paper_id)
        aliases = self._aliases
        seen = 0
        while paper_id in aliases and seen < 16:
            paper_id = aliases[paper_id]
            seen += 1
        return paper_id

    def rows(self) -> list[Row]:
        """The list index in display order, from cache when it is current."""
        rows = self._rows  # read once: a worker may `forget` between two reads
        if rows is not None and self._indexed and identity(self.path) == self._seen:
            return rows
        if self._load_rows_cache() and (rows := self._rows) is not None:
            return rows
        return self._index_cold()

    def _index_cold(self) -> list[Row]:
        """Rows, aliases and caches when no list cache matches ``papers.json``.

        Streamed a document at a time (`store.corpus_stream`): parsing the
        whole file holds every document at once, near 900 MB at 100k papers.
        Documents already in memory and current are used as they are; a file
        the streaming reader doubts is parsed whole, which raises
        `DamagedFileError` for a damaged or foreign one.
        """
        if self._docs is None or self.storage.changed_on_disk():
            from store.corpus_stream import stream_index  # only a cold open needs it

            try:
                cold = stream_index(self.path, self.cache_dir, self.storage.kind)
            except Exception:  # StreamDoubt, an unreadable file, even a slip of the fast reader: the full parse decides
                pass
            else:
                self._docs = None
                self._rows, self._spans, self._records, self._aliases = cold.rows, cold.spans, cold.records, cold.aliases
                self._text_unwrapped = cold.marker.get("text") == TEXT_UNWRAPPED
                self._records_identity = self._seen = cold.identity
                self._indexed = True
                return cold.rows
        docs = self.load_all()
        rows = [row_of(d) for d in sorted(docs.values(), key=sort_key, reverse=True)]
        self._rows = rows
        self._seen = self.storage.loaded_identity
        self._indexed = True
        self._write_caches()
        return rows

    def get(self, paper_id: str) -> Paper | None:
        pid = self.resolve(paper_id)
        if self._docs is not None and not self.storage.changed_on_disk():
            doc = self._docs.get(pid)
            return paper_from_doc(doc) if doc else None
        span = self._spans.get(pid) if self._records_identity == identity(self.path) else None
        doc = read_record(self._records, span) if span is not None else None
        if doc is not None:
            return paper_from_doc(doc)
        doc = self.load_all().get(pid)
        return paper_from_doc(doc) if doc else None

    def records_current(self) -> bool:
        """True when ``records.jsonl`` matches ``papers.json`` (the list cache is loaded to know)."""
        current = identity(self.path)
        if current is None:
            return False
        if self._records_identity != current:
            self._load_rows_cache()
        return bool(self._records_identity == current)

    def stream_records(self, ids: Iterable[str]) -> Iterator[dict[str, Any]]:
        """The documents of ``ids`` read one at a time from ``records.jsonl`` (see `records_current`).

        For readers that must not hold every paper at once, such as the
        search index build at 100k papers.

        Raises:
            KeyError: an id the cache does not hold.
            ValueError: the cache does not hold what its offsets say.
            OSError: the cache cannot be read.
        """
        return stream_records(self._records, self._spans, ids)

    def papers_of(self, ids: Iterable[str]) -> list[Paper]:
        """The papers of ``ids`` that exist, in that order (aliases followed).

        One pass over ``records.jsonl`` when it is current (one open, one
        ``stat``) rather than a `get` each: half the time for an export of
        100k papers. Anything amiss falls back to `get`, paper by paper.
        """
        wanted = list(ids)
        if self._docs is None and self.records_current():
            # The records cache holds every paper of this papers.json: an id it lacks is no paper.
            resolved = [pid for pid in map(self.resolve_loaded, wanted) if self._spans.get(pid) is not None]
            try:
                return [paper_from_doc(doc) for doc in self.stream_records(resolved)]
            except (KeyError, ValueError, OSError):  # a cache replaced or damaged meanwhile
                pass
        return [p for p in map(self.get, wanted) if p is not None]

    def papers(self) -> list[Paper]:
        docs = self.load_all()
        return [paper_from_doc(d) for d in sorted(docs.values(), key=sort_key, reverse=True)]

    # -- caches ----------------------------------------------------------------
    def _load_rows_cache(self) -> bool:
        current = identity(self.path)
        loaded = read_list_cache(self.cache_dir, current) if current is not None else None
        if loaded is None:
            return False
        self._rows, self._spans, self._aliases = loaded
        self._records = self.cache_dir / RECORDS_CACHE
        self._records_identity = current
        self._seen = current
        self._indexed = True
        return True

    def _write_caches(self) -> None:
        """Write both caches from the loaded documents (see `store.list_cache`); failures only cost speed."""
        docs = self._docs or {}
        ordered = sorted(docs.values(), key=sort_key, reverse=True)
        rows = self._rows if self._rows is not None else [row_of(d) for d in ordered]
        self._rows = rows
        # Stamp the caches with the identity of the file the documents came from,
        # not of the file on disk now: another process may have replaced it since.
        current = self.storage.loaded_identity
        if current is None or current != identity(self.path):
            return
        lines = (orjson.dumps(doc, option=orjson.OPT_APPEND_NEWLINE) for doc in ordered)
        spans = write_list_cache(self.cache_dir, current, lines, rows, self._aliases)
        if spans is not None:
            self._spans = spans
            self._records = self.cache_dir / RECORDS_CACHE
            self._records_identity = current

    # -- writing -------------------------------------------------------------
    def _copy_docs(self) -> dict[str, dict[str, Any]]:
        """A copy of every document to merge into; unwrapped once if the file predates unwrapping.

        A file written by this version says so in its marker, so the 100k-paper
        merge of every later import skips the per-paper check.
        """
        docs = self.load_all()
        if self._text_unwrapped:
            return {pid: dict(doc) for pid, doc in docs.items()}
        return {pid: unwrap_text(dict(doc)) for pid, doc in docs.items()}

    def merge(self, batches: Sequence[tuple[str, Sequence[PaperDraft]]], *, today: str | None = None) -> MergeResult:
        """Fold drafts into a copy of the corpus; nothing is written here."""
        docs = self._copy_docs()
        aliases = dict(self._aliases)
        by_arxiv = {d["arxiv_id"]: pid for pid, d in docs.items() if d.get("arxiv_id")}
        by_title = {normalise_title(d["title"]): pid for pid, d in docs.items()}
        next_seq = max((bounded_count(d.get("seq", 0), "seq") or 0 for d in docs.values()), default=0) + 1
        added = today or dt.date.today().isoformat()
        from store.drafts import ImportReport

        reports: list[ImportReport] = []
        rekeys: list[tuple[str, str]] = []
        for source, drafts in batches:
            seen_in_file: set[str] = set()
            new = existing = 0
            for draft in drafts:
                arxiv = clean_arxiv_id(draft.arxiv_id)
                key = normalise_title(draft.title)
                if not key:
                    continue
                pid = by_arxiv.get(arxiv) if arxiv else None
                pid = pid or by_title.get(key)
                if pid is None:
                    pid = arxiv or title_id(draft.title)
                    paper = Paper(id=pid, title=draft.title, arxiv_id=arxiv)
                    docs[pid] = doc_from_paper(paper, next_seq, added)
                    next_seq += 1
                    new += 1
                elif pid in seen_in_file:
                    pass
                else:
                    existing += 1
                seen_in_file.add(pid)
                doc = docs[pid]
                if arxiv and is_title_id(pid):
                    new_id = arxiv
                    docs.pop(pid)
                    doc["aliases"] = sorted(set(doc.get("aliases", [])) | {pid})
                    doc["id"] = new_id
                    doc["arxiv_id"] = arxiv
                    docs[new_id] = doc
                    aliases[pid] = new_id
                    rekeys.append((pid, new_id))
                    seen_in_file.add(new_id)
                    pid = new_id
                merge_into(doc, draft, source)
                if arxiv:
                    by_arxiv[arxiv] = pid
                by_title[key] = pid
            total = len(seen_in_file - set(aliases))
            reports.append(ImportReport(source=source, total=total, new=new, existing=existing))
        return MergeResult(docs=docs, aliases=aliases, reports=reports, rekeys=rekeys)

    def write(self, docs: dict[str, dict[str, Any]], aliases: dict[str, str]) -> None:
        """Replace ``papers.json`` atomically with these documents.

        Every numeric field is bounded first (`store.bounds`): whatever an
        importer let through, one odd count must not fail the write.
        """
        for doc in docs.values():
            bound_doc(doc)
        tables: dict[str, dict[str, Any]] = {
            MARKER_TABLE: {"1": {"kind": "papers", "format": 1, "text": TEXT_UNWRAPPED}},
            "papers": {str(i): doc for i, doc in enumerate(docs.values(), start=1)},
            "aliases": {str(i): {"old": o, "new": n} for i, (o, n) in enumerate(aliases.items(), start=1)},
        }
        self.storage.write(tables)
        self._docs = docs
        self._aliases = aliases
        self._text_unwrapped = True  # written unwrapped: later merges in this process skip the pass
        self._rows = None  # rebuilt by _write_caches, which sorts the documents anyway
        self._seen = self.storage.loaded_identity
        self._indexed = True
        self._write_caches()

    def update_fields(
        self, updates: dict[str, dict[str, Any]]
    ) -> tuple[dict[str, dict[str, Any]], dict[str, str], list[tuple[str, str]]]:
        """Set fields on existing papers (copy); a new arXiv id re-keys a title-id paper."""
        docs = self._copy_docs()
        aliases = dict(self._aliases)
        rekeys: list[tuple[str, str]] = []
        for raw_id, changes in updates.items():
            pid = self.resolve(raw_id)
            doc = docs.get(pid)
            if doc is None:
                continue
            for key, value in changes.items():
                if key in PAPER_FIELDS and key not in {"id", "aliases"}:
                    doc[key] = list(value) if isinstance(value, tuple) else value
            arxiv = clean_arxiv_id(doc.get("arxiv_id"))
            if arxiv and is_title_id(pid) and arxiv not in docs:
                docs.pop(pid)
                doc["id"] = arxiv
                doc["aliases"] = sorted(set(doc.get("aliases", [])) | {pid})
                docs[arxiv] = doc
                aliases[pid] = arxiv
                rekeys.append((pid, arxiv))
        return docs, aliases, rekeys


__all__ = ["PAPERS_FILE", "Corpus", "MergeResult", "paper_from_doc", "row_of"]
