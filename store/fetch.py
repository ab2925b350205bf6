"""``papertray fetch``: which Daily Papers days to fetch, and fetching them one by one.

Each day is fetched in full (every page) and written in its own
all-or-nothing store write, so a day that fails leaves the store as it was
while the days before it stay imported.

Which days. The store remembers, under ``hf.fetched`` in its meta, each day it
fetched and on which day it did so. A day fetched *after* it ended is
complete: its list will not grow, and it is skipped unless ``refresh`` is
set (upvotes and comment counts do keep changing; that is what refresh is
for). A day fetched on the day itself may have grown, so it is fetched again.
Without an explicit choice, a fetch takes today and every earlier day since
the last fetch that is not complete, going back at most
:data:`MAX_DAYS_BACK` days.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from store.errors import StoreError
from store.hfclient import HFClient, NoListError
from store.importers.hfjson import drafts_from_api

if TYPE_CHECKING:
    from store.store import Store

FETCHED_KEY = "hf.fetched"
"""Store meta: ``{"YYYY-MM-DD": "YYYY-MM-DD"}``, day fetched -> day it was fetched on."""
MAX_DAYS_BACK = 14
"""How far back a plain ``papertray fetch`` catches up."""
MAX_DAYS_PER_RUN = 400
"""Larger ranges are refused: one request per day adds up."""

_WEEK_RE = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)
_MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")

Status = Literal["ok", "no-list", "skipped", "failed"]


class DaySelectionError(StoreError):
    """A day, week, month or range that cannot be fetched (bad form, future, too long)."""


# -- choosing days -----------------------------------------------------------


def parse_day(text: str) -> _dt.date:
    """``YYYY-MM-DD`` to a date; raises DaySelectionError with the reason."""
    try:
        return _dt.date.fromisoformat(text.strip())
    except ValueError:
        raise DaySelectionError(f"not a date: {text!r} (use YYYY-MM-DD)") from None


def week_days(text: str) -> list[_dt.date]:
    """The seven days (Monday first) of an ISO week such as ``2026-W47``."""
    match = _WEEK_RE.match(text.strip())
    if not match:
        raise DaySelectionError(f"not a week: {text!r} (use YYYY-Www, e.g. 2026-W47)")
    year, week = int(match.group(1)), int(match.group(2))
    try:
        monday = _dt.date.fromisocalendar(year, week, 1)
    except ValueError:
        raise DaySelectionError(f"not a week: {text!r} ({year} has no week {week})") from None
    return [monday + _dt.timedelta(days=i) for i in range(7)]


def month_days(text: str) -> list[_dt.date]:
    """Every day of a month such as ``2026-11``."""
    match = _MONTH_RE.match(text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise DaySelectionError(f"not a month: {text!r} (use YYYY-MM, e.g. 2026-11)")
    first = _dt.date(int(match.group(1)), int(match.group(2)), 1)
    following = (first.replace(day=28) + _dt.timedelta(days=4)).replace(day=1)
    return day_range(first, following - _dt.timedelta(days=1))


def day_range(start: _dt.date, end: _dt.date) -> list[_dt.date]:
    """``start`` to ``end`` inclusive; refuses a reversed or over-long range."""
    if end < start:
        raise DaySelectionError(f"--from {start} is after --to {end}")
    count = (end - start).days + 1
    if count > MAX_DAYS_PER_RUN:
        raise DaySelectionError(f"{count} days is too many for one run (at most {MAX_DAYS_PER_RUN})")
    return [start + _dt.timedelta(days=i) for i in range(count)]


def is_complete(day: str, fetched: Mapping[str, str]) -> bool:
    """True when ``day`` was fetched on a later day, so its list was final."""
    fetched_on = fetched.get(day)
    return isinstance(fetched_on, str) and fetched_on > day


def catch_up_days(today: _dt.date, fetched: Mapping[str, str], *, refresh: bool = False) -> list[_dt.date]:
    """Today plus every earlier day since the last fetch, at most MAX_DAYS_BACK back.

    Days before the first fetch ever made are not caught up (a new store
    starts with today); complete days are left out unless ``refresh``.
    """
    known = sorted(d for d in fetched if isinstance(d, str))
    if not known:
        return [today]
    earliest = today - _dt.timedelta(days=MAX_DAYS_BACK)
    try:
        first = max(_dt.date.fromisoformat(known[0]), earliest)
    except ValueError:
        first = earliest
    days = day_range(min(first, today), today)
    return [d for d in days if refresh or not is_complete(d.isoformat(), fetched)]


@dataclass(frozen=True)
class FetchPlan:
    """The days a run will fetch, and the requested days it leaves alone."""

    days: tuple[_dt.date, ...]
    skipped: tuple[_dt.date, ...] = ()
    """Complete days left out because ``refresh`` was not asked for."""


def choose_days(
    requested: Sequence[_dt.date] | None,
    *,
    today: _dt.date,
    fetched: Mapping[str, str],
    refresh: bool = False,
) -> FetchPlan:
    """Decide which days to fetch (pure: the record of fetched days is passed in).

    Args:
        requested: explicit days (``--date``, a range, a week, a month), or
            None for the default catch-up.
        today: the current day (injected so tests do not depend on the clock).
        fetched: the store's record of fetched days.
        refresh: fetch complete days again.

    Returns:
        The plan; days after ``today`` are dropped.

    Raises:
        DaySelectionError: every requested day is in the future.
    """
    if requested is None:
        return FetchPlan(days=tuple(catch_up_days(today, fetched, refresh=refresh)))
    days = sorted(set(requested))
    past = [d for d in days if d <= today]
    if days and not past:
        raise DaySelectionError(f"{days[0]} is in the future; nothing to fetch yet")
    skipped = tuple(d for d in past if not refresh and is_complete(d.isoformat(), fetched))
    return FetchPlan(days=tuple(d for d in past if d not in skipped), skipped=skipped)


# -- fetching ------------------------------------------------------------------


@dataclass(frozen=True)
class DayResult:
    """What happened to one day; :meth:`line` is what the user sees."""

    day: str
    status: Status
    total: int = 0
    new: int = 0
    message: str = ""

    @property
    def failed(self) -> bool:
        return self.status == "failed"

    def line(self) -> str:
        if self.status == "ok":
            return f"{self.day}: {self.total} papers ({self.new} new)"
        if self.status == "no-list":
            return f"{self.day}: no list for that day"
        if self.status == "skipped":
            return f"{self.day}: already fetched (--refresh fetches it again)"
        return f"{self.day}: failed: {self.message}"


def fetched_days(store: Store) -> dict[str, str]:
    """The store's record of fetched days (tolerates a damaged or foreign value)."""
    value = store.meta_get(FETCHED_KEY, {})
    if not isinstance(value, dict):
        return {}
    return {k: v for k, v in value.items() if isinstance(k, str) and isinstance(v, str)}


def fetch_day(store: Store, client: HFClient, day: _dt.date, *, today: _dt.date) -> DayResult:
    """Fetch one day and write it in one store write.

    Returns:
        The result; failures are reported in it, never raised (one day's
        failure must not stop the others).
    """
    iso = day.isoformat()
    try:
        entries = client.daily_papers(day)
        drafts = drafts_from_api(entries, source=client.day_url(day), day=iso)
        if drafts:
            report = store.add_drafts(drafts, source=client.day_url(day))
            result = DayResult(iso, "ok", total=report.total, new=report.new)
        else:
            result = DayResult(iso, "ok")
    except NoListError:
        result = DayResult(iso, "no-list")
    except StoreError as exc:
        return DayResult(iso, "failed", message=_reason(str(exc), client.day_url(day)))
    record = fetched_days(store)
    record[iso] = today.isoformat()
    store.meta_set(FETCHED_KEY, dict(sorted(record.items())))
    return result


def iter_fetch(
    store: Store,
    client: HFClient,
    plan: FetchPlan,
    *,
    today: _dt.date,
    on_start: Callable[[int, int, _dt.date], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Iterator[DayResult]:
    """Fetch the plan's days oldest first, yielding one result per day.

    Skipped days are yielded first. ``on_start(index, count, day)`` is called
    before each request so a caller can draw progress; ``cancelled()`` is
    checked before each day.
    """
    for day in plan.skipped:
        yield DayResult(day.isoformat(), "skipped")
    count = len(plan.days)
    for index, day in enumerate(plan.days):
        if cancelled is not None and cancelled():
            return
        if on_start is not None:
            on_start(index, count, day)
        yield fetch_day(store, client, day, today=today)


def plan_days(
    store: Store,
    requested: Sequence[_dt.date] | None = None,
    *,
    today: _dt.date | None = None,
    refresh: bool = False,
) -> FetchPlan:
    """Which days to fetch for this store (see :func:`choose_days`).

    Raises:
        DaySelectionError: every requested day is in the future.
    """
    return choose_days(requested, today=today or _dt.date.today(), fetched=fetched_days(store), refresh=refresh)


def fetch_days(
    store: Store,
    plan: FetchPlan,
    *,
    client: HFClient | None = None,
    today: _dt.date | None = None,
    on_day: Callable[[str, bool], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> list[DayResult]:
    """Fetch a plan in one call (the app's worker, scripts).

    Args:
        store: an open, writable store.
        plan: from :func:`plan_days`.
        client: the API client; by default one on :func:`store.hfclient.hf_base_url`.
        today: recorded as the fetch day (injected in tests).
        on_day: called as ``on_day(line, ok)`` after each day.
        cancelled: checked before each day; True stops the run (days done stay).

    Returns:
        One result per day, skipped days first.
    """
    own = client is None
    api = client or HFClient()
    results: list[DayResult] = []
    try:
        for result in iter_fetch(store, api, plan, today=today or _dt.date.today(), cancelled=cancelled):
            results.append(result)
            if on_day is not None:
                on_day(result.line(), not result.failed)
    finally:
        if own:
            api.close()
    return results


def _reason(message: str, url: str) -> str:
    """Drop the day's URL from an error (the line already names the day)."""
    prefix = f"{url}: "
    return message[len(prefix):] if message.startswith(prefix) else message
