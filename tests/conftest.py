"""Fixtures shared by every test package."""

from __future__ import annotations

import pytest

from tests.pgserver import PgServer


@pytest.fixture(scope="session")
def pg_server():
    """A real PostgreSQL server on loopback for the whole run (started once)."""
    server = PgServer().start()
    yield server
    server.stop()


@pytest.fixture
def sqlite_book(tmp_path):
    """An open book on SQLite only, bound to the models: what only SQLite has (files, WAL, locking),
    and the parts that only need some book (the line worker, the live feed)."""
    from store.db import close_book, open_book, using

    db = open_book(f"sqlite:///{tmp_path / 'book' / 'guanjia.db'}")
    with using(db):
        yield db
    close_book(db)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, monkeypatch):
    """No test reads or writes the real user's config or data."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("GUANJIA_DB", raising=False)
    # The command line speaks LANG's language: tests that expect English words get an English locale
    # whatever the machine's (tests of the Chinese command line set LANG themselves).
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
