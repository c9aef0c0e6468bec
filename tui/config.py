"""This terminal's settings, from ~/.config/guanjia/config.toml (shop-wide ones live in the store)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from tui.locations import config_file

LANGUAGES = ("zh", "en")


@dataclass(frozen=True, slots=True)
class Config:
    """What one terminal remembers: its language, its phone, how the counter screen behaves."""

    language: str | None = None  # None: follow LANG
    port: str | None = None
    baud: int = 115200
    database: str | None = None
    privacy: bool = False
    auto_compose: bool = True
    theme: str = "textual-dark"
    keymap: dict[str, str] = field(default_factory=dict)


class ConfigError(ValueError):
    """The config file is there but cannot be understood."""


def _pick(raw: dict, key: str, kind: type, default):
    value = raw.get(key, default)
    if value is None or isinstance(value, kind):
        return value
    raise ConfigError(f"{key} should be a {kind.__name__}, not {value!r}")


def load_config(path: Path | None = None) -> Config:
    """The config in `path` (default: the XDG config file); defaults where it is missing."""
    path = path or config_file()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Config()
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    desk = raw.get("desk", {})
    line = raw.get("line", {})
    language = _pick(desk, "language", str, None)
    if language is not None and language not in LANGUAGES:
        raise ConfigError(f"language should be one of {', '.join(LANGUAGES)}, not {language!r}")
    keymap = raw.get("keymap", {})
    if not isinstance(keymap, dict) or not all(isinstance(v, str) for v in keymap.values()):
        raise ConfigError("[keymap] should map binding ids to keys, like quit = \"ctrl+q\"")
    return Config(
        language=language,
        port=_pick(line, "port", str, None),
        baud=_pick(line, "baud", int, 115200),
        database=_pick(raw, "database", str, None),
        privacy=_pick(desk, "privacy", bool, False),
        auto_compose=_pick(desk, "auto_compose", bool, True),
        theme=_pick(desk, "theme", str, "textual-dark"),
        keymap=dict(keymap),
    )


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    escaped = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def save_config(config: Config, path: Path | None = None) -> Path:
    """Write `config` as TOML (only what differs from the defaults) and return the path."""
    path = path or config_file()
    default = Config()
    lines: list[str] = []
    if config.database:
        lines.append(f"database = {_toml_value(config.database)}")
    desk = [
        (name, getattr(config, name))
        for name in ("language", "privacy", "auto_compose", "theme")
        if getattr(config, name) != getattr(default, name) and getattr(config, name) is not None
    ]
    if desk:
        lines.append("\n[desk]")
        lines += [f"{name} = {_toml_value(value)}" for name, value in desk]
    line = [(n, getattr(config, n)) for n in ("port", "baud") if getattr(config, n) != getattr(default, n)]
    if line:
        lines.append("\n[line]")
        lines += [f"{name} = {_toml_value(value)}" for name, value in line]
    if config.keymap:
        lines.append("\n[keymap]")
        lines += [f"{k} = {_toml_value(v)}" for k, v in sorted(config.keymap.items())]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines).lstrip() + "\n", encoding="utf-8")
    return path


def with_changes(config: Config, **changes) -> Config:
    """A copy of `config` with some fields changed."""
    return replace(config, **changes)
