"""Calls: written as they happen, call-backs, the paged log, today's summary."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from store import calls, customers
from store.models import Customer

T0 = datetime(2025, 6, 1, 1, 0, tzinfo=timezone.utc)  # 09:00 in Shanghai


def test_a_ring_answered_and_ended(book):
    c = customers.add_customer("张三", ["13800138000"])
    call = calls.call_started("+8613800138000", at=T0)
    assert call.customer_id == c.id and call.customer_name == "张三" and call.outcome == ""
    calls.call_answered(call.id, at=T0 + timedelta(seconds=5))
    done = calls.call_ended(call.id, "answered", at=T0 + timedelta(seconds=65))
    assert (done.outcome, done.duration_s, done.callback) == ("answered", 60, "none")
    assert Customer.get_by_id(c.id).seen_at == T0


def test_missed_call_becomes_a_callback_and_calling_back_clears_earlier_ones(book):
    first = calls.call_started("13700137000", at=T0)
    calls.call_ended(first.id, "missed", at=T0)
    second = calls.call_started("13700137000", at=T0 + timedelta(minutes=5))
    calls.call_ended(second.id, "missed", at=T0 + timedelta(minutes=5))
    assert [c.id for c in calls.pending_callbacks()] == [second.id, first.id]
    assert calls.get(first.id).customer_id is None
    done = calls.mark_called_back(second.id, by="小王")
    assert done.callback == "done" and calls.pending_callbacks() == []
    with pytest.raises(ValueError):
        calls.call_ended(first.id, "hung")


def test_withheld_and_odd_numbers_are_kept(book):
    assert calls.call_started(None).number == ""
    assert calls.call_started("BANK").number == "BANK"


def test_page_through_the_log_both_ways(book):
    ids = [calls.call_started(f"138001380{i:02d}", at=T0 + timedelta(minutes=i // 2)).id for i in range(25)]
    newest_first = list(reversed(ids))
    seen, cursor = [], None
    while True:
        page = calls.page(before=cursor, limit=10)
        if not page:
            break
        seen += [c.id for c in page]
        cursor = page[-1].cursor
    assert seen == newest_first
    middle = calls.page(limit=20)[-1]
    back = calls.page_after(middle.cursor, limit=5)
    assert [c.id for c in back] == newest_first[14:19]
    assert calls.count() == 25 and calls.count(exact=True) == 25


def test_today_summary_in_the_shops_time_zone(book):
    yesterday = calls.call_started("13700137000", at=T0 - timedelta(hours=2))  # 07:00 local? no: 23:00 UTC-1
    calls.call_ended(yesterday.id, "answered", duration_s=30, at=T0 - timedelta(hours=2))
    a = calls.call_started("13700137000", at=T0)
    calls.call_ended(a.id, "answered", duration_s=90, at=T0)
    m = calls.call_started("13700137001", at=T0 + timedelta(hours=1))
    calls.call_ended(m.id, "missed", at=T0 + timedelta(hours=1))
    r = calls.call_started("13700137002", at=T0 + timedelta(hours=2))
    calls.call_ended(r.id, "rejected", at=T0 + timedelta(hours=2))
    late = calls.call_started("13700137003", at=T0 - timedelta(hours=10))  # 23:00 the day before, local
    calls.call_ended(late.id, "missed", at=T0 - timedelta(hours=10))
    s = calls.today_summary("Asia/Shanghai", now=T0 + timedelta(hours=3))
    assert (s.total, s.answered, s.missed, s.rejected) == (4, 2, 1, 1)
    assert s.talk_seconds == 120 and s.callbacks_pending == 2


def test_pending_callbacks_read_the_partial_index(sqlite_book):
    plan = " ".join(str(r[-1]) for r in sqlite_book.execute_sql(
        "EXPLAIN QUERY PLAN SELECT id FROM call WHERE callback = 'pending' ORDER BY started_at DESC, id DESC LIMIT 200"))
    assert "call_pending" in plan and "TEMP B-TREE" not in plan, plan
