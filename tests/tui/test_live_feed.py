"""The desk's live feed: worker facts become the screens' messages; other terminals' writes are seen."""

from __future__ import annotations

import asyncio

import pytest

from store import messages as outbox
from store.calls import call_started
from tui import messages as msg
from tui.live import Live, message_for
from tui.worker import Fact


@pytest.fixture
def book(sqlite_book):
    return sqlite_book


def test_every_fact_has_its_message():
    cases = [
        (Fact("ringing", {"call_id": 1, "number": "+8613800138000", "card": None}), msg.CallRinging),
        (Fact("finished", {"call_id": 1, "number": None, "outcome": "missed", "duration_s": 0}), msg.CallFinished),
        (Fact("text", {"message_id": 3, "number": "+86138", "body": "hi", "card": None}), msg.TextArrived),
        (Fact("line", {"state": "up", "detail": "Huawei E3372"}), msg.LineStateChanged),
        (Fact("held", {"state": "held", "detail": "office"}), msg.LineStateChanged),
        (Fact("signal", {"bars": 3}), msg.SignalChanged),
        (Fact("outbox", {"waiting": 2, "message_id": 5, "status": "sent"}), msg.OutboxChanged),
    ]
    for fact, kind in cases:
        assert isinstance(message_for(fact), kind)
    assert message_for(Fact("something new", {})) is None


async def test_a_terminal_without_the_line_sees_new_rows_within_half_a_second(book):
    posted: list = []
    live = Live(posted.append, port=None, name="counter-2")
    task = asyncio.create_task(live.run())
    await asyncio.sleep(0.4)
    assert any(isinstance(m, msg.LineStateChanged) and m.state == "none" for m in posted)
    # Another terminal (here: another thread) writes a call and queues a text.
    await asyncio.to_thread(call_started, "13800138000")
    await asyncio.to_thread(outbox.queue_text, "13800138000", "好的")
    loop = asyncio.get_running_loop()
    started = loop.time()
    while not any(isinstance(m, msg.BookChanged) for m in posted):
        assert loop.time() - started < 0.5 + 0.3, "not seen in time"
        await asyncio.sleep(0.02)
    await asyncio.sleep(0.4)
    waiting = [m.waiting for m in posted if isinstance(m, msg.OutboxChanged)]
    assert waiting[-1] == 1
    live.stop()
    await asyncio.wait_for(task, 5)
