"""Reports on a small book built here, with exact numbers, on SQLite and PostgreSQL.

The shop is in Shanghai (UTC+8): local midnight is 16:00 UTC the day before, so
calls just either side of it test that days are the shop's days, not UTC's.
"""

from __future__ import annotations

import csv
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from store import calls, campaigns, customers, settings, visits
from store.audience import Audience
from store.models import Customer, Message
from store.reports import KINDS, Period, files, preset, run
from store.reports.calls import median
from store.reports.period import window

SHANGHAI = ZoneInfo("Asia/Shanghai")
MAY = Period(date(2026, 5, 1), date(2026, 5, 3))
A, B, C = "+8613800138001", "+8613800138002", "+8613800138003"


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def local(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def call(number: str, at: datetime, outcome: str, seconds: int = 0, direction: str = "in") -> int:
    row = calls.call_started(number, at=at, direction=direction)
    if outcome == "answered":
        calls.call_answered(row.id, at=at)
    calls.call_ended(row.id, outcome, duration_s=seconds, at=at + timedelta(seconds=seconds))
    return row.id


def _calls() -> None:
    call(A, utc(2026, 4, 30, 15, 59, 59), "answered", 60)  # 23:59:59 on 30 April at the shop: before the period
    call(A, utc(2026, 4, 30, 16, 0, 0), "answered", 120)  # 00:00 on 1 May
    c3 = call(A, utc(2026, 5, 1, 15, 30), "missed")  # 23:30 on 1 May, called back 40 minutes later
    calls.mark_called_back(c3, at=utc(2026, 5, 1, 16, 10))
    call(B, utc(2026, 5, 1, 16, 30), "missed")  # 00:30 on 2 May, never called back
    call(B, utc(2026, 5, 2, 2, 0), "rejected")  # 10:00
    call(C, utc(2026, 5, 2, 3, 0), "answered", 60, direction="out")  # 11:00, we rang them
    c7 = call(C, utc(2026, 5, 3, 15, 59), "missed")  # 23:59 on 3 May, called back 10 minutes later
    calls.mark_called_back(c7, at=utc(2026, 5, 3, 16, 9))
    call(C, utc(2026, 5, 3, 16, 0), "answered", 30)  # 00:00 on 4 May: after the period


def test_calls_per_local_day(book):
    _calls()
    report = run("calls", MAY)
    assert report.columns == ("day", "incoming", "answered", "missed", "rejected", "answer_rate", "outgoing",
                              "talk_minutes")
    assert report.rows == (("2026-05-01", 2, 1, 1, 0, 50.0, 0, 2),
                           ("2026-05-02", 2, 0, 1, 1, 0.0, 1, 1),
                           ("2026-05-03", 1, 0, 1, 0, 0.0, 0, 0))
    assert report.total == (None, 5, 1, 3, 1, 20.0, 1, 3)
    assert report.column("missed") == [1, 1, 1]


def test_calls_by_month_over_a_long_period(book):
    _calls()
    report = run("calls", Period(date(2025, 6, 1), date(2026, 5, 31)))
    assert report.columns[0] == "month" and len(report.rows) == 12
    by_month = {row[0]: row for row in report.rows}
    assert by_month["2026-04"][:3] == ("2026-04", 1, 1)  # 23:59:59 on 30 April is April at the shop
    assert by_month["2026-05"][:4] == ("2026-05", 6, 2, 3)
    assert by_month["2025-06"][1:] == (0, 0, 0, 0, None, 0, 0)


def test_calls_by_hour_of_day(book):
    _calls()
    report = run("hours", MAY)
    rows = {row[0]: row[1:] for row in report.rows}
    assert len(rows) == 24 and report.rows[0][0] == "00:00"
    assert rows["00:00"] == (2, 1, 1, 0, 50.0, 0)
    assert rows["10:00"] == (1, 0, 0, 1, 0.0, 0)
    assert rows["11:00"] == (0, 0, 0, 0, None, 1)
    assert rows["23:00"] == (2, 0, 2, 0, 0.0, 0)
    assert rows["12:00"] == (0, 0, 0, 0, None, 0)
    assert report.total == (None, 5, 1, 3, 1, 20.0, 1)


def test_hours_follow_daylight_saving(book):
    settings.set("time_zone", "Europe/Berlin")  # clocks went forward at 01:00 UTC on 29 March 2026
    call(A, utc(2026, 3, 29, 0, 30), "answered")  # 01:30 CET
    call(A, utc(2026, 3, 29, 1, 30), "answered")  # 03:30 CEST
    call(A, utc(2026, 3, 29, 22, 30), "answered")  # 00:30 on 30 March
    day = Period(date(2026, 3, 29), date(2026, 3, 29))
    assert len(window(day).pieces) == 2
    rows = {row[0]: row[1] for row in run("hours", day).rows}
    assert rows["01:00"] == 1 and rows["03:00"] == 1 and rows["00:00"] == 0 and rows["02:00"] == 0
    assert run("calls", Period(date(2026, 3, 29), date(2026, 3, 30))).column("incoming") == [2, 1]


def test_callbacks_rate_and_median_wait(book):
    _calls()
    report = run("callbacks", MAY)
    assert report.columns == ("day", "missed", "returned", "return_rate", "median_minutes", "pending")
    assert report.rows == (("2026-05-01", 1, 1, 100.0, 40.0, 0),
                           ("2026-05-02", 1, 0, 0.0, None, 1),
                           ("2026-05-03", 1, 1, 100.0, 10.0, 0))
    assert report.total == (None, 3, 2, 66.7, 25.0, 1)


def test_median_of_a_histogram():
    from collections import Counter

    assert median(Counter()) is None
    assert median(Counter({5: 1})) == 5
    assert median(Counter({1: 2, 10: 1})) == 1
    assert median(Counter({1: 2, 10: 2})) == 5.5


def test_new_and_returning_callers(book):
    _calls()
    report = run("callers", MAY)
    # A rang before the period; B is new on the 2nd; C is new on the 3rd (our call to C does not count as theirs).
    assert report.rows == (("2026-05-01", 1, 0, 1, 0.0),
                           ("2026-05-02", 1, 1, 0, 100.0),
                           ("2026-05-03", 1, 1, 0, 100.0))
    assert report.total == (None, 3, 2, 1, 66.7)


def _visits() -> dict[str, Customer]:
    people = {
        "zhang": customers.add_customer("张三", [A], tier="金卡"),
        "li": customers.add_customer("李四", [B], tier="钻石"),
        "wang": customers.add_customer("王五", [C]),
    }
    visits.record_visit(people["zhang"].id, at=local(2026, 5, 1, 12, 0), amount_cents=100_00)
    visits.record_visit(people["zhang"].id, at=local(2026, 5, 3, 20, 0), amount_cents=50_50)
    visits.record_visit(people["li"].id, at=local(2026, 5, 1, 0, 0), amount_cents=300_00)
    visits.record_visit(people["li"].id, at=local(2026, 5, 2, 9, 0), booking_date=date(2026, 5, 9), party_size=4)
    visits.record_visit(people["wang"].id, at=local(2026, 4, 30, 23, 59), amount_cents=999_00)
    return people


def test_top_customers_by_spend_then_visits(book):
    _visits()
    report = run("customers", MAY)
    assert report.columns == ("customer", "tier", "visits", "spend", "average")
    assert report.rows == (("李四", "钻石", 1, Decimal("300"), Decimal("300.00")),
                           ("张三", "金卡", 2, Decimal("150.5"), Decimal("75.25")))


def test_tiers(book):
    people = _visits()
    Customer.update(created_at=utc(2026, 1, 1), seen_at=utc(2026, 1, 1)).execute()
    Customer.update(created_at=utc(2026, 4, 30, 16, 0)).where(Customer.id == people["li"].id).execute()
    Customer.update(seen_at=utc(2026, 5, 3, 15, 59)).where(Customer.id == people["zhang"].id).execute()
    report = run("tiers", MAY)
    assert report.rows == (("钻石", 1, 1, 0), ("金卡", 1, 0, 1), ("银卡", 0, 0, 0), ("普通", 1, 0, 0))
    assert report.total == (None, 3, 1, 1)


def test_texts_and_their_cost(book):
    settings.set("price_per_part", 0.05)

    def text(at, status, parts=1, sent=True, direction="out"):
        Message.insert(direction=direction, number=A, body="x", parts=parts, status=status, at=at,
                       sent_at=at if sent else None).execute()

    text(local(2026, 5, 1, 9, 0), "delivered", parts=2)
    text(local(2026, 5, 2, 9, 0), "failed")  # the network said it failed: the part was still charged
    text(local(2026, 5, 2, 9, 5), "failed", sent=False)  # never left the phone
    text(local(2026, 5, 3, 9, 0), "queued", sent=False)
    text(local(2026, 5, 3, 23, 59), "received", direction="in")
    text(local(2026, 4, 30, 23, 59), "delivered")
    report = run("texts", MAY)
    assert report.columns == ("day", "sent", "delivered", "failed", "delivery_rate", "received", "parts", "cost")
    assert report.rows == (("2026-05-01", 1, 1, 0, 100.0, 0, 2, Decimal("0.10")),
                           ("2026-05-02", 2, 0, 2, 0.0, 0, 1, Decimal("0.05")),
                           ("2026-05-03", 0, 0, 0, None, 1, 0, Decimal("0.00")))
    assert report.total == (None, 3, 1, 2, 33.3, 1, 3, Decimal("0.15"))


def test_campaign_results(book):
    people = _visits()
    people["odd"] = customers.add_customer("=cmd|' /C calc'!A0", ["13800138005"])
    start = local(2026, 5, 1, 10, 0)
    campaign = campaigns.create("五一", "{name}您好", Audience())
    campaigns.start(campaign.id, now=start)
    assert campaigns.queue_batch(campaign.id, 10, now=start) == 4
    status = {A: "delivered", B: "delivered", C: "failed", "+8613800138005": "sent"}
    for message in Message.select().where(Message.campaign_id == campaign.id):
        Message.update(status=status[message.number], sent_at=start).where(Message.id == message.id).execute()
    customers.opt_out(people["li"], "SMS: T", at=start + timedelta(days=2))
    customers.opt_out(people["wang"], "SMS: T", at=start + timedelta(days=20))  # too late to count
    Message.insert(direction="in", number=A, body="好的", status="received", at=start + timedelta(hours=1)).execute()
    Message.insert(direction="in", number=B, body="T", status="received", at=start + timedelta(days=2)).execute()
    Message.insert(direction="in", number=C, body="?", status="received", at=start - timedelta(days=1)).execute()
    visits.record_visit(people["odd"].id, at=start + timedelta(days=15), amount_cents=10_00)
    report = run("campaigns", MAY)
    assert report.columns == ("campaign", "started", "texted", "delivered", "failed", "delivery_rate", "opt_outs",
                              "replies", "visited", "visit_rate")
    # Visits within 14 days: 张三 came on the 1st (after 10:00) and the 3rd; 李四 came before the start.
    assert report.rows == (("五一", "2026-05-01 10:00", 4, 2, 1, 50.0, 1, 2, 1, 25.0),)
    assert run("campaigns", Period(date(2026, 5, 2), date(2026, 5, 3))).rows == ()


@pytest.mark.parametrize("kind", KINDS)
def test_an_empty_period_has_rows_of_nothing(book, kind):
    report = run(kind, Period(date(2020, 2, 1), date(2020, 2, 29)))
    assert all(value in (0, None, Decimal(0)) for row in report.rows for value in row[1:] if
               not isinstance(value, str))
    if report.columns[0] == "day":
        assert len(report.rows) == 29 and report.rows[-1][0] == "2020-02-29"
    if kind in ("customers", "campaigns"):
        assert report.rows == ()


def test_presets():
    today = date(2026, 11, 25)
    assert preset("today", today) == Period(today, today)
    assert preset("7d", today) == Period(date(2026, 11, 19), today)
    assert preset("30d", today) == Period(date(2026, 10, 27), today)
    assert preset("month", today) == Period(date(2026, 11, 1), today)
    assert preset("12m", today) == Period(date(2025, 12, 1), today)
    assert preset("12m", date(2026, 12, 31)) == Period(date(2026, 1, 1), date(2026, 12, 31))
    assert len(preset("12m", today).labels()) == 12
    with pytest.raises(ValueError):
        Period(today, today - timedelta(days=1))
    with pytest.raises(ValueError):
        run("nonsense", Period(today, today))


def test_files_guard_formulas_and_never_overwrite(book, tmp_path):
    _visits()
    odd = customers.add_customer("=cmd|' /C calc'!A0", ["13800138005"])
    visits.record_visit(odd.id, at=local(2026, 5, 2, 12, 0), amount_cents=1_00)
    report = run("customers", MAY)
    path = files.save_new(report, "csv", tmp_path / "reports")
    assert path.name == "customers-2026-05-01-2026-05-03.csv"
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["customer", "tier", "visits", "spend", "average"]
    assert rows[1] == ["李四", "钻石", "1", "300.00", "300.00"]
    assert rows[3][0] == "'=cmd|' /C calc'!A0"
    again = files.save_new(report, "csv", tmp_path / "reports")
    assert again.name == "customers-2026-05-01-2026-05-03-2.csv" and path.read_bytes() == again.read_bytes()
    with pytest.raises(FileExistsError):
        files.write(report, "csv", path)

    from openpyxl import load_workbook

    calls_report = run("calls", MAY)
    xlsx = files.save_new(calls_report, "xlsx", tmp_path / "reports", header=["日期", *calls_report.columns[1:]],
                          total_label="合计")
    sheet = load_workbook(xlsx).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == "日期" and values[1][0] == "2026-05-01" and values[-1][0] == "合计"
    sheet_people = load_workbook(files.save_new(report, "xlsx", tmp_path)).active
    assert [c.value for c in list(sheet_people.iter_rows())[3]][0] == "=cmd|' /C calc'!A0"
    assert list(sheet_people.iter_rows())[3][0].data_type == "s"
