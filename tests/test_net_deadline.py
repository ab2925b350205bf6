"""One deadline covers a whole request: a server dripping header lines is cut (issue 11, point 9)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from store.deadline import DeadlineBackend, DeadlineInstallError, install
from store.net import HttpClient, HttpSettings, NetworkError

DRIP_FOR = 20.0
"""How long the server would keep dripping; the client must give up long before."""


@pytest.fixture
def drip_url() -> Iterator[str]:
    """A loopback server that answers a status line, then one header line every 0.2 s."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    stop = threading.Event()

    def serve(conn: socket.socket) -> None:
        try:
            conn.recv(4096)
            conn.sendall(b"HTTP/1.1 200 OK\r\n")
            end = time.monotonic() + DRIP_FOR
            n = 0
            while not stop.is_set() and time.monotonic() < end:
                conn.sendall(f"X-Drip-{n}: {'a' * 10}\r\n".encode())
                n += 1
                stop.wait(0.2)
        except OSError:
            pass
        finally:
            conn.close()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except (TimeoutError, OSError):
                continue
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/api/daily_papers"
    stop.set()
    thread.join(timeout=2)
    listener.close()


def test_dripping_headers_are_cut_at_the_total_limit(drip_url: str) -> None:
    limit = 1.5
    settings = HttpSettings(timeout=1.0, total_timeout=limit, retries=0, sleep=lambda s: None)
    started = time.monotonic()
    with HttpClient(settings) as client, pytest.raises(NetworkError) as caught:
        client.get(drip_url)
    took = time.monotonic() - started
    print(f"drip cut after {took:.2f} s (limit {limit} s)")
    # Generous upper bound for a loaded machine; without the deadline the drip runs DRIP_FOR seconds.
    assert limit - 0.1 <= took < limit + 5.0
    assert f"within {limit:g} s" in str(caught.value)


def test_the_deadline_backend_sits_under_the_client_pool() -> None:
    """The real client's transport gets the deadline backend (through httpcore's private attribute)."""
    with HttpClient(HttpSettings()) as client:
        transport = client._client._transport
        assert isinstance(transport._pool._network_backend, DeadlineBackend)  # type: ignore[attr-defined]


def test_a_transport_without_the_private_pool_attribute_fails_loudly_naming_it() -> None:
    """An httpx/httpcore upgrade that renames the attribute stops the client, rather than run without a deadline."""

    class RenamedPool:
        backend = None

    class UpgradedTransport(httpx.BaseTransport):
        _pool = RenamedPool()

    with pytest.raises(DeadlineInstallError, match="_network_backend"):
        install(UpgradedTransport())
    with pytest.raises(DeadlineInstallError, match="_pool"):
        install(httpx.MockTransport(lambda request: httpx.Response(200)))
    install(None)  # a NO_PROXY mount holds None: nothing to bound
