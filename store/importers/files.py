"""Read an import file and hand it to the importer its content calls for.

Every way a file can be wrong becomes one ``InputError`` that names the file
and says why in one line, so the CLI and the TUI can show it as it is and the
store is never touched by a bad file.
"""

from __future__ import annotations

import codecs
import datetime as _dt
import os
from pathlib import Path

from store.drafts import PaperDraft
from store.errors import InputError

MAX_BYTES = 64 * 1024 * 1024
"""Largest file we read: a year of daily pages is a few tens of MiB at most,
and anything bigger is almost surely the wrong file (a dump, a video)."""


def read_text_file(path: str | Path) -> str:
    """Read a UTF-8 text file whole, refusing anything that is not one.

    A UTF-8 byte-order mark is dropped. A file with a UTF-16 byte-order mark
    (what Windows Notepad calls "Unicode") is decoded as UTF-16, since that is
    how a copied page is often saved there.

    Args:
        path: The file to read.

    Returns:
        The decoded text (not otherwise changed: line endings stay as they are).

    Raises:
        InputError: The path is missing, a directory, not a regular file,
            unreadable, larger than 64 MiB, empty, binary, or not UTF-8.
    """
    file = Path(path)
    name = os.fspath(path)  # as the user typed it: Path() would drop a leading "./"
    try:
        info = file.stat()
    except FileNotFoundError:
        raise InputError(name, "no such file") from None
    except OSError as error:
        raise InputError(name, f"cannot read: {error.strerror or error}") from None
    if file.is_dir():
        raise InputError(name, "is a directory, not a file")
    if not file.is_file():
        raise InputError(name, "not a regular file")
    if info.st_size > MAX_BYTES:
        raise InputError(name, f"file is {_mib(info.st_size)}; the limit is {_mib(MAX_BYTES)}")
    try:
        with file.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as error:
        raise InputError(name, f"cannot read: {error.strerror or error}") from None
    if len(data) > MAX_BYTES:  # grew since stat, or a special file that reports size 0
        raise InputError(name, f"file is larger than the limit of {_mib(MAX_BYTES)}")
    return _decode(data, name)


def _decode(data: bytes, name: str) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(name, "damaged UTF-16 text; save the file as UTF-8") from None
    else:
        if b"\x00" in data:
            raise InputError(name, "binary file (contains NUL bytes), not text")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise InputError(
                name, f"not UTF-8 text (byte 0x{data[error.start]:02x} at offset {error.start}); save the file as UTF-8"
            ) from None
    if not text.strip():
        raise InputError(name, "file is empty")
    if "\x00" in text:
        raise InputError(name, "binary file (contains NUL characters), not text")
    return text


def _mib(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MiB" if size % (1024 * 1024) else f"{size // (1024 * 1024)} MiB"


def load_drafts(
    path: str | Path,
    *,
    year: int | None = None,
    day: str | None = None,
    today: _dt.date | None = None,
) -> list[PaperDraft]:
    """Read one import file and parse it by what it contains, not by its name.

    Text that starts with ``[`` or ``{`` is a saved Hugging Face API response;
    anything else is taken for a copy of the Daily Papers page. ``year``,
    ``day`` and ``today`` only matter for page copies (API responses carry
    their own dates).

    Args:
        path: The file to import.
        year: Year for a page's date line that has none.
        day: ``YYYY-MM-DD`` date for every paper of a page copy.
        today: Reference day for guessing a page's year (default: today).

    Returns:
        The drafts, in file order.

    Raises:
        InputError: The file cannot be read, or is in neither format.
    """
    text = read_text_file(path)
    source = os.fspath(path)
    if text.lstrip().startswith(("[", "{")):
        try:
            from store.importers.hfjson import parse_api_response
        except ImportError:
            raise InputError(source, "JSON import is not available") from None
        return parse_api_response(text, source=source)
    from store.importers.pagecopy import parse_page_copy

    return parse_page_copy(text, source=source, year=year, day=day, today=today)
