"""Where guanjia keeps things on disk: XDG paths, resolved when asked, never at import."""

from __future__ import annotations

import os
from pathlib import Path


def _xdg(var: str, fallback: str) -> Path:
    value = os.environ.get(var, "").strip()
    return Path(value) if value and os.path.isabs(value) else Path.home() / fallback


def config_dir() -> Path:
    return _xdg("XDG_CONFIG_HOME", ".config") / "guanjia"


def data_dir() -> Path:
    return _xdg("XDG_DATA_HOME", ".local/share") / "guanjia"


def config_file() -> Path:
    return config_dir() / "config.toml"


def database_url(given: str | None = None, configured: str | None = None) -> str:
    """The book to open, in one order for every command: --db, then `GUANJIA_DB`, then the config's
    `database`, then an SQLite file in the data dir."""
    return given or os.environ.get("GUANJIA_DB") or configured or f"sqlite:///{data_dir() / 'guanjia.db'}"
