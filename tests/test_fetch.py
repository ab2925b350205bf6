"""``papertray fetch`` against a real HTTP server on 127.0.0.1 (never the internet)."""

from __future__ import annotations

import argparse
import datetime as dt
import io
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from store.drafts import PaperDraft
from store.fetch import (
    FETCHED_KEY,
    MAX_DAYS_BACK,
    DaySelectionError,
    choose_days,
    fetch_days,
    month_days,
    plan_days,
    week_days,
)
from store.hfclient import HFClient
from store.model import Status
from store.net import HttpSettings
from store.store import Store
from tests.hf_server import LoopbackServer, Reply, closed_port_url, huge_reply, json_reply, load_hf_fixture, make_entry
from tui.cli import main
from tui.commands.fetch import run_fetch

D20, D21, D22 = dt.date(2026, 11, 20), dt.date(2026, 11, 21), dt.date(2026, 11, 22)
LATER = dt.date(2026, 11, 23)


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer() as srv:
        yield srv


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "store") as opened:
        yield opened


@pytest.fixture
def sleeps() -> list[float]:
    return []


def client_for(url: str, sleeps: list[float], **overrides: object) -> HFClient:
    settings = HttpSettings(timeout=2.0, retries=3, backoff=1.0, sleep=sleeps.append)
    for key, value in overrides.items():
        setattr(settings, key, value)
    return HFClient(url, settings=settings)


def fetch_one(store: Store, client: HFClient, day: dt.date, *, today: dt.date = LATER, refresh: bool = False):
    plan = plan_days(store, [day], today=today, refresh=refresh)
    results = fetch_days(store, plan, client=client, today=today)
    assert len(results) == 1
    return results[0]


def papers_file(store: Store) -> bytes | None:
    path = store.root / "papers.json"
    return path.read_bytes() if path.exists() else None


# -- success ---------------------------------------------------------------------


def test_single_day(server: LoopbackServer, store: Store, sleeps: list[float]) -> None:
    server.daily("2026-11-20", load_hf_fixture("day-2026-11-20.json"))
    with client_for(server.url, sleeps) as client:
        result = fetch_one(store, client, D20)
    assert result.line() == "2026-11-20: 4 papers (4 new)"
    paper = store.get("2611.01234")
    assert paper is not None
    assert paper.authors == ("Mira Okonkwo-Lind", "Tobias Vance", "Ren Hoshida")
    assert (paper.upvotes, paper.comments, paper.github_stars) == (42, 3, 128)
    assert paper.github == ("https://github.com/example-lab/sparse-lanterns",)
    assert paper.date == "2026-11-20" and paper.published == "2026-11-18"
    assert paper.keywords == ("sparse attention", "routing", "shadow maps")
    assert store.get("2611.02468").upvotes == 0  # type: ignore[union-attr]
    assert store.get("2611.03579").withdrawn is True  # type: ignore[union-attr]
    (request,) = server.requests_to("/api/daily_papers")
    assert request.query == {"date": "2026-11-20", "limit": "100"}
    assert request.headers["user-agent"].startswith("papertray/")
    assert store.meta_get(FETCHED_KEY) == {"2026-11-20": "2026-11-23"}


def test_control_characters_reach_the_store_intact(server: LoopbackServer, store: Store, sleeps: list[float]) -> None:
    server.daily("2026-11-20", load_hf_fixture("day-2026-11-20.json"))
    with client_for(server.url, sleeps) as client:
        fetch_one(store, client, D20)
    tricky = store.get("2611.04680")
    assert tricky is not None
    assert "\x1b]8;;https://evil.invalid/\x07" in tricky.title
    assert "\x1b[2J" in tricky.abstract


def test_paging_reads_until_a_short_page(server: LoopbackServer, store: Store, sleeps: list[float]) -> None:
    entries = [make_entry(f"2611.{10000 + i}", f"Generated Paper Number {i}", upvotes=i) for i in range(250)]
    server.daily("2026-11-20", entries)
    with client_for(server.url, sleeps) as client:
        result = fetch_one(store, client, D20)
    assert result.line() == "2026-11-20: 250 papers (250 new)"
    pages = [r.query.get("p", "0") for r in server.requests_to("/api/daily_papers")]
    assert pages == ["0", "1", "2"]
    assert store.get("2611.10249").upvotes == 249  # type: ignore[union-attr]


def test_exactly_full_last_page_ends_on_an_empty_page(server: LoopbackServer, store: Store, sleeps: list[float]) -> None:
    entries = [make_entry(f"2611.{20000 + i}", f"Full Page Paper {i}") for i in range(100)]
    server.daily("2026-11-20", entries)
    with client_for(server.url, sleeps) as client:
        assert fetch_one(store, client, D20).total == 100
    assert len(server.requests_to("/api/daily_papers")) == 2


def test_a_server_that_ignores_paging_does_not_loop(server: LoopbackServer, store: Store, sleeps: list[float]) -> None:
    same = [make_entry(f"2611.{30000 + i}", f"Same Page Paper {i}") for i in range(100)]
    server.route("/api/daily_papers", json_reply(same), date="2026-11-20")
    with client_for(server.url, sleeps) as client:
        assert fetch_one(store, client, D20).line() == "2026-11-20: 100 papers (100 new)"
    assert len(server.requests_to("/api/daily_papers")) == 2


def test_range_through_the_cli(server: LoopbackServer, tmp_path: Path, monkeypatch, capsys) -> None:
    server.daily("2026-11-20", load_hf_fixture("day-2026-11-20.json"))
    server.daily("2026-11-21", load_hf_fixture("day-2026-11-21.json"))
    monkeypatch.setenv("PAPERTRAY_HF_URL", server.url)
    code = main(["--store", str(tmp_path / "s"), "fetch", "--from", "2026-11-20", "--to", "2026-11-22"])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert out.out.splitlines() == [
        "2026-11-20: 4 papers (4 new)",
        "2026-11-21: 2 papers (2 new)",
        "2026-11-22: no list for that day",  # 404 from the server: not a failure
    ]
    assert "\r" not in out.err  # piped: no progress bar
    with Store.open(tmp_path / "s", readonly=True) as opened:
        assert len(opened.papers()) == 6
        assert opened.get("2611.05791").github == ("https://github.com/tiny-tutors/tt",)  # type: ignore[union-attr]


def test_progress_bar_on_a_terminal(server: LoopbackServer, tmp_path: Path, monkeypatch, capsys) -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    server.daily("2026-11-20", [make_entry("2611.00100", "Bar Paper One")])
    server.daily("2026-11-21", [make_entry("2611.00101", "Bar Paper Two")])
    monkeypatch.setenv("PAPERTRAY_HF_URL", server.url)
    fake_err = Tty()
    monkeypatch.setattr("sys.stderr", fake_err)
    args = argparse.Namespace(store=str(tmp_path / "s"), date=None, start=D20, end=D21, week=None, month=None, refresh=False, today=LATER)
    assert run_fetch(args) == 0
    drawn = fake_err.getvalue()
    assert "[" + "." * 24 + "] 0/2 2026-11-20" in drawn
    assert "] 1/2 2026-11-21" in drawn
    assert capsys.readouterr().out.splitlines() == ["2026-11-20: 1 papers (1 new)", "2026-11-21: 1 papers (1 new)"]


# -- merging ---------------------------------------------------------------------


def test_page_copy_paper_is_upgraded_in_place(server: LoopbackServer, store: Store, sleeps: list[float]) -> None:
    report = store.add_drafts(
        [PaperDraft(title="Quiet gradients \u2014 stable training without warmup", abstract="Pasted abstract.", date="2026-11-19")],
        source="page-2026-11-19.txt",
    )
    assert report.new == 1
    (pasted,) = store.papers()
    old_id = pasted.id
    assert old_id.startswith("t-")
    store.set_status([old_id], Status.STARRED)
    store.queue_add("to-read", [old_id])

    server.daily("2026-11-20", load_hf_fixture("day-2026-11-20.json"))
    with client_for(server.url, sleeps) as client:
        result = fetch_one(store, client, D20)
    assert result.line() == "2026-11-20: 4 papers (3 new)"

    upgraded = store.get(old_id)  # the old id keeps resolving
    assert upgraded is not None and upgraded.id == "2611.02468"
    assert old_id in upgraded.aliases
    assert upgraded.arxiv_id == "2611.02468" and upgraded.authors == ("Jun Park",)
    assert upgraded.upvotes == 0
    assert upgraded.date == "2026-11-19"  # its own (earlier) day is kept
    assert upgraded.abstract == "Pasted abstract."
    assert store.status("2611.02468") is Status.STARRED
    assert store.queue("to-read") == ["2611.02468"]
    assert len(store.papers()) == 4


def test_refetch_updates_volatile_fields_never_reading_state(server: LoopbackServer, store: Store, sleeps: list[float]) -> None:
    entries = load_hf_fixture("day-2026-11-20.json")
    server.daily("2026-11-20", entries)
    with client_for(server.url, sleeps) as client:
        fetch_one(store, client, D20, today=D20)  # fetched on the day itself
        store.set_status(["2611.01234"], Status.READ)

        later = load_hf_fixture("day-2026-11-20.json")
        later[0]["paper"].update(upvotes=99, githubStars=300)
        later[0]["numComments"] = 7
        server.daily("2026-11-20", later)

        # fetched on the day itself: not complete, so fetched again without --refresh
        assert fetch_one(store, client, D20, today=D21).line() == "2026-11-20: 4 papers (0 new)"
        paper = store.get("2611.01234")
        assert paper is not None and (paper.upvotes, paper.comments, paper.github_stars) == (99, 7, 300)
        assert store.status("2611.01234") is Status.READ

        # now complete: skipped unless --refresh
        later[0]["paper"]["upvotes"] = 150
        server.daily("2026-11-20", later)
        assert fetch_one(store, client, D20, today=LATER).line() == "2026-11-20: already fetched (--refresh fetches it again)"
        assert store.get("2611.01234").upvotes == 99  # type: ignore[union-attr]
        assert fetch_one(store, client, D20, today=LATER, refresh=True).status == "ok"
    assert store.get("2611.01234").upvotes == 150  # type: ignore[union-attr]
    assert store.status("2611.01234") is Status.READ


# -- choosing days -----------------------------------------------------------------------


def test_first_fetch_takes_today_only() -> None:
    assert choose_days(None, today=LATER, fetched={}).days == (LATER,)


def test_catch_up_since_the_last_fetch() -> None:
    fetched = {"2026-11-18": "2026-11-19", "2026-11-19": "2026-11-19"}  # 19 fetched on the day: may have grown
    assert choose_days(None, today=D22, fetched=fetched).days == (D20 - dt.timedelta(days=1), D20, D21, D22)
    assert choose_days(None, today=D22, fetched=fetched, refresh=True).days[0] == dt.date(2026, 11, 18)


def test_catch_up_fills_a_failed_day_in_between() -> None:
    fetched = {"2026-11-19": "2026-11-20", "2026-11-21": "2026-11-22"}  # 20 failed last time
    assert choose_days(None, today=D22, fetched=fetched).days == (D20, D22)


def test_catch_up_goes_at_most_14_days_back() -> None:
    plan = choose_days(None, today=LATER, fetched={"2026-01-01": "2026-01-01"})
    assert plan.days[0] == LATER - dt.timedelta(days=MAX_DAYS_BACK)
    assert plan.days[-1] == LATER and len(plan.days) == MAX_DAYS_BACK + 1


def test_week_month_and_future() -> None:
    assert week_days("2026-W47") == [dt.date(2026, 11, 16) + dt.timedelta(days=i) for i in range(7)]
    assert len(month_days("2026-02")) == 28 and month_days("2024-02")[-1] == dt.date(2024, 2, 29)
    plan = choose_days(week_days("2026-W48"), today=LATER, fetched={})
    assert plan.days == (LATER,)  # the rest of the week has not happened yet
    with pytest.raises(DaySelectionError, match="in the future"):
        choose_days([dt.date(2026, 12, 1)], today=LATER, fetched={})
    for bad in ("2026-47", "2026-W54", "W47"):
        with pytest.raises(DaySelectionError):
            week_days(bad)
    with pytest.raises(DaySelectionError):
        month_days("2026-13")


def test_usage_errors_exit_2(tmp_path: Path, capsys) -> None:
    store_arg = ["--store", str(tmp_path / "s")]
    assert main([*store_arg, "fetch", "--to", "2026-11-20"]) == 2
    assert "--to needs --from" in capsys.readouterr().err
    assert main([*store_arg, "fetch", "--week", "2026-W99"]) == 2
    assert main([*store_arg, "fetch", "--from", "2026-11-21", "--to", "2026-11-20"]) == 2
    assert main([*store_arg, "fetch", "--date", "2099-01-01"]) == 2
    with pytest.raises(SystemExit) as exit_info:
        main([*store_arg, "fetch", "--date", "20-11-2026"])
    assert exit_info.value.code == 2
    with pytest.raises(SystemExit):
        main([*store_arg, "fetch", "--date", "2026-11-20", "--week", "2026-W47"])


def test_help_is_complete(capsys) -> None:
    for command, words in (("fetch", ["--date", "--from", "--to", "--week", "--month", "--refresh", "PAPERTRAY_HF_URL"]),
                           ("resolve", ["QUERY", "--retry", "95", "PAPERTRAY_ARXIV_URL"])):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        text = " ".join(capsys.readouterr().out.split())
        for word in words:
            assert word in text, (command, word)


# -- failures: one clear line, the store as it was --------------------------------


def failing_fetch(store: Store, client: HFClient):
    before = papers_file(store)
    meta_before = store.meta_get(FETCHED_KEY)
    result = fetch_one(store, client, D21)
    assert result.failed, result
    assert papers_file(store) == before
    assert store.meta_get(FETCHED_KEY) == meta_before
    line = result.line()
    assert "\n" not in line and line.startswith("2026-11-21: failed: ")
    return line


@pytest.fixture
def seeded(server: LoopbackServer, store: Store, sleeps: list[float]) -> Store:
    """A store holding one fetched day, so "unchanged" is checked against real content."""
    server.daily("2026-11-20", load_hf_fixture("day-2026-11-20.json"))
    with client_for(server.url, sleeps) as client:
        fetch_one(store, client, D20)
    return store


def test_no_network(seeded: Store, sleeps: list[float]) -> None:
    url = closed_port_url()
    with client_for(url, sleeps) as client:
        line = failing_fetch(seeded, client)
    assert line == f"2026-11-21: failed: cannot reach {url[7:]}: connection refused (offline?)"
    assert sleeps == []  # offline: fail at once, no backoff


def test_dns_failure(seeded: Store, sleeps: list[float]) -> None:
    def no_dns(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno -3] Temporary failure in name resolution", request=request)

    settings = HttpSettings(sleep=sleeps.append)
    with HFClient("https://huggingface.invalid", settings=settings, transport=httpx.MockTransport(no_dns)) as client:
        line = failing_fetch(seeded, client)
    assert line == "2026-11-21: failed: cannot reach huggingface.invalid: name lookup failed (offline?)"


def test_timeout(server: LoopbackServer, seeded: Store, sleeps: list[float]) -> None:
    server.route("/api/daily_papers", Reply(body=b"[]", delay=5.0), date="2026-11-21")
    started = time.monotonic()
    with client_for(server.url, sleeps, timeout=0.3) as client:
        line = failing_fetch(seeded, client)
    assert time.monotonic() - started < 3
    assert line == f"2026-11-21: failed: {server.url[7:]} did not answer within 0.3 s (timeout)"


def test_429_with_retry_after_then_success(server: LoopbackServer, store: Store, sleeps: list[float]) -> None:
    server.route(
        "/api/daily_papers",
        json_reply({"error": "slow down"}, status=429, headers={"Retry-After": "7"}),
        json_reply(load_hf_fixture("day-2026-11-21.json")),
        date="2026-11-21",
    )
    with client_for(server.url, sleeps) as client:
        result = fetch_one(store, client, D21)
    assert result.line() == "2026-11-21: 2 papers (2 new)"
    assert sleeps == [7.0]  # the server's wish, not our backoff
    assert len(server.requests_to("/api/daily_papers")) == 2


def test_429_asking_for_too_long_a_wait(server: LoopbackServer, seeded: Store, sleeps: list[float]) -> None:
    server.route("/api/daily_papers", Reply(status=429, headers={"Retry-After": "3600"}), date="2026-11-21")
    with client_for(server.url, sleeps) as client:
        line = failing_fetch(seeded, client)
    assert line.endswith("asks us to wait 3600 s (HTTP 429 (Too Many Requests)); try again later")
    assert sleeps == []


def test_5xx_retried_with_backoff_then_given_up(server: LoopbackServer, seeded: Store, sleeps: list[float]) -> None:
    server.route("/api/daily_papers", Reply(status=503, body=b"down"), date="2026-11-21")
    with client_for(server.url, sleeps) as client:
        line = failing_fetch(seeded, client)
    assert sleeps == [1.0, 2.0, 4.0]
    assert len(server.requests_to("/api/daily_papers")) - 1 == 4  # one for the seeded day
    assert line.endswith("failed 4 times, last with HTTP 503 (Service Unavailable); try again later")


def test_5xx_then_success(server: LoopbackServer, store: Store, sleeps: list[float]) -> None:
    server.route("/api/daily_papers", Reply(status=502), json_reply([make_entry("2611.00200", "After A Blip")]), date="2026-11-21")
    with client_for(server.url, sleeps) as client:
        assert fetch_one(store, client, D21).line() == "2026-11-21: 1 papers (1 new)"
    assert sleeps == [1.0]


def test_404_is_no_list_not_a_failure(server: LoopbackServer, seeded: Store, sleeps: list[float]) -> None:
    before = papers_file(seeded)
    with client_for(server.url, sleeps) as client:
        result = fetch_one(seeded, client, D21)
    assert not result.failed and result.line() == "2026-11-21: no list for that day"
    assert papers_file(seeded) == before
    assert seeded.meta_get(FETCHED_KEY)["2026-11-21"] == "2026-11-23"  # a final answer: not asked again


def test_malformed_json(server: LoopbackServer, seeded: Store, sleeps: list[float]) -> None:
    server.route("/api/daily_papers", Reply(body=b'[{"paper": {"title": "cut'), date="2026-11-21")
    with client_for(server.url, sleeps) as client:
        line = failing_fetch(seeded, client)
    assert "malformed JSON: " in line and "line 1" in line


def test_not_a_papers_list(server: LoopbackServer, seeded: Store, sleeps: list[float]) -> None:
    server.route("/api/daily_papers", json_reply({"error": "Invalid date"}), date="2026-11-21")
    with client_for(server.url, sleeps) as client:
        line = failing_fetch(seeded, client)
    assert line.endswith("not a Daily Papers API response")


def test_a_failing_second_page_writes_nothing_for_that_day(server: LoopbackServer, seeded: Store, sleeps: list[float]) -> None:
    first = [make_entry(f"2611.{40000 + i}", f"Page One Paper {i}") for i in range(100)]
    server.route("/api/daily_papers", json_reply(first), date="2026-11-21")
    server.route("/api/daily_papers", Reply(status=500), date="2026-11-21", p="1")  # later routes win
    with client_for(server.url, sleeps) as client:
        line = failing_fetch(seeded, client)
    assert "HTTP 500" in line


@pytest.mark.parametrize("declared", [False, True], ids=["streamed", "content-length"])
def test_50_mb_body_is_refused(server: LoopbackServer, seeded: Store, sleeps: list[float], declared: bool) -> None:
    reply = huge_reply(50)
    if declared:
        reply.headers = {"Content-Length": str(50 * 1024 * 1024)}
    server.route("/api/daily_papers", reply, date="2026-11-21")
    started = time.monotonic()
    with client_for(server.url, sleeps) as client:
        line = failing_fetch(seeded, client)
    assert line == f"2026-11-21: failed: {server.url[7:]} sent more than 20 MB; answer refused"
    assert time.monotonic() - started < 10


def test_days_that_succeeded_are_kept_and_exit_is_1(server: LoopbackServer, tmp_path: Path, monkeypatch, capsys) -> None:
    server.daily("2026-11-20", load_hf_fixture("day-2026-11-20.json"))
    server.route("/api/daily_papers", Reply(body=b"{not json"), date="2026-11-21")
    monkeypatch.setenv("PAPERTRAY_HF_URL", server.url)
    code = main(["--store", str(tmp_path / "s"), "fetch", "--from", "2026-11-20", "--to", "2026-11-21"])
    out = capsys.readouterr()
    assert code == 1
    assert out.out.splitlines() == ["2026-11-20: 4 papers (4 new)"]
    (error_line,) = out.err.splitlines()
    assert error_line.startswith("papertray: 2026-11-21: failed: malformed JSON")
    with Store.open(tmp_path / "s", readonly=True) as opened:
        assert len(opened.papers()) == 4
        assert set(opened.meta_get(FETCHED_KEY)) == {"2026-11-20"}


def test_cli_offline_is_one_line_and_exit_1(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("PAPERTRAY_HF_URL", closed_port_url())
    code = main(["--store", str(tmp_path / "s"), "fetch", "--date", "2026-11-20"])
    out = capsys.readouterr()
    assert code == 1
    assert out.out == ""
    assert len(out.err.splitlines()) == 1 and "connection refused (offline?)" in out.err
