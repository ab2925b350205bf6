"""The search index of a big store built on two cores: a forked helper indexes the second half of the papers.

Why: at 100k papers the build is seven seconds of Python splitting, hashing
and appending tens of millions of tokens, most of a cold open's wait for full
search, and one process uses one core. The build child (`store.search_cache`)
forks once: the helper indexes the second half of the papers in default order
(numbered from the first of them on) while the parent indexes the first half,
then hands its part over through a pipe.

The file is byte for byte the one a single process writes (a test pins it):
the helper gives its tokens characters of its own; the parent then gives them
its characters in the order the helper first saw them — the order one process
would have — and re-encodes the helper's token strings with them. Postings
need no change: every number of the helper's comes after the parent's.

Only the build child may call this: it has no other threads, and forking a
process that has some (the app) is not safe. Whatever goes wrong with the
helper (no ``fork`` on this platform, one core, a crash, a short pipe) costs
only time: the parent indexes the second half itself.
"""

from __future__ import annotations

import os
import pickle
import signal
from array import array
from collections.abc import Callable, Iterable, Sequence
from itertools import accumulate, pairwise
from typing import IO, Any

from store.search_build import FIELDS, Part, SearchDoc, finish, index_part, paused_collector

MIN_SPLIT = 1000
"""Papers in each half below which one process builds alone (a fork is not worth it)."""

Portable = tuple[dict[str, bytes], list[tuple[bytes, bytes, list[str], bytes, bytes]], list[str], list["str | None"], bytes]
"""A `Part` as plain bytes, lists and dicts, to cross the pipe (pickled; see `_portable`)."""


def write_in_parts(ids: Sequence[str], docs_of: Callable[[Sequence[str]], Iterable[SearchDoc]], out: IO[bytes]) -> None:
    """`store.search_build.write_ordered` of ``docs_of(ids)``, the second half indexed by a forked helper.

    Args:
        ids: Every paper's id, in default order.
        docs_of: Reads the papers of some of ``ids``, in the order given (called
            once in each process).
    """
    half = len(ids) // 2
    with paused_collector():
        helper = _fork(lambda: index_part(docs_of(ids[half:]), half)) if half >= MIN_SPLIT and _cores() > 1 else None
        try:
            part = index_part(docs_of(ids[:half]), 0)
        except BaseException:
            if helper is not None:
                _stop(*helper)
            raise
        rest = _receive(*helper, len(ids) - half) if helper is not None else None
        if rest is None:
            index_part(docs_of(ids[half:]), half, part)
        else:
            _absorb(part, rest)
        del rest
        finish(part, out)


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _fork(work: Callable[[], Part]) -> tuple[int, int] | None:
    """Run ``work`` in a forked helper that pickles its part into a pipe; (pid, read end), or None."""
    try:
        read, write = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except (AttributeError, OSError):
        os.close(read)
        os.close(write)
        return None
    if pid == 0:  # the helper: never returns, and never flushes what it inherited (os._exit)
        status = 1
        try:
            os.close(read)
            with os.fdopen(write, "wb") as pipe:
                pickle.dump(_portable(work()), pipe, protocol=pickle.HIGHEST_PROTOCOL)
            status = 0
        finally:
            os._exit(status)
    os.close(write)
    return pid, read


def _receive(pid: int, read: int, count: int) -> Portable | None:
    """The helper's part for ``count`` papers once it has exited cleanly; None when it failed."""
    try:
        with os.fdopen(read, "rb") as pipe:
            rest: Any = pickle.load(pipe)
    except Exception:  # a helper that died mid-way: a short or garbled pipe
        rest = None
    _, status = os.waitpid(pid, 0)
    if status != 0 or not _fits(rest, count):
        return None
    return rest  # type: ignore[no-any-return]


def _stop(pid: int, read: int) -> None:
    os.close(read)
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass
    os.waitpid(pid, 0)


def _fits(rest: Any, count: int) -> bool:
    """Whether ``rest`` has the shape of a `Portable` for ``count`` papers (checked before any of it is used)."""
    if not (isinstance(rest, tuple) and len(rest) == 5):
        return False
    codes, fields, ids, dates, code = rest
    return (
        isinstance(codes, dict)
        and isinstance(fields, list)
        and len(fields) == len(FIELDS)
        and all(isinstance(field, tuple) and len(field) == 5 for field in fields)
        and all(len(field[1]) == 8 * (count + 1) for field in fields)
        and len(ids) == len(dates) == len(code) == count
    )


def _portable(part: Part) -> Portable:
    """``part`` with each field's postings laid end to end (one array a field pickles fast; 200k small ones do not)."""
    fields = []
    for _name, postings, sequence, bounds in part.fields:
        flat = array("i")
        for numbers in postings.values():
            flat.extend(numbers)
        offsets = array("q", accumulate(map(len, postings.values()), initial=0))
        fields.append((bytes(sequence), bounds.tobytes(), list(postings), offsets.tobytes(), flat.tobytes()))
    return dict(part.codes), fields, part.ids, part.dates, bytes(part.code)


def _absorb(part: Part, rest: Portable) -> None:
    """Append the helper's papers to ``part`` as if one process had indexed them all (see the module docstring)."""
    codes, fields, ids, dates, code = rest
    # Its tokens in the order it first saw them: the ones new to this process get the next characters.
    remap = dict(zip((char.decode() for char in codes.values()), map(part.codes.__getitem__, codes), strict=True)).__getitem__
    for (_name, postings, sequence, bounds), (text, raw_bounds, keys, raw_offsets, raw_flat) in zip(part.fields, fields, strict=True):
        helper_bounds = array("q")
        helper_bounds.frombytes(raw_bounds)
        for lo, hi in pairwise(helper_bounds):
            sequence += b"".join(map(remap, text[lo:hi].decode()))
            bounds.append(len(sequence))
        offsets, flat = array("q"), array("i")
        offsets.frombytes(raw_offsets)
        flat.frombytes(raw_flat)
        for key, (lo, hi) in zip(keys, pairwise(offsets), strict=True):
            postings[key].extend(flat[lo:hi])
    part.ids.extend(ids)
    part.dates.extend(dates)
    part.code += code
