"""Shared fixtures: every test runs with its own store, config and home.

Isolation is autouse on purpose: a test that forgets to ask for it must not
read or write the user's real store (``~/.local/share/papertray``) or config.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

pytest_plugins = ["tests.app_helpers"]
"""The app fixtures (demo store, app factory, isolation) for every test module."""

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session", autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """HOME and the XDG dirs point into a temp dir for the whole session.

    Session-wide (not only per test) so that module-scoped fixtures of other
    test files, which run before function fixtures, are isolated too.
    """
    home = tmp_path_factory.mktemp("home")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HOME", str(home))
        for var, sub in (
            ("XDG_DATA_HOME", ".local/share"),
            ("XDG_CONFIG_HOME", ".config"),
            ("XDG_CACHE_HOME", ".cache"),
            ("XDG_STATE_HOME", ".local/state"),
        ):
            mp.setenv(var, str(home / sub))
        mp.setenv("PAPERTRAY_STORE", str(home / "session-store"))
        mp.setenv("PAPERTRAY_CONFIG", str(home / "config.toml"))
        yield home


@pytest.fixture(autouse=True)
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Per-test ``PAPERTRAY_STORE`` and ``PAPERTRAY_CONFIG`` (the store dir is not created).

    Returns:
        The variables set, so a test can pass them on to a subprocess.
    """
    values = {
        "PAPERTRAY_STORE": str(tmp_path / "store"),
        "PAPERTRAY_CONFIG": str(tmp_path / "config.toml"),
    }
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    return values


@pytest.fixture
def store_dir(env: dict[str, str]) -> Path:
    """The test's store directory: the one ``papertray`` uses without ``--store``."""
    return Path(env["PAPERTRAY_STORE"])


@pytest.fixture
def seeds_dir() -> Path:
    """The real page copies in ``../shared/seeds`` (skips when they are absent)."""
    if not SEEDS.is_dir() or not any(SEEDS.glob("*.txt")):
        pytest.skip("../shared/seeds not present")
    return SEEDS


@pytest.fixture(autouse=True)
def _quick_write_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """The background writer retries a failed write after 50 ms instead of a second.

    Tests that make a write fail (read-only or full disk, a held lock) would
    otherwise wait out `store.journal.RETRY_DELAY` once per failure.
    """
    monkeypatch.setattr("store.journal.RETRY_DELAY", 0.05)
