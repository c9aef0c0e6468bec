"""The line worker between a real Phone (simulated, through a real pty) and a real book.

Each test runs the worker as it runs in the desk: modem events become rows,
outbox rows become AT commands, and the DESIGN invariants hold.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from modem.phone import Phone
from modem.sim import SimPhone
from store import calls, lease, messages
from store.customers import add_customer
from store.models import Call, Message, MessagePart
from tui import sending
from tui.pacing import Pacer
from tui.sending import classify_send_failure
from tui.worker import Fact, LineWorker


@pytest.fixture
def book(sqlite_book):
    return sqlite_book


def _quick_phone(url, **kwargs):
    return Phone(url, ring_timeout_s=0.8, call_poll_s=0.3, health_every_s=2.0, max_backoff_s=0.5, **kwargs)


async def until(predicate, timeout: float = 15.0, what: str = "condition"):
    """Wait for `predicate()` (run off the loop: it may read the book) to be truthy."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        value = await loop.run_in_executor(None, predicate)
        if value:
            return value
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


@pytest.fixture
async def phone():
    """A simulated phone on a real pty, outliving any one worker (as a real phone outlives the program)."""
    async with SimPhone() as sim:
        yield sim


class PaceSpy:
    """When the pacer was told a campaign text went to the phone, and when a change of settings took hold."""

    def __init__(self) -> None:
        self.handed_over: list[datetime] = []
        self.retuned: list[datetime] = []

    def gaps(self) -> list[timedelta]:
        return [b - a for a, b in zip(self.handed_over, self.handed_over[1:])]


@pytest.fixture
def pace(monkeypatch):
    spy = PaceSpy()
    started, retune = Pacer.started, Pacer.retune

    def started_spy(pacer, at=None):
        spy.handed_over.append(at)
        started(pacer, at)

    def retune_spy(pacer, *args, **kwargs):
        at, running = datetime.now(timezone.utc), hasattr(pacer, "rate")  # the worker's clock; not its first tuning
        if retune(pacer, *args, **kwargs) and running:
            spy.retuned.append(at)
            return True
        return False

    monkeypatch.setattr(Pacer, "started", started_spy)
    monkeypatch.setattr(Pacer, "retune", retune_spy)
    return spy


class Running:
    """A worker on the simulated phone's pty, running in the background of a test, its facts collected."""

    def __init__(self, sim: SimPhone, name: str = "counter") -> None:
        self.sim = sim
        self.facts: list[Fact] = []
        self.worker = LineWorker(sim.path, name=name, phone_factory=_quick_phone, notify=self.facts.append)
        self.task: asyncio.Task | None = None

    async def __aenter__(self) -> "Running":
        self.task = asyncio.create_task(self.worker.run())
        await until(lambda: self.worker.phone is not None and self.worker.phone.state == "up"
                    or any(f.kind == "held" for f in self.facts), what="the line")
        return self

    def kinds(self, kind: str) -> list[dict]:
        return [f.data for f in self.facts if f.kind == kind]

    async def __aexit__(self, *exc) -> None:
        self.worker.stop()
        await asyncio.wait_for(self.task, 20)


async def test_a_missed_call_is_kept_with_a_call_back_task_and_the_card(book, phone):
    add_customer("王芳", ["13800138000"], notes="喜欢靠窗")
    async with Running(phone) as line:
        await line.sim.ring("13800138000", rings=2, every=0.1)
        row = await until(lambda: Call.get_or_none(Call.outcome == "missed"), what="the missed call")
        ringing = line.kinds("ringing")
        assert ringing and ringing[0]["number"] == "+8613800138000"
        assert ringing[0]["card"].name == "王芳"
        await until(lambda: line.kinds("finished"), what="the finished fact")
    assert row.number == "+8613800138000" and row.callback == "pending"


async def test_the_line_keeps_the_task_list_up_to_date_by_itself_even_in_quiet_hours(book, phone, monkeypatch):
    """A missed call owes a call-back on the task list (and the desk's count) within a care round, with
    nobody opening the list; quiet hours hold texts back, not the list. The round is shortened from a minute."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from store import settings, tasks
    from tui import worker

    monkeypatch.setattr(worker, "CARE_EVERY_S", 0.1)
    local = datetime.now(ZoneInfo("Asia/Shanghai"))
    settings.set("quiet_start", (local - timedelta(hours=1)).strftime("%H:%M"))
    settings.set("quiet_end", (local + timedelta(hours=1)).strftime("%H:%M"))
    add_customer("王芳", ["13800138000"])
    async with Running(phone) as line:
        await line.sim.ring("13800138000", rings=2, every=0.1)
        await until(lambda: Call.get_or_none(Call.outcome == "missed"), what="the missed call")
        owed = await until(lambda: [r for r in tasks.today(refresh_first=False) if r.kind == "callback"],
                           what="the call-back on the task list")
    assert owed[0].name == "王芳" and owed[0].number == "+8613800138000"


async def test_an_answered_call_has_its_talk_time(book, phone):
    async with Running(phone) as line:
        await line.sim.ring("+8613900000001", rings=1, answer=True, hang_up_after=0.6)
        row = await until(lambda: Call.get_or_none(Call.outcome == "answered"), what="the answered call")
    assert row.answered_at is not None and row.callback in ("", "none", None)


async def test_a_withheld_caller_is_still_a_call(book, phone):
    async with Running(phone) as line:
        await line.sim.ring("", withheld=True, rings=2, every=0.1)
        row = await until(lambda: Call.get_or_none(Call.outcome == "missed"), what="the withheld call")
        assert line.kinds("ringing")[0]["presentation"] == "withheld"
    assert row.number == ""


async def test_a_text_is_kept_then_deleted_from_the_phone(book, phone):
    async with Running(phone) as line:
        await line.sim.deliver_sms("+8613800138000", "今晚还有包间吗？")
        kept = await until(lambda: Message.get_or_none(Message.direction == "in"), what="the text")
        await until(lambda: not any(line.sim.memories[m].used for m in line.sim.memories), what="deletion")
    assert kept.body == "今晚还有包间吗？" and kept.number == "+8613800138000"
    assert any(f.kind == "text" and f.data["message_id"] == kept.id for f in line.facts)


async def test_a_long_text_out_of_order_becomes_one_message(book, phone):
    body = "您好，" + "我们下周六想订一个十人的包间，" * 12
    async with Running(phone) as line:
        await line.sim.deliver_sms("+8613800138000", body, order=[2, 0, 3, 1] if len(body) > 201 else None)
        kept = await until(lambda: Message.get_or_none(Message.direction == "in"), what="the whole text")
        await until(lambda: MessagePart.select().count() == 0, what="parts cleared")
    assert kept.body == body and kept.parts >= 3


async def test_the_same_text_seen_twice_is_kept_once(book, phone):
    async with Running(phone) as line:
        indexes = await line.sim.deliver_sms("+8613800138000", "同一条", via="store")
        # Announced twice (a phone that repeats +CMTI), then found again by a storage scan.
        line.sim.urc(f'+CMTI: "{line.sim.cpms[2]}",{indexes[0]}')
        line.sim.urc(f'+CMTI: "{line.sim.cpms[2]}",{indexes[0]}')
        await until(lambda: Message.select().where(Message.direction == "in").count() == 1, what="the text")
        parts = await line.worker.phone.read_stored()
        for part in parts:
            await line.worker.handle(part)
        await asyncio.sleep(0.3)
    assert Message.select().where(Message.direction == "in").count() == 1


async def test_a_text_that_cannot_be_kept_stays_on_the_phone(book, phone, monkeypatch):
    """Invariant 1: the book refused the row, so the phone must still have the text."""
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(messages, "save_text", broken)
    async with Running(phone) as line:
        await line.sim.deliver_sms("+8613800138000", "别丢了我")
        await asyncio.sleep(1.0)
        assert sum(line.sim.memories[m].used for m in line.sim.memories) == 1
    monkeypatch.undo()
    # The next holder finds it in the phone's memory at connect and keeps it once.
    async with Running(phone) as line2:
        await until(lambda: Message.get_or_none(Message.direction == "in"), what="the text on restart")
    assert Message.select().where(Message.direction == "in").count() == 1


async def test_outbox_text_is_sent_and_delivered(book, phone):
    queued = messages.queue_text("13800138000", "您的包间已订好：周六 18:00，十位。")
    async with Running(phone) as line:
        sent = await until(lambda: (m := Message.get_by_id(queued.id)).status == "sent" and m, what="sent")
        assert sent.references
        for ref in sent.references.split(","):
            await line.sim.report(int(ref), 0)
        done = await until(lambda: (m := Message.get_by_id(queued.id)).status == "delivered" and m,
                           what="delivered")
        await until(lambda: any(f.data.get("status") == "delivered" for f in line.facts), what="the fact")
        statuses = [f.data.get("status") for f in line.facts if f.kind == "outbox"]
        assert line.sim.sent and line.sim.sent[-1].text.startswith("您的包间")
    assert done.delivered_at is not None
    assert statuses.index("sending") < statuses.index("sent") < statuses.index("delivered")


async def test_a_refused_text_fails_with_a_reason_and_is_not_resent(book, phone):
    async with Running(phone) as line:
        line.sim.fail_next_send(500)
        queued = await asyncio.to_thread(messages.queue_text, "13800138000", "试一下")
        line.worker.poke()
        failed = await until(lambda: (m := Message.get_by_id(queued.id)).status == "failed" and m, what="failed")
        await asyncio.sleep(1.5)
        assert len(line.sim.sent) == 0
    assert failed.error


async def test_a_text_queued_while_the_phone_is_gone_waits_and_goes_once(book, phone):
    async with Running(phone) as line:
        await phone.vanish()
        await until(lambda: line.worker.phone.state != "up", what="the line down")
        queued = await asyncio.to_thread(messages.queue_text, "13800138000", "断线时排队")
        line.worker.poke()
        await asyncio.sleep(0.5)
        assert (await asyncio.to_thread(Message.get_by_id, queued.id)).status == "queued"
        await phone.come_back()
        await until(lambda: Message.get_by_id(queued.id).status == "sent", what="sent after reconnect")
        assert [s.text for s in phone.sent] == ["断线时排队"]


async def test_unplugged_mid_send_is_unknown_and_never_resent(book, phone):
    phone.send_delay = 1.0  # the network takes its time: the cable goes in the meantime
    async with Running(phone) as line:
        queued = await asyncio.to_thread(messages.queue_text, "13800138000", "发送中断线")
        line.worker.poke()
        await until(lambda: Message.get_by_id(queued.id).status == "sending", what="sending")
        await asyncio.sleep(0.2)
        await phone.vanish()
        row = await until(lambda: (m := Message.get_by_id(queued.id)).status != "sending" and m, what="a verdict")
        assert row.status == "unknown"
        await phone.come_back()
        await until(lambda: line.worker.phone.state == "up", what="the line back")
        await asyncio.sleep(1.5)
    assert Message.get_by_id(queued.id).status == "unknown"


async def test_texts_left_sending_by_a_crash_become_unknown_not_resent(book, phone):
    m = messages.queue_text("13800138000", "崩溃时正在发送")
    messages.claim_next_queued("dead-process")
    async with Running(phone) as line:
        row = await until(lambda: (x := Message.get_by_id(m.id)).status == "unknown" and x, what="unknown")
        await asyncio.sleep(1.5)
        assert line.sim.sent == []
    assert "may or may not" in row.error


async def test_a_second_process_is_told_who_holds_the_line(book, phone):
    other = replace(lease.me("office-pc", "/dev/ttyUSB2"), pid=1, host="office-pc")
    assert lease.take(other) is None
    async with Running(phone) as line:
        held = line.kinds("held")
        assert held and "office-pc" in held[0]["detail"]
        assert line.worker.phone is None


async def test_the_holder_is_named_in_the_shops_words(book, phone):
    from tui.i18n import set_language
    from tui.widgets.status_bar import LineStatus, status_content

    # On another machine: a holder here whose pid is gone would be replaced at once, not named.
    other = replace(lease.me("root@back-office", "/dev/ttyUSB2"), host="back-office", pid=4242)
    assert lease.take(other) is None
    set_language("zh")
    try:
        async with Running(phone) as line:
            (held,) = line.kinds("held")
        shown = status_content(LineStatus(state="held", detail=held["detail"]), "14:30").plain
        assert "线路在 root@back-office（进程 4242）" in shown
        assert " on " not in shown and "pid" not in shown
    finally:
        set_language("zh")


def test_send_failures_are_sorted_by_what_may_have_gone():
    from modem.probe import PhoneError

    assert classify_send_failure(PhoneError("not connected", before_any_byte=True)) == "not_sent"
    assert classify_send_failure(PhoneError("+CMS ERROR: 500", refused=True)) == "refused"
    assert classify_send_failure(PhoneError("the line dropped mid-send")) == "unknown"
    assert classify_send_failure(ValueError("bad number")) == "refused"
    assert classify_send_failure(TimeoutError()) == "unknown"
    refused = PhoneError("there is no network (+CMS ERROR: 331)", refused=True)
    refused.final = "+CMS ERROR: 331"
    assert classify_send_failure(refused) == "not_now"
    busy = PhoneError("the phone is busy; try again (+CMS ERROR: 515)", before_any_byte=True)
    busy.final = "+CMS ERROR: 515"
    assert classify_send_failure(busy) == "not_now"
    for code in (38, 500, 304):
        refused.final = f"+CMS ERROR: {code}"
        assert classify_send_failure(refused) == "refused"
    gone_part_way = PhoneError("there is no network after 1 of 2 parts")  # part of it went: only unknown
    gone_part_way.final = ""
    assert classify_send_failure(gone_part_way) == "unknown"


async def test_a_campaign_goes_to_everyone_once_at_the_shop_pace(book, phone, pace):
    from store import campaigns, settings
    from store.audience import Audience

    for i in range(6):
        add_customer(f"客人{i}", [f"1380013{i:04d}"], tier="金卡")
    add_customer("不要短信", ["13900139000"], tier="金卡")
    from store import customers as book_customers

    book_customers.opt_out(book_customers.customer_by_number("13900139000"), how="asked at the counter")
    settings.set("texts_per_minute", 600)  # one every 0.1 s
    settings.set("quiet_start", "00:00")
    settings.set("quiet_end", "00:00")  # no quiet hours for this test
    c = campaigns.create("金卡回馈", "{name}您好，本周金卡会员九折。", Audience(tiers=("金卡",)))
    campaigns.start(c.id, now=datetime.now(timezone.utc))
    async with Running(phone) as line:
        await until(lambda: campaigns.progress(c.id).sent == 6, what="all sent")
        await asyncio.sleep(0.5)
        to = sorted(s.recipient for s in phone.sent)
    assert to == sorted(f"+861380013{i:04d}" for i in range(6))  # once each, and not the opted-out one
    assert all("回T退订" in s.text for s in phone.sent)
    # The pace held: each text handed to the phone a full gap (60 s / 600) after the one before.
    assert len(pace.handed_over) == 6 and min(pace.gaps()) >= timedelta(seconds=0.1)


def _quiet_now() -> dict[str, str]:
    """Quiet hours from an hour ago to an hour from now, in the shop's time zone."""
    from zoneinfo import ZoneInfo

    local = datetime.now(ZoneInfo("Asia/Shanghai"))
    return {"quiet_start": (local - timedelta(hours=1)).strftime("%H:%M"),
            "quiet_end": (local + timedelta(hours=1)).strftime("%H:%M")}


@pytest.mark.parametrize("change, back", [
    # Sixty a minute, one a second, but sixty went in the last seconds: nothing more for a minute, no burst.
    ({"texts_per_minute": 60}, {"texts_per_minute": 3000}),
    ({}, {"quiet_start": "00:00", "quiet_end": "00:00"}),  # quiet hours: filled in from the clock below
], ids=["lower-rate", "quiet-hours"])
async def test_sending_settings_saved_elsewhere_reach_the_running_worker(book, phone, pace, monkeypatch,
                                                                        change, back):
    from store import campaigns, settings
    from store.audience import Audience

    monkeypatch.setattr(sending, "TUNE_EVERY_S", 0.1)
    change = change or _quiet_now()
    for i in range(80):
        add_customer(f"客人{i}", [f"1380013{i:04d}"])
    settings.set("texts_per_minute", 3000)  # one every 0.02 s
    settings.set("quiet_start", "00:00")
    settings.set("quiet_end", "00:00")
    c = campaigns.create("回访", "{name}您好", Audience())
    campaigns.start(c.id, now=datetime.now(timezone.utc))

    def save(values: dict) -> None:  # as the campaigns screen of another terminal does, on its own connection
        for key, value in values.items():
            settings.set(key, value)

    def given_a_slot_since(moment: datetime) -> int:
        """Campaign texts the pacer let into the outbox after `moment` (a text's `at` is when it was let in)."""
        return Message.select().where((Message.campaign_id == c.id) & (Message.at > moment)).count()

    async with Running(phone) as line:
        await until(lambda: len(pace.handed_over) >= 60, what="sixty texts gone")
        await asyncio.to_thread(save, change)
        await until(lambda: pace.retuned, what="the change taken up")
        changed_at = pace.retuned[0]
        queued = await asyncio.to_thread(messages.queue_text, "13800138000", "您的包间已订好")
        line.worker.poke()
        await until(lambda: Message.get_by_id(queued.id).status == "sent", what="the operator's text")
        await asyncio.sleep(1.5)  # more than a gap at the new rate, many at the old
        assert await asyncio.to_thread(given_a_slot_since, changed_at) == 0
        assert await asyncio.to_thread(lambda: campaigns.progress(c.id).pending) > 0

        await asyncio.to_thread(save, back)
        await until(lambda: campaigns.progress(c.id).status == "finished", what="the rest at the old pace")
    assert sorted(s.recipient for s in phone.sent) == sorted([f"+861380013{i:04d}" for i in range(80)]
                                                             + ["+8613800138000"])
    assert len(pace.handed_over) == 80 and min(pace.gaps()) >= timedelta(seconds=0.02)


async def test_a_reply_of_td_opts_the_customer_out(book, phone):
    customer = add_customer("李雷", ["13800138000"])
    async with Running(phone) as line:
        await line.sim.deliver_sms("+8613800138000", " ＴＤ。")
        await until(lambda: Message.get_or_none(Message.direction == "in"), what="the reply")
        from store.models import Customer

        await until(lambda: Customer.get_by_id(customer.id).opted_out, what="opted out")


async def test_a_call_is_kept_even_when_the_book_is_busy_for_a_while(book, monkeypatch):
    """Another terminal's long write makes SQLite say 'database is locked': the row is tried again, not lost."""
    import peewee

    import tui.worker as worker_module

    monkeypatch.setattr(worker_module.asyncio, "sleep", _no_wait)
    tries = []

    def busy_then_free(number):
        tries.append(number)
        if len(tries) < 3:
            raise peewee.OperationalError("database is locked")
        return calls.call_started(number)

    worker = LineWorker("sim://", name="counter")
    row = await worker.kept(busy_then_free, "13800138000")
    assert len(tries) == 3 and Call.get_by_id(row.id).number == "+8613800138000"
    with pytest.raises(peewee.OperationalError):
        await worker.kept(_always_broken, "x")


async def _no_wait(seconds):
    return None


def _always_broken(number):
    import peewee

    raise peewee.OperationalError("no such table: call")


async def test_a_failing_book_does_not_end_the_worker(book, phone, monkeypatch):
    """A database error in the outbox loop restarts the line instead of silently dropping it."""
    import tui.worker as worker_module

    monkeypatch.setattr(worker_module, "RESTART_AFTER_S", 0.1)
    real_claim = messages.claim_next_queued
    failures = []

    def flaky_claim(name, skip=()):
        if not failures:
            failures.append(name)
            raise RuntimeError("the server closed the connection")
        return real_claim(name, skip)

    monkeypatch.setattr(messages, "claim_next_queued", flaky_claim)
    async with Running(phone) as line:
        await until(lambda: any(f.kind == "line" and f.data["state"] == "down" for f in line.facts), what="down")
        queued = await asyncio.to_thread(messages.queue_text, "13800138000", "还在吗")
        await until(lambda: Message.get_by_id(queued.id).status == "sent", what="sent after the restart")


@pytest.mark.parametrize("auto_reject", [True, False])
async def test_a_blocked_caller_is_turned_away_only_when_the_shop_says_so(book, phone, auto_reject):
    from store import settings
    from store.customers import block

    block(add_customer("骚扰电话", ["13800138001"]))
    settings.set("auto_reject_blocked", auto_reject)
    async with Running(phone) as line:
        await line.sim.ring("13800138001", rings=6, every=0.2)
        outcome = "rejected" if auto_reject else "missed"
        row = await until(lambda: Call.get_or_none(Call.outcome == outcome), what=f"the {outcome} call")
        ringing = line.kinds("ringing")
        assert ringing and ringing[0]["card"].blocked  # the counter still sees who it was, warning and all
        await until(lambda: line.kinds("finished"), what="the finished fact")
    assert row.number == "+8613800138001"
    assert ("AT+CHUP" in line.sim.commands) is auto_reject


async def test_a_text_announces_its_sender_by_name_without_the_caller_card(book, phone, monkeypatch):
    """The card's history queries ran for every text part on the line's only database thread, then were
    thrown away: a text carries its sender's name, read by key, and nothing else."""
    from store import lookup

    add_customer("王芳", ["13800138000"])
    cards: list[str] = []
    real = lookup.caller_card

    def counted(number, *args, **kwargs):
        cards.append(number)
        return real(number, *args, **kwargs)

    monkeypatch.setattr(lookup, "caller_card", counted)
    body = "您好，" + "我们下周六想订一个十人的包间，" * 12
    async with Running(phone) as line:
        await line.sim.deliver_sms("+8613800138000", body)
        await line.sim.deliver_sms("+8613900000009", "陌生人的短信")
        texts = await until(lambda: len(line.kinds("text")) == 2 and line.kinds("text"), what="both texts")
    assert [(t["name"], t["body"]) for t in texts] == [("王芳", body), ("", "陌生人的短信")]
    assert cards == []


async def test_a_lost_phone_is_said_in_the_shops_words(book, phone):
    from tui.i18n import set_language

    set_language("zh")
    try:
        async with Running(phone) as line:
            await phone.vanish()
            await until(lambda: any(d["state"] == "reconnecting" for d in line.kinds("line")), what="reconnecting")
            await phone.come_back()
            await until(lambda: line.worker.phone.state == "up" and len(line.kinds("line")) > 3, what="back up")
        details = {d["state"]: d["detail"] for d in line.kinds("line") if d["state"] in ("down", "reconnecting")}
        assert "电话没有回应" in details["down"] and "unplugged" not in details["down"]
        assert details["reconnecting"].endswith("秒后重试") and "trying" not in details["reconnecting"]
    finally:
        set_language("zh")


async def test_the_care_round_waits_while_a_call_rings(book, phone, monkeypatch):
    """The task list's refresh holds the interpreter lock for a while on a big book (in this process, on
    its own thread): it waits for a ringing call to end, so the caller's name is never queued behind it."""
    from store import tasks
    from tui import worker

    monkeypatch.setattr(worker, "CARE_EVERY_S", 0.05)
    monkeypatch.setattr(worker, "QUIET_AFTER_RING_S", 0.2)
    rounds: list[bool] = []
    real = tasks.refresh

    def refresh(now=None):
        call = line.sim.call  # what the phone itself is doing at that moment
        rounds.append(call is not None and call.state == "ringing")
        return real(now)

    monkeypatch.setattr(tasks, "refresh", refresh)
    async with Running(phone) as line:
        ringing = asyncio.create_task(line.sim.ring("13800138000", rings=8, every=0.3))
        await until(lambda: line.kinds("ringing"), what="the ring")
        during = len(rounds)
        await ringing
        await until(lambda: line.kinds("finished"), what="the end of the call")
        await until(lambda: len(rounds) > during, what="a care round after the call")
    assert not any(rounds)  # no round ran while the call rang
