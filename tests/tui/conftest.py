"""A small demo book on a temporary SQLite file, and the desk app over it with a frozen clock."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from store.db import open_book
from tui.app import GuanjiaApp
from tui.config import Config
from tui.demo import seed_demo
from tui.i18n import set_language
from tui.screens.book import Book

NOW = datetime(2026, 11, 25, 6, 30, tzinfo=timezone.utc)  # 14:30 at the shop in Shanghai


def screen_text(app) -> str:
    """What the terminal shows right now, as plain text lines."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


@pytest.fixture(scope="session")
def _cache_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def _no_user_cache(_cache_dir, monkeypatch):
    """The number-origin table is extracted once per run, never into the user's cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(_cache_dir))


@pytest.fixture
def book(tmp_path):
    """An open demo book (30 customers) bound to the store's models."""
    database = open_book(f"sqlite:///{tmp_path / 'book.db'}")
    seed_demo(30, now=NOW)
    yield database
    database.close()


@pytest.fixture
def make_app(book):
    """Build the desk app over the demo book in a given language."""

    def make(language: str = "zh", config: Config | None = None) -> GuanjiaApp:
        return GuanjiaApp(Book(now=lambda: NOW), config or Config(), language=language, clock=lambda: NOW)

    yield make
    set_language("zh")


async def steady(pilot) -> None:
    """Settle, and let every table measure its new rows, before a picture is taken.

    A DataTable widens its columns for new rows only when its message queue goes idle
    (Textual's `_on_idle`), so on a loaded machine a picture could catch the columns
    still as wide as their headers. The private flags read here are the ones that idle step clears.
    """
    from textual.widgets import DataTable

    app = pilot.app
    calm = 0
    for _ in range(100):  # calm twice running: a worker's reply may still have been on its way the first time
        await settle(pilot, app)
        await pilot.pause(0.02)
        tables = list(app.screen.query(DataTable))
        pending = any(t._require_update_dimensions or t._new_rows or t._updated_cells for t in tables)
        calm = 0 if pending else calm + 1
        if calm == 2:
            break
    for table in tables:
        table.refresh()
    await settle(pilot, app)


async def settle(pilot, app) -> None:
    """Let the thread workers finish and their messages be handled (a worker's reply may start another)."""
    from textual.worker import WorkerState

    for _ in range(6):
        await pilot.pause()
        busy = [w for w in app.workers if w.state in (WorkerState.PENDING, WorkerState.RUNNING)]
        if not busy:
            await pilot.pause()
            if not any(w.state in (WorkerState.PENDING, WorkerState.RUNNING) for w in app.workers):
                return
        await app.workers.wait_for_complete()
