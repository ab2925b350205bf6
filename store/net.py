"""HTTP for papertray's two web sources (Hugging Face, arXiv): one careful GET.

Everything that can go wrong on a network is turned into a
:class:`NetworkError` whose message is one line a user can act on. Bodies are
streamed and cut off at a size limit, so a hostile or broken server cannot
fill memory; 429 and 5xx answers are retried a bounded number of times with
backoff, honouring ``Retry-After`` when it is reasonable.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import errno
import http
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

from store.deadline import deadline, install
from store.errors import StoreError

try:  # the installed version, when the project is installed
    from importlib.metadata import PackageNotFoundError, version

    _VERSION = version("papertray")
except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
    _VERSION = "dev"

USER_AGENT = f"papertray/{_VERSION} (terminal reader for ML papers; python-httpx)"
"""Sent with every request, so the services can tell who is calling."""

MAX_BYTES = 20 * 1024 * 1024
"""Largest response body accepted (after decompression): 20 MB."""

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})

Sleep = Callable[[float], None]


class NetworkError(StoreError):
    """A request failed: offline, refused, timed out, or the server said no."""


class NotFoundError(NetworkError):
    """HTTP 404: the server has nothing at that address (for HF: no list that day)."""


class ResponseTooLargeError(NetworkError):
    """The body went over the size limit; it was dropped unread."""


@dataclass
class HttpSettings:
    """How patient and how trusting a client is; tests shrink every number.

    Attributes:
        timeout: seconds for connecting and for each read.
        total_timeout: seconds for a whole request (connect, headers and
            body), so a server that drips one byte or one header line a
            second cannot hold a run forever.
        max_bytes: largest body accepted.
        retries: extra tries after a 429 / 5xx / dropped connection.
        backoff: first pause between tries, doubled each time.
        max_wait: longest pause we accept (from backoff or ``Retry-After``);
            a server asking for more gets a "try again later" error instead.
        sleep: the pause function (tests pass a fake that only records).
    """

    timeout: float = 20.0
    total_timeout: float = 120.0
    max_bytes: int = MAX_BYTES
    retries: int = 3
    backoff: float = 2.0
    max_wait: float = 120.0
    min_wait: float = 0.0
    """Shortest pause between tries, whatever ``Retry-After`` says (arXiv wants 3 s)."""
    sleep: Sleep = field(default=time.sleep)


_LOOKUP_FAILURES = (
    "name or service not known",
    "nodename nor servname",
    "name resolution",
    "getaddrinfo",
    "no address associated",
)
"""How the platforms' resolvers word "no such host"."""


def host_of(url: str) -> str:
    """``host[:port]`` of a URL, for messages."""
    return urlsplit(url).netloc or url


def parse_retry_after(value: str | None, *, now: dt.datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date).

    Returns:
        The delay in seconds (never negative), or None when absent or unreadable.
    """
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    current = now or dt.datetime.now(dt.timezone.utc)
    return max(0.0, (when - current).total_seconds())


def _status_text(status: int) -> str:
    try:
        return f"HTTP {status} ({http.HTTPStatus(status).phrase})"
    except ValueError:
        return f"HTTP {status}"


def _connect_reason(exc: Exception) -> str:
    """Short words for why a connection failed (the OS's own text is long and varies)."""
    text = str(exc)
    lowered = text.lower()
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, OSError) and cause.errno == errno.ECONNREFUSED:
            return "connection refused"
        cause = cause.__cause__ or cause.__context__
    if "refused" in lowered:
        return "connection refused"
    if any(s in lowered for s in _LOOKUP_FAILURES):
        return "name lookup failed"
    if "unreachable" in lowered:
        return "network unreachable"
    return text.splitlines()[0] if text else type(exc).__name__


class HttpClient:
    """A small wrapper over ``httpx.Client`` that does one GET well.

    Args:
        settings: limits and retry policy.
        transport: an httpx transport (tests may pass a mock; the default is
            the real network).
    """

    def __init__(self, settings: HttpSettings | None = None, *, transport: httpx.BaseTransport | None = None) -> None:
        self.settings = settings or HttpSettings()
        timeout = httpx.Timeout(self.settings.timeout)
        self._client = httpx.Client(
            timeout=timeout,
            headers={"User-Agent": USER_AGENT},
            follow_redirects=True,
            transport=transport if transport is not None else httpx.HTTPTransport(),
            trust_env=True,
        )
        if transport is None:  # the real network (and any proxy from the environment): bound it
            for mounted in [self._client._transport, *self._client._mounts.values()]:
                install(mounted)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(
        self, url: str, params: Mapping[str, str | int] | None = None, *, accept: str = "application/json"
    ) -> bytes:
        """GET ``url`` and return the body, retrying what is worth retrying.

        Args:
            url: absolute URL.
            params: query parameters.
            accept: the Accept header.

        Returns:
            The (decompressed) body.

        Raises:
            NotFoundError: HTTP 404.
            ResponseTooLargeError: the body is over ``max_bytes``.
            NetworkError: anything else: offline, refused, timeout, 4xx, or
                429/5xx still failing after the retries.
        """
        settings = self.settings
        host = host_of(url)
        attempt = 0
        while True:
            attempt += 1
            try:
                return self._get_once(url, params, accept)
            except _Retryable as retry:
                if attempt > settings.retries:
                    raise NetworkError(retry.final_message(attempt)) from None
                wait = retry.retry_after
                if wait is None:
                    wait = settings.backoff * (2 ** (attempt - 1))
                elif wait > settings.max_wait:
                    raise NetworkError(f"{host} asks us to wait {wait:.0f} s ({retry.what}); try again later") from None
                settings.sleep(max(settings.min_wait, min(wait, settings.max_wait)))

    def _get_once(self, url: str, params: Mapping[str, str | int] | None, accept: str) -> bytes:
        settings = self.settings
        host = host_of(url)
        started = time.monotonic()
        try:
            with (
                deadline(settings.total_timeout),
                self._client.stream("GET", url, params=params, headers={"Accept": accept}) as response,
            ):
                status = response.status_code
                if status == 404:
                    raise NotFoundError(f"{host}: nothing at {response.url.path} (HTTP 404)")
                if status in RETRY_STATUSES:
                    raise _Retryable(host, _status_text(status), parse_retry_after(response.headers.get("Retry-After")))
                if status >= 400:
                    raise NetworkError(f"{host} refused the request: {_status_text(status)}")
                if status >= 300:
                    raise NetworkError(f"{host} answered {_status_text(status)} without a usable redirect")
                declared = response.headers.get("Content-Length", "")
                if declared.isdigit() and int(declared) > settings.max_bytes:
                    raise ResponseTooLargeError(_too_large(host, settings.max_bytes))
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > settings.max_bytes:
                        raise ResponseTooLargeError(_too_large(host, settings.max_bytes))
                    if time.monotonic() - started > settings.total_timeout:
                        raise NetworkError(f"{host} did not finish its answer within {settings.total_timeout:g} s")
                    chunks.append(chunk)
                return b"".join(chunks)
        except httpx.TimeoutException:
            if time.monotonic() - started >= settings.total_timeout:
                raise NetworkError(f"{host} did not finish its answer within {settings.total_timeout:g} s") from None
            raise NetworkError(f"{host} did not answer within {settings.timeout:g} s (timeout)") from None
        except httpx.ConnectError as exc:
            raise NetworkError(f"cannot reach {host}: {_connect_reason(exc)} (offline?)") from None
        except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
            raise _Retryable(host, f"connection dropped ({_connect_reason(exc)})", None) from None
        except httpx.DecodingError:
            raise NetworkError(f"{host} sent a body that does not decode (bad compression)") from None
        except httpx.InvalidURL as exc:
            raise NetworkError(f"bad address {url!r}: {exc}") from None
        except httpx.HTTPError as exc:
            raise NetworkError(f"{host}: {type(exc).__name__}: {_connect_reason(exc)}") from None


def _too_large(host: str, limit: int) -> str:
    return f"{host} sent more than {limit // (1024 * 1024)} MB; answer refused"


class _Retryable(Exception):
    """Internal: this try failed in a way another try may fix."""

    def __init__(self, host: str, what: str, retry_after: float | None) -> None:
        super().__init__(what)
        self.host = host
        self.what = what
        self.retry_after = retry_after

    def final_message(self, tries: int) -> str:
        if self.what.startswith("HTTP 429"):
            return f"{self.host} is rate limiting us (HTTP 429) after {tries} tries; try again later"
        return f"{self.host} failed {tries} times, last with {self.what}; try again later"
