"""A consistent copy of the book while terminals keep working.

SQLite: the online backup API copies a snapshot page by page while other
terminals read and write (in WAL mode readers never block the writer); the copy
goes to a temporary file beside the target, is switched to a single-file
journal, checked with `PRAGMA integrity_check`, and only then renamed into
place, owner-only (it holds every customer's name and number).
PostgreSQL: the server's own tool, pg_dump, is the right copy; we print the
exact command for this book (never its password) and run it when asked.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

from store.problems import Problem


class CannotBackUp(Problem):
    """The backup cannot be made; the message says why. Nothing was left at the target."""


@dataclass(frozen=True, slots=True)
class BackupReport:
    path: Path
    size: int  # bytes
    counts: dict[str, int] = field(default_factory=dict)  # table -> rows (SQLite)


def is_sqlite_url(url: str) -> bool:
    """True for sqlite:// URLs."""
    return url.lower().startswith("sqlite:")


def sqlite_path(url: str) -> Path:
    """The file an sqlite:/// URL names."""
    # As store.db reads it: sqlite:///relative.db, sqlite:////absolute/path.db
    path = url[len("sqlite:///"):] if url.startswith("sqlite:///") else url[len("sqlite://"):]
    if not path:
        raise CannotBackUp("backup.no_file", "{url!r} names no file", url=url)
    return Path(unquote(path)).expanduser()


def _private_temp(target: Path) -> Path:
    temp = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        temp.unlink()
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        raise CannotBackUp("backup.cannot_write", "cannot write in {folder}: {error}", folder=target.parent,
                           error=exc.strerror) from None
    os.close(fd)
    return temp


def _check_target(target: Path, force: bool) -> None:
    if target.is_dir():
        raise CannotBackUp("backup.folder", "{target} is a folder; give a file name such as {example}", target=target,
                           example=target / "guanjia-backup.db")
    if target.exists() and not force:
        raise CannotBackUp("backup.exists", "{target} already exists; add --force to replace it", target=target)
    if not target.parent.is_dir():
        raise CannotBackUp("backup.no_folder", "the folder {folder} does not exist", folder=target.parent)


def backup_sqlite(source: Path, target: Path, *, force: bool = False) -> BackupReport:
    """Copy the SQLite book at `source` to `target`, checked, owner-only."""
    source, target = source.resolve(), target.expanduser().absolute()
    if not source.is_file():
        raise CannotBackUp("backup.no_book", "there is no book at {source}", source=source)
    if target.exists() and target.resolve() == source:
        raise CannotBackUp("backup.itself", "the backup cannot replace the book itself")
    _check_target(target, force)
    temp = _private_temp(target)
    try:
        src = sqlite3.connect(source, timeout=30)
        dst = sqlite3.connect(temp)
        try:
            src.execute("PRAGMA busy_timeout = 30000")
            src.backup(dst)  # all pages in one step: one consistent snapshot
            dst.execute("PRAGMA journal_mode = DELETE")  # one self-contained file, no -wal beside it
            verdict = dst.execute("PRAGMA integrity_check").fetchone()[0]
            if verdict != "ok":
                raise CannotBackUp("backup.integrity", "the copy failed its integrity check: {verdict}",
                                   verdict=verdict)
            tables = [name for (name,) in dst.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
            counts = {t: dst.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
        finally:
            dst.close()
            src.close()
        os.chmod(temp, 0o600)
        os.replace(temp, target)
    except sqlite3.DatabaseError as exc:
        temp.unlink(missing_ok=True)
        raise CannotBackUp("backup.failed", "{source} cannot be copied: {error}", source=source, error=exc) from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return BackupReport(target, target.stat().st_size, counts)


@dataclass(frozen=True, slots=True)
class PgDump:
    argv: tuple[str, ...]
    password: str  # for PGPASSWORD, never shown

    def shown(self) -> str:
        """The command as an operator would type it."""
        import shlex

        return " ".join(shlex.quote(a) for a in self.argv)


def pg_dump_command(url: str, target: Path) -> PgDump:
    """The pg_dump command that copies the book at a postgresql:// `url` to `target`."""
    parts = urlparse(url)
    name = unquote(parts.path.lstrip("/"))
    if not name:
        raise CannotBackUp("backup.no_database", "{scheme}://… names no database", scheme=parts.scheme)
    argv = ["pg_dump", "--format=custom", f"--file={target}"]
    if parts.hostname:
        argv.append(f"--host={parts.hostname}")
    if parts.port:
        argv.append(f"--port={parts.port}")
    if parts.username:
        argv.append(f"--username={unquote(parts.username)}")
    argv.append(f"--dbname={name}")
    return PgDump(tuple(argv), unquote(parts.password or ""))


def pg_guidance(url: str, target: Path) -> str:
    """What to run to back up a PostgreSQL book, in plain words."""
    dump = pg_dump_command(url, target)
    return (
        "This book is on a PostgreSQL server; back it up with the server's own tool:\n"
        f"  {dump.shown()}\n"
        "The password comes from PGPASSWORD or ~/.pgpass (it is not shown here).\n"
        f"Restore into an empty database with: pg_restore --dbname=NEW_DATABASE {target}\n"
        "Or run this command with --run-pg-dump to let guanjia run pg_dump for you."
    )


def run_pg_dump(url: str, target: Path, *, force: bool = False) -> BackupReport:
    """Run pg_dump for the book at `url` into `target`, owner-only."""
    target = target.expanduser().absolute()
    _check_target(target, force)
    if shutil.which("pg_dump") is None:
        raise CannotBackUp("backup.no_pg_dump", "pg_dump is not installed here (apt-get install postgresql-client)")
    temp = _private_temp(target)
    dump = pg_dump_command(url, temp)
    env = dict(os.environ)
    if dump.password:
        env["PGPASSWORD"] = dump.password  # in the environment, never in the command line others can see
    try:
        done = subprocess.run(dump.argv, env=env, capture_output=True, text=True, timeout=6 * 3600,
                              preexec_fn=lambda: os.umask(0o077))
        if done.returncode != 0:
            raise CannotBackUp("backup.pg_dump_failed", "pg_dump failed: {error}",
                               error=(done.stderr.strip().splitlines() or ["no message"])[-1])
        os.chmod(temp, 0o600)
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return BackupReport(target, target.stat().st_size)
