"""`guanjia export customers|calls|messages`: the book as CSV, Excel or vCard, streamed.

The columns are documented and fixed (scripts read them), so they stay in
English whatever the language; what the command says around them is in the shop's.
"""

from __future__ import annotations

import sys

NAME = "export"
HELP = "cli.export.help"


def add_arguments(parser) -> None:
    """WHAT, --format, --output, --since, --force."""
    from tui.i18n import t

    parser.epilog = t("cli.export.epilog")
    parser.add_argument("what", choices=("customers", "calls", "messages"), help=t("cli.export.what"))
    parser.add_argument("--format", choices=("csv", "xlsx", "vcf"), default="csv", help=t("cli.export.format"))
    parser.add_argument("--output", "-o", help=t("cli.export.output"))
    parser.add_argument("--since", help=t("cli.export.since"))
    parser.add_argument("--force", action="store_true", help=t("cli.export.force"))


def _since(text: str | None):
    from datetime import datetime, timezone

    from store.reports.period import shop_zone
    from tui.cli import UserError
    from tui.i18n import t

    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise UserError(t("cli.export.bad_since", text=text)) from None
    if moment.tzinfo is None:
        # A plain date is the shop's local midnight, as the operator means it.
        moment = moment.replace(tzinfo=shop_zone())
    return moment.astimezone(timezone.utc)


def run(args) -> int:
    """Write the export to --output (or stdout) and say how many rows went out."""
    import io
    from pathlib import Path

    from store.db import close_book
    from store.io.export import CannotExport, export_to, write_csv, write_vcf
    from tui.cli import UserError
    from tui.commands._book import open_for
    from tui.i18n import t
    from tui.problems import said

    if args.format == "vcf" and args.what != "customers":
        raise UserError(t("cli.export.vcf_customers"))
    if args.format == "xlsx" and not args.output:
        raise UserError(t("cli.export.xlsx_needs_output"))
    if args.output and Path(args.output).exists() and not args.force:
        raise UserError(t("problem.export.exists", path=args.output))
    _, db = open_for(args)
    try:
        since = _since(args.since)
        if args.output:
            count = export_to(args.what, args.format, Path(args.output), since, replace=args.force)
            print(t("cli.export.done", count=count, what=t(f"cli.export.{args.what}"), path=args.output),
                  file=sys.stderr)
        else:
            out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8-sig" if args.format == "csv" else "utf-8",
                                   newline="", write_through=False)
            count = write_csv(args.what, out, since) if args.format == "csv" else write_vcf(out, since)
            out.flush()
            out.detach()
    except CannotExport as exc:
        raise UserError(said(exc)) from None
    except OSError as exc:
        raise UserError(t("cli.cannot_write", path=args.output, error=exc.strerror or exc)) from None
    finally:
        close_book(db)
    return 0
