"""The config file: service URLs (env still wins), backups kept, broken values reported."""

from __future__ import annotations

from pathlib import Path

from store.drafts import PaperDraft
from store.store import Store
from tui.config import apply_urls, load_config


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_urls_become_defaults_and_the_environment_wins(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, 'hf_url = "http://127.0.0.1:9/"\narxiv_url = "http://127.0.0.1:8/"\n'))
    assert config.error is None
    env: dict[str, str] = {"PAPERTRAY_ARXIV_URL": "http://override/"}
    apply_urls(config, env)
    assert env == {"PAPERTRAY_HF_URL": "http://127.0.0.1:9/", "PAPERTRAY_ARXIV_URL": "http://override/"}


def test_bad_values_are_reported_not_fatal(tmp_path: Path) -> None:
    assert "http(s) URL" in (load_config(write(tmp_path, 'hf_url = "file:///etc/passwd"\n')).error or "")
    broken = load_config(write(tmp_path, "backups = -1\n"))
    assert "backups" in (broken.error or "") and broken.backups == 3


def test_backups_kept_follow_the_setting(tmp_path: Path) -> None:
    root = tmp_path / "store"
    for n in range(4):
        with Store.open(root, keep_backups=1) as store:
            store.add_drafts([PaperDraft(title=f"Paper number {n}", abstract="An abstract long enough to count. " * 3)], source=f"f{n}")
    kept = sorted(p.name for p in (root / "backups").iterdir())
    assert kept == ["papers.json.1"], kept


def test_citation_names_match_the_formats() -> None:
    from store.citations import CitationFormat
    from tui.config import CITATION_FORMATS

    assert CITATION_FORMATS == tuple(f.value for f in CitationFormat)
