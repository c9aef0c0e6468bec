"""`guanjia report KIND`: one of the reports screen's reports, as a table, CSV or Excel file."""

from __future__ import annotations

import sys

NAME = "report"
HELP = "cli.report.help"
# The names of store.reports.KINDS, written out so `guanjia --help` need not import the store.
KINDS = ("calls", "hours", "callbacks", "callers", "customers", "tiers", "texts", "campaigns")


def add_arguments(parser) -> None:
    """KIND, --from, --to, --format, --out."""
    from tui.i18n import t

    parser.epilog = t("cli.report.epilog")
    parser.add_argument("kind", choices=KINDS, help=t("cli.report.kind"))
    parser.add_argument("--from", dest="first", metavar=t("cli.metavar.date"), help=t("cli.report.from"))
    parser.add_argument("--to", dest="last", metavar=t("cli.metavar.date"), help=t("cli.report.to"))
    parser.add_argument("--format", choices=("table", "csv", "xlsx"), help=t("cli.report.format"))
    parser.add_argument("--out", metavar=t("cli.metavar.path"), help=t("cli.report.out"))


def _day(text: str | None, flag: str):
    from datetime import date

    from tui.cli import UserError
    from tui.i18n import t

    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UserError(t("cli.report.bad_date", flag=flag, text=text)) from None


def _format(args) -> str:
    from tui.cli import UserError
    from tui.i18n import t

    fmt = args.format or ("xlsx" if (args.out or "").lower().endswith(".xlsx") else "csv" if args.out else "table")
    if fmt == "xlsx" and not args.out:
        raise UserError(t("cli.report.xlsx_needs_out"))
    if fmt == "table" and args.out:
        raise UserError(t("cli.report.table_on_screen"))
    return fmt


def headings(report) -> list[str]:
    """The report's column names in the shop's language, as the reports screen shows them.

    In English they stay the store's own names (day, answer_rate), as scripts reading the table saw them.
    """
    from tui.i18n import TABLE, current_language, t

    if current_language() == "en":
        return list(report.columns)
    return [t(f"reports.col.{c}") if f"reports.col.{c}" in TABLE else c for c in report.columns]


def table(report, header: list[str] | None = None) -> str:
    """The report as aligned text columns (wide characters counted as two), its total last."""
    from decimal import Decimal

    from rich.cells import cell_len

    from store.reports.files import lines
    from tui.text import clean

    def shown(value) -> str:
        if value is None:
            return "-"
        if isinstance(value, float):
            return f"{value:.1f}"
        return clean(value, limit=40) if isinstance(value, str) else str(value)

    from tui.i18n import current_language, t

    total = "total" if current_language() == "en" else t("reports.total")
    rows = [list(header or report.columns)] + [[shown(v) for v in row] for row in lines(report, total)]
    widths = [max(cell_len(row[i]) for row in rows) for i in range(len(report.columns))]
    numeric = [i > 0 and any(isinstance(row[i], (int, float, Decimal)) for row in report.rows)
               for i in range(len(report.columns))]
    out = []
    for row in rows:
        cells = [(" " * (w - cell_len(v)) + v) if right else (v + " " * (w - cell_len(v)))
                 for v, w, right in zip(row, widths, numeric)]
        out.append("  ".join(cells).rstrip())
    return "\n".join(out) + "\n"


def run(args) -> int:
    """Count the report and print it, or write it to --out; say how many rows went where."""
    from datetime import datetime, timedelta, timezone
    from pathlib import Path

    from store.db import close_book
    from store.reports import Period, run as report_of
    from store.reports import files
    from store.reports.period import shop_zone
    from tui.cli import UserError
    from tui.commands._book import open_for
    from tui.i18n import t

    first, last = _day(args.first, "--from"), _day(args.last, "--to")
    fmt = _format(args)
    out = Path(args.out) if args.out else None
    if out is not None and out.exists():
        raise UserError(t("cli.report.exists", path=out))
    _, db = open_for(args)
    try:
        last = last or datetime.now(timezone.utc).astimezone(shop_zone()).date()
        first = first or last - timedelta(days=29)
        if last < first:
            raise UserError(t("cli.report.backwards", first=first, last=last))
        try:
            period = Period(first, last)
        except ValueError as exc:
            raise UserError(str(exc)) from None
        report = report_of(args.kind, period)
        if out is None:
            if fmt == "table":
                sys.stdout.write(table(report, headings(report)))
            else:
                sys.stdout.flush()
                files.write_csv(report, sys.stdout.buffer)
                sys.stdout.buffer.flush()
            return 0
        try:
            count = files.write(report, fmt, out)
        except FileExistsError:
            raise UserError(t("cli.report.exists", path=out)) from None
        except OSError as exc:
            raise UserError(t("cli.cannot_write", path=out, error=exc.strerror or exc)) from None
        print(t("cli.report.done", kind=args.kind, first=first, last=last, count=count, path=out), file=sys.stderr)
    finally:
        close_book(db)
    return 0
