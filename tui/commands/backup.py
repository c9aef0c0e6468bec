"""`guanjia backup PATH`: a consistent, checked, owner-only copy of the book while terminals keep working."""

from __future__ import annotations

NAME = "backup"
HELP = "cli.backup.help"


def add_arguments(parser) -> None:
    """PATH, --force, --run-pg-dump."""
    from tui.i18n import t

    parser.add_argument("path", metavar=t("cli.metavar.path"), help=t("cli.backup.path"))
    parser.add_argument("--force", action="store_true", help=t("cli.backup.force"))
    parser.add_argument("--run-pg-dump", action="store_true", help=t("cli.backup.run_pg_dump"))


def run(args) -> int:
    """Back up the book named by --db / GUANJIA_DB / the config and print what was copied."""
    from pathlib import Path

    from store.io.backup import CannotBackUp, backup_sqlite, is_sqlite_url, pg_dump_command, run_pg_dump, sqlite_path
    from tui.cli import UserError
    from tui.commands._book import book_url
    from tui.i18n import t
    from tui.problems import said

    url = book_url(args)
    target = Path(args.path)
    try:
        if is_sqlite_url(url):
            report = backup_sqlite(sqlite_path(url), target, force=args.force)
            print(t("cli.backup.done", path=report.path, size=report.size))
            for table, rows in report.counts.items():
                print(t("cli.backup.rows", table=table, rows=rows))
            return 0
        if not url.lower().startswith(("postgresql:", "postgres:")):
            raise UserError(t("cli.backup.not_a_database", scheme=url.split(":", 1)[0]))
        if not args.run_pg_dump:
            print(t("cli.backup.pg_guidance", command=pg_dump_command(url, target).shown(), target=target))
            return 0
        report = run_pg_dump(url, target, force=args.force)
        print(t("cli.backup.pg_done", path=report.path, size=report.size))
        return 0
    except CannotBackUp as exc:
        raise UserError(said(exc)) from None
