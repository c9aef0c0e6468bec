"""`guanjia`: one program, the desk by default, and subcommands for scripts.

Each subcommand is a module in `tui/commands/` with `NAME`, `HELP` (a words
key), `add_arguments(parser)` and `run(args) -> int`; they are found, not listed,
and each imports its heavy parts only when it runs.

Everything printed is in the shop's language: `--lang zh|en` on any
subcommand, else the config's language, else LANG (as the desk chooses).
"""

from __future__ import annotations

import argparse
import gettext
import importlib
import pkgutil
import re
import sys
import unicodedata
from types import ModuleType

from tui import commands
from tui.i18n import current_language, language_from, set_language, t


class UserError(Exception):
    """A problem to tell the operator in plain words; exits non-zero without a traceback."""


def _subcommands() -> list[ModuleType]:
    found = []
    for info in pkgutil.iter_modules(commands.__path__):
        module = importlib.import_module(f"tui.commands.{info.name}")
        if hasattr(module, "NAME") and hasattr(module, "run"):
            found.append(module)
    return sorted(found, key=lambda m: m.NAME)


def common_options(parser: argparse.ArgumentParser, *, repeated: bool = False) -> None:
    """`--port`, `--baud`, `--db` and `--lang`, honoured by every subcommand, before or after its name.

    Repeated on a subcommand, they default to SUPPRESS so that a value given
    before the subcommand (`guanjia --db X backup`) is not overwritten by None.
    """
    default = argparse.SUPPRESS if repeated else None
    parser.add_argument("--port", default=default, help=t("cli.opt.port"))
    parser.add_argument("--baud", type=int, default=default, help=t("cli.opt.baud"))
    parser.add_argument("--db", default=default, help=t("cli.opt.db"))
    parser.add_argument("--lang", choices=("zh", "en"), default=default, help=t("cli.opt.lang"))


def _cells(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


_PIECES = re.compile(r"[^\s\u2e80-\uffef]+\s*|[\u2e80-\uffef]\s*|\s+")


def wrap(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` terminal cells: Chinese breaks between any two characters."""
    lines, line, used = [], "", 0
    for piece in _PIECES.findall(" ".join(text.split())):
        size = sum(_cells(c) for c in piece.rstrip())
        if line and used + size > width:
            lines.append(line.rstrip())
            line, used = "", 0
            piece = piece.lstrip()
        line += piece
        used += sum(_cells(c) for c in piece)
    if line.strip():
        lines.append(line.rstrip())
    return lines


class _Formatter(argparse.HelpFormatter):
    """argparse's help, wrapped by terminal cells (a Chinese character is two) instead of characters."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap(text, width)

    def _format_usage(self, usage, actions, groups, prefix) -> str:
        # argparse wraps the usage by characters: leave room for the Chinese metavars' second cells.
        wide = sum(_cells(c) - 1 for a in actions for c in str(a.metavar or "") if a.metavar)
        width, self._width = self._width, max(40, self._width - wide)
        try:
            return super()._format_usage(usage, actions, groups, prefix)
        finally:
            self._width = width

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(indent + line for paragraph in text.split("\n")
                         for line in (wrap(paragraph, width - len(indent)) or [""]))


def build_parser() -> argparse.ArgumentParser:
    """The whole command line, its help in the current language."""
    parser = argparse.ArgumentParser(prog="guanjia", description=t("cli.description"), formatter_class=_Formatter)
    common_options(parser)
    parser.add_argument("--demo", action="store_true", help=t("cli.opt.demo"))
    sub = parser.add_subparsers(dest="command", metavar=t("cli.metavar.command"))
    for module in _subcommands():
        help_text = t(module.HELP)
        p = sub.add_parser(module.NAME, help=help_text, description=help_text, formatter_class=_Formatter)
        common_options(p, repeated=True)
        if hasattr(module, "add_arguments"):
            module.add_arguments(p)
        p.set_defaults(_run=module.run)
    return parser


def language_of(argv: list[str]) -> str:
    """The language asked for: `--lang X` (or `--lang=X`) anywhere, else the config's, else LANG."""
    for i, word in enumerate(argv):
        if word == "--":
            break
        if word.startswith("--lang="):
            given = word.split("=", 1)[1]
        elif word == "--lang" and i + 1 < len(argv):
            given = argv[i + 1]
        else:
            continue
        if given in ("zh", "en"):
            return given
    try:
        from tui.config import load_config

        configured = load_config().language
    except Exception:  # a broken config is reported by the command that reads it, in the language of LANG
        configured = None
    return language_from(configured)


def _speak(language: str) -> None:
    """Every later word, argparse's own included ("usage:", its errors), in `language`."""
    from tui.words.cli import ARGPARSE

    set_language(language)
    if language == "zh":
        argparse._ = lambda text: ARGPARSE.get(text, text)
        argparse.ngettext = lambda one, many, n: ARGPARSE.get(one if n == 1 else many, one if n == 1 else many)
    else:
        argparse._ = gettext.gettext
        argparse.ngettext = gettext.ngettext


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    before = current_language()
    _speak(language_of(argv))
    try:
        return _main(argv)
    finally:
        _speak(before)  # main() run inside another program (the tests) leaves its language as it was


def _main(argv: list[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    run = getattr(args, "_run", None)
    try:
        if run is None:
            from tui.desk import run_desk

            return run_desk(args)
        return int(run(args) or 0)
    except UserError as exc:
        print(f"guanjia: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
