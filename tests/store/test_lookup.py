"""The caller card: one round trip, any spelling of the number, known and unknown callers."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from store import calls, customers, lookup, messages, visits
from store.models import Call

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=timezone.utc)


def test_known_caller_card_has_everything(book):
    c = customers.add_customer("张三", ["13800138000", "13900139000"], tier="金卡", tags=["vip", "辣"],
                               notes="靠窗", birthday=date(1990, 5, 1))
    for days in (1, 10, 100, 400):
        Call.create(number="+8613800138000", customer=c.id, started_at=NOW - timedelta(days=days))
    visits.record_visit(c.id, at=NOW - timedelta(days=50), amount_cents=10000, items="宫保鸡丁、米饭")
    visits.record_visit(c.id, at=NOW - timedelta(days=5), amount_cents=20000, items="宫保鸡丁,鱼香肉丝；米饭")
    visits.record_visit(c.id, at=NOW - timedelta(days=3), amount_cents=0, items="宫保鸡丁")
    for i in range(4):
        messages.save_text(f"k{i}", "+8613800138000", f"text {i}", NOW - timedelta(hours=10 - i))
    card = lookup.caller_card("138 0013 8000", now=NOW)
    assert card.known and card.customer_id == c.id and card.number == "+8613800138000"
    assert (card.name, card.tier, card.notes, card.tags) == ("张三", "金卡", "靠窗", ("vip", "辣"))
    assert card.numbers == ("+8613800138000", "+8613900139000")
    assert (card.calls_30d, card.calls_365d, card.calls_total) == (2, 3, 4)
    assert card.last_call_at == NOW - timedelta(days=1)
    assert (card.visits, card.spend_total_cents, card.spend_average_cents) == (3, 30000, 10000)
    assert card.last_visit_at == NOW - timedelta(days=3)
    assert card.favourite_items[:2] == ("宫保鸡丁", "米饭") and len(card.favourite_items) == 3
    assert [t.body for t in card.last_texts] == ["text 3", "text 2", "text 1"]
    assert card.last_texts[0].at == NOW - timedelta(hours=7) and card.last_texts[0].direction == "in"
    assert card.birthday == date(1990, 5, 1) and not card.blocked and not card.opted_out


def test_the_second_number_finds_the_same_card(book):
    c = customers.add_customer("张三", ["13800138000", "13900139000"])
    assert lookup.caller_card("+86 139-0013-9000").customer_id == c.id


def test_unknown_caller_still_gets_counts_and_texts(book):
    calls.call_started("13700137000", at=NOW - timedelta(days=2))
    calls.call_started("13700137000", at=NOW - timedelta(days=40))
    messages.save_text("k", "13700137000", "在吗", NOW - timedelta(days=1))
    card = lookup.caller_card("008613700137000", now=NOW)
    assert not card.known and card.name == "" and card.number == "+8613700137000"
    assert (card.calls_30d, card.calls_365d, card.calls_total) == (1, 2, 2)
    assert [t.body for t in card.last_texts] == ["在吗"]


def test_blocked_and_hostile_and_odd_numbers(book):
    c = customers.add_customer("张三[/]\x1b[31m", ["13800138000"])
    customers.block(c)
    card = lookup.caller_card("13800138000")
    assert card.blocked and card.name == "张三[/]\x1b[31m"
    odd = lookup.caller_card("BANK")
    assert not odd.known and odd.number == "BANK" and odd.calls_total == 0


def test_favourites_count_each_item_once_per_visit():
    assert lookup.favourites(["a、a、b", "b", "c"]) == ("b", "a", "c")
