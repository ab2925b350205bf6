"""A real HTTP server on 127.0.0.1 standing in for Hugging Face and arXiv in tests.

Not a test module: tests import :class:`LoopbackServer` and wrap it in a
fixture. It is a ``ThreadingHTTPServer`` on port 0 in a daemon thread, so requests go through
the real network stack, real httpx, real timeouts.

Scripting. Replies are queued per route (a path plus the query parameters it
must carry); each request takes the next reply, and the last one repeats.
A reply can be a status with a JSON or text body, headers (``Retry-After``),
a delay before the headers (timeouts), a body generated on the fly (50 MB
without holding it in memory), or a function of the request's query.

Two ready-made behaviours:

* :meth:`LoopbackServer.daily` serves a day's Daily Papers list with real
  paging (``p``, ``limit``), like ``/api/daily_papers``;
* :meth:`LoopbackServer.arxiv` serves ``/api/query`` from a small invented
  arXiv: ``ti:"..."`` phrase search and ``id_list`` lookups, as Atom XML.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape, quoteattr

from store.ids import normalise_title

FIXTURES = Path(__file__).parent / "fixtures"
HF_FIXTURES = FIXTURES / "hf"

Query = dict[str, str]
Body = bytes | str | Callable[[Query], bytes | str] | None


@dataclass
class Reply:
    """One scripted answer."""

    status: int = 200
    body: Body = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    content_type: str = "application/json"
    delay: float = 0.0
    """Seconds to wait before answering (to trigger client timeouts)."""
    stream: Callable[[], Iterable[bytes]] | None = None
    """A body produced chunk by chunk, sent without Content-Length."""


def json_reply(data: object, status: int = 200, **kwargs: Any) -> Reply:
    return Reply(status=status, body=json.dumps(data).encode("utf-8"), **kwargs)


def huge_reply(megabytes: int, *, chunk: int = 1 << 20) -> Reply:
    """A body of ``megabytes`` MB that looks like the start of a JSON list, generated as sent."""

    def chunks() -> Iterator[bytes]:
        yield b"["
        filler = b'{"paper": {"title": "x"}},' * (chunk // 26)
        for _ in range(megabytes):
            yield filler

    return Reply(stream=chunks)


@dataclass
class Seen:
    """One request the server received."""

    path: str
    query: Query
    headers: dict[str, str]
    note: object = None
    """Whatever ``LoopbackServer.on_request`` returned (e.g. a fake clock's time)."""


@dataclass
class _Route:
    path: str
    params: Query
    replies: list[Reply]
    used: int = 0

    def matches(self, path: str, query: Query) -> bool:
        return path == self.path and all(query.get(k) == v for k, v in self.params.items())

    def next(self) -> Reply:
        reply = self.replies[min(self.used, len(self.replies) - 1)]
        self.used += 1
        return reply


class LoopbackServer:
    """The server; use as a context manager (or call :meth:`start`/:meth:`stop`)."""

    def __init__(self) -> None:
        self._routes: list[_Route] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self.seen: list[Seen] = []
        self.on_request: Callable[[Seen], object] | None = None
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def do_GET(self) -> None:
                owner._handle(self)

            def log_message(self, format: str, *args: object) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, name="loopback-http", daemon=True
        )

    # -- lifecycle ---------------------------------------------------------------
    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> LoopbackServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> LoopbackServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- scripting -----------------------------------------------------------------
    def route(self, path: str, *replies: Reply, **params: str) -> None:
        """Answer GET ``path`` carrying ``params`` with ``replies`` in turn (last repeats).

        Later routes win over earlier ones, so a test can override a default.
        """
        with self._lock:
            self._routes.insert(0, _Route(path, dict(params), list(replies) or [Reply()]))

    def daily(self, day: str, entries: Sequence[object], *, status: int = 200) -> None:
        """Serve ``entries`` as the Daily Papers list of ``day``, paged by ``p``/``limit``."""

        def page(query: Query) -> bytes:
            limit = int(query.get("limit", "50"))
            start = int(query.get("p", "0")) * limit
            return json.dumps(list(entries[start : start + limit])).encode("utf-8")

        self.route("/api/daily_papers", Reply(status=status, body=page), date=day)

    def arxiv(self, papers: Sequence[AtomPaper]) -> None:
        """Serve ``/api/query`` from ``papers``: ``ti:"phrase"`` search and ``id_list``."""

        def answer(query: Query) -> bytes:
            if "id_list" in query:
                wanted = [i for i in query["id_list"].split(",") if i]
                found = [p for i in wanted for p in papers if p.arxiv_id == i]
            else:
                phrase = query.get("search_query", "")
                if phrase.startswith("ti:"):
                    phrase = phrase[3:]
                words = normalise_title(phrase.strip('"'))
                found = [p for p in papers if words and words in normalise_title(p.title)]
            limit = int(query.get("max_results", "10"))
            return atom_feed(found[:limit]).encode("utf-8")

        self.route("/api/query", Reply(body=answer, content_type="application/atom+xml"))

    def requests_to(self, path: str) -> list[Seen]:
        return [s for s in self.seen if s.path == path]

    # -- serving -------------------------------------------------------------------
    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        seen = Seen(parts.path, query, {k.lower(): v for k, v in handler.headers.items()})
        if self.on_request is not None:
            seen.note = self.on_request(seen)
        with self._lock:
            self.seen.append(seen)
            route = next((r for r in self._routes if r.matches(parts.path, query)), None)
            reply = route.next() if route else json_reply({"error": "Not Found"}, status=404)
        if reply.delay and self._stopping.wait(reply.delay):
            return
        try:
            handler.send_response(reply.status)
            handler.send_header("Content-Type", reply.content_type)
            for key, value in reply.headers.items():
                handler.send_header(key, value)
            if reply.stream is not None:
                handler.end_headers()
                for chunk in reply.stream():
                    if self._stopping.is_set():
                        return
                    handler.wfile.write(chunk)
                return
            body = reply.body(query) if callable(reply.body) else reply.body
            data = body.encode("utf-8") if isinstance(body, str) else (body or b"")
            handler.send_header("Content-Length", str(len(data)))
            handler.end_headers()
            handler.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            return  # the client hung up (size limit, timeout): expected


def closed_port_url() -> str:
    """A loopback URL nobody listens on (bound, then released)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


# -- fixtures --------------------------------------------------------------------


def load_hf_fixture(name: str) -> Any:
    """A JSON fixture from ``tests/fixtures/hf`` (invented papers, written for papertray)."""
    return json.loads((HF_FIXTURES / name).read_text(encoding="utf-8"))


def make_entry(
    arxiv_id: str,
    title: str,
    *,
    day: str = "2026-11-20",
    upvotes: int = 1,
    comments: int = 0,
    authors: Sequence[str] = ("Ada Example",),
    summary: str = "An invented abstract for a test paper that does not exist.",
    **paper_fields: object,
) -> dict[str, Any]:
    """One Daily Papers entry in the API's shape, for generated lists."""
    paper: dict[str, Any] = {
        "id": arxiv_id,
        "title": title,
        "summary": summary,
        "authors": [{"_id": f"a{i}", "name": name, "hidden": False} for i, name in enumerate(authors)],
        "publishedAt": f"{day}T08:00:00.000Z",
        "upvotes": upvotes,
        "discussionId": f"d-{arxiv_id}",
    }
    paper.update(paper_fields)
    return {
        "paper": paper,
        "publishedAt": f"{day}T09:30:00.000Z",
        "title": title,
        "summary": summary,
        "numComments": comments,
        "thumbnail": f"https://example.invalid/{arxiv_id}.png",
        "isAuthorParticipating": False,
    }


@dataclass(frozen=True)
class AtomPaper:
    """An invented arXiv paper for the fake ``/api/query``."""

    arxiv_id: str
    title: str
    authors: tuple[str, ...] = ("Ada Example",)
    published: str = "2026-11-18T17:59:59Z"
    primary_class: str = "cs.LG"
    summary: str = "An invented abstract."
    version: int = 1


def atom_feed(papers: Iterable[AtomPaper]) -> str:
    """An Atom document shaped like arXiv's answers."""
    entries = []
    for p in papers:
        authors = "".join(f"<author><name>{escape(a)}</name></author>" for a in p.authors)
        entries.append(
            "<entry>"
            f"<id>http://arxiv.org/abs/{p.arxiv_id}v{p.version}</id>"
            f"<updated>{p.published}</updated><published>{p.published}</published>"
            f"<title>{escape(p.title)}</title><summary>  {escape(p.summary)}\n</summary>"
            f"{authors}"
            f'<link href="http://arxiv.org/abs/{p.arxiv_id}v{p.version}" rel="alternate" type="text/html"/>'
            f"<arxiv:primary_category term={quoteattr(p.primary_class)} scheme=\"http://arxiv.org/schemas/atom\"/>"
            f"<category term={quoteattr(p.primary_class)} scheme=\"http://arxiv.org/schemas/atom\"/>"
            "</entry>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" '
        'xmlns:arxiv="http://arxiv.org/schemas/atom">'
        '<title type="html">ArXiv Query</title><id>http://arxiv.org/api/test</id>'
        f"<opensearch:totalResults>{len(entries)}</opensearch:totalResults>"
        + "".join(entries)
        + "</feed>"
    )
