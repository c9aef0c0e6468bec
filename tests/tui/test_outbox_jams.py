"""The outbox never jams: a text the network refuses for good fails with its reason and the queue moves on;
a temporary refusal (busy, no network) is tried again with growing waits, a bounded number of times.

The worker as the desk runs it, on the simulated phone through a real pty, the phone scripted to refuse
chosen sends with chosen +CMS codes.
"""

from __future__ import annotations

import asyncio

import pytest

from store import messages
from store.models import Message
from tests.tui.test_worker import Running, until
from tui import sending

NUMBERS = [f"+86139000010{n:02d}" for n in range(10)]


@pytest.fixture
def book(sqlite_book):
    return sqlite_book


@pytest.fixture
async def phone():
    from modem.sim import SimPhone

    async with SimPhone() as sim:
        yield sim


def _queue_ten() -> list[int]:
    return [messages.queue_text(number, f"第{n + 1}条").id for n, number in enumerate(NUMBERS)]


def _final(ids: list[int]) -> bool:
    return all(Message.get_by_id(i).status in ("sent", "failed", "unknown") for i in ids)


@pytest.mark.parametrize("temporary", [331, 515, 42])
async def test_ten_texts_the_third_refused_for_good_the_ninth_for_now(book, phone, temporary, monkeypatch):
    monkeypatch.setattr(sending, "BLIP_S", 0.2)
    # The sends in the order the phone sees them: the 3rd refused (network out of order), the 9th refused
    # for now (no network, busy, congestion); the 9th's second try goes.
    phone.fail_sends.extend([None, None, 38, None, None, None, None, None, temporary])
    ids = _queue_ten()
    async with Running(phone):
        await until(lambda: _final(ids), timeout=40, what="every text's fate")
    rows = [Message.get_by_id(i) for i in ids]
    assert [s.recipient for s in phone.sent] == [n for i, n in enumerate(NUMBERS) if i != 2]  # nine, in order
    assert [r.status for r in rows] == ["sent"] * 2 + ["failed"] + ["sent"] * 7
    assert "the network is out of order" in rows[2].error  # the reason, in words
    assert len({s.recipient for s in phone.sent}) == 9  # nothing sent twice


async def test_a_text_refused_for_now_every_time_fails_after_a_bounded_number_of_tries(book, phone, monkeypatch):
    monkeypatch.setattr(sending, "BLIP_S", 0.1)
    monkeypatch.setattr(sending, "TRY_AGAIN_AFTER_S", (0.2, 0.4, 0.8))
    ids = _queue_ten()
    # The first text meets "no network" on each of its tries; the others go through meanwhile.
    phone.refuse_to[NUMBERS[0]] = 331
    async with Running(phone):
        await until(lambda: _final(ids), timeout=40, what="every text's fate")
    rows = [Message.get_by_id(i) for i in ids]
    tried = 2 + len(sending.TRY_AGAIN_AFTER_S)  # the first, the blip's, one a wait
    assert rows[0].status == "failed"
    assert "there is no network" in rows[0].error and f"gave up after {tried} tries" in rows[0].error
    assert all(r.status == "sent" for r in rows[1:])
    assert len(phone.sent) == 9 and len({s.recipient for s in phone.sent}) == 9  # the others went, once each
    tries = [c for c in phone.commands if c.startswith("AT+CMGS")]
    assert len(tries) == 9 + tried  # bounded: it was not tried again after it failed


async def test_a_text_refused_for_now_does_not_hold_back_the_others(book, phone, monkeypatch):
    monkeypatch.setattr(sending, "BLIP_S", 0.1)
    monkeypatch.setattr(sending, "TRY_AGAIN_AFTER_S", (30.0,))
    ids = _queue_ten()
    phone.refuse_to[NUMBERS[0]] = 331  # no network for this one (as if its turn came in a dead spot)
    async with Running(phone):
        await until(lambda: all(Message.get_by_id(i).status == "sent" for i in ids[1:]), timeout=40,
                    what="the nine others sent")
        waiting = Message.get_by_id(ids[0])
        assert waiting.status == "queued" and "there is no network" in waiting.error  # waiting, and why
    assert [s.recipient for s in phone.sent] == NUMBERS[1:]
