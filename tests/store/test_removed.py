"""Deleting a customer for now: gone from search and rings, calls and texts kept, restorable, purged later."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from store import audit, customers, removed, search, settings
from store.lookup import caller_card
from store.models import Call, Customer, Message, Phone, Visit

NOW = datetime(2026, 11, 25, 6, 30, tzinfo=timezone.utc)


def _zhang():
    c = customers.add_customer("张三", ["13800138000", "13900139000"], tier="金卡", tags=["vip"])
    Call.create(number="+8613800138000", customer=c.id, started_at=NOW - timedelta(days=1), outcome="answered")
    Message.create(direction="in", number="+8613900139000", customer=c.id, body="谢谢", at=NOW, status="received")
    Visit.create(customer=c.id, at=NOW - timedelta(days=2), amount_cents=12800)
    return c


def test_a_deleted_customer_is_found_by_no_search_and_rings_as_unknown(book):
    c = _zhang()
    removed.remove_customer(c, at=NOW)
    assert search.search("zs") == [] and search.search("8000") == [] and search.search("vip") == []
    assert caller_card("13800138000").customer_id is None
    assert customers.customer_by_number("13900139000") is None
    # Kept: the row, its calls, texts and visits, and the reason in the audit.
    assert Call.get().customer_id == c.id and Message.get().customer_id == c.id
    assert Visit.select().where(Visit.customer == c.id).count() == 1
    assert [r.action for r in audit.history("customer", c.id)][-1] == "delete"
    assert [r.name for r in removed.removed_customers(NOW)] == ["张三"]


def test_restore_brings_back_numbers_primary_history_and_search(book):
    c = _zhang()
    removed.remove_customer(c, at=NOW)
    Call.create(number="+8613800138000", started_at=NOW, outcome="missed")  # rang while deleted: unknown then
    assert removed.restore_customer(c.id) == []
    assert [(p.number, p.is_primary) for p in customers.numbers_of(c.id)] == [
        ("+8613800138000", True), ("+8613900139000", False)]
    assert [h.name for h in search.search("zs")] == ["张三"] and caller_card("13800138000").customer_id == c.id
    assert Call.select().where(Call.customer == c.id).count() == 2
    assert removed.removed_customers(NOW) == []
    assert [r.action for r in audit.history("customer", c.id)][-2:] == ["delete", "restore"]
    with pytest.raises(removed.NotDeleted):
        removed.restore_customer(c.id)


def test_a_number_taken_meanwhile_stays_with_its_new_owner(book):
    c = _zhang()
    removed.remove_customer(c, at=NOW)
    other = customers.add_customer("李四", ["13800138000"])  # the number is free once its customer is deleted
    assert removed.restore_customer(c.id) == ["+8613800138000"]
    assert [p.number for p in customers.numbers_of(c.id)] == ["+8613900139000"]
    assert customers.numbers_of(c.id)[0].is_primary
    assert customers.customer_by_number("13800138000").id == other.id


def test_deleted_customers_go_for_good_after_the_days_the_shop_keeps_them(book):
    settings.set("keep_deleted_days", 7)
    c = _zhang()
    kept = customers.add_customer("王五", ["13700137000"])
    removed.remove_customer(c, at=NOW - timedelta(days=8))
    removed.remove_customer(kept, at=NOW - timedelta(days=6))
    listed = removed.removed_customers(NOW)
    assert [r.name for r in listed] == ["王五"] and listed[0].purge_at == NOW + timedelta(days=1)
    assert Customer.get_or_none(Customer.id == c.id) is None
    assert Call.get().customer_id is None  # the calls stay, as an unknown number's
