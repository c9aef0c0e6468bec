"""A text the phone hands over but nobody can read (issue 10, "keep what can't be read"):
through the real worker and the simulated phone on a pty it becomes a kept text with a
note the operator sees in the customer's thread, and it leaves the phone only once kept."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone

import pytest

from modem.phone import Phone
from modem.sim import SimPhone
from modem.sms_fields import timestamp_octets
from store import messages
from store.customers import add_customer
from store.models import Message
from tests.tui.conftest import screen_text
from tui.app import GuanjiaApp
from tui.i18n import t
from tui.live import Live
from tui.screens.book import Book
from tui.screens.messages import MessagesScreen

pytestmark = pytest.mark.timeout(90)

# From 13912340001 (not in the demo book), sent just now (the newest thread comes first);
# DCS 0x39 (compressed, class 1): the user data is not text.
_NOW = timestamp_octets(datetime.now(timezone(timedelta(hours=8))).replace(microsecond=0)).hex().upper()
COMPRESSED = "00" "04" "0D91683119320400F1" "00" "39" + _NOW + "05" "D4F29C2E03"
BROKEN = "00" "04" "0D91683119320400F1" "00"  # ends before its time stamp


def _quick_phone(url, **kwargs):
    return Phone(url, ring_timeout_s=0.8, call_poll_s=0.3, health_every_s=2.0, max_backoff_s=0.5, **kwargs)


async def _until(pilot, predicate, tries: int = 400) -> bool:
    for _ in range(tries):
        if predicate():
            return True
        await pilot.pause(0.05)
    return False


@pytest.fixture
async def sim():
    async with SimPhone() as phone:
        yield phone


def _app(sim: SimPhone, language: str) -> GuanjiaApp:
    return GuanjiaApp(Book(), language=language, live=lambda app: Live(
        app.post_message, port=sim.path, name="counter", phone_factory=_quick_phone))


def _kept() -> Message | None:
    return Message.get_or_none((Message.direction == "in") & (Message.error != ""))


def _on_phone(sim: SimPhone) -> int:
    return sum(memory.used for memory in sim.memories.values())


@pytest.mark.parametrize("language", ["en", "zh"])
async def test_a_compressed_text_is_kept_and_shown_in_the_thread_as_such(book, sim, language):
    add_customer("王芳", ["13912340001"])
    Message.update(is_read=True).execute()  # the demo's texts read: the new one alone decides the order
    app = _app(sim, language)
    async with app.run_test(size=(80, 24)) as pilot:
        assert await _until(pilot, lambda: app.live.worker.phone is not None
                            and app.live.worker.phone.state == "up"), "the line never came up"
        index = sim.memories["ME"].put(COMPRESSED)
        sim.urc(f'+CMTI: "ME",{index}')
        assert await _until(pilot, lambda: _kept() is not None)
        assert await _until(pilot, lambda: _on_phone(sim) == 0), "kept, but never deleted from the phone"
        kept = _kept()
        assert kept.body == t("text.compressed") and kept.error == f"compressed: {COMPRESSED}"
        assert kept.number == "+8613912340001" and kept.customer_id is not None
        await pilot.press("f4")
        assert await _until(pilot, lambda: isinstance(app.screen, MessagesScreen) and app.screen.threads)
        assert app.screen.threads[0].name == "王芳"  # the newest text: first, and highlighted
        assert await _until(pilot, lambda: t("text.compressed")[:12] in screen_text(app)), screen_text(app)
        assert "0X" not in screen_text(app) and "D4F29C" not in screen_text(app)  # no garbage, no hex
        app.live.stop()
        await app.workers.wait_for_complete()


async def test_an_unreadable_text_stays_on_the_phone_until_it_is_kept(book, sim, monkeypatch):
    """Invariant 1 for the unreadable too: the book refused the row, so the phone still has it."""
    refused = asyncio.Event()

    def broken(*args, **kwargs):
        refused.set()
        raise RuntimeError("disk full")

    monkeypatch.setattr(messages, "save_unreadable", broken)
    sim.memories["ME"].put(BROKEN)
    app = _app(sim, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        assert await _until(pilot, refused.is_set), "the worker never tried to keep it"
        assert _on_phone(sim) == 1
        app.live.stop()
        await app.workers.wait_for_complete()
    monkeypatch.undo()
    app = _app(sim, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        assert await _until(pilot, lambda: _kept() is not None)
        assert await _until(pilot, lambda: _on_phone(sim) == 0)
        kept = _kept()
        assert kept.body == t("text.unreadable") and kept.error == f"unreadable: {BROKEN}"
        assert kept.number == "+8613912340001"  # its start still said who sent it
        app.live.stop()
        await app.workers.wait_for_complete()
