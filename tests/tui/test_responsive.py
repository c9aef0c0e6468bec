"""DESIGN invariant 5: the desk never blocks on I/O. A stuck database leaves the keyboard working."""

from __future__ import annotations

import threading

from store import search as store_search
from tests.tui.conftest import settle
from tui.screens.customers import CustomersScreen


async def test_keys_work_while_the_database_is_stuck(make_app, monkeypatch):
    release = threading.Event()
    entered = threading.Event()
    real_search = store_search.search

    def stuck_search(*args, **kwargs):
        entered.set()
        release.wait(30)  # a database server that stopped answering
        return real_search(*args, **kwargs)

    monkeypatch.setattr(store_search, "search", stuck_search)
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, CustomersScreen)
        for ch in "zs":
            await pilot.press(ch)
        for _ in range(100):  # until the search is really inside the database
            if entered.is_set():
                break
            await pilot.pause(0.02)
        assert entered.is_set()
        # The search is stuck in the database, yet the operator still moves about.
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, CustomersScreen)
        await pilot.press("f1")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "HelpScreen"
        release.set()
        await settle(pilot, app)
