"""Watch and mute rules: parsing, the id sets, is:watched / is:muted, the Inbox cut, config and CLI."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from store.drafts import PaperDraft
from store.model import Status
from store.query import QueryError, parse_query
from store.rules import Rules
from store.store import Store
from store.views import FIXED_VIEWS, view_counts, view_rows
from tui.cli import main
from tui.config import load_config

INBOX = FIXED_VIEWS[0]
ABSTRACT = "We study a problem\nat length, hard-wrapped as arXiv abstracts are.\n"
PAPERS = (
    ("Diffusion Models for $k$NN-LM Retrieval", ["Yann LeCun", "Ada Lovelace"], "2025-03-14"),
    ("A Survey of Diffusion Samplers", ["Grace Hopper"], "2025-03-14"),
    ("A Survey of Mixture-of-Experts", ["Alan Turing"], "2025-03-13"),
    ("Old Work Without Code: [RE] \u201cquoted\u201d", ["Emmy Noether"], "2019-05-01"),
    ("Mamba", ["Albert Gu"], "2025-03-12"),
)


@pytest.fixture
def store(store_dir: Path) -> Iterator[Store]:
    with Store.open(store_dir, lock_wait=2.0) as opened:
        opened.add_drafts(
            [PaperDraft(title=t, abstract=ABSTRACT, authors=a, date=d) for t, a, d in PAPERS], source="page.txt"
        )
        yield opened


def by_title(store: Store) -> dict[str, str]:
    return {r.title: r.id for r in store.rows()}


def titles(rows: list) -> set[str]:  # type: ignore[type-arg]
    return {r.title for r in rows}


def test_is_watched_and_is_muted_parse_and_other_statuses_still_fail() -> None:
    assert parse_query("is:watched").filters[0].value == "watched"
    assert parse_query("-is:Muted").filters[0].negated
    with pytest.raises(QueryError, match="watched or muted"):
        parse_query("is:followed")


def test_malformed_rules_are_named_and_the_others_apply(store: Store) -> None:
    rules = Rules(watch=["title:(", 'author:"Yann LeCun"', "date:2024-13"], mute=['"unclosed', "is:watched", "title:survey"])
    assert rules.watch == ('author:"Yann LeCun"',)
    assert rules.mute == ("title:survey",)
    assert len(rules.errors) == 4
    assert rules.errors[0].startswith("watch rule 1 'title:(' ignored")
    assert any("mute rule 2 'is:watched' ignored: a rule cannot use" in e for e in rules.errors)
    store.rules = rules
    ids = by_title(store)
    assert store.rules.sets(store).watched == {ids[PAPERS[0][0]]}


def test_watch_and_mute_sets_and_queries(store: Store) -> None:
    store.rules = Rules(watch=['author:"Yann LeCun"', "title:mamba"], mute=["title:survey", "-has:code date:<2020"])
    ids = by_title(store)
    sets = store.rules.sets(store)
    assert sets.watched == {ids[PAPERS[0][0]], ids["Mamba"]}
    assert sets.muted == {ids[PAPERS[1][0]], ids[PAPERS[2][0]], ids[PAPERS[3][0]]}
    assert titles(store.search("is:watched")) == {PAPERS[0][0], "Mamba"}
    assert titles(store.search("is:muted diffusion")) == {PAPERS[1][0]}
    assert titles(store.search("-is:muted -is:watched")) == set()
    assert titles(store.search("is:watched is:muted")) == set()
    assert titles(store.search("is:watched", scope=[r for r in store.rows() if r.title == "Mamba"])) == {"Mamba"}


def test_the_inbox_leaves_muted_papers_out_and_counts_them(store: Store) -> None:
    store.rules = Rules(mute=["title:survey"])
    assert titles(view_rows(store, INBOX)) == {PAPERS[0][0], PAPERS[3][0], "Mamba"}
    counts = view_counts(store, FIXED_VIEWS, len(store.rows()))
    assert (counts["inbox"], counts["inbox:muted"], counts["all"]) == (3, 2, 5)
    store.set_status([by_title(store)[PAPERS[2][0]]], Status.READ)  # a muted paper read: no longer hidden new
    counts = view_counts(store, FIXED_VIEWS, len(store.rows()))
    assert (counts["inbox"], counts["inbox:muted"]) == (3, 1)


def test_rules_are_computed_once_per_change_and_text_rules_survive_triage(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.rules = Rules(watch=["title:mamba"], mute=["is:starred title:survey"])
    calls: list[str] = []
    real = Rules.search_ids

    def counting(self: Rules, store: Store, text: str) -> list[str]:
        calls.append(text)
        return real(self, store, text)

    monkeypatch.setattr(Rules, "search_ids", counting)
    for _ in range(20):  # as many redraws and keystrokes as one likes: no new search
        store.rules.sets(store)
        view_rows(store, INBOX)
    assert sorted(calls) == ["is:starred title:survey", "title:mamba"]
    store.set_status([by_title(store)[PAPERS[2][0]]], Status.STARRED)  # a triage keystroke
    assert store.rules.sets(store).muted == {by_title(store)[PAPERS[2][0]]}
    assert sorted(calls) == ["is:starred title:survey", "is:starred title:survey", "title:mamba"]
    store.add_drafts([PaperDraft(title="Mamba-2", abstract=ABSTRACT, date="2025-03-15")], source="more.txt")
    assert len(store.rules.sets(store).watched) == 2  # new papers: the text rule runs again
    assert calls.count("title:mamba") == 2


def test_config_reads_rules_and_refuses_a_wrong_type(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('watch = [\'author:"Yann LeCun"\', "title:diffusion"]\nmute = ["title:survey"]\n', encoding="utf-8")
    config = load_config(path)
    assert config.watch == ('author:"Yann LeCun"', "title:diffusion") and config.mute == ("title:survey",)
    assert config.error is None
    path.write_text('citation = "plain"\nwatch = "title:diffusion"\n', encoding="utf-8")
    config = load_config(path)
    assert config.watch == () and config.citation == "plain"
    assert config.error is not None and "watch must be a list of queries" in config.error


def test_cli_uses_the_rules_and_names_a_bad_one_on_stderr(
    store: Store, env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    store.close()
    Path(env["PAPERTRAY_CONFIG"]).write_text('watch = ["title:mamba", "date:>"]\nmute = ["title:survey"]\n', encoding="utf-8")
    assert main(["list", "is:watched"]) == 0
    captured = capsys.readouterr()
    assert "Mamba" in captured.out and "Survey" not in captured.out
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("papertray: watch rule 2 'date:>' ignored: bad date")
    assert main(["list", "--status", "new"]) == 0  # statuses are exact on the command line: muted papers listed
    assert main(["list", "--status", "new", "--", "-is:muted"]) == 0
    out = capsys.readouterr().out
    first, second = out.count("Survey of Mixture"), out.count("Survey of Diffusion")
    assert (first, second) == (1, 1)


def test_rules_and_saved_views_honour_tags_and_notes_and_follow_their_changes(store: Store) -> None:
    """``tag:`` and note filters are not in the search index: rules and saved views must apply them too."""
    from store.views import saved_rows

    ids = by_title(store)
    store.tag_papers([ids["Mamba"]], add=["ssm"])
    store.rules = Rules(watch=["has:note"], mute=["tag:ssm"])
    assert store.rules.sets(store).muted == {ids["Mamba"]}, "one tagged paper muted, not every paper"
    assert store.rules.sets(store).watched == frozenset()
    assert titles(saved_rows(store, "tag:ssm")) == {"Mamba"} == titles(store.search("tag:ssm"))
    store.tag_papers([ids[PAPERS[1][0]]], add=["ssm"])
    store.set_note(ids[PAPERS[2][0]], "read the appendix")
    assert store.rules.sets(store).muted == {ids["Mamba"], ids[PAPERS[1][0]]}, "a tag change is seen at once"
    assert store.rules.sets(store).watched == {ids[PAPERS[2][0]]}
    assert titles(saved_rows(store, "-tag:ssm")) == {PAPERS[0][0], PAPERS[2][0], PAPERS[3][0]}


def test_the_reader_does_not_wait_for_an_index_build_to_apply_rules(store: Store) -> None:
    """With ``wait_for_index`` off (the reader), rules select nothing until the index is built, and say so."""
    (store.root / "cache" / "search.bin").unlink(missing_ok=True)
    store.rules = Rules(mute=["title:survey"])
    store.rules.wait_for_index = False
    assert not store.search_cached
    assert store.rules.sets(store).muted == frozenset() and store.rules.deferred
    store.search_index()  # the reader's worker builds it, then asks again
    assert store.search_cached
    assert len(store.rules.sets(store).muted) == 2


def test_status_views_keep_the_rows_of_their_status_in_order(store: Store) -> None:
    """Every fixed view against a row-by-row reading of the statuses and the mute rule."""
    ids = by_title(store)
    store.set_status([ids["Mamba"]], Status.STARRED)
    store.set_status([ids[PAPERS[1][0]]], Status.READ)
    store.set_status([ids[PAPERS[3][0]]], Status.SKIPPED)
    store.rules = Rules(watch=[], mute=["title:mixture"])
    statuses, muted = store.statuses(), store.rules.sets(store).muted
    rows = store.rows()
    for view in FIXED_VIEWS:
        if view.status is None:
            expected = list(rows)
        elif view.status is Status.NEW:
            expected = [r for r in rows if r.id not in statuses and r.id not in muted]
        else:
            expected = [r for r in rows if statuses.get(r.id) is view.status]
        assert view_rows(store, view) == expected, view.key
    assert [r.title for r in view_rows(store, INBOX)] == [PAPERS[0][0]]
