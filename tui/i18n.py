"""Every word the desk shows, in Chinese and English; the language comes from config, then LANG."""

from __future__ import annotations

import os
from dataclasses import replace

from tui.words import campaigns, care, cli, desk, files, line, palette, problems, reports, search, tasks


def joined(*tables: dict[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """One table from several; a key defined twice is a mistake caught at import."""
    out: dict[str, tuple[str, str]] = {}
    for table in tables:
        twice = out.keys() & table.keys()
        if twice:
            raise KeyError(f"words defined twice: {sorted(twice)}")
        out.update(table)
    return out


# One table, key → (zh, en), joined from one file per area. Keys name the thing in English so code reads plainly.
TABLE: dict[str, tuple[str, str]] = joined(desk.WORDS, campaigns.WORDS, tasks.WORDS, reports.WORDS, care.WORDS,
                                           cli.WORDS, line.WORDS, problems.WORDS, search.WORDS, palette.WORDS,
                                           files.WORDS)

_language = "zh"


def language_from(config_language: str | None, env: dict[str, str] | None = None) -> str:
    """The UI language: the config's if set, else from LC_ALL/LC_MESSAGES/LANG, else Chinese."""
    if config_language in ("zh", "en"):
        return config_language
    env = os.environ if env is None else env
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "zh"


def set_language(language: str) -> None:
    """Switch every later `t()` to `language` ("zh" or "en")."""
    global _language
    _language = "en" if language == "en" else "zh"


def current_language() -> str:
    """The language `t()` speaks now."""
    return _language


def t(key: str, **values: object) -> str:
    """The text for `key` in the current language, with `{placeholders}` filled from `values`."""
    zh, en = TABLE[key]
    text = en if _language == "en" else zh
    return text.format(**values) if values else text


def _translated(text: str | None) -> str | None:
    return t(text) if text in TABLE else text


def translate_bindings(node) -> None:
    """Put the current language into a node's key descriptions and tooltips, declared as table keys."""
    bindings = node._bindings.key_to_bindings
    for key, items in bindings.items():
        bindings[key] = [
            replace(b, description=_translated(b.description) or "", tooltip=_translated(b.tooltip) or "")
            for b in items
        ]


class TranslatedBindings:
    """Mixin for apps, screens and widgets whose BINDINGS name their words by table key."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        translate_bindings(self)
