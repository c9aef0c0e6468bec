"""No caller lost to a crash: calls going on across a killed or quit line holder, settled by the next one.

The holder is a real `guanjia line` process on the simulated phone's pty,
killed with SIGKILL as a power cut or a crash would; the next holder is the line
worker as the desk runs it. What must hold: a call ringing or being talked
across the kill is one row, followed to its end by the next holder; a call that
ended while nobody held the line is "ended, outcome unknown", never open for
ever; a call that began in the gap is kept as any call.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest

from modem.sim import SimPhone
from store import lease
from store.models import Call
from modem.phone import Phone
from tests.tui.test_worker import Running as QuickRunning
from tests.tui.test_worker import until

GUANJIA = str(Path(sys.executable).with_name("guanjia"))


@pytest.fixture
def book(sqlite_book):
    return sqlite_book


@pytest.fixture
async def phone():
    async with SimPhone() as sim:
        yield sim


async def _line(book, sim: SimPhone) -> asyncio.subprocess.Process:
    """`guanjia line` on this book and phone, holding the line and listening."""
    asked = len(sim.commands)
    proc = await asyncio.create_subprocess_exec(GUANJIA, "line", "--db", f"sqlite:///{book.database}",
                                                "--port", sim.path, "--name", "back-office",
                                                env={**os.environ}, stderr=asyncio.subprocess.DEVNULL)
    await until(lambda: (h := lease.current()) is not None and h.pid == proc.pid, what="the line held")
    await until(lambda: any(c.startswith("AT+CNMI") for c in sim.commands[asked:]), what="the phone set up")
    return proc


async def _kill(proc: asyncio.subprocess.Process) -> None:
    proc.send_signal(signal.SIGKILL)
    await proc.wait()


class Running(QuickRunning):
    """The worker as test_worker runs it, on a phone that waits a little longer before a ring counts as over:
    the rings come from this very event loop, which a loaded machine may hold up for most of a second."""

    def __init__(self, sim: SimPhone, name: str = "counter") -> None:
        super().__init__(sim, name)
        self.worker._phone_factory = lambda url, **kw: Phone(url, ring_timeout_s=3.0, call_poll_s=0.3,
                                                             health_every_s=2.0, max_backoff_s=0.5, **kw)


def _hang_up(sim: SimPhone) -> None:
    """The caller hangs up (the sim's handset, while maybe nobody listens)."""
    sim.call = None
    sim.urc("NO CARRIER")


def _calls() -> list[Call]:
    return list(Call.select().order_by(Call.id))


async def test_a_call_talked_across_a_kill_is_followed_to_its_end_as_one_call(book, phone):
    proc = await _line(book, phone)
    try:
        await phone.ring("13900000001", rings=1, every=0.1, answer=True)  # picked up on the handset, talking
        await until(lambda: _calls() and _calls()[0].answered_at is not None, what="the answer written")
    finally:
        await _kill(proc)
    answered_at = _calls()[0].answered_at
    async with Running(phone) as line:
        assert line.worker.holder is not None  # the dead holder's fresh heartbeat did not keep us waiting
        await until(lambda: line.worker.phone.tracker.in_call, what="the phone's call followed")
        _hang_up(phone)
        await until(lambda: _calls()[0].ended_at is not None, what="the end written")
        finished = line.kinds("finished")
    rows = _calls()
    assert len(rows) == 1  # one call, not a second row for the part after the kill
    call = rows[0]
    assert call.outcome == "answered" and call.answered_at == answered_at
    assert call.duration_s == round((call.ended_at - call.answered_at).total_seconds())  # the whole talk
    assert [f["outcome"] for f in finished] == ["answered"]


async def test_a_call_that_ended_while_nobody_held_the_line_is_settled_as_unknown(book, phone):
    proc = await _line(book, phone)
    try:
        await phone.ring("13900000002", rings=1, every=0.1, answer=True)
        await until(lambda: _calls() and _calls()[0].answered_at is not None, what="the answer written")
    finally:
        await _kill(proc)
    _hang_up(phone)  # the talk ends in the gap: nobody sees it
    assert _calls()[0].ended_at is None
    async with Running(phone) as line:
        await until(lambda: _calls()[0].ended_at is not None, what="the call settled")
        assert not line.kinds("finished")  # an old call: nobody is offered a reply to it
    rows = _calls()
    assert len(rows) == 1
    assert rows[0].outcome == "unknown" and rows[0].answered_at is not None  # it was answered: that stays known
    # Still so after another start: settled once, for good.
    async with Running(phone):
        pass
    assert [(c.outcome, c.ended_at is not None) for c in _calls()] == [("unknown", True)]


async def test_a_call_ringing_across_a_kill_is_recorded_once_and_missed_once(book, phone):
    proc = await _line(book, phone)
    ringing = asyncio.create_task(phone.ring("13900000003", rings=40, every=0.3))
    try:
        await until(lambda: len(_calls()) == 1, what="the ring written")
    finally:
        await _kill(proc)
    async with Running(phone) as line:
        await until(lambda: line.kinds("ringing"), what="the ring shown again")
        assert line.kinds("ringing")[0]["number"] == "+8613900000003"
        phone.call = None  # the caller gives up
        await ringing
        await until(lambda: _calls()[0].ended_at is not None, what="the call ended")
    rows = _calls()
    assert len(rows) == 1
    assert rows[0].number == "+8613900000003" and rows[0].outcome == "missed" and rows[0].callback == "pending"


async def test_a_call_that_began_while_nobody_held_the_line_is_kept(book, phone):
    proc = await _line(book, phone)
    await _kill(proc)
    ringing = asyncio.create_task(phone.ring("13900000004", rings=40, every=0.3))
    await until(lambda: phone.call is not None, what="the ring")
    try:
        async with Running(phone) as line:
            await until(lambda: len(_calls()) == 1, what="the call written")
            phone.call = None
            await until(lambda: _calls()[0].ended_at is not None, what="the call ended")
            assert line.kinds("ringing")
    finally:
        await ringing
    rows = _calls()
    assert len(rows) == 1 and rows[0].outcome == "missed"


async def test_a_clean_stop_mid_call_leaves_the_next_start_to_settle_it(book, phone):
    async with Running(phone) as line:
        await phone.ring("13900000005", rings=1, every=0.1, answer=True)
        await until(lambda: _calls() and _calls()[0].answered_at is not None, what="the answer written")
    # The desk quit (Ctrl+Q) mid-call: the phone's call goes on without us; then it ends.
    assert _calls()[0].ended_at is None
    _hang_up(phone)
    async with Running(phone) as line:
        await until(lambda: _calls()[0].ended_at is not None, what="the call settled")
    assert [c.outcome for c in _calls()] == ["unknown"]


# At the counter: the desk shows what the next start made of the call.

def _desk(sim: SimPhone, language: str):
    from tests.tui.test_worker import _quick_phone
    from tui.app import GuanjiaApp
    from tui.live import Live
    from tui.screens.book import Book

    def live(app):
        return Live(app.post_message, port=sim.path, name="counter", phone_factory=_quick_phone)

    return GuanjiaApp(Book(), language=language, live=live)


async def _shown(pilot, app, words: str, tries: int = 400) -> bool:
    from tests.tui.conftest import screen_text

    for _ in range(tries):
        if words in screen_text(app):
            return True
        await pilot.pause(0.05)
    return False


@pytest.mark.parametrize("language,settled,talking", [("zh", "不明", "通话"), ("en", "unknown", "talking")])
async def test_after_a_kill_mid_call_the_desk_shows_the_call_ended_outcome_unknown(book, phone, language, settled,
                                                                                   talking):
    from tests.tui.conftest import screen_text

    proc = await _line(book, phone)
    try:
        await phone.ring("13900000006", rings=1, every=0.1, answer=True)
        await until(lambda: _calls() and _calls()[0].answered_at is not None, what="the answer written")
    finally:
        await _kill(proc)
    _hang_up(phone)
    app = _desk(phone, language)
    async with app.run_test(size=(80, 24)) as pilot:
        assert await _shown(pilot, app, "139 0000 0006"), screen_text(app)
        assert await _shown(pilot, app, settled), screen_text(app)
        assert talking not in screen_text(app)
        app.live.stop()
        await app.workers.wait_for_complete()
    assert [c.outcome for c in _calls()] == ["unknown"]


async def test_quitting_the_desk_mid_call_leaves_nothing_open_after_the_next_start(book, phone):
    from tests.tui.conftest import screen_text

    app = _desk(phone, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(lambda: app.live.worker.phone is not None and app.live.worker.phone.state == "up",
                    what="the line")
        await phone.ring("13900000007", rings=1, every=0.1, answer=True)
        assert await _shown(pilot, app, "talking"), screen_text(app)
        await pilot.press("ctrl+q")
        await app.workers.wait_for_complete()
    assert _calls()[0].ended_at is None  # the phone's call went on without the desk
    _hang_up(phone)
    again = _desk(phone, "en")
    async with again.run_test(size=(80, 24)) as pilot:
        assert await _shown(pilot, again, "unknown"), screen_text(again)
        again.live.stop()
        await again.workers.wait_for_complete()
    assert [(c.outcome, c.ended_at is not None) for c in _calls()] == [("unknown", True)]
