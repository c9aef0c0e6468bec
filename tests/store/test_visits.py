"""Visits and bookings: recorded, listed, and they make a customer recent for search."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest

from store import customers, search, visits
from store.models import Customer

T0 = datetime(2025, 6, 1, 4, 0, tzinfo=timezone.utc)


def test_visit_and_booking(book):
    c = customers.add_customer("张三", ["13800138000"])
    v = visits.record_visit(c.id, at=T0, amount_cents=12_800, items="宫保鸡丁、米饭", handled_by="小王")
    b = visits.record_visit(c.id, at=T0 + timedelta(hours=1), booking_date=date(2025, 6, 8), booking_time=time(18, 30),
                            party_size=6, room="牡丹厅", notes="生日")
    assert (v.amount_cents, v.items, v.at) == (12_800, "宫保鸡丁、米饭", T0)
    assert [x.id for x in visits.visits_of(c.id)] == [b.id, v.id]
    booked = visits.bookings_on(date(2025, 6, 8))
    assert [(x.room, x.party_size, x.booking_time) for x in booked] == [("牡丹厅", 6, time(18, 30))]
    visits.cancel_visit(b.id)
    assert visits.bookings_on(date(2025, 6, 8)) == []
    with pytest.raises(ValueError):
        visits.record_visit(c.id, amount_cents=-1)
    with pytest.raises(ValueError):
        visits.record_visit(c.id, party_size=0)


def test_a_visit_makes_a_customer_recent_for_search(book):
    old = customers.add_customer("张三", ["13800138000"])
    new = customers.add_customer("张三丰", ["13900139000"])
    Customer.update(seen_at=T0 - timedelta(days=30)).execute()
    assert [h.name for h in search.search("zhangs")] == ["张三丰", "张三"]  # same seen_at: newest id first
    visits.record_visit(old.id, at=T0)
    assert [h.name for h in search.search("zhangs")] == ["张三", "张三丰"]
    customers.touch(new.id, T0 + timedelta(minutes=1))
    assert [h.name for h in search.search("zhangs")] == ["张三丰", "张三"]
    visits.record_visit(old.id, at=T0 - timedelta(days=400))  # an old visit typed in late changes nothing
    assert Customer.get_by_id(old.id).seen_at == T0
