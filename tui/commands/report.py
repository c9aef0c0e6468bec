"""`guanjia report KIND`: one of the reports screen's reports, as a table, CSV or Excel file."""

from __future__ import annotations

import sys

NAME = "report"
HELP = "a report over the shop's days: calls, hours, callbacks, callers, customers, tiers, texts, campaigns"
# The names of store.reports.KINDS, written out so `guanjia --help` need not import the store.
KINDS = ("calls", "hours", "callbacks", "callers", "customers", "tiers", "texts", "campaigns")


def add_arguments(parser) -> None:
    """KIND, --from, --to, --format, --out."""
    parser.epilog = (
        "Days are the shop's own (its time zone setting), both ends included; without --from and --to, "
        "the last 30 days up to today. calls: per day (per month beyond two months), answered, missed, "
        "rejected, outgoing; hours: by hour of day; callbacks: missed calls returned, rate, median wait; "
        "callers: new and returning numbers; customers: top 50 by spend; tiers: customers per tier; "
        "texts: sent, delivered, failed, received, parts and cost; campaigns: delivery, opt-outs, replies "
        "and visits within 14 days. CSV is UTF-8 with a byte-order mark, cells a spreadsheet would run are "
        "quoted; an existing --out file is never overwritten."
    )
    parser.add_argument("kind", choices=KINDS, help="which report")
    parser.add_argument("--from", dest="first", metavar="DATE", help="first day, 2026-11-01 (default: 29 days "
                        "before --to)")
    parser.add_argument("--to", dest="last", metavar="DATE", help="last day, 2026-11-30 (default: today)")
    parser.add_argument("--format", choices=("table", "csv", "xlsx"), help="table (default on screen), csv "
                        "(default for --out FILE.csv), or xlsx (needs --out)")
    parser.add_argument("--out", metavar="PATH", help="write to this new file instead of standard output")


def _day(text: str | None, flag: str):
    from datetime import date

    from tui.cli import UserError

    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UserError(f"{flag} {text!r} is not a date: write it like 2026-11-01") from None


def _format(args) -> str:
    from tui.cli import UserError

    fmt = args.format or ("xlsx" if (args.out or "").lower().endswith(".xlsx") else "csv" if args.out else "table")
    if fmt == "xlsx" and not args.out:
        raise UserError("an Excel report needs a file name: add --out FILE.xlsx")
    if fmt == "table" and args.out:
        raise UserError("a table is for the screen: use --format csv or xlsx with --out")
    return fmt


def table(report) -> str:
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

    rows = [list(report.columns)] + [[shown(v) for v in row] for row in lines(report)]
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

    first, last = _day(args.first, "--from"), _day(args.last, "--to")
    fmt = _format(args)
    out = Path(args.out) if args.out else None
    if out is not None and out.exists():
        raise UserError(f"{out} already exists: give a new file name (a report never overwrites a file)")
    _, db = open_for(args)
    try:
        last = last or datetime.now(timezone.utc).astimezone(shop_zone()).date()
        first = first or last - timedelta(days=29)
        try:
            period = Period(first, last)
        except ValueError as exc:
            raise UserError(str(exc)) from None
        report = report_of(args.kind, period)
        if out is None:
            if fmt == "table":
                sys.stdout.write(table(report))
            else:
                sys.stdout.flush()
                files.write_csv(report, sys.stdout.buffer)
                sys.stdout.buffer.flush()
            return 0
        try:
            count = files.write(report, fmt, out)
        except FileExistsError:
            raise UserError(f"{out} already exists: give a new file name") from None
        except OSError as exc:
            raise UserError(f"cannot write {out}: {exc.strerror}") from None
        print(f"{args.kind} {first}..{last}: {count} rows written to {out}", file=sys.stderr)
    finally:
        close_book(db)
    return 0
