"""`make run` with no phone: the demo's simulated phone rings by itself, and on a key."""

from __future__ import annotations

import asyncio

from tests.tui.conftest import screen_text, settle
from tui.app import GuanjiaApp
from tui.live import Live
from tui.screens.book import Book
from tui.widgets.banner import RingBanner


async def _until(pilot, predicate, tries: int = 300):
    for _ in range(tries):
        if predicate():
            return True
        await pilot.pause(0.05)
    return False


async def test_the_demo_rings_on_r_and_the_caller_is_on_screen(book):
    def live(app):
        return Live(app.post_message, port="sim://", name="demo", demo=True)

    app = GuanjiaApp(Book(), language="en", live=live)
    async with app.run_test(size=(80, 24)) as pilot:
        # Not settle(): the live feed is a worker that runs until the app quits.
        assert await _until(pilot, app.live.can_ring), "the demo phone never came up"
        await pilot.pause()
        assert "Ring" in screen_text(app)  # the key shows in the footer once the phone is up
        await pilot.press("r")
        banner = app.screen.query_one(RingBanner)
        assert await _until(pilot, lambda: banner.has_class("ringing")), "no ring on screen"
        app.live.stop()
        await asyncio.sleep(0)


async def test_without_the_demo_there_is_no_ring_key(make_app):
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("r")
        await settle(pilot, app)
        assert not app.screen.query_one(RingBanner).has_class("ringing")
        assert " Ring " not in screen_text(app)
