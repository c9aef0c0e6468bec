"""A text nobody could read is kept as a text (issue 10): its note as the body, its raw PDU beside it."""

from __future__ import annotations

from datetime import datetime, timezone

from store import customers, messages
from store.models import Message

T0 = datetime(2025, 6, 1, 1, 0, tzinfo=timezone.utc)
RAW = "0004" "05810180F6" "0039" "52105200000023" "05D4F29C2E03"


def test_an_unreadable_text_is_kept_once_in_its_customers_thread(book):
    c = customers.add_customer("张三", ["13800138000"])
    kept = messages.save_unreadable("k1", "+8613800138000", "[compressed text, not supported]", "compressed",
                                    RAW, T0)
    assert (kept.direction, kept.status, kept.customer_id, kept.is_read) == ("in", "received", c.id, False)
    assert kept.body == "[compressed text, not supported]"
    assert kept.error == f"compressed: {RAW}"
    assert messages.save_unreadable("k1", "+8613800138000", "again", "compressed", RAW, T0) is None
    assert [m.id for m in messages.conversation(customer_id=c.id)] == [kept.id]
    assert messages.unread_count() == 1


def test_an_unreadable_text_without_a_sender_is_still_kept(book):
    kept = messages.save_unreadable("raw|x", "", "[a text this phone could not read]", "unreadable", "NOT HEX", T0)
    assert Message.get_by_id(kept.id).error == "unreadable: NOT HEX"
    assert kept.number == ""
