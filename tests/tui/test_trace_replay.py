"""The support trace: the line records every byte to and from the phone; `guanjia replay` plays it back
to the phone's parser and yields the events the live line saw.

Recorded from the line worker on the simulated phone through a real pty (calls, texts long and short, a
text sent and its delivery report), then played by `guanjia replay` in its own process.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from pathlib import Path

import pytest

from modem import port
from modem.events import as_dict
from modem.phone import Phone
from modem.sim import SimPhone
from modem.trace import Recorder, records
from store import lease, messages
from store.db import close_book, open_book, using
from store.models import Message
from tests.tui.test_worker import until
from tui.worker import LineWorker

GUANJIA = str(Path(sys.executable).with_name("guanjia"))
CUSTOMER = "13912345678"


@pytest.fixture
def book(sqlite_book):
    return sqlite_book


class Watched(Phone):
    """The line's phone, every event it gives also kept for the test (as `guanjia monitor` would print it)."""

    seen: list = []

    def _emit(self, *events):
        Watched.seen.extend(events)
        super()._emit(*events)


async def _replay(*files: str, check: bool = True) -> tuple[list[dict], str]:
    proc = await asyncio.create_subprocess_exec(GUANJIA, "replay", *files, stdout=asyncio.subprocess.PIPE,
                                                stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), 120)
    if check:
        assert proc.returncode == 0, err.decode()
    return [json.loads(line) for line in out.decode().splitlines()], err.decode()


async def _a_day_at_the_shop(sim: SimPhone, trace: str, *, mask: bool = False) -> list[dict]:
    """The line on the phone with a trace recording: texts in and out, a call missed, one answered."""
    Watched.seen = []
    recorder = Recorder(trace, mask=mask)
    port.add_tap(recorder.tap)
    sim.auto_report_after = 0.2
    worker = LineWorker(sim.path, name="counter", phone_factory=Watched, notify=lambda fact: None)
    running = asyncio.create_task(worker.run())
    try:
        await until(lambda: worker.phone is not None and worker.phone.state == "up", what="the line")
        await sim.deliver_sms(CUSTOMER, "明天还营业吗？")
        await sim.deliver_sms("+8613800138000", "这是一条很长的短信，" * 12, concat_reference=7)
        await until(lambda: Message.select().where(Message.direction == "in").count() == 2, what="texts kept")
        queued = messages.queue_text(CUSTOMER, "营业的，九点到晚上十点。")
        worker.poke()
        await until(lambda: Message.get_by_id(queued.id).status == "delivered", what="delivered")
        await sim.ring(CUSTOMER, rings=2, every=0.3, answer=True, hang_up_after=2.5)  # long enough for a +CLCC poll to see it
        await sim.ring("13800000001", rings=2, every=0.3)  # rings out: a missed call
        await until(lambda: any(e.kind == "call_ended" and e.number == "+8613800000001" for e in Watched.seen),
                    what="the missed call ended")
    finally:
        worker.stop()
        await asyncio.wait_for(running, 20)
        port.remove_tap(recorder.tap)
        recorder.close()
    return [as_dict(e) for e in Watched.seen]


def _same_events(played: list[dict], live: list[dict]) -> bool:
    """The same events in the same order; talk times within 50 ms, since the replay's clock is the trace's
    time stamps, taken a moment apart from the live line's own clock readings."""
    def without_talk(event: dict) -> dict:
        return {k: v for k, v in event.items() if k != "duration_s"}

    def close(a: dict, b: dict) -> bool:
        x, y = a.get("duration_s"), b.get("duration_s")
        return (x is None) == (y is None) and (x is None or abs(x - y) < 0.05)

    return (len(played) == len(live) and [without_talk(e) for e in played] == [without_talk(e) for e in live]
            and all(close(a, b) for a, b in zip(played, live)))


async def test_a_trace_replayed_gives_the_events_of_the_live_line(book, tmp_path):
    trace = str(tmp_path / "line.trace")
    async with SimPhone() as sim:
        live = await _a_day_at_the_shop(sim, trace)
    kinds = {e["event"] for e in live}
    assert {"sms_part", "delivery_report", "incoming_call", "call_answered", "call_ended", "line"} <= kinds
    played, notes = await _replay(trace)
    assert _same_events(played, live), (notes, played, live)
    assert "went its own way 0 time" in notes


async def test_a_masked_trace_holds_no_customer_number_and_still_replays(book, tmp_path):
    trace = str(tmp_path / "line.trace")
    async with SimPhone() as sim:
        live = await _a_day_at_the_shop(sim, trace, mask=True)
    text = Path(trace).read_text(encoding="utf-8")
    for number in (CUSTOMER, "13800138000", "13800000001"):
        assert number not in text
        assert "".join(number[i + 1] + number[i] for i in range(1, len(number) - 1, 2)) not in text  # nor in a PDU
    played, notes = await _replay(trace)
    assert [e["event"] for e in played] == [e["event"] for e in live], notes
    texts = [e["text"] for e in played if e["event"] == "sms_part"]
    assert "明天还营业吗？" in texts  # the words stay readable: only numbers are hidden
    callers = {e["number"] for e in played if e["event"] == "incoming_call"}
    assert len(callers) == 2 and not callers & {"+86" + CUSTOMER, "+8613800000001"}


def test_the_trace_rotates_and_a_later_file_alone_is_refused_in_words(tmp_path):
    trace = str(tmp_path / "t")
    recorder = Recorder(trace, max_bytes=2000, keep=3)
    recorder.opened("/dev/ttyUSB2")
    for n in range(200):
        recorder.record("in", f"\r\n+CSQ: {n % 31},99\r\n".encode())
    recorder.close()
    files = sorted(os.listdir(tmp_path))
    assert files == ["t", "t.1", "t.2", "t.3"]  # the newest and three before it, nothing more
    assert all(os.path.getsize(tmp_path / f) < 2200 for f in files)
    assert [r["b"] for r in records([f"{trace}.3", f"{trace}.2", f"{trace}.1", trace]) if "b" in r][-1] \
        == "\r\n+CSQ: 13,99\r\n"


async def test_replaying_a_later_file_alone_says_what_to_give(tmp_path):
    trace = str(tmp_path / "t")
    recorder = Recorder(trace)
    recorder.record("in", b"\r\nRING\r\n")
    recorder.close()
    proc = await asyncio.create_subprocess_exec(GUANJIA, "replay", trace, stderr=asyncio.subprocess.PIPE)
    _, err = await proc.communicate()
    assert proc.returncode == 2 and "oldest" in err.decode()


async def test_guanjia_line_writes_a_masked_trace(tmp_path):
    url = f"sqlite:///{tmp_path / 'book.db'}"
    db = open_book(url)
    trace = tmp_path / "line.trace"
    async with SimPhone() as sim:
        proc = await asyncio.create_subprocess_exec(GUANJIA, "line", "--port", sim.path, "--trace", str(trace),
                                                    "--mask-numbers", env={**os.environ, "GUANJIA_DB": url},
                                                    stderr=asyncio.subprocess.DEVNULL)
        try:
            with using(db):
                await until(lambda: lease.current() is not None, what="the line held")
                await until(lambda: any(c.startswith("AT+CNMI") for c in sim.commands), what="set up")
                await sim.ring(CUSTOMER, rings=1, every=0.1)
                await until(lambda: "+CLIP" in trace.read_text(encoding="utf-8"), what="the ring traced")
        finally:
            proc.send_signal(signal.SIGTERM)
            await asyncio.wait_for(proc.wait(), 20)
    close_book(db)
    text = trace.read_text(encoding="utf-8")
    assert "AT+CNMI" in text and CUSTOMER not in text
    assert json.loads(text.splitlines()[0])["masked"] is True
