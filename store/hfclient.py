"""Client for the Hugging Face Daily Papers API: one day's list, every page of it.

``GET {base}/api/daily_papers?date=YYYY-MM-DD&p=N&limit=100`` returns one page
of a day's list; pages are read until one comes back short. The base URL is
``https://huggingface.co`` unless the caller or ``PAPERTRAY_HF_URL`` says
otherwise (tests point it at a server on 127.0.0.1). Nothing but the date and
paging parameters is sent, with a User-Agent naming papertray.
"""

from __future__ import annotations

import datetime as _dt
import os

import httpx

from store.errors import InputError
from store.importers.hfjson import NOT_A_RESPONSE, load_json, looks_like_api_response
from store.net import HttpClient, HttpSettings, NetworkError, NotFoundError

DEFAULT_HF_URL = "https://huggingface.co"
ENV_HF_URL = "PAPERTRAY_HF_URL"
DAILY_PAPERS_PATH = "/api/daily_papers"
PAGE_SIZE = 100
"""The API's largest page."""
MAX_PAGES = 20
"""A day has well under 2,000 papers; more pages means the server ignores ``p``."""


class NoListError(NotFoundError):
    """HTTP 404 for a day: Hugging Face has no list for it (not a failure)."""


def hf_base_url(base_url: str | None = None) -> str:
    """The API base: the argument, else ``PAPERTRAY_HF_URL``, else huggingface.co."""
    url = base_url or os.environ.get(ENV_HF_URL) or DEFAULT_HF_URL
    return url.rstrip("/")


class HFClient:
    """Fetches Daily Papers lists.

    Args:
        base_url: API base; see :func:`hf_base_url`.
        settings: timeouts, size limit, retries (tests shrink them and pass a
            recording ``sleep``).
        transport: an httpx transport, for tests that do not want a server.
    """

    def __init__(
        self,
        base_url: str | None = None,
        *,
        settings: HttpSettings | None = None,
        transport: httpx.BaseTransport | None = None,
        page_size: int = PAGE_SIZE,
    ) -> None:
        self.base_url = hf_base_url(base_url)
        self.http = HttpClient(settings, transport=transport)
        self.page_size = page_size

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> HFClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def day_url(self, day: _dt.date | str) -> str:
        """The URL of a day's list, as recorded in the papers' ``sources``."""
        return f"{self.base_url}{DAILY_PAPERS_PATH}?date={_iso(day)}"

    def daily_papers(self, day: _dt.date | str) -> list[object]:
        """Every entry of one day's list, all pages joined.

        Returns:
            The raw entries (decoded JSON), in the API's order, without
            repeats when pages overlap.

        Raises:
            NoListError: HTTP 404 for that day.
            InputError: a page is not JSON or not a papers list.
            NetworkError: the request failed (offline, timeout, 5xx...).
        """
        iso = _iso(day)
        url = f"{self.base_url}{DAILY_PAPERS_PATH}"
        source = self.day_url(iso)
        entries: list[object] = []
        seen: set[str] = set()
        for page in range(MAX_PAGES):
            params: dict[str, str | int] = {"date": iso, "limit": self.page_size}
            if page:
                params["p"] = page
            try:
                body = self.http.get(url, params)
            except NotFoundError:
                if page == 0:
                    raise NoListError(f"no list for {iso} (HTTP 404)") from None
                break  # a page past the end: the list simply ended
            data = load_json(body, source=source)
            if not looks_like_api_response(data):
                raise InputError(source, NOT_A_RESPONSE)
            assert isinstance(data, list)
            fresh = 0
            for entry in data:
                key = _entry_key(entry)
                if key is not None and key in seen:
                    continue
                if key is not None:
                    seen.add(key)
                entries.append(entry)
                fresh += 1
            if len(data) < self.page_size or fresh == 0:
                break
        else:
            raise NetworkError(f"{source}: more than {MAX_PAGES} pages; the server seems to ignore paging")
        return entries


def _entry_key(entry: object) -> str | None:
    """An id to spot the same entry on two pages (paper id, else title)."""
    if not isinstance(entry, dict):
        return None
    paper = entry.get("paper")
    record = paper if isinstance(paper, dict) else entry
    for key in ("id", "title"):
        value = record.get(key)
        if isinstance(value, str) and value:
            return f"{key}:{value}"
    return None


def _iso(day: _dt.date | str) -> str:
    return day.isoformat() if isinstance(day, _dt.date) else _dt.date.fromisoformat(day).isoformat()
