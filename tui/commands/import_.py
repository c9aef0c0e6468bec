"""`guanjia import FILE`: customers from a CSV, Excel or vCard file, shown as a dry run before anything is written."""

from __future__ import annotations

import sys

NAME = "import"
HELP = "import customers from a CSV, Excel (.xlsx) or vCard (.vcf) file"
SHOWN = 20  # detail lines per section; the counts are always complete


def add_arguments(parser) -> None:
    """FILE, --dry-run, --yes, --mapping, --region."""
    parser.epilog = (
        "Columns are found by their header: 姓名/name, 电话/手机/phone (several phone columns, or several numbers "
        "in a cell separated by ; , / 、 are fine), 等级/tier, 生日/birthday, 农历生日, 标签/分组/tags, 备注/notes, "
        "公司/company, 地址/address, 性别/gender, 来源/source. The report comes first; a number already in the book "
        "fills that customer's empty fields and adds tags, never overwriting what is there. "
        "Everything is written in one transaction: a failed import changes nothing."
    )
    parser.add_argument("file", help="the file: .csv (UTF-8 or GBK), .xlsx, or .vcf from a phone's contacts")
    parser.add_argument("--dry-run", action="store_true", help="only show what would happen; write nothing")
    parser.add_argument("--yes", action="store_true", help="import without asking (for scripts)")
    parser.add_argument("--mapping", help="which column is which field, e.g. '客户=name,手机号=phone,积分=skip'")
    parser.add_argument("--region", help="country of numbers written without a country code (default: the shop's)")


def report_lines(report, limit: int = SHOWN) -> list[str]:
    """The dry-run report as plain lines (outside text cleaned of control codes)."""
    from tui.text import clean

    lines = [f"{clean(report.path)}: {report.kind} ({report.encoding}), {report.rows} rows",
             f"  new customers:      {report.new}",
             f"  updated customers:  {report.updated}",
             f"  already up to date: {report.unchanged}",
             f"  duplicates skipped: {len(report.duplicates)}",
             f"  invalid rows:       {len(report.invalid)}"]
    if report.unused_columns:
        lines.append("  columns not used: " + clean(", ".join(report.unused_columns)))
    kept = [(u, k) for u in report.updates for k in u.kept]
    if kept:
        lines.append("Kept as the book has them (the file says otherwise):")
        lines += [f"  line {u.line}: {clean(u.name, limit=40)} {field} stays {clean(have, limit=40)!r}, "
                  f"file has {clean(new, limit=40)!r}" for u, (field, have, new) in kept[:limit]]
        if len(kept) > limit:
            lines.append(f"  … and {len(kept) - limit} more")
    for title, items in (("Duplicates (skipped):", report.duplicates), ("Invalid rows (skipped):", report.invalid)):
        if items:
            lines.append(title)
            lines += [f"  line {item.line}: {clean(item.reason, limit=160)}" for item in items[:limit]]
            if len(items) > limit:
                lines.append(f"  … and {len(items) - limit} more")
    return lines


def _confirm(report) -> bool:
    from tui.cli import UserError

    if not sys.stdin.isatty():
        raise UserError("not importing without a question answered: add --yes to import, or --dry-run to only look")
    answer = input(f"Import {report.new} new and update {report.updated} customers? [y/N] ")
    return answer.strip().lower() in ("y", "yes", "是", "好")


def run(args) -> int:
    """Show the dry run; then, with --yes or a 'y', import everything in one transaction."""
    from store import settings
    from store.db import close_book
    from store.io.importer import CannotImport, import_loaded, load_file
    from tui.cli import UserError
    from tui.commands._book import open_for

    _, db = open_for(args)
    try:
        region = (args.region or settings.home_region()).upper()
        try:
            loaded = load_file(args.file, args.mapping)
            report = import_loaded(loaded, dry_run=True, region=region)
            print("\n".join(report_lines(report)))
            if args.dry_run:
                return 0
            if report.new == 0 and report.updated == 0:
                print("Nothing to import.")
                return 0
            if not args.yes and not _confirm(report):
                print("Not imported.")
                return 1
            done = import_loaded(loaded, dry_run=False, region=region)  # planned again, inside the transaction
        except CannotImport as exc:
            raise UserError(f"cannot import {args.file}: {exc}") from None
        print(f"Imported: {done.new} new, {done.updated} updated (one transaction).")
        return 0
    finally:
        close_book(db)
