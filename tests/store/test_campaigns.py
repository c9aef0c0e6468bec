"""Campaigns: audience, preview, life cycle, and nobody texted twice, even across a kill -9."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from modem import pdu
from store import audience as aud
from store import campaigns, customers, messages, settings, sms_parts, visits
from store.audience import Audience
from store.campaigns import CampaignError
from store.db import close_book, open_book, using
from store.models import CampaignRecipient, Message

NOW = datetime(2026, 5, 5, 2, 0, tzinfo=timezone.utc)  # 10:00 in Shanghai
ROOT = Path(__file__).resolve().parents[2]


def _book_of_shop():
    """Eight customers covering each filter and each reason to be left out."""
    c = {}
    c["zhang"] = customers.add_customer("张三", ["13800138001"], tier="金卡", tags=["vip", "老客"],
                                        birthday=date(1990, 5, 20))
    c["li"] = customers.add_customer("李四", ["13800138002", "13800138012"], tier="银卡", tags=["外卖"],
                                     lunar_birthday=(4, 8))  # lunar 4/8 of 2026 is 2026-05-24
    c["wang"] = customers.add_customer("王五", ["13800138003"], tier="钻石", birthday=date(1985, 11, 2))
    c["zhao"] = customers.add_customer("赵六", ["13800138004"], tier="普通", tags=["vip"])
    c["blocked"] = customers.add_customer("钱七", ["13800138005"], tier="金卡")
    customers.block(c["blocked"])
    c["out"] = customers.add_customer("孙八", ["13800138006"], tier="金卡", tags=["vip"])
    customers.opt_out(c["out"], "SMS: 退订")
    c["nonumber"] = customers.add_customer("周九", [], tier="金卡")
    c["anna"] = customers.add_customer("Anna Smith", ["+4915112345678"], tier="钻石")
    visits.record_visit(c["zhang"].id, at=NOW - timedelta(days=5), amount_cents=120_00)
    visits.record_visit(c["wang"].id, at=NOW - timedelta(days=90), amount_cents=900_00)
    visits.record_visit(c["wang"].id, at=NOW - timedelta(days=100), amount_cents=300_00)
    visits.record_visit(c["li"].id, at=NOW - timedelta(days=61), amount_cents=50_00)
    return c


def _names(a: Audience, marketing: bool = True) -> list[str]:
    return sorted(r.name for r in aud.recipients(a, marketing, now=NOW))


def test_audience_filters(book):
    _book_of_shop()
    assert _names(Audience()) == sorted(["张三", "李四", "王五", "赵六", "Anna Smith"])
    assert _names(Audience(tiers=("金卡", "钻石"))) == sorted(["张三", "王五", "Anna Smith"])
    assert _names(Audience(tags=("vip",))) == ["张三", "赵六"]
    assert _names(Audience(tags=("外卖", "老客"))) == ["张三", "李四"]
    assert _names(Audience(tags=("v%",))) == []  # a tag is a word, not a pattern
    assert _names(Audience(not_seen_days=60)) == sorted(["李四", "王五", "赵六", "Anna Smith"])
    assert _names(Audience(min_spend_cents=1000_00)) == ["王五"]
    assert _names(Audience(min_spend_cents=100_00)) == ["张三", "王五"]
    assert _names(Audience(birthday_month=5)) == ["张三", "李四"]  # solar 5/20 and lunar 4/8 (2026-05-24)
    assert _names(Audience(birthday_month=11)) == ["王五"]
    assert _names(Audience(tiers=("金卡",), tags=("vip",), not_seen_days=10)) == []
    with pytest.raises(ValueError):
        aud.recipients(Audience(birthday_month=13))


def test_one_text_per_customer_to_the_primary_number_and_who_is_left_out(book):
    c = _book_of_shop()
    numbers = [r.number for r in aud.recipients(Audience(), now=NOW)]
    assert len(numbers) == len(set(numbers)) == 5
    assert "+8613800138002" in numbers and "+8613800138012" not in numbers
    going, why = aud.skipped(Audience(), now=NOW)
    assert going == 5 and why == {"blocked": 1, "opted_out": 1, "no_number": 1}
    # A transactional text still goes to the opted-out customer, never to the blocked one.
    going, why = aud.skipped(Audience(), marketing=False, now=NOW)
    assert going == 6 and why == {"blocked": 1, "no_number": 1}
    assert "孙八" in _names(Audience(), marketing=False)
    customers.set_primary(c["li"], "13800138012")
    assert "+8613800138012" in [r.number for r in aud.recipients(Audience(), now=NOW)]


def test_saved_filters(book):
    _book_of_shop()
    aud.save_filter("老金卡", Audience(tiers=("金卡",), not_seen_days=30))
    assert aud.filter_names() == ["老金卡"]
    assert aud.saved_filter("老金卡") == Audience(tiers=("金卡",), not_seen_days=30)
    with pytest.raises(KeyError):
        aud.saved_filter("nope")


def test_preview_exact_text_parts_and_cost(book):
    _book_of_shop()
    settings.set("shop_name", "老王饭店")
    p = aud.preview("【{shop}】{name}您好，本周五全场8折", Audience(tiers=("金卡", "钻石")), first=2, now=NOW)
    assert p.recipients == 3 and p.skipped == {"blocked": 1, "opted_out": 1, "no_number": 1}
    assert [line.text for line in p.lines] == ["【老王饭店】张三您好，本周五全场8折 回T退订",
                                               "【老王饭店】王五您好，本周五全场8折 回T退订"]
    assert [line.parts for line in p.lines] == [1, 1]
    assert p.total_parts == 3 and p.cost == pytest.approx(0.30)
    settings.set("opt_out_footer", "Reply STOP to opt out")
    settings.set("price_per_part", 0.05)
    long = "Hi {name}, " + "x" * 150
    p = aud.preview(long, Audience(tiers=("钻石",)), first=5, now=NOW)
    texts = {line.name: line for line in p.lines}
    assert texts["Anna Smith"].text.endswith("x Reply STOP to opt out")
    assert texts["Anna Smith"].parts == 2  # GSM 7-bit, over 160
    assert texts["王五"].parts == 3  # a Chinese name makes it UCS-2: 67 a part
    assert p.total_parts == 5 and p.max_parts == 3 and p.cost == pytest.approx(0.25)
    # A care text that is not marketing carries no footer.
    p = aud.preview("{name}，您的包间已订好", Audience(tiers=("钻石",)), marketing=False, now=NOW)
    assert all("STOP" not in line.text for line in p.lines)


@hsettings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("abc xyz€[]{}^|~\\张三回T退订😀é@\n")), max_size=420).map("".join))
def test_part_count_agrees_with_the_modem_codec(text):
    assert sms_parts.parts(text) == pdu.segments(text).parts


def _send_all(campaign_id: int, now: datetime) -> None:
    """What the line worker does, without a phone: top up, claim, mark sent."""
    while True:
        campaigns.top_up(3, now)
        message = messages.claim_next_queued("test")
        if message is None:
            return
        messages.mark_sent(message, [message.id % 256], now)


def test_life_cycle_and_guards(book):
    _book_of_shop()
    c = campaigns.create("五月促销", "{name}您好，五月8折", Audience())
    assert c.status == "draft"
    with pytest.raises(CampaignError, match="draft"):
        campaigns.pause(c.id)
    with pytest.raises(CampaignError):
        campaigns.resume(c.id)
    c = campaigns.start(c.id, now=NOW)
    assert c.status == "running"
    assert campaigns.progress(c.id).total == 5
    assert campaigns.progress(c.id).left_out == {"blocked": 1, "opted_out": 1, "no_number": 1}
    with pytest.raises(CampaignError, match="running"):
        campaigns.start(c.id, now=NOW)  # recipients are written once
    assert CampaignRecipient.select().count() == 5
    assert campaigns.queue_batch(c.id, 2, NOW) == 2
    assert campaigns.pause(c.id).status == "paused"
    p = campaigns.progress(c.id)
    assert (p.pending, p.queued) == (5, 0)  # the unsent texts came back out of the outbox
    assert Message.select().count() == 0
    assert campaigns.queue_batch(c.id, 2, NOW) == 0  # paused: nothing moves
    campaigns.resume(c.id)
    _send_all(c.id, NOW)
    p = campaigns.progress(c.id)
    assert (p.status, p.sent, p.pending, p.queued, p.done) == ("finished", 5, 0, 0, 5)
    with pytest.raises(CampaignError):
        campaigns.cancel(c.id)
    with pytest.raises(CampaignError, match="no campaign"):
        campaigns.progress(999)


def test_progress_counts_delivery_reports_and_failures(book):
    _book_of_shop()
    c = campaigns.start(campaigns.create("a", "hi {name}", Audience()).id, now=NOW)
    _send_all(c.id, NOW)
    sent = list(Message.select().where(Message.campaign_id == c.id).order_by(Message.id))
    messages.apply_delivery_report(sent[0].id % 256, sent[0].number, "delivered")
    messages.apply_delivery_report(sent[1].id % 256, sent[1].number, "failed")
    p = campaigns.progress(c.id)
    assert (p.total, p.sent, p.delivered, p.failed) == (5, 3, 1, 1)


def test_someone_who_opts_out_after_the_start_gets_nothing(book):
    people = _book_of_shop()
    c = campaigns.start(campaigns.create("a", "hi", Audience()).id, now=NOW)
    customers.opt_out(people["zhang"], "SMS: T")
    customers.block(people["wang"])
    _send_all(c.id, NOW)
    p = campaigns.progress(c.id)
    assert (p.sent, p.skipped, p.status) == (3, 2, "finished")
    reasons = sorted(r.reason for r in CampaignRecipient.select().where(CampaignRecipient.status == "skipped"))
    assert reasons == ["blocked", "opted out"]


def test_cancel_leaves_the_rest_unsent(book):
    _book_of_shop()
    c = campaigns.start(campaigns.create("a", "hi", Audience()).id, now=NOW)
    campaigns.queue_batch(c.id, 1, NOW)
    sending = messages.claim_next_queued("test")
    campaigns.queue_batch(c.id, 1, NOW)
    campaigns.cancel(c.id, NOW)
    messages.mark_sent(sending, [1], NOW)  # the one already with the phone finishes
    p = campaigns.progress(c.id)
    assert (p.status, p.sent, p.skipped, p.pending, p.queued) == ("cancelled", 1, 4, 0, 0)
    assert messages.claim_next_queued("test") is None


def test_scheduled_campaign_starts_when_its_time_comes(book):
    _book_of_shop()
    c = campaigns.create("a", "hi", Audience(tiers=("钻石",)))
    later = NOW + timedelta(hours=3)
    assert campaigns.start(c.id, at=later, now=NOW).status == "scheduled"
    assert campaigns.top_up(3, NOW) == 0 and campaigns.progress(c.id).total == 0
    assert campaigns.start_due(NOW + timedelta(hours=2)) == []
    assert campaigns.top_up(3, later) == 2
    assert campaigns.get(c.id).status == "running"
    assert campaigns.recent_send_times(NOW) == []


def test_a_number_is_written_once_per_campaign(book):
    people = _book_of_shop()
    c = campaigns.start(campaigns.create("a", "hi", Audience()).id, now=NOW)
    with pytest.raises(Exception):
        with book.atomic():
            CampaignRecipient.create(campaign=c.id, customer=people["zhang"].id, number="+8613800138001")


# A process that sends a campaign the way the line worker does, slowly, until killed.
SENDER = r"""
import sys, time
from store import campaigns, messages
from store.db import open_book
db = open_book(sys.argv[1])
messages.mark_stale_sending_unknown()
campaign_id = int(sys.argv[2])
while True:
    campaigns.top_up(5)
    m = messages.claim_next_queued("sender")
    if m is None:
        print("done", flush=True)
        break
    time.sleep(0.004)  # the phone taking its time
    messages.mark_sent(m, [m.id % 256])
    print("sent", m.id, flush=True)
"""


def test_kill_mid_campaign_then_restart_texts_everyone_exactly_once(book_url):
    db = open_book(book_url)
    with using(db):
        rows = [customers.NewCustomer(name=f"客{i}", numbers=(f"+86139{i:08d}",)) for i in range(300)]
        customers.add_many(rows)
        campaign_id = campaigns.start(campaigns.create("kill", "{name} 你好", Audience()).id).id
    close_book(db)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", SENDER, book_url, str(campaign_id)], stdout=subprocess.PIPE,
                            text=True, env=env)
    sent_before = 0
    for line in proc.stdout:
        if line.startswith("sent"):
            sent_before += 1
        if sent_before == 80:
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    again = subprocess.run([sys.executable, "-c", SENDER, book_url, str(campaign_id)], capture_output=True,
                           text=True, env=env, timeout=110)
    assert again.returncode == 0 and again.stdout.strip().endswith("done"), again.stderr
    db = open_book(book_url)
    with using(db):
        texts = list(Message.select().where(Message.campaign_id == campaign_id))
        numbers = [m.number for m in texts]
        assert len(numbers) == len(set(numbers)) == 300  # nobody twice, nobody skipped
        statuses = sorted({m.status for m in texts})
        assert set(statuses) <= {"sent", "unknown"}
        # At most the one text in the phone's hands at the kill is unknown; it is not resent by itself.
        assert sum(m.status == "unknown" for m in texts) <= 1
        p = campaigns.progress(campaign_id)
        assert p.status == "finished" and p.total == 300 and p.sent + p.unknown == 300
        assert p.pending == p.skipped == p.queued == 0
    close_book(db)


def test_top_up_queues_no_more_than_asked_across_campaigns(book):
    _book_of_shop()
    first = campaigns.start(campaigns.create("a", "hi", Audience()).id, now=NOW)
    second = campaigns.start(campaigns.create("b", "hi", Audience()).id, now=NOW)
    assert campaigns.top_up(1, NOW, limit=1) == 1
    assert campaigns.top_up(1, NOW, limit=1) == 0  # the first one's text is still waiting
    assert Message.select().where(Message.campaign_id == first.id).count() == 1
    assert campaigns.top_up(2, NOW) == 3  # one more for the first, two for the second
    assert Message.select().where(Message.campaign_id == second.id).count() == 2
