"""Opening a book: a database URL becomes a connected, migrated peewee database.

`sqlite:///path` (the default, a file under the XDG data dir) or
`postgresql://user:password@host:port/name` for a chain of shops on one server.
"""

from __future__ import annotations

import os
import stat
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlparse

import peewee as pw

from store import migrations
from store.problems import Problem
from store.models import MODELS


class BookError(Problem):
    """The book cannot be opened; the message says why in plain words (and as a code, store.problems)."""


def default_url() -> str:
    """`GUANJIA_DB` if set, else guanjia.db in the XDG data dir."""
    if os.environ.get("GUANJIA_DB"):
        return os.environ["GUANJIA_DB"]
    base = os.environ.get("XDG_DATA_HOME", "").strip()
    root = Path(base) if base and os.path.isabs(base) else Path.home() / ".local/share"
    return f"sqlite:///{root / 'guanjia' / 'guanjia.db'}"


def is_postgres(db: pw.Database) -> bool:
    """True when the book lives on a PostgreSQL server."""
    return isinstance(db, pw.PostgresqlDatabase)


def _sqlite_path(url: str) -> Path:
    path = url[len("sqlite:///"):] if url.startswith("sqlite:///") else url[len("sqlite://"):]
    if not path:
        raise BookError("book.no_file", "{url!r} names no file: write sqlite:///path/to/guanjia.db", url=url)
    return Path(unquote(path)).expanduser()


def _prepare_sqlite_file(path: Path) -> None:
    # Owner-only: the book holds customers' names and numbers.
    if not path.parent.exists():
        try:
            path.parent.mkdir(mode=0o700, parents=True)
        except OSError as exc:
            raise BookError("book.no_folder", "cannot create the folder {folder}: {error}", folder=path.parent,
                            error=exc.strerror) from None
    if path.exists():
        if path.is_dir():
            raise BookError("book.folder", "{path} is a folder, not a database file", path=path)
        # The mode bit too: root may write anywhere, but a book marked read-only is meant to stay so.
        marked = not os.stat(path).st_mode & stat.S_IWUSR
        if marked or not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
            raise BookError("book.read_only", "{path} is read-only: guanjia needs to write to it and to its folder",
                            path=path)
        return
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, stat.S_IRUSR | stat.S_IWUSR)
        os.close(fd)
    except FileExistsError:
        pass
    except OSError as exc:
        raise BookError("book.cannot_create", "cannot create the database file {path}: {error}", path=path,
                        error=exc.strerror) from None


def _open_sqlite(url: str) -> pw.SqliteDatabase:
    path = _sqlite_path(url)
    _prepare_sqlite_file(path)
    with open(path, "rb") as f:
        head = f.read(16)
    if head and head != b"SQLite format 3\x00":
        raise BookError("book.not_sqlite", "{path} is not a guanjia book (not an SQLite database)", path=path)
    return pw.SqliteDatabase(
        str(path),
        timeout=10,  # the busy handler waits this long for another writer
        lock_type="IMMEDIATE",  # writers queue at BEGIN, so no read-then-write deadlock
        pragmas={"journal_mode": "wal", "synchronous": "normal", "foreign_keys": 1,
                 "busy_timeout": 10000, "cache_size": -65536, "temp_store": "memory"},
    )


def _open_postgres(url: str) -> pw.PostgresqlDatabase:
    parts = urlparse(url)
    name = parts.path.lstrip("/")
    if not name:
        raise BookError("book.no_database", "{url!r} names no database: write postgresql://user@host:port/name",
                        url=url)
    params = {"host": parts.hostname or None, "port": parts.port, "user": unquote(parts.username or "") or None,
              "password": unquote(parts.password or "") or None, "connect_timeout": 10}
    return pw.PostgresqlDatabase(unquote(name), **{k: v for k, v in params.items() if v is not None})


def open_book(url: str | None = None) -> pw.Database:
    """The book at `url` (default: `default_url()`), connected, migrated, and bound to the models."""
    url = (url or default_url()).strip()
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme == "sqlite":
        db: pw.Database = _open_sqlite(url)
    elif scheme in ("postgresql", "postgres"):
        db = _open_postgres(url)
    else:
        raise BookError("book.not_url", "{url!r} is not a database URL: use sqlite:///path or "
                        "postgresql://user@host/name", url=_shown(url))
    try:
        db.connect()
        if isinstance(db, pw.SqliteDatabase):
            db.execute_sql("SELECT count(*) FROM sqlite_master").fetchone()
        migrations.upgrade(db)
    except pw.OperationalError as exc:
        db.close()
        raise _plain(url, exc) from None
    except pw.DatabaseError as exc:
        db.close()
        raise BookError("book.unusable", "{url} cannot be used: {error}", url=_shown(url),
                        error=str(exc).strip()) from None
    db.bind(MODELS)
    return db


def _shown(url: str) -> str:
    parts = urlparse(url)
    if parts.password:  # never print a password
        return url.replace(":" + parts.password + "@", ":***@")
    return url


def _plain(url: str, exc: Exception) -> BookError:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if url.lower().startswith("postgres"):
        return BookError("book.no_server", "cannot reach the database server for {url}: {error}", url=_shown(url),
                         error=text)
    if "readonly" in text or "read-only" in text:
        return BookError("book.read_only_now", "{url} is read-only: {error}", url=_shown(url), error=text)
    return BookError("book.cannot_open", "cannot open {url}: {error}", url=_shown(url), error=text)


def close_book(db: pw.Database | None = None) -> None:
    """Close this thread's connection to the book (default: the one the models are bound to)."""
    db = db if db is not None else MODELS[0]._meta.database
    if db is not None and not db.is_closed():
        db.close()


@contextmanager
def using(db: pw.Database):
    """Bind the models to `db` for the block (several books in one process), then back."""
    with db.bind_ctx(MODELS):
        yield db
