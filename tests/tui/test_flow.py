"""The whole desk on a real live feed: a simulated phone on a real pty, the real worker, the real app.

Ring → card → hang-up → composer → send → delivered, and the cable pulled
mid-call and mid-send: the desk keeps running, says so, and comes back.
"""

from __future__ import annotations

import asyncio

import pytest

from modem.phone import Phone
from modem.sim import SimPhone
from store.customers import add_customer
from store.models import Call, Message
from tests.tui.conftest import screen_text
from tui.app import GuanjiaApp
from tui.i18n import t
from tui.live import Live
from tui.screens.book import Book
from tui.screens.customers import CustomersScreen
from tui.screens.desk import DeskScreen
from tui.widgets.banner import RingBanner

pytestmark = pytest.mark.timeout(90)


def _quick_phone(url, **kwargs):
    return Phone(url, ring_timeout_s=0.8, call_poll_s=0.3, health_every_s=2.0, max_backoff_s=0.5, **kwargs)


async def _until(pilot, predicate, tries: int = 400) -> bool:
    # Not settle(): the live feed is a worker that runs until the app quits.
    for _ in range(tries):
        if predicate():
            return True
        await pilot.pause(0.05)
    return False


@pytest.fixture
async def sim():
    """A simulated phone that outlives the worker, as a real phone outlives the program."""
    async with SimPhone() as phone:
        yield phone


def _app(sim: SimPhone, language: str = "en") -> GuanjiaApp:
    def live(app):
        return Live(app.post_message, port=sim.path, name="counter", phone_factory=_quick_phone)

    return GuanjiaApp(Book(), language=language, live=live)


def _line_up(app) -> bool:
    return app.live.worker.phone is not None and app.live.worker.phone.state == "up"


async def _queue_from_composer(pilot, app, number: str, body: str) -> int:
    """Write a text in the composer and confirm it, as the operator does; the queued message's id."""
    composer = app.screen.composer
    if composer.number != number:
        composer.address(number)
    composer.set_body(body)
    composer.query_one("#body").focus()
    await pilot.press("ctrl+s")
    assert await _until(pilot, lambda: not isinstance(app.screen, DeskScreen)), "no confirmation asked"
    await pilot.press("y")
    assert await _until(pilot, lambda: isinstance(app.screen, DeskScreen) and composer.message_id is not None)
    return composer.message_id


async def _stop(pilot, app) -> None:
    """Stop the live feed and let its last messages land while the desk is still whole."""
    app.live.stop()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_a_known_caller_rings_hangs_up_and_gets_a_text_that_is_delivered(book, sim):
    add_customer("周杰伦", ["+8613912345999"], notes="要靠窗的包间")
    app = _app(sim)
    async with app.run_test(size=(100, 30)) as pilot:
        assert await _until(pilot, lambda: _line_up(app)), "the line never came up"
        assert await _until(pilot, lambda: t("line.up") in screen_text(app))
        ringing = asyncio.create_task(sim.ring("13912345999", rings=2, every=0.3, answer=True, hang_up_after=1.0))
        banner = app.screen.query_one(RingBanner)
        assert await _until(pilot, lambda: banner.has_class("ringing")), "no ring on screen"
        assert await _until(pilot, lambda: "周杰伦" in screen_text(app)), "the caller's name is not shown"
        assert "要靠窗的包间" in screen_text(app)  # the card's notes, not just the banner
        await ringing

        composer = app.screen.composer
        assert await _until(pilot, lambda: not banner.has_class("ringing")), "the banner kept ringing"
        assert await _until(pilot, lambda: composer.number == "+8613912345999"), "composer not addressed"
        call = Call.get(Call.number == "+8613912345999")
        assert call.outcome == "answered"

        message_id = await _queue_from_composer(pilot, app, "+8613912345999", "周先生，包间已留好，周六见。")
        assert await _until(pilot, lambda: sim.sent), "the worker never sent the text"
        assert sim.sent[0].text == "周先生，包间已留好，周六见。"
        assert await _until(pilot, lambda: Message.get_by_id(message_id).status == "sent")
        for reference in Message.get_by_id(message_id).references.split(","):
            await sim.report(int(reference), 0)
        assert await _until(pilot, lambda: Message.get_by_id(message_id).status == "delivered")
        assert await _until(pilot, lambda: "● delivered" in screen_text(app)), "the operator never sees it"
        assert len(sim.sent) == 1
        await _stop(pilot, app)


async def test_the_phone_unplugged_mid_call_the_desk_keeps_going_and_keeps_the_call_once(book, sim):
    app = _app(sim)
    async with app.run_test(size=(100, 30)) as pilot:
        assert await _until(pilot, lambda: _line_up(app)), "the line never came up"
        ringing = asyncio.create_task(sim.ring("+8613800138111", rings=1, every=0.2, answer=True,
                                               hang_up_after=30.0))
        assert await _until(pilot, lambda: Call.get_or_none(Call.number == "+8613800138111") is not None)
        assert await _until(pilot, lambda: app.screen.query_one(RingBanner).has_class("ringing"))
        await sim.vanish()
        gone = (t("line.reconnecting"), t("line.down"))
        assert await _until(pilot, lambda: any(word in screen_text(app) for word in gone)), "the desk never said"

        # The desk still answers the keyboard while the line is gone.
        await pilot.press("f3")
        assert await _until(pilot, lambda: isinstance(app.screen, CustomersScreen)), "F3 did nothing"
        await pilot.press("escape")
        assert await _until(pilot, lambda: isinstance(app.screen, DeskScreen)), "Esc did not come back"

        await sim.come_back()
        assert await _until(pilot, lambda: _line_up(app)), "the line never came back"
        assert await _until(pilot, lambda: t("line.up") in screen_text(app)), "the desk never said it is back"
        ringing.cancel()
        await asyncio.gather(ringing, return_exceptions=True)
        await pilot.pause(0.5)
        assert Call.select().where(Call.number == "+8613800138111").count() == 1
        await _stop(pilot, app)


async def test_the_phone_unplugged_mid_send_leaves_the_text_unknown_and_never_resends_it(book, sim):
    sim.send_delay = 1.0  # the network takes its time: the cable goes in the meantime
    app = _app(sim)
    async with app.run_test(size=(100, 30)) as pilot:
        assert await _until(pilot, lambda: _line_up(app)), "the line never came up"
        message_id = await _queue_from_composer(pilot, app, "+8613800138000", "发送中断线")
        assert await _until(pilot, lambda: Message.get_by_id(message_id).status == "sending")
        await pilot.pause(0.2)
        await sim.vanish()
        assert await _until(pilot, lambda: Message.get_by_id(message_id).status != "sending"), "no verdict"
        assert Message.get_by_id(message_id).status == "unknown"
        assert await _until(pilot, lambda: "● unknown" in screen_text(app)), "the operator is not told"
        sent_before = len(sim.sent)
        await sim.come_back()
        assert await _until(pilot, lambda: _line_up(app)), "the line never came back"
        await pilot.pause(1.5)  # a worker that resent would have done it by now
        assert len(sim.sent) == sent_before
        assert Message.get_by_id(message_id).status == "unknown"
        await _stop(pilot, app)
