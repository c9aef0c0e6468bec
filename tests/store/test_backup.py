"""Backups: a consistent SQLite copy while another terminal writes; pg_dump guidance and runs."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from pathlib import Path

import pytest

from store.customers import NewCustomer, add_many
from store.db import close_book, open_book, using
from store.io.backup import (CannotBackUp, backup_sqlite, pg_dump_command, pg_guidance, run_pg_dump,
                             sqlite_path)


@pytest.fixture
def book_file(tmp_path):
    path = tmp_path / "shop" / "guanjia.db"
    db = open_book(f"sqlite:///{path}")
    with using(db):
        add_many([NewCustomer(f"客户{i}", (f"1380013{i:04d}",)) for i in range(200)])
    close_book(db)
    return path


def test_sqlite_url_paths():
    assert sqlite_path("sqlite:////var/lib/guanjia.db") == Path("/var/lib/guanjia.db")
    assert sqlite_path("sqlite:///book.db") == Path("book.db")


def test_a_copy_taken_while_a_terminal_writes_is_consistent(book_file, tmp_path):
    stop = threading.Event()
    written = []

    def terminal():
        db = open_book(f"sqlite:///{book_file}")
        with using(db):
            i = 0
            while not stop.is_set() or i < 20:
                add_many([NewCustomer(f"新客{i}", (f"1390013{i:04d}",))])
                written.append(i)
                i += 1
        close_book(db)

    writer = threading.Thread(target=terminal)
    writer.start()
    try:
        while len(written) < 5:
            stop.wait(0.01)
        report = backup_sqlite(book_file, tmp_path / "copy.db")
    finally:
        stop.set()
        writer.join()
    assert report.counts["customer"] >= 205
    # Each customer went in with its number in one transaction: a torn copy would not match.
    assert report.counts["customer"] == report.counts["phone"]
    assert report.path.stat().st_mode & 0o777 == 0o600
    assert report.size == report.path.stat().st_size
    assert not Path(str(report.path) + "-wal").exists()
    with sqlite3.connect(report.path) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    copy_book = open_book(f"sqlite:///{report.path}")  # a backup is a book guanjia opens as it is
    close_book(copy_book)


def test_an_existing_file_is_kept_unless_forced(book_file, tmp_path):
    target = tmp_path / "copy.db"
    target.write_text("yesterday's backup")
    with pytest.raises(CannotBackUp, match="already exists; add --force"):
        backup_sqlite(book_file, target)
    assert target.read_text() == "yesterday's backup"
    report = backup_sqlite(book_file, target, force=True)
    assert report.counts["customer"] == 200
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_refusals_say_why(book_file, tmp_path):
    with pytest.raises(CannotBackUp, match="cannot replace the book itself"):
        backup_sqlite(book_file, book_file, force=True)
    with pytest.raises(CannotBackUp, match="does not exist"):
        backup_sqlite(book_file, tmp_path / "no" / "such" / "dir.db")
    with pytest.raises(CannotBackUp, match="is a folder"):
        backup_sqlite(book_file, tmp_path)
    with pytest.raises(CannotBackUp, match="there is no book"):
        backup_sqlite(tmp_path / "missing.db", tmp_path / "x.db")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(CannotBackUp, match="cannot be copied"):
        backup_sqlite(junk, tmp_path / "y.db")
    assert not (tmp_path / "y.db").exists()


def test_pg_guidance_names_the_server_but_never_the_password(tmp_path):
    url = "postgresql://shop:s3cret%21@db.example:5433/guanjia"
    text = pg_guidance(url, tmp_path / "b.dump")
    assert "--host=db.example --port=5433 --username=shop --dbname=guanjia" in text
    assert "s3cret" not in text
    assert pg_dump_command(url, tmp_path / "b.dump").password == "s3cret!"


def test_run_pg_dump_on_a_real_server(pg_server, tmp_path):
    if shutil.which("pg_dump") is None:
        pytest.fail("pg_dump should be installed beside the PostgreSQL server the tests use")
    url = pg_server.new_database()
    db = open_book(url)
    with using(db):
        add_many([NewCustomer("张三", ("13800138000",))])
    close_book(db)
    report = run_pg_dump(url, tmp_path / "shop.dump")
    assert report.path.read_bytes().startswith(b"PGDMP")
    assert report.path.stat().st_mode & 0o777 == 0o600
    with pytest.raises(CannotBackUp, match="already exists"):
        run_pg_dump(url, tmp_path / "shop.dump")
    with pytest.raises(CannotBackUp, match="pg_dump failed"):
        run_pg_dump(url.rsplit("/", 1)[0] + "/no_such_db", tmp_path / "none.dump")
    assert not (tmp_path / "none.dump").exists()
