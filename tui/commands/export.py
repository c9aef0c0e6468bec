"""`guanjia export customers|calls|messages`: the book as CSV, Excel or vCard, streamed."""

from __future__ import annotations

import sys

NAME = "export"
HELP = "export customers, calls or messages as CSV (UTF-8 with BOM, opens in Excel), .xlsx or .vcf"


def add_arguments(parser) -> None:
    """WHAT, --format, --output, --since."""
    parser.epilog = (
        "CSV files are UTF-8 with a byte-order mark, so Excel shows Chinese names right. A cell a spreadsheet "
        "would run as a formula (starting with = + - @) is written with a leading ' — phone numbers too "
        "('+8613800138000 stays text in Excel); `guanjia import` removes that quote again. "
        "XLSX cells are plain text, never formulas. Times are ISO 8601 in UTC, numbers E.164."
    )
    parser.add_argument("what", choices=("customers", "calls", "messages"), help="what to export")
    parser.add_argument("--format", choices=("csv", "xlsx", "vcf"), default="csv", help="file format (default csv)")
    parser.add_argument("--output", "-o", help="the file to write (default: standard output for csv and vcf)")
    parser.add_argument("--since", help="only from this date or time on (2026-01-01 or 2026-01-01T09:00+08:00)")


def _since(text: str | None):
    from datetime import datetime, timezone

    from tui.cli import UserError

    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise UserError(f"--since {text!r} is not a date: write it like 2026-01-01") from None
    if moment.tzinfo is None:
        # A plain date is the shop's local midnight, as the operator means it.
        moment = moment.astimezone()
    return moment.astimezone(timezone.utc)


def run(args) -> int:
    """Write the export to --output (or stdout) and say how many rows went out."""
    import io
    from pathlib import Path

    from store.db import close_book
    from store.io.export import CannotExport, export_to, write_csv, write_vcf
    from tui.cli import UserError
    from tui.commands._book import open_for

    since = _since(args.since)
    if args.format == "vcf" and args.what != "customers":
        raise UserError("only customers can be exported as vCards (.vcf)")
    if args.format == "xlsx" and not args.output:
        raise UserError("an Excel export needs a file name: add --output FILE.xlsx")
    _, db = open_for(args)
    try:
        if args.output:
            count = export_to(args.what, args.format, Path(args.output), since)
            print(f"{count} {args.what} written to {args.output}", file=sys.stderr)
        else:
            out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8-sig" if args.format == "csv" else "utf-8",
                                   newline="", write_through=False)
            count = write_csv(args.what, out, since) if args.format == "csv" else write_vcf(out, since)
            out.flush()
            out.detach()
    except CannotExport as exc:
        raise UserError(str(exc)) from None
    except OSError as exc:
        raise UserError(f"cannot write {args.output}: {exc.strerror}") from None
    finally:
        close_book(db)
    return 0
