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

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None) -> NetworkStream:
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
            host, port, _bounded(timeout, httpcore.ConnectTimeout), local_address=local_address, socket_options=socket_options
        )
        return DeadlineStream(stream)

    def connect_unix_socket(self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None) -> NetworkStream:
        stream = self._inner.connect_unix_socket(path, _bounded(timeout, httpcore.ConnectTimeout), socket_options=socket_options)
        return DeadlineStream(stream)

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def install(transport: object) -> bool:
    """Put the deadline backend under an httpx transport's connection pool; False when it has none.

    httpx builds its pools itself and offers no argument for the backend, so
    this sets the pool's backend attribute (httpcore's own name for it).
    """
    pool = getattr(transport, "_pool", None)
    if pool is None or not hasattr(pool, "_network_backend"):
        return False
    pool._network_backend = DeadlineBackend(pool._network_backend)
    return True
