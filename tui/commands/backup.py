"""`guanjia backup PATH`: a consistent, checked, owner-only copy of the book while terminals keep working."""

from __future__ import annotations

NAME = "backup"
HELP = "copy the book safely while terminals are running (SQLite), or show/run pg_dump (PostgreSQL)"


def add_arguments(parser) -> None:
    """PATH, --force, --run-pg-dump."""
    parser.add_argument("path", help="the backup file to write")
    parser.add_argument("--force", action="store_true", help="replace PATH if it exists")
    parser.add_argument("--run-pg-dump", action="store_true", help="for a PostgreSQL book: run pg_dump now")


def run(args) -> int:
    """Back up the book named by --db / GUANJIA_DB / the config and print what was copied."""
    from pathlib import Path

    from store.io.backup import CannotBackUp, backup_sqlite, is_sqlite_url, pg_guidance, run_pg_dump, sqlite_path
    from tui.cli import UserError
    from tui.commands._book import book_url

    url = book_url(args)
    target = Path(args.path)
    try:
        if is_sqlite_url(url):
            report = backup_sqlite(sqlite_path(url), target, force=args.force)
            print(f"Backed up to {report.path} ({report.size:,} bytes, integrity ok)")
            for table, rows in report.counts.items():
                print(f"  {table}: {rows:,} rows")
            return 0
        if not url.lower().startswith(("postgresql:", "postgres:")):
            raise UserError(f"{url.split(':', 1)[0]!r} is not a database guanjia can back up")
        if not args.run_pg_dump:
            print(pg_guidance(url, target))
            return 0
        report = run_pg_dump(url, target, force=args.force)
        print(f"Backed up with pg_dump to {report.path} ({report.size:,} bytes)")
        return 0
    except CannotBackUp as exc:
        raise UserError(str(exc)) from None
