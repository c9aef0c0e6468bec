"""A campaign run end to end: the real line worker, the simulated phone on a real pty, a real SQLite book.

No mocks. The phone refuses some sends (+CMS ERROR), the network reports some
texts undelivered, the cable is pulled in the middle of a send, customers opt
out and get blocked while it runs, and the worker is stopped, killed mid-send
and restarted. What must hold at the end: every recipient has exactly one
outcome, nobody is texted twice, nobody left out is texted at all, and the
text whose fate a failure left unknown is never sent again by itself
(DESIGN invariant 2).
"""

from __future__ import annotations

import asyncio
import csv
import os
import signal
import sys
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

import peewee as pw
import pytest

from modem.sim import SimPhone
from store import campaigns, customers, lease, settings
from store.audience import Audience
from store.io.importer import import_file
from store.models import CampaignRecipient, Message
from tests.tui.test_worker import Running, until

ROOT = Path(__file__).resolve().parents[2]
UNDELIVERED = 64  # TP-ST 0x40: permanent error, the network gave up on the text


@pytest.fixture
def book(sqlite_book):
    return sqlite_book


@pytest.fixture
async def phone():
    """A simulated phone that takes a little time per text, as a real network does."""
    async with SimPhone() as sim:
        sim.send_delay = 0.005
        yield sim


def _shop_settings() -> None:
    # Far above what the phone can do, so the pacer never holds the test up; no quiet hours today.
    settings.set("texts_per_minute", 60_000)
    settings.set("quiet_start", "00:00")
    settings.set("quiet_end", "00:00")


def _import(tmp_path: Path, distinct: int, repeats: int) -> list[str]:
    """A shop's spreadsheet of `distinct` people, `repeats` of them listed twice (the number spelt another way).

    The import keeps each person once; the E.164 numbers, in file order.
    """
    numbers = [f"+86139{i:08d}" for i in range(distinct)]
    path = tmp_path / "会员.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        rows = csv.writer(out)
        rows.writerow(["姓名", "手机", "等级"])
        for i, number in enumerate(numbers):
            rows.writerow([f"客{i}", number[3:], "金卡"])
        for i in range(0, repeats * 7, 7):  # the same people again, spelt "+86 139 …" as another till exported them
            rows.writerow([f"客{i}号", f"+86 {numbers[i][3:6]} {numbers[i][6:10]} {numbers[i][10:]}", "金卡"])
    report = import_file(path, dry_run=False)
    assert (report.new, len(report.duplicates)) == (distinct, repeats)
    return numbers


def _outcomes(campaign_id: int) -> dict[str, str]:
    """Each recipient's one outcome, by number: skipped, or the state of the one text written for them."""
    rows = (CampaignRecipient.select(CampaignRecipient.number, CampaignRecipient.status, Message.status)
            .join(Message, on=(CampaignRecipient.message_id == Message.id), join_type=pw.JOIN.LEFT_OUTER)
            .where(CampaignRecipient.campaign == campaign_id).tuples())
    outcome = {}
    for number, status, text in rows:
        assert number not in outcome
        outcome[number] = "skipped" if status == "skipped" else text
    return outcome


class Network:
    """Delivery reports for what the phone sent, a moment after each send: some texts never reach the handset.

    Reports go out before the phone's one-byte references come round again, and
    only while the line is up and the phone is not waiting for a PDU after `> `
    (a phone set to +CNMI mode 2 holds its reports while the link is busy; and
    the network retries a report the phone was not there to take).
    """

    def __init__(self, sim: SimPhone, line: Running) -> None:
        self.sim = sim
        self.line = line
        self.reported = 0
        self.undelivered: set[str] = set()
        self.paused = False
        self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        while True:
            if not self.paused and self.sim.present and self.sim._pdu_wanted is None \
                    and getattr(self.line.worker.phone, "state", "") == "up":
                for n, text in enumerate(self.sim.sent[self.reported:], self.reported):
                    status = UNDELIVERED if n % 23 == 5 else 0
                    if status:
                        self.undelivered.add(text.recipient)
                    await self.sim.report(text.reference, status)
                    self.reported = n + 1
            await asyncio.sleep(0.02)

    def settled(self, campaign_id: int) -> bool:
        """Every text the phone sent is reported, and every report is in the book."""
        return self.reported == len(self.sim.sent) and Message.select().where(
            (Message.campaign_id == campaign_id) & (Message.references != "")
            & Message.status.in_(["delivered", "failed"])).count() == self.reported

    def stop(self) -> None:
        self._task.cancel()


def _asked(sim: SimPhone) -> int:
    """How many times the phone was asked to send (AT+CMGS)."""
    return sum(c.upper().startswith("AT+CMGS=") for c in sim.commands)


def _in_flight(sim: SimPhone, asked_before: int) -> bool:
    """A text asked for after `asked_before` reached the phone (its PDU is in) and the network is taking it
    (the phone waits for a PDU from the moment AT+CMGS comes in, so no PDU wanted means it came)."""
    return _asked(sim) > asked_before and sim._pdu_wanted is None and sim.commands[-1].upper().startswith("AT+CMGS=")


async def test_500_recipients_each_accounted_for_once_through_failures_and_a_pulled_cable(book, phone, tmp_path):
    _shop_settings()
    numbers = _import(tmp_path, 515, 15)
    # Left out at the start: ten opted out, five blocked.
    for number in numbers[100:110]:
        customers.opt_out(customers.customer_by_number(number), how="asked at the counter")
    for number in numbers[200:205]:
        customers.block(customers.customer_by_number(number))
    left_out = set(numbers[100:110]) | set(numbers[200:205])
    c = campaigns.create("双十一", "{name}您好，金卡会员本周九折。", Audience(tiers=("金卡",)))
    campaigns.start(c.id, now=datetime.now(timezone.utc))
    assert campaigns.progress(c.id).total == 500
    assert campaigns.progress(c.id).left_out == {"opted_out": 10, "blocked": 5}
    order = [r.number for r in CampaignRecipient.select().where(CampaignRecipient.campaign == c.id)
             .order_by(CampaignRecipient.id)]
    late_quitters, late_blocked = order[-6:-3], order[-3:]  # far behind the sending when they change their minds
    for _ in range(8):
        phone.fail_next_send(500, after=40)  # the network refuses one text in 41

    async with Running(phone) as line:
        network = Network(phone, line)
        try:
            await until(lambda: len(phone.sent) >= 100, what="a hundred texts")
            for number in late_quitters:  # they reply TD through the phone; the worker opts them out
                await phone.deliver_sms(number, "TD")
            for number in late_blocked:
                await asyncio.to_thread(lambda n=number: customers.block(customers.customer_by_number(n)))
            await until(lambda: all(customers.customer_by_number(n).opted_out for n in late_quitters),
                        what="the replies kept")

            await until(lambda: len(phone.sent) >= 250, timeout=60, what="half the campaign")
            phone.send_delay = 30.0  # the network takes its time with the next text; the cable goes meanwhile
            asked = _asked(phone)
            await until(lambda: _in_flight(phone, asked), what="a text in flight")
            await until(lambda: network.settled(c.id), what="the reports so far")
            network.paused = True
            await phone.vanish()
            await until(lambda: line.worker.phone.state != "up", what="the line down")
            phone.send_delay = 0.005
            await phone.come_back()
            await until(lambda: line.worker.phone.state == "up", what="the line back")
            network.paused = False

            await until(lambda: campaigns.progress(c.id).status == "finished", timeout=120, what="the end")
            await until(lambda: network.settled(c.id), what="the last reports")
        finally:
            network.stop()

    outcome = _outcomes(c.id)
    assert len(outcome) == 500 and set(outcome.values()) <= {"delivered", "failed", "unknown", "skipped"}
    by = Counter(outcome.values())
    assert {n for n, o in outcome.items() if o == "skipped"} == {*late_quitters, *late_blocked}
    assert by["unknown"] == 1  # the one in the phone's hands when the cable went
    refused = Message.select().where((Message.campaign_id == c.id) & (Message.status == "failed")
                                     & (Message.references == "")).count()
    assert refused == 8 and by["failed"] == 8 + len(network.undelivered)
    assert by["delivered"] == 500 - 6 - 1 - by["failed"]

    went = Counter(s.recipient for s in phone.sent)
    assert max(went.values()) == 1  # nobody twice
    assert not set(went) & (left_out | set(late_quitters) | set(late_blocked))  # nobody left out
    with_reference = {m.number for m in Message.select().where((Message.campaign_id == c.id)
                                                               & (Message.references != ""))}
    assert set(went) == with_reference  # what the phone sent is exactly what the book says went
    unknown = Message.get((Message.campaign_id == c.id) & (Message.status == "unknown"))
    assert unknown.number not in went  # the cable went first; and it was never sent again by itself
    assert Message.select().where(Message.campaign_id == c.id).count() == 494  # one text per recipient, no more

    p = campaigns.progress(c.id)
    assert (p.total, p.pending, p.queued, p.sent) == (500, 0, 0, 0)
    assert p.delivered + p.failed + p.unknown + p.skipped == p.done == 500
    assert (p.failed, p.unknown, p.skipped) == (by["failed"], 1, 6)


# `guanjia line` in its own process, killed without warning while a text is with the phone.
LINE = [sys.executable, "-m", "tui.cli", "line"]


async def test_stop_and_kill_mid_campaign_then_restart_nobody_twice_nobody_missed(book, phone, tmp_path,
                                                                                  monkeypatch):
    _shop_settings()
    numbers = _import(tmp_path, 120, 0)
    c = campaigns.create("回访", "{name}您好，感谢光临。", Audience())
    campaigns.start(c.id, now=datetime.now(timezone.utc))

    # A clean stop (the app quit) part-way.
    async with Running(phone, name="counter") as line:
        await until(lambda: len(phone.sent) >= 30, what="the first texts")
    assert campaigns.get(c.id).status == "running"
    first = len(phone.sent)

    # Then `guanjia line` takes over and is killed while the network is taking a text.
    url = f"sqlite:///{book.database}"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = await asyncio.create_subprocess_exec(*LINE, "--db", url, "--port", phone.path, cwd=ROOT, env=env)
    try:
        await until(lambda: len(phone.sent) >= first + 30, timeout=60, what="the headless line sending")
        phone.send_delay = 2.0
        asked = _asked(phone)
        await until(lambda: _in_flight(phone, asked), what="a text in flight")
        in_flight = Message.get(Message.status == "sending")
        child.send_signal(signal.SIGKILL)
    finally:
        await child.wait()
    assert child.returncode == -signal.SIGKILL
    await until(lambda: len(phone.sent) == asked, what="the network done with it")  # it went, after all
    phone.send_delay = 0.005
    assert Message.get_by_id(in_flight.id).status == "sending"

    # A new worker on the same book: a killed holder's lease goes stale (as after a reboot); sooner here.
    monkeypatch.setattr(lease, "STALE_AFTER", timedelta(seconds=1))
    async with Running(phone, name="counter") as line:
        await until(lambda: campaigns.progress(c.id).status == "finished", timeout=60, what="the campaign done")
        await asyncio.sleep(0.5)  # a resend would be on its way by now

    went = Counter(s.recipient for s in phone.sent)
    assert sorted(went) == sorted(numbers) and max(went.values()) == 1  # everyone once: nobody skipped, nobody twice
    assert Message.get_by_id(in_flight.id).status == "unknown"
    assert went[in_flight.number] == 1  # the one with the phone at the kill went once, and was not sent again
    texts = list(Message.select().where(Message.campaign_id == c.id))
    assert len(texts) == 120 and Counter(m.status for m in texts) == {"sent": 119, "unknown": 1}
    p = campaigns.progress(c.id)
    assert (p.total, p.sent, p.unknown, p.pending, p.queued, p.skipped) == (120, 119, 1, 0, 0, 0)


async def test_a_stop_lets_the_text_with_the_phone_finish_rather_than_leave_it_unknown(book, phone, tmp_path):
    _shop_settings()
    _import(tmp_path, 3, 0)
    c = campaigns.start(campaigns.create("回访", "{name}您好", Audience()).id, now=datetime.now(timezone.utc))
    phone.send_delay = 1.0
    async with Running(phone) as line:
        await until(lambda: _in_flight(phone, 0), what="the first text in flight")
        line.worker.stop()
        await asyncio.wait_for(line.task, 20)
    assert len(phone.sent) == 1
    # Its fate written; the next text may wait in the outbox (queued in its slot), nothing else was begun.
    statuses = Counter(m.status for m in Message.select().where(Message.campaign_id == c.id))
    assert statuses["sent"] == 1 and set(statuses) <= {"sent", "queued"}
    p = campaigns.progress(c.id)
    assert (p.sent, p.unknown, p.queued + p.pending) == (1, 0, 2)


async def test_a_report_on_the_first_part_while_the_second_goes_is_not_lost(book, phone, tmp_path):
    """The network reports part one undelivered before the phone has taken part two: the text is failed."""
    _shop_settings()
    _import(tmp_path, 1, 0)
    body = "{name}您好！" + "本周金卡会员全场九折，满两百再送甜品一份，欢迎光临。" * 3
    c = campaigns.start(campaigns.create("长短信", body, Audience()).id, now=datetime.now(timezone.utc))
    phone.send_delay = 0.5
    async with Running(phone) as line:
        await until(lambda: len(phone.sent) == 1, what="part one taken")
        await phone.report(phone.sent[0].reference, UNDELIVERED)
        text = await until(lambda: (m := Message.get(Message.campaign_id == c.id)).status != "sending" and m,
                           what="the text sent")
        for part in phone.sent[1:]:
            await phone.report(part.reference, 0)
        await until(lambda: Message.get_by_id(text.id).status == "failed", what="the text failed")
        # The desk hears of it just after the row is written.
        await until(lambda: line.kinds("outbox")[-1]["status"] == "failed", what="the desk told it failed")
        assert len(phone.sent) >= 2
    assert "part" in Message.get_by_id(text.id).error


async def test_in_quiet_hours_the_operators_texts_go_and_the_campaign_waits(book, phone, tmp_path):
    from zoneinfo import ZoneInfo

    from store import messages

    _import(tmp_path, 5, 0)
    local = datetime.now(ZoneInfo("Asia/Shanghai"))
    settings.set("texts_per_minute", 60_000)
    settings.set("quiet_start", (local - timedelta(hours=1)).strftime("%H:%M"))
    settings.set("quiet_end", (local + timedelta(hours=1)).strftime("%H:%M"))
    c = campaigns.start(campaigns.create("夜里别发", "{name}您好", Audience()).id, now=datetime.now(timezone.utc))
    phone.send_delay = 0.3  # long enough for the campaign to be topped up in the meantime, if it were allowed
    async with Running(phone) as line:
        for n in range(3):
            queued = await asyncio.to_thread(messages.queue_text, "13800138000", f"您的包间已订好 {n}")
            line.worker.poke()
            await until(lambda q=queued: Message.get_by_id(q.id).status == "sent", what="the operator's text")
        await asyncio.sleep(0.5)
    assert [s.text for s in phone.sent] == [f"您的包间已订好 {n}" for n in range(3)]
    p = campaigns.progress(c.id)
    assert (p.status, p.pending, p.queued, p.sent) == ("running", 5, 0, 0)
