"""`guanjia`: one program, the desk by default, and subcommands for scripts.

Each subcommand is a module in `tui/commands/` with `NAME`, `HELP`,
`add_arguments(parser)` and `run(args) -> int`; they are found, not listed,
and each imports its heavy parts only when it runs.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from types import ModuleType

from tui import commands


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
    """`--port`, `--baud` and `--db`, honoured by every subcommand, before or after its name.

    Repeated on a subcommand, they default to SUPPRESS so that a value given
    before the subcommand (`guanjia --db X backup`) is not overwritten by None.
    """
    default = argparse.SUPPRESS if repeated else None
    parser.add_argument(
        "--port", default=default,
        help="the phone: a device (/dev/ttyUSB2, COM5), socket://host:port, rfc2217://..., or sim://",
    )
    parser.add_argument("--baud", type=int, default=default, help="baud rate (default 115200)")
    parser.add_argument(
        "--db", default=default,
        help="database URL (sqlite:///path or postgresql://...); default $GUANJIA_DB or the data dir",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="guanjia", description="A customer desk for the shop's phone line.")
    common_options(parser)
    parser.add_argument("--demo", action="store_true", help="use the simulated phone and a demo book")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in _subcommands():
        p = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        common_options(p, repeated=True)
        if hasattr(module, "add_arguments"):
            module.add_arguments(p)
        p.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
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
