"""Opening a book: permissions, pragmas, plain-words errors, several books in one process."""

from __future__ import annotations

import os
import stat

import pytest

from store import customers
from store.db import BookError, close_book, default_url, open_book, using
from store.models import Customer


def test_sqlite_book_is_private_wal_and_patient(tmp_path):
    path = tmp_path / "new" / "dir" / "guanjia.db"
    db = open_book(f"sqlite:///{path}")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute_sql("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute_sql("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    with using(db):
        customers.add_customer("张三")
    for side in ("-wal", "-shm"):  # SQLite gives its side files the book's own permissions
        assert stat.S_IMODE(os.stat(f"{path}{side}").st_mode) == 0o600
    close_book(db)


def test_default_url_follows_guanjia_db_then_xdg(tmp_path, monkeypatch):
    assert default_url() == f"sqlite:///{tmp_path / 'data' / 'guanjia' / 'guanjia.db'}"
    monkeypatch.setenv("GUANJIA_DB", "sqlite:///elsewhere.db")
    assert default_url() == "sqlite:///elsewhere.db"


@pytest.mark.parametrize("url, words", [
    ("mysql://x/y", "not a database URL"),
    ("nonsense", "not a database URL"),
    ("sqlite://", "names no file"),
    ("postgresql://nobody@127.0.0.1:1/none", "cannot reach the database server"),
    ("postgresql://u:secret@127.0.0.1:1/x", "u:***@"),
    ("postgresql://127.0.0.1:1/", "names no database"),
])
def test_bad_urls_say_what_is_wrong(url, words):
    with pytest.raises(BookError, match=words.replace("*", r"\*")):
        open_book(url)


def test_not_a_book_and_read_only(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_text("hello, this is not a database at all")
    with pytest.raises(BookError, match="not a guanjia book"):
        open_book(f"sqlite:///{junk}")
    folder = tmp_path / "ro"
    folder.mkdir()
    book = folder / "b.db"
    close_book(open_book(f"sqlite:///{book}"))
    book.chmod(0o400)
    with pytest.raises(BookError, match="read-only"):
        open_book(f"sqlite:///{book}")


def test_two_books_in_one_process(tmp_path, pg_server):
    a = open_book(f"sqlite:///{tmp_path / 'a.db'}")
    b = open_book(pg_server.new_database())
    with using(a):
        customers.add_customer("张三")
    with using(b):
        customers.add_customer("李四")
        customers.add_customer("王五")
        assert Customer.select().count() == 2
    with using(a):
        assert [c.name for c in Customer.select()] == ["张三"]
    close_book(a)
    close_book(b)
