"""Store fixtures: a fresh book on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import pytest

from store.db import close_book, open_book, using


@pytest.fixture(params=["sqlite", "postgres"])
def book_url(request, tmp_path):
    """The URL of a fresh, empty book on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'book' / 'guanjia.db'}"
    return request.getfixturevalue("pg_server").new_database()


@pytest.fixture
def book(book_url):
    """An open, migrated book with the models bound to it, on each backend."""
    db = open_book(book_url)
    with using(db):
        yield db
    close_book(db)
