"""Texts: the outbox states (invariant 2), the inbox kept once (invariant 1), threads, the change cursor."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from store import changes, customers, messages
from store.models import Message, MessagePart
from store.numbers import InvalidNumber

T0 = datetime(2025, 6, 1, 1, 0, tzinfo=timezone.utc)


def test_outbox_queued_sending_sent_delivered(book):
    c = customers.add_customer("张三", ["13800138000"])
    m = messages.queue_text("138 0013 8000", "您好", parts=1)
    assert (m.status, m.customer_id, m.number) == ("queued", c.id, "+8613800138000")
    claimed = messages.claim_next_queued("line-1")
    assert claimed.id == m.id and claimed.status == "sending" and claimed.claimed_by == "line-1"
    assert messages.claim_next_queued() is None
    sent = messages.mark_sent(claimed, [12, 13])
    assert sent.status == "sent" and sent.references == "12,13"
    assert messages.apply_delivery_report(99, "13800138000", "delivered") is None
    done = messages.apply_delivery_report(13, "13800138000", "delivered", at=T0)
    assert done.status == "delivered" and done.delivered_at == T0
    failed = messages.apply_delivery_report(12, "+8613800138000", "failed")
    assert failed.status == "failed"


def test_crash_while_sending_leaves_it_unknown_never_resent(book):
    messages.queue_text("13800138000", "a")
    messages.queue_text("13800138001", "b")
    messages.claim_next_queued()
    assert messages.mark_stale_sending_unknown() == 1
    assert [m.status for m in messages.outbox()] == ["unknown", "queued"]
    assert messages.claim_next_queued().body == "b"
    assert messages.outbox_size() == 1
    again = messages.requeue(messages.outbox()[0])
    assert again.status == "queued"


def test_a_text_held_back_waits_while_the_others_are_claimed(book):
    a = messages.queue_text("13800138000", "a")
    b = messages.queue_text("13800138001", "b")
    c = messages.queue_text("13800138002", "c")
    held = messages.hold_back(messages.claim_next_queued("line"), "there is no network; trying again in 10 s")
    assert (held.id, held.status, held.claimed_by) == (a.id, "queued", "")
    assert "no network" in held.error  # why it waits, for the outbox screen
    assert messages.claim_next_queued("line", skip=[a.id]).id == b.id
    assert messages.claim_next_queued("line", skip=[a.id, c.id]) is None
    assert messages.claim_next_queued("line").id == a.id  # its wait over, it is the oldest again


def test_line_lost_mid_send_marks_unknown_and_nothing_resends_it(book):
    messages.queue_text("13800138000", "a")
    claimed = messages.claim_next_queued()
    lost = messages.mark_unknown(claimed, "the phone went away")
    assert lost.status == "unknown" and "may or may not have gone" in lost.error
    assert messages.claim_next_queued() is None and messages.outbox_size() == 0


def test_bad_numbers_never_reach_the_outbox(book):
    for bad in ("AT+CMGS", "123abc", "", "+86 138 0013 8000;ATH"):
        with pytest.raises(InvalidNumber):
            messages.queue_text(bad, "x")
    assert Message.select().count() == 0


def test_incoming_text_kept_once(book):
    first = messages.save_text("key-1", "13800138000", "在吗", T0)
    assert first.status == "received" and not first.is_read and first.number == "+8613800138000"
    assert messages.save_text("key-1", "13800138000", "在吗", T0) is None
    assert Message.select().count() == 1 and messages.unread_count() == 1


def test_long_text_parts_wait_then_become_one_message(book):
    assert messages.save_part("p2", "+8613800138000", 7, 3, 2, "BBB", T0)
    assert not messages.save_part("p2", "+8613800138000", 7, 3, 2, "BBB", T0)
    assert messages.save_part("p1", "+8613800138000", 7, 3, 1, "AAA", T0, storage="SM", index=4)
    assert messages.complete_text("+8613800138000", 7, 3) is None
    assert messages.save_part("p3", "+8613800138000", 7, 3, 3, "CCC", T0)
    whole = messages.complete_text("+8613800138000", 7, 3)
    assert whole.body == "AAABBBCCC" and whole.parts == 3 and MessagePart.select().count() == 0
    # The phone still holds part 1 after a crash: seen again, it is not kept twice.
    assert not messages.save_part("p1", "+8613800138000", 7, 3, 1, "AAA", T0)
    assert Message.select().count() == 1


def test_threads_unread_first_and_mark_read(book):
    c = customers.add_customer("张三", ["13800138000"])
    messages.save_text("a", "13800138000", "hello", T0)
    messages.mark_read(customer_id=c.id)
    messages.queue_text("13800138000", "reply")
    messages.save_text("b", "13700137000", "who?", T0 - timedelta(days=1))
    threads = messages.threads()
    assert [(t.name, t.number, t.unread) for t in threads] == [("", "+8613700137000", 1), ("张三", "+8613800138000", 0)]
    assert threads[1].last_body == "reply"
    assert messages.mark_read(number="+8613700137000") == 1 and messages.unread_count() == 0
    assert [m.body for m in messages.conversation(customer_id=c.id)] == ["reply", "hello"]


def test_change_cursor_sees_new_and_changed_rows(book):
    from store import calls

    start = changes.cursor()
    assert changes.since(start).calls == ()
    call = calls.call_started("13800138000")
    m = messages.queue_text("13800138000", "x")
    got = changes.since(start)
    assert [c.id for c in got.calls] == [call.id] and [x.id for x in got.messages] == [m.id]
    calls.call_ended(call.id, "missed")
    later = changes.since(got.cursor)
    assert [(c.id, c.outcome) for c in later.calls] == [(call.id, "missed")] and later.messages == ()
    cursor, new_calls, new_texts = changes.since(later.cursor)
    assert (cursor, new_calls, new_texts) == (later.cursor, (), ())
    assert changes.prune(keep=1) == 2 and changes.cursor() == later.cursor


def test_postgres_terminals_are_notified_at_commit(pg_server):
    import select

    import psycopg2

    from store.db import close_book, open_book, using

    url = pg_server.new_database()
    db = open_book(url)
    listener = psycopg2.connect(url)
    listener.autocommit = True
    listener.cursor().execute(f"LISTEN {changes.CHANNEL}")
    with using(db):
        messages.queue_text("13800138000", "x")
    select.select([listener], [], [], 5)
    listener.poll()
    assert [n.channel for n in listener.notifies][:1] == [changes.CHANNEL]
    listener.close()
    close_book(db)


def test_threads_and_paging_read_indexes_not_every_row(sqlite_book):
    def plan(sql):
        return " ".join(str(r[-1]) for r in sqlite_book.execute_sql("EXPLAIN QUERY PLAN " + sql))

    threads = plan("SELECT * FROM message ORDER BY at DESC, id DESC LIMIT 5000")
    assert "message_at" in threads and "TEMP B-TREE" not in threads, threads
    log = plan("SELECT id FROM call WHERE (started_at, id) < ('2025-01-01', 5) ORDER BY started_at DESC, id DESC "
               "LIMIT 50")
    assert "call_started" in log and "TEMP B-TREE" not in log, log
    assert "SEARCH" in plan("SELECT max(id) FROM call")
