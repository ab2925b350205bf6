"""One deadline for a whole HTTP request: connect, headers and body.

httpx's timeouts are per operation: a server that sends one header line every
few seconds never trips them, and the body-time check in ``net`` only starts
once the headers are in. The network backend here wraps every socket
operation so it waits at most until the request's deadline, whichever phase
it is in; past the deadline the next read, write or connect times out at once.

The deadline is per thread (a sync request runs on the thread that asked).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import httpcore
from httpcore import NetworkBackend, NetworkStream

_local = threading.local()


@contextmanager
def deadline(seconds: float) -> Iterator[float]:
    """Bound every socket operation on this thread for ``seconds`` from now; yields the deadline."""
    previous = getattr(_local, "at", None)
    at = time.monotonic() + seconds
    _local.at = at
    try:
        yield at
    finally:
        _local.at = previous


def _bounded(timeout: float | None, error: type[Exception]) -> float | None:
    """``timeout`` shortened to what is left before the deadline (raises when none is left)."""
    at: float | None = getattr(_local, "at", None)
    if at is None:
        return timeout
    left = at - time.monotonic()
    if left <= 0:
        raise error("request deadline passed")
    return left if timeout is None else min(timeout, left)


class DeadlineStream(NetworkStream):
    """A stream whose every operation ends by the thread's deadline."""

    def __init__(self, inner: NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _bounded(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _bounded(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> NetworkStream:
        inner = self._inner.start_tls(ssl_context, server_hostname, _bounded(timeout, httpcore.ConnectTimeout))
        return DeadlineStream(inner)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class DeadlineBackend(NetworkBackend):
    """httpcore's sync backend with every stream bounded by the thread's deadline."""

    def __init__(self, inner: NetworkBackend | None = None) -> None:
        self._inner = inner or httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> NetworkStream:
        stream = self._inner.connect_tcp(
            host,
            port,
            _bounded(timeout, httpcore.ConnectTimeout),
            local_address=local_address,
            socket_options=socket_options,
        )
        return DeadlineStream(stream)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> NetworkStream:
        bounded = _bounded(timeout, httpcore.ConnectTimeout)
        stream = self._inner.connect_unix_socket(path, bounded, socket_options=socket_options)
        return DeadlineStream(stream)

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


BACKEND_ATTRIBUTE = "_network_backend"
"""httpcore's name for a pool's backend: private, the one thing here that an upgrade can break."""


class DeadlineInstallError(RuntimeError):
    """httpx or httpcore no longer has the attribute the deadline backend is set through."""


def install(transport: object | None) -> None:
    """Put the deadline backend under an httpx transport's connection pool.

    httpx builds its pools itself and offers no argument for the backend
    (httpcore's ``ConnectionPool(network_backend=...)`` is public, but
    ``HTTPTransport`` does not pass one through, and rebuilding the transport
    would mean copying its request/response mapping and proxy handling), so
    this sets the pool's backend attribute, httpcore's own name for it.

    Args:
        transport: an ``httpx.HTTPTransport`` (as the client and its proxy
            mounts hold them); None, a mount that sends no request, is skipped.

    Raises:
        DeadlineInstallError: the transport has no ``_pool`` with a
            ``_network_backend``: an httpx/httpcore upgrade renamed them, and a
            request without a deadline could hang on a dripping server.
    """
    if transport is None:
        return
    pool = getattr(transport, "_pool", None)
    if pool is None or not hasattr(pool, BACKEND_ATTRIBUTE):
        raise DeadlineInstallError(
            f"cannot bound HTTP requests: {type(transport).__name__}._pool.{BACKEND_ATTRIBUTE} not found"
            " (httpx/httpcore changed; see store/deadline.py)"
        )
    setattr(pool, BACKEND_ATTRIBUTE, DeadlineBackend(getattr(pool, BACKEND_ATTRIBUTE)))
