"""Where the store lives: ``--store``, then ``PAPERTRAY_STORE``, then platformdirs."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_config_dir, user_data_dir

APP_NAME = "papertray"


def default_store_path(env: dict[str, str] | None = None) -> Path:
    environ = os.environ if env is None else env
    override = environ.get("PAPERTRAY_STORE")
    if override:
        return Path(override).expanduser()
    return Path(user_data_dir(APP_NAME, appauthor=False)) / "store"


def config_path(env: dict[str, str] | None = None) -> Path:
    """The TOML config (key map, clipboard mode); ``PAPERTRAY_CONFIG`` overrides for tests."""
    environ = os.environ if env is None else env
    override = environ.get("PAPERTRAY_CONFIG")
    if override:
        return Path(override).expanduser()
    return Path(user_config_dir(APP_NAME, appauthor=False)) / "config.toml"
