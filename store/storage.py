"""A TinyDB storage that is crash-safe, refuses foreign files and batches writes.

A storage is all TinyDB asks for (``read``/``write``). This one

* writes through :func:`store.atomic.atomic_write`,
* keeps the parsed data and re-reads only when the file changed on disk
  (another papertray process wrote it), so reads are cheap,
* inside :meth:`batch` turns many TinyDB operations into one file write,
* never overwrites a file it could not parse or that is not ours.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson
from tinydb.storages import Storage

from store.atomic import FileIdentity, atomic_write, atomic_write_chunks, identity
from store.errors import DamagedFileError, ReadOnlyError

MARKER_TABLE = "_papertray"
"""Every file papertray writes holds this table; a file without it is foreign."""

Tables = dict[str, dict[str, Any]]


def table_chunks(tables: Tables, rows_per_chunk: int = 128) -> Iterator[bytes]:
    """``orjson.dumps(tables)``, byte for byte, ``rows_per_chunk`` rows at a time.

    A 100k-paper ``papers.json`` is 170 MB of JSON: made in one piece, it
    sat in memory beside the documents it came from (a third of an
    import's peak RSS). Rows go in groups because one ``dumps`` per small
    row (``state.json``'s statuses) is four times slower than one for all.
    A table that is not a dict of str keys is dumped whole.
    """
    dumps = orjson.dumps
    yield b"{"
    for number, (name, rows) in enumerate(tables.items()):
        head = dumps(name) + b":"
        yield b"," + head if number else head
        if not isinstance(rows, dict) or not all(isinstance(key, str) for key in rows):
            yield dumps(rows)
            continue
        yield b"{"
        items = list(rows.items())
        for start in range(0, len(items), rows_per_chunk):
            body = dumps(dict(items[start : start + rows_per_chunk]))[1:-1]
            yield b"," + body if start else body
        yield b"}"
    yield b"}"


def load_tables(path: Path, kind: str) -> tuple[Tables | None, FileIdentity | None]:
    """Read and validate one store file.

    Returns:
        The tables (None when the file does not exist) and the identity of
        the file that was read.

    Raises:
        DamagedFileError: the file is not valid JSON, not a TinyDB layout, or
            belongs to something else than papertray's ``kind`` file.
    """
    before = identity(path)
    if before is None:
        return None, None
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DamagedFileError(path, f"cannot read ({exc.strerror or exc})") from exc
    if not raw.strip():
        raise DamagedFileError(path, "file is empty")
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise DamagedFileError(path, f"not valid JSON ({str(exc).splitlines()[0]})") from exc
    if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
        raise DamagedFileError(path, "not a TinyDB database")
    marker = data.get(MARKER_TABLE, {}).get("1")
    if not isinstance(marker, dict) or marker.get("kind") != kind:
        raise DamagedFileError(path, f"not a papertray {kind} file")
    return data, before


class AtomicJSONStorage(Storage):
    """TinyDB storage over one JSON file, written atomically.

    Args:
        path: the file.
        kind: what the file holds ("papers", "state"); stored in the marker
            table and checked on every read.
        readonly: refuse writes (second copy of the app, read-only disk).
    """

    def __init__(self, path: Path, kind: str, *, readonly: bool = False) -> None:
        self.path = path
        self.kind = kind
        self.readonly = readonly
        self._cache: Tables | None = None
        self._identity: FileIdentity | None = None
        self._loaded = False
        self._batch_depth = 0
        self._dirty = False
        self._mutex = threading.RLock()

    # -- TinyDB's interface -------------------------------------------------
    def read(self) -> Tables | None:
        with self._mutex:
            if self._batch_depth == 0 and (not self._loaded or identity(self.path) != self._identity):
                self.reload()
            return self._cache

    def write(self, data: Tables) -> None:
        with self._mutex:
            if self.readonly:
                raise ReadOnlyError(f"{self.path}: store is open read-only")
            data.setdefault(MARKER_TABLE, {"1": {"kind": self.kind, "format": 1}})
            self._cache = data
            self._loaded = True
            if self._batch_depth:
                self._dirty = True
            else:
                self._flush()

    # -- ours ----------------------------------------------------------------
    def reload(self) -> None:
        """Re-read the file from disk (raises DamagedFileError, keeps the file)."""
        with self._mutex:
            self._cache, self._identity = load_tables(self.path, self.kind)
            self._loaded = True

    def changed_on_disk(self) -> bool:
        return self._loaded and identity(self.path) != self._identity

    @property
    def loaded_identity(self) -> FileIdentity | None:
        """Identity of the file the cached data was read from (or last written to)."""
        return self._identity

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Group writes: TinyDB operations inside write the file once, at the end."""
        with self._mutex:
            self._batch_depth += 1
            try:
                yield
            finally:
                self._batch_depth -= 1
            if self._batch_depth == 0 and self._dirty:
                self._flush()

    def _flush(self) -> None:
        assert self._cache is not None
        self._dirty = False
        try:
            # Only the corpus grows to a size worth streaming; state.json's many small
            # rows are quicker in one dumps (the triage writer's cost).
            if self.kind == "papers":
                atomic_write_chunks(self.path, table_chunks(self._cache))
            else:
                atomic_write(self.path, orjson.dumps(self._cache))
        except BaseException:
            self._loaded = False  # the cache holds what did not reach the file: read it again
            raise
        self._identity = identity(self.path)
