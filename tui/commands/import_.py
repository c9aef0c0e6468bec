"""`guanjia import FILE`: customers from a CSV, Excel or vCard file, shown as a dry run before anything is written."""

from __future__ import annotations

import sys

NAME = "import"
HELP = "cli.import.help"
SHOWN = 20  # detail lines per section; the counts are always complete


def add_arguments(parser) -> None:
    """FILE, --dry-run, --yes, --mapping, --tier-map, --region."""
    from tui.i18n import t

    parser.epilog = t("cli.import.epilog")
    parser.add_argument("file", metavar=t("cli.metavar.file"), help=t("cli.import.file"))
    parser.add_argument("--dry-run", action="store_true", help=t("cli.import.dry_run"))
    parser.add_argument("--yes", action="store_true", help=t("cli.import.yes"))
    parser.add_argument("--mapping", help=t("cli.import.mapping"))
    parser.add_argument("--tier-map", help=t("cli.import.tier_map"))
    parser.add_argument("--region", help=t("cli.import.region"))


def _section(lines: list[str], title: str, items: list[str], limit: int) -> None:
    if not items:
        return
    lines.append(title)
    lines += items[:limit]
    if len(items) > limit:
        lines.append(t_more(len(items) - limit))


def t_more(n: int) -> str:
    from tui.i18n import t

    return t("cli.import.more", n=n)


def report_lines(report, limit: int = SHOWN) -> list[str]:
    """The dry-run report as plain lines in the shop's language (outside text cleaned of control codes)."""
    from tui.i18n import t
    from tui.problems import field_words, said
    from tui.text import clean

    lines = [t("cli.import.head", path=clean(report.path), kind=report.kind, encoding=report.encoding,
               rows=report.rows),
             t("cli.import.new", n=report.new),
             t("cli.import.updated", n=report.updated),
             t("cli.import.unchanged", n=report.unchanged),
             t("cli.import.duplicates", n=len(report.duplicates)),
             t("cli.import.invalid", n=len(report.invalid)),
             t("cli.import.remarked", n=len({r.line for r in report.remarks}))]
    if report.unused_columns:
        lines.append(t("cli.import.unused", columns=clean(", ".join(report.unused_columns))))
    kept = [(u, k) for u in report.updates for k in u.kept]
    _section(lines, t("cli.import.kept_title"), [
        t("cli.import.kept", line=u.line, name=clean(u.name, limit=40), field=field_words(field),
          have=clean(have, limit=40), new=clean(new, limit=40)) for u, (field, have, new) in kept], limit)
    _section(lines, t("cli.import.remarks_title"), [
        t("cli.import.remark", line=r.line, field=field_words(r.field), why=clean(said(r.why), limit=160))
        for r in report.remarks], limit)
    for title, items in ((t("cli.import.duplicates_title"), report.duplicates),
                         (t("cli.import.invalid_title"), report.invalid)):
        _section(lines, title, [t("cli.import.line", line=item.line, why=clean(said(item.why), limit=160))
                                for item in items], limit)
    return lines


def _confirm(report) -> bool:
    from tui.cli import UserError
    from tui.i18n import t

    if not sys.stdin.isatty():
        raise UserError(t("cli.import.no_terminal"))
    answer = input(t("cli.import.ask", new=report.new, updated=report.updated) + " ")
    return answer.strip().lower() in ("y", "yes", "是", "好", "是的", "对")


def run(args) -> int:
    """Show the dry run; then, with --yes or a 'y', import everything in one transaction."""
    from store import settings
    from store.db import close_book
    from store.io.importer import CannotImport, import_loaded, load_file
    from tui.cli import UserError
    from tui.commands._book import open_for
    from tui.i18n import t
    from tui.problems import said

    _, db = open_for(args)
    try:
        region = (args.region or settings.home_region()).upper()
        try:
            loaded = load_file(args.file, args.mapping)
            report = import_loaded(loaded, dry_run=True, region=region, tier_map=args.tier_map)
            print("\n".join(report_lines(report)))
            if args.dry_run:
                return 0
            if report.new == 0 and report.updated == 0:
                print(t("cli.import.nothing"))
                return 0
            if not args.yes and not _confirm(report):
                print(t("cli.import.not_imported"))
                return 1
            # planned again, inside the transaction
            done = import_loaded(loaded, dry_run=False, region=region, tier_map=args.tier_map)
        except CannotImport as exc:
            raise UserError(t("cli.import.cannot", path=args.file, why=said(exc))) from None
        print(t("cli.import.done", new=done.new, updated=done.updated))
        return 0
    finally:
        close_book(db)
