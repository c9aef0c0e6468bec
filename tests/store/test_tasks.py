"""Tasks: what the shop owes people today, generated idempotently, closed by hand or by themselves."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from store import calls, customers, settings, tasks, visits

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 5, 5, 10, 0, tzinfo=SH)


def _missed(number: str, at: datetime):
    row = calls.call_started(number, at=at)
    return calls.call_ended(row.id, "missed", at=at)


def _kinds(rows) -> list[tuple[str, str]]:
    return [(r.kind, r.name or r.number) for r in rows]


def test_missed_calls_become_one_callback_task_per_number(book):
    customers.add_customer("张三", ["13800138000"], created_at=NOW)
    first = _missed("13800138000", NOW - timedelta(hours=3))
    _missed("13800138000", NOW - timedelta(hours=1))
    _missed("13700137000", NOW - timedelta(minutes=30))
    rows = tasks.today(NOW)
    assert _kinds(rows) == [("callback", "张三"), ("callback", "+8613700137000")]
    assert rows[0].call_id == first.id
    assert tasks.today(NOW) == rows and tasks.count_open(NOW) == 2  # generating again adds nothing
    done = tasks.done(rows[0], "called back", by="小王", now=NOW)
    assert done.done_how == "called back" and not done.is_open
    assert calls.pending_callbacks() and all(c.number != "+8613800138000" for c in calls.pending_callbacks())
    # Returned from the desk instead of the task list: the task closes by itself.
    calls.mark_called_back(calls.pending_callbacks()[0].id)
    assert tasks.today(NOW) == [] and tasks.count_open(NOW) == 0
    _missed("13800138000", NOW + timedelta(hours=1))  # a new miss is a new task
    assert _kinds(tasks.today(NOW + timedelta(hours=2))) == [("callback", "张三")]


def test_contact_schedule_per_tier(book):
    old = NOW - timedelta(days=40)
    customers.add_customer("钻石客", ["13800138001"], tier="钻石", created_at=old)
    customers.add_customer("金卡客", ["13800138002"], tier="金卡", created_at=old)
    customers.add_customer("老金卡", ["13800138003"], tier="金卡", created_at=NOW - timedelta(days=70))
    customers.add_customer("普通客", ["13800138004"], created_at=NOW - timedelta(days=70))
    assert sorted(_kinds(tasks.today(NOW))) == [("contact", "老金卡"), ("contact", "钻石客")]
    diamond = customers.customer_by_number("13800138001")
    calls.call_started("13800138001", at=NOW + timedelta(minutes=1))  # they rang: in touch again
    rows = tasks.today(NOW + timedelta(minutes=2))
    assert _kinds(rows) == [("contact", "老金卡")]
    settings.set("contact_every_days", {"金卡": 30})
    assert sorted(_kinds(tasks.today(NOW + timedelta(minutes=3)))) == [("contact", "老金卡"), ("contact", "金卡客")]
    assert diamond.id not in [r.customer_id for r in tasks.today(NOW + timedelta(minutes=3))]


def test_birthday_task_three_days_ahead(book):
    customers.add_customer("张三", ["13800138000"], birthday=date(1990, 5, 8), created_at=NOW)
    customers.add_customer("李四", ["13900139000"], lunar_birthday=(3, 22), created_at=NOW)  # 2026-05-08
    customers.add_customer("王五", ["13700137000"], birthday=date(1990, 5, 9), created_at=NOW)
    rows = tasks.today(NOW)
    assert sorted(_kinds(rows)) == [("birthday", "张三"), ("birthday", "李四")]
    assert all(r.title == "2026-05-08" for r in rows)
    tasks.done(rows[0], "texted", now=NOW)
    assert len(tasks.today(NOW + timedelta(days=1))) == 2  # 王五's comes up; 张三's stays done
    assert "王五" in [r.name for r in tasks.today(NOW + timedelta(days=1))]


def test_complaint_with_a_reply_deadline(book):
    c = customers.add_customer("张三", ["13800138000"], created_at=NOW)
    row = tasks.complaint("菜太咸", customer_id=c.id, at=NOW)
    assert row.due == NOW + timedelta(hours=8) and row.title == "菜太咸"
    assert _kinds(tasks.today(NOW)) == [("complaint", "张三")]
    assert tasks.count_open(NOW) == 1
    with pytest.raises(ValueError):
        tasks.dismiss(row, "  ")
    dismissed = tasks.dismiss(row, "customer called, sorted out", now=NOW)
    assert dismissed.done_how == "dismissed" and not dismissed.is_open
    settings.set("complaint_reply_hours", 2)
    assert tasks.complaint("x", number="+8613600136000", at=NOW).due == NOW + timedelta(hours=2)


def test_customers_drifting_away(book):
    c = customers.add_customer("张三", ["13800138000"], created_at=NOW)
    visits.record_visit(c.id, at=NOW - timedelta(days=200), amount_cents=100)
    recent = customers.add_customer("李四", ["13900139000"], created_at=NOW)
    visits.record_visit(recent.id, at=NOW - timedelta(days=20))
    assert _kinds(tasks.today(NOW)) == [("drifting", "张三")]
    visits.record_visit(c.id, at=NOW + timedelta(minutes=1))
    assert tasks.today(NOW + timedelta(minutes=2)) == []


def test_the_list_orders_complaints_first_and_counts_match(book):
    c = customers.add_customer("张三", ["13800138000"], tier="钻石", created_at=NOW - timedelta(days=45))
    _missed("13700137000", NOW - timedelta(hours=1))
    tasks.complaint("x", customer_id=c.id, at=NOW - timedelta(hours=9))
    rows = tasks.today(NOW)
    assert [r.kind for r in rows] == ["complaint", "callback", "contact"]
    assert tasks.count_open(NOW) == len(rows)


# The daily cap: a list a person can work through --------------------------------------

def _spent(customer_id: int, cents: int, at: datetime) -> None:
    visits.record_visit(customer_id, at=at, amount_cents=cents)


def test_contacts_open_a_few_a_day_the_most_valuable_first(book):
    settings.set("tasks_per_day", {"contact": 2, "drifting": 0})
    long_ago = NOW - timedelta(days=400)
    silver = customers.add_customer("银卡大户", ["13800138001"], tier="银卡", created_at=long_ago)
    _spent(silver.id, 900_000, long_ago)
    gold_small = customers.add_customer("金卡小", ["13800138002"], tier="金卡", created_at=long_ago)
    _spent(gold_small.id, 1_000, long_ago)
    gold_big = customers.add_customer("金卡大", ["13800138003"], tier="金卡", created_at=long_ago)
    _spent(gold_big.id, 50_000, long_ago)
    # Same tier, same spend (none): the one unseen longest comes first.
    customers.add_customer("金卡旧", ["13800138004"], tier="金卡", created_at=long_ago - timedelta(days=30))
    customers.add_customer("金卡新", ["13800138005"], tier="金卡", created_at=long_ago)
    customers.add_customer("钻石客", ["13800138006"], tier="钻石", created_at=long_ago)
    day = timedelta(days=1)

    assert tasks.refresh(NOW) == 2
    rows = tasks.today(NOW)
    assert _kinds(rows) == [("contact", "钻石客"), ("contact", "金卡大")]
    assert rows[0].number == "+8613800138006"  # texted at the customer's own number
    assert tasks.refresh(NOW + timedelta(hours=1)) == 0  # the day's two are open: nothing more today
    # An unworked list does not grow: yesterday's two still wait, so the next day opens none.
    assert tasks.refresh(NOW + day) == 0
    tasks.done(rows[0], "texted", now=NOW + day)
    tasks.dismiss(rows[1], "moved away", now=NOW + day)
    assert _kinds(tasks.today(NOW + day)) == [("contact", "金卡小"), ("contact", "金卡旧")]
    tasks.done(tasks.today(NOW + day)[0], "texted", now=NOW + day)
    assert tasks.refresh(NOW + day) == 0  # today's two were opened
    assert _kinds(tasks.today(NOW + 2 * day)) == [("contact", "金卡旧"), ("contact", "金卡新")]

    def contacts(at):
        return [name for kind, name in _kinds(tasks.today(at)) if kind == "contact"]

    # Contacted but never seen again: owed again once their tier's days have passed since the task.
    settings.set("tasks_per_day", {"contact": 5, "drifting": 0})
    assert contacts(NOW + 30 * day) == ["金卡旧", "金卡新", "银卡大户"]
    assert contacts(NOW + 32 * day) == ["金卡旧", "金卡新", "银卡大户", "钻石客"]


def test_drifting_customers_open_a_few_a_day_the_most_valuable_first(book):
    settings.set("tasks_per_day", {"drifting": 2, "contact": 0})
    for i, (name, tier, cents, days) in enumerate((("普通大户", "普通", 900_000, 400), ("钻石少", "钻石", 100, 100),
                                                   ("银卡多", "银卡", 80_000, 200), ("银卡少", "银卡", 20_000, 300),
                                                   ("钻石近", "钻石", 100, 10))):
        c = customers.add_customer(name, [f"1380013800{i}"], tier=tier, created_at=NOW - timedelta(days=500))
        _spent(c.id, cents, NOW - timedelta(days=days))
    assert _kinds(tasks.today(NOW)) == [("drifting", "钻石少"), ("drifting", "银卡多")]
    assert tasks.refresh(NOW + timedelta(minutes=10)) == 0
    for row in tasks.today(NOW, refresh_first=False):
        tasks.done(row, "texted", now=NOW)
    # Once per absence: texted and still away, they are not owed again; the next most valuable are.
    assert _kinds(tasks.today(NOW + timedelta(days=1))) == [("drifting", "银卡少"), ("drifting", "普通大户")]


def test_call_backs_complaints_and_birthdays_are_never_capped(book):
    settings.set("tasks_per_day", 1)
    for i in range(4):
        _missed(f"1370013700{i}", NOW - timedelta(hours=i + 1))
        customers.add_customer(f"寿星{i}", [f"1390013900{i}"], birthday=date(1990, 5, 7), created_at=NOW)
        tasks.complaint(f"投诉{i}", number=f"+861360013600{i}", at=NOW - timedelta(hours=9))
    rows = tasks.today(NOW)
    assert [r.kind for r in rows] == ["complaint"] * 4 + ["callback"] * 4 + ["birthday"] * 4
    assert tasks.count_open(NOW) == 12


def test_refresh_twice_adds_nothing_and_a_birthday_gone_by_closes(book):
    c = customers.add_customer("张三", ["13800138000"], birthday=date(1990, 5, 6), tier="钻石",
                               created_at=NOW - timedelta(days=90))
    _missed("13700137000", NOW - timedelta(hours=1))
    assert tasks.refresh(NOW) == 3  # the birthday, the call-back, the contact
    assert tasks.refresh(NOW) == 0 and tasks.refresh(NOW + timedelta(minutes=10)) == 0
    assert [r.kind for r in tasks.today(NOW)] == ["callback", "birthday", "contact"]
    after = NOW + timedelta(days=2)  # the 6th is over
    assert "birthday" not in [r.kind for r in tasks.today(after)]
    from store.models import Task

    gone = Task.get((Task.kind == "birthday") & (Task.customer == c.id))
    assert gone.done_how == "past"


def test_a_complaint_needs_a_note_and_someone_to_answer(book):
    with pytest.raises(ValueError):
        tasks.complaint("  ", number="+8613800138000", at=NOW)
    with pytest.raises(ValueError):
        tasks.complaint("菜太咸", at=NOW)
    c = customers.add_customer("张三", ["13800138000"], created_at=NOW)
    row = tasks.complaint("菜太咸", number="+8613800138000", at=NOW)
    assert row.customer_id == c.id and row.name == "张三"  # a known number is the customer's complaint


def test_a_customer_drifting_and_due_a_contact_is_listed_once(book):
    c = customers.add_customer("张三", ["13800138000"], tier="钻石", created_at=NOW - timedelta(days=200))
    visits.record_visit(c.id, at=NOW - timedelta(days=100))  # past both their contact (30) and drifting (60) days
    assert _kinds(tasks.today(NOW)) == [("drifting", "张三")]
    assert _kinds(tasks.today(NOW + timedelta(days=1))) == [("drifting", "张三")]


def test_the_count_stops_where_asked(book):
    for i in range(5):
        _missed(f"1370013700{i}", NOW - timedelta(hours=1))
    tasks.refresh(NOW)
    assert tasks.count_open(NOW) == 5 and tasks.count_open(NOW, most=3) == 3 and tasks.count_open(NOW, most=9) == 5


# "Today" is the shop's local day, whatever the kind and whatever the hour -------------------

def test_a_complaint_recorded_late_in_the_day_is_in_todays_list_with_its_deadline(book):
    evening = NOW.replace(hour=20)  # 20:00 at the shop: eight hours to answer runs past midnight
    late = tasks.complaint("等太久", number="+8613700137000", at=evening)
    assert late.due.astimezone(SH) == datetime(2026, 5, 6, 4, 0, tzinfo=SH)
    assert [(r.kind, r.title, r.due) for r in tasks.today(evening)] == [("complaint", "等太久", late.due)]
    assert tasks.count_open(evening) == 1 and tasks.count_open(evening, most=5) == 1
    next_morning = datetime(2026, 5, 6, 9, 0, tzinfo=SH)  # still owed the next day, now late
    assert [r.id for r in tasks.today(next_morning)] == [late.id]
    assert tasks.complaint("下周的事", number="+8613700137001", at=NOW + timedelta(days=2)).id not in [
        r.id for r in tasks.today(evening)]  # recorded on a day to come: not today's


@pytest.mark.parametrize("clock", [(0, 20), (7, 55), (23, 50)])
def test_every_kind_is_in_the_list_of_the_shops_day_at_any_hour(book, clock):
    hour, minute = clock
    now = datetime(2026, 5, 5, hour, minute, tzinfo=SH)  # 00:20 at the shop is still the 4th in UTC
    settings.set("tasks_per_day", 5)
    _missed("13700137000", now - timedelta(minutes=10))
    customers.add_customer("钻石客", ["13800138001"], tier="钻石", created_at=now - timedelta(days=40))
    customers.add_customer("寿星", ["13800138002"], birthday=date(1990, 5, 8), created_at=now)
    gone = customers.add_customer("老客", ["13800138003"], created_at=now - timedelta(days=300))
    visits.record_visit(gone.id, at=now - timedelta(days=200))
    tasks.complaint("菜太咸", number="+8613600136000", at=now - timedelta(minutes=5))
    rows = tasks.today(now)
    assert sorted(r.kind for r in rows) == sorted(["complaint", "callback", "birthday", "contact", "drifting"])
    assert tasks.count_open(now) == 5
    assert [r.title for r in rows if r.kind == "birthday"] == ["2026-05-08"]
    # Each kind is asked once a day: a minute before midnight and a minute after are two days.
    tomorrow = datetime(2026, 5, 6, 0, 1, tzinfo=SH)
    assert tasks.today(tomorrow) and tasks.refresh(now + timedelta(minutes=1)) == 0
