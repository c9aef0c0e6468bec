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


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, monkeypatch):
    """No test reads or writes the real user's config or data."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("GUANJIA_DB", raising=False)
