"""``papertray resolve``: arXiv title search and id batches against a loopback arXiv."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from store.arxiv import (
    CHECKED_KEY,
    ID_BATCH,
    MATCH_THRESHOLD,
    ArxivClient,
    ArxivError,
    parse_atom,
    plan_resolve,
    resolve,
    title_query,
    title_score,
)
from store.drafts import PaperDraft
from store.errors import InputError
from store.model import Status
from store.net import HttpSettings, NetworkError
from store.store import Store
from tests.hf_server import FIXTURES, AtomPaper, LoopbackServer, Reply, atom_feed, closed_port_url
from tui.cli import main

QUIET = AtomPaper(
    "2611.02468",
    "Quiet Gradients: Stable Training\n  Without Warmup",
    authors=("Jun Park", "Hana Sato"),
    published="2026-11-19T11:00:00Z",
    primary_class="cs.LG",
    summary="An invented study of optimiser warmup.",
    version=2,
)
LANTERNS = AtomPaper("2611.01234", "Scaling Laws for Sparse Lanterns: A Survey", authors=("Mira Okonkwo-Lind",), primary_class="cs.CL")
TUTORS = AtomPaper(
    "2611.05791", "Tiny Tutors: Distilling Step-by-Step Feedback", authors=("Sofia Marques", "Ikaika Kealoha"), primary_class="cs.AI"
)
MAPS = AtomPaper(
    "2611.06802", "Cartographers of Latent Space", authors=("Pia Lund",), primary_class="cs.CV", published="2026-11-20T12:00:00Z"
)


class FakeClock:
    """Time that passes only when someone sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer() as srv:
        srv.arxiv([QUIET, LANTERNS, TUTORS, MAPS])
        yield srv


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "store") as opened:
        yield opened


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def client_for(url: str, clock: FakeClock, *, retries: int = 2) -> ArxivClient:
    return ArxivClient(url, settings=HttpSettings(timeout=2.0, retries=retries), clock=clock, sleep=clock.sleep)


def paste(store: Store, *titles: str) -> list[str]:
    """Page-copy papers (title and abstract only); returns their title ids in order."""
    store.add_drafts([PaperDraft(title=t, abstract=f"Pasted abstract of {t}.", date="2026-11-20") for t in titles], source="page.txt")
    by_title = {p.title: p.id for p in store.papers()}
    return [by_title[t] for t in titles]


def queries(server: LoopbackServer) -> list[str]:
    return [s.query.get("search_query") or "id_list=" + s.query.get("id_list", "") for s in server.requests_to("/api/query")]


# -- parsing ------------------------------------------------------------------------


def test_parse_atom_fixture() -> None:
    records = parse_atom((FIXTURES / "arxiv" / "search-two-results.xml").read_bytes(), source="arxiv")
    first, old = records
    assert first.arxiv_id == "2611.02468"  # version dropped
    assert first.title == "Quiet Gradients: Stable Training Without Warmup"  # line break folded
    assert first.authors == ("Jun Park", "Hana Sato")
    assert first.published == "2026-11-19"
    assert first.primary_class == "cs.LG"
    assert first.abstract.startswith("An invented study") and not first.abstract.endswith("\n")
    assert old.arxiv_id == "math/0601001"
    assert old.primary_class == "math.OC"  # no primary_category: first category


def test_arxiv_error_feed() -> None:
    with pytest.raises(ArxivError, match="arXiv refused the query: incorrect id format for not-an-id"):
        parse_atom((FIXTURES / "arxiv" / "error.xml").read_text(), source="arxiv")


@pytest.mark.parametrize(
    "document",
    [
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>&lol2;</title></feed>',
        '<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>&xxe;</title></entry></feed>',
        '<!doctype feed SYSTEM "http://example.invalid/feed.dtd"><feed xmlns="http://www.w3.org/2005/Atom"/>',
    ],
    ids=["billion-laughs", "xxe", "external-dtd"],
)
def test_dtds_and_entities_are_refused(document: str) -> None:
    with pytest.raises(InputError, match="refused: the answer declares a DTD or entities"):
        parse_atom(document, source="arxiv")


def test_malformed_and_foreign_xml_are_refused() -> None:
    with pytest.raises(InputError, match="malformed XML"):
        parse_atom("<feed><entry>", source="arxiv")
    with pytest.raises(InputError, match="not an arXiv Atom feed"):
        parse_atom("<html><body>Service down</body></html>", source="arxiv")


def test_title_scores() -> None:
    assert title_score("Quiet gradients \u2014 stable training without warmup", QUIET.title) == 100
    assert title_score("Cartographers of Latent Spaces", MAPS.title) >= MATCH_THRESHOLD
    assert title_score("Scaling Laws for Sparse Lanterns", LANTERNS.title) < MATCH_THRESHOLD
    assert title_query('Quiet "Gradients": (Stable) Training') == 'ti:"quiet gradients stable training"'


# -- resolving ------------------------------------------------------------------------


def test_match_fills_the_citation_fields_and_keeps_state(server: LoopbackServer, store: Store, clock: FakeClock) -> None:
    (old_id,) = paste(store, "Quiet gradients \u2014 stable training without warmup")
    store.set_status([old_id], Status.STARRED)
    store.queue_add("to-read", [old_id])
    with client_for(server.url, clock) as client:
        report = resolve(store, client)
    assert (report.searched, report.matched, report.near_misses) == (1, 1, [])
    paper = store.get(old_id)
    assert paper is not None and paper.id == "2611.02468" and old_id in paper.aliases
    assert paper.arxiv_id == "2611.02468"
    assert paper.authors == ("Jun Park", "Hana Sato")
    assert paper.published == "2026-11-19" and paper.year == 2026
    assert paper.primary_class == "cs.LG"
    assert paper.abstract.startswith("Pasted abstract")  # ours is kept
    assert paper.title == "Quiet gradients \u2014 stable training without warmup"
    assert store.status("2611.02468") is Status.STARRED
    assert store.queue("to-read") == ["2611.02468"]
    assert queries(server) == ['ti:"quiet gradients stable training without warmup"']
    assert server.requests_to("/api/query")[0].headers["user-agent"].startswith("papertray/")


def test_near_miss_is_refused(server: LoopbackServer, store: Store, clock: FakeClock) -> None:
    (pid,) = paste(store, "Scaling Laws for Sparse Lanterns")
    with client_for(server.url, clock) as client:
        report = resolve(store, client)
    assert report.matched == 0
    assert [(ours, theirs) for ours, theirs, _ in report.near_misses] == [("Scaling Laws for Sparse Lanterns", LANTERNS.title)]
    assert 80 <= report.near_misses[0][2] < MATCH_THRESHOLD
    paper = store.get(pid)
    assert paper is not None and paper.id == pid and paper.arxiv_id is None and paper.authors == ()
    assert pid in store.meta_get(CHECKED_KEY)
    assert "1 near misses refused" in report.line()


def test_not_found_is_remembered_and_retry_looks_again(server: LoopbackServer, store: Store, clock: FakeClock) -> None:
    (_pid,) = paste(store, "A Paper arXiv Has Never Heard Of")
    with client_for(server.url, clock) as client:
        assert resolve(store, client).not_found == 1
        again = resolve(store, client)
        assert (again.searched, again.skipped_checked) == (0, 1)
        assert resolve(store, client, retry=True).searched == 1
    assert len(server.requests_to("/api/query")) == 2


def test_primary_class_for_fetched_papers_in_id_batches(server: LoopbackServer, store: Store, clock: FakeClock) -> None:
    drafts = [PaperDraft(title=f"Fetched Paper {i}", arxiv_id=f"2611.{50000 + i}") for i in range(ID_BATCH + 10)]
    drafts.append(PaperDraft(title=TUTORS.title, arxiv_id=TUTORS.arxiv_id, authors=("Sofia Marques",)))
    drafts.append(PaperDraft(title=MAPS.title, arxiv_id=MAPS.arxiv_id))
    store.add_drafts(drafts, source="hf")
    with client_for(server.url, clock) as client:
        report = resolve(store, client)
    assert report.classes_filled == 2
    assert store.get(TUTORS.arxiv_id).primary_class == "cs.AI"  # type: ignore[union-attr]
    assert store.get(TUTORS.arxiv_id).authors == ("Sofia Marques",)  # type: ignore[union-attr]  # ours kept
    maps = store.get(MAPS.arxiv_id)
    assert maps is not None and maps.primary_class == "cs.CV" and maps.authors == ("Pia Lund",) and maps.published == "2026-11-20"
    batches = [q for q in queries(server) if q.startswith("id_list=")]
    assert len(batches) == 2 and all(len(b.split(",")) <= ID_BATCH for b in batches)
    # ids arXiv did not return are not asked for again
    with client_for(server.url, clock) as client:
        assert plan_resolve(store).by_id == ()


def test_calls_are_spaced_3_seconds_with_a_fake_clock(server: LoopbackServer, store: Store, clock: FakeClock) -> None:
    """The spacing is measured where it matters: when requests reach the server."""
    paste(store, "Quiet Gradients: Stable Training Without Warmup", "Cartographers of Latent Space", "Unknown Paper One")
    store.add_drafts([PaperDraft(title=TUTORS.title, arxiv_id=TUTORS.arxiv_id)], source="hf")
    server.route("/api/query", Reply(status=503), Reply(body=lambda q: atom_feed([MAPS])), search_query=title_query(MAPS.title))
    server.on_request = lambda seen: clock.now
    with client_for(server.url, clock) as client:
        report = resolve(store, client)
    assert (report.matched, report.classes_filled, report.not_found) == (2, 1, 1)
    arrivals = [s.note for s in server.requests_to("/api/query")]
    assert len(arrivals) == 5  # 1 id batch + 3 searches + 1 retry after the 503
    gaps = [b - a for a, b in itertools.pairwise(arrivals)]
    assert all(gap >= 3.0 for gap in gaps), gaps
    assert sum(gaps) <= 3.0 * len(gaps) + 4.0  # polite, not idle: only the retry waits longer


def test_interrupted_run_resumes_where_it_stopped(server: LoopbackServer, store: Store, clock: FakeClock) -> None:
    titles = [
        "Quiet Gradients: Stable Training Without Warmup",
        "Never On Arxiv",
        "Cartographers of Latent Space",
        "Tiny Tutors: Distilling Step-by-Step Feedback",
    ]
    ids = paste(store, *titles)
    order = [p.title for p in plan_resolve(store).by_title]
    broken = order[2]
    server.route("/api/query", Reply(status=503), search_query=title_query(broken))
    with client_for(server.url, clock, retries=1) as client, pytest.raises(NetworkError, match="HTTP 503"):
        resolve(store, client)
    first_run = queries(server)
    assert first_run[:2] == [title_query(t) for t in order[:2]] and first_run[2:] == [title_query(broken)] * 2

    fixed = next(p for p in (QUIET, MAPS, TUTORS) if title_score(p.title, broken) >= MATCH_THRESHOLD)
    server.route("/api/query", Reply(body=lambda q: atom_feed([fixed])), search_query=title_query(broken))
    with client_for(server.url, clock) as client:
        report = resolve(store, client)
    assert queries(server)[len(first_run):] == [title_query(t) for t in order[2:]]  # nothing asked twice
    assert report.searched == 2 and report.skipped_checked == 1
    resolved = {store.get(i).arxiv_id for i in ids}  # type: ignore[union-attr]
    assert resolved == {QUIET.arxiv_id, MAPS.arxiv_id, TUTORS.arxiv_id, None}


def test_an_arxiv_paper_already_in_the_store_is_not_duplicated(server: LoopbackServer, store: Store, clock: FakeClock) -> None:
    store.add_drafts([PaperDraft(title=MAPS.title, arxiv_id=MAPS.arxiv_id, primary_class="cs.CV")], source="hf")
    (pid,) = paste(store, "Cartographers of Latent Spaces")  # a different normalised title: not merged on import
    server.route("/api/query", Reply(body=lambda q: atom_feed([MAPS])), search_query=title_query("Cartographers of Latent Spaces"))
    with client_for(server.url, clock) as client:
        report = resolve(store, client)
    assert report.duplicates == [(pid, MAPS.arxiv_id)] and report.matched == 0
    assert store.get(pid).arxiv_id is None  # type: ignore[union-attr]
    assert len(store.papers()) == 2


def test_query_limits_the_run(store: Store) -> None:
    paste(store, "Quiet Gradients: Stable Training Without Warmup", "Cartographers of Latent Space")
    assert [p.title for p in plan_resolve(store, query="latent  SPACE").by_title] == ["Cartographers of Latent Space"]
    assert plan_resolve(store, query="nothing like it").by_title == ()


def test_fetched_and_resolved_papers_cite_as_full_arxiv_bibtex(server: LoopbackServer, store: Store, clock: FakeClock) -> None:
    """One paper fetched from Hugging Face (category from an id batch), one pasted (all from a title match)."""
    bibtexparser = pytest.importorskip("bibtexparser")
    citations = pytest.importorskip("store.citations")
    store.add_drafts(
        [PaperDraft(title=TUTORS.title, arxiv_id=TUTORS.arxiv_id, authors=TUTORS.authors, published="2026-11-20", upvotes=12)],
        source="https://huggingface.co/api/daily_papers?date=2026-11-21",
    )
    (pasted,) = paste(store, "Quiet Gradients: Stable Training Without Warmup")
    with client_for(server.url, clock) as client:
        resolve(store, client)
    expected = {
        TUTORS.arxiv_id: ("cs.AI", "Sofia Marques and Ikaika Kealoha", "Tiny Tutors"),
        pasted: ("cs.LG", "Jun Park and Hana Sato", "Quiet Gradients"),
    }
    for pid, (category, authors, title_word) in expected.items():
        paper = store.get(pid)
        assert paper is not None and paper.arxiv_id
        text = citations.format_citation(paper, citations.CitationFormat.BIBTEX)
        library = bibtexparser.parse_string(text)
        assert not library.failed_blocks, text
        (entry,) = library.entries
        assert entry.entry_type.lower() == "misc"
        fields = {f.key: f.value for f in entry.fields}
        assert fields["eprint"] == paper.arxiv_id
        assert fields["archivePrefix"] == "arXiv"
        assert fields["primaryClass"] == category
        assert fields["year"] == "2026"
        assert fields["author"] == authors
        assert title_word in fields["title"]
        assert fields["url"] == f"https://arxiv.org/abs/{paper.arxiv_id}"


# -- the command ---------------------------------------------------------------------------


def test_cli_resolve(server: LoopbackServer, tmp_path: Path, monkeypatch, capsys) -> None:
    with Store.open(tmp_path / "s") as opened:
        paste(opened, "Quiet gradients - stable training without warmup")
    monkeypatch.setenv("PAPERTRAY_ARXIV_URL", server.url)
    assert main(["--store", str(tmp_path / "s"), "resolve"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "looking up 1 titles and the category of 0 papers on arXiv (1 calls)"
    assert lines[1].startswith("  2611.02468: Quiet gradients")
    assert lines[-1] == "resolved 1 of 1 papers to arXiv; filled the category of 0 papers"
    assert main(["--store", str(tmp_path / "s"), "resolve"]) == 0
    assert capsys.readouterr().out == "nothing to resolve\n"


def test_cli_resolve_offline(tmp_path: Path, monkeypatch, capsys) -> None:
    with Store.open(tmp_path / "s") as opened:
        paste(opened, "Some Pasted Paper")
    monkeypatch.setenv("PAPERTRAY_ARXIV_URL", closed_port_url())
    assert main(["--store", str(tmp_path / "s"), "resolve"]) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("papertray: resolve stopped: cannot reach 127.0.0.1:") and "connection refused" in line
