"""Whose birthday falls on a given day (or on each of several days), solar or lunar, in one query over the whole
book."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import peewee as pw

from store import lunar
from store.models import Customer


@dataclass(frozen=True, slots=True)
class BirthdayPerson:
    """A customer whose birthday is on the day asked, with what a greeting needs."""

    customer_id: int
    name: str
    tier: str
    company: str
    number: str | None  # primary number, None when they have none
    opted_out: bool
    blocked: bool
    lunar: bool


def _solar_condition(day: date, db: pw.Database) -> tuple[str, list]:
    pairs = [(day.month, day.day)]
    if (day.month, day.day) == (2, 28) and not calendar.isleap(day.year):
        pairs.append((2, 29))  # born on 29 February: kept on the 28th in other years
    p = db.param
    if isinstance(db, pw.PostgresqlDatabase):
        one = f"(EXTRACT(MONTH FROM c.birthday) = {p} AND EXTRACT(DAY FROM c.birthday) = {p})"
    else:
        one = f"(CAST(substr(c.birthday, 6, 2) AS INTEGER) = {p} AND CAST(substr(c.birthday, 9, 2) AS INTEGER) = {p})"
    return "(" + " OR ".join([one] * len(pairs)) + ")", [x for pair in pairs for x in pair]


def on(day: date) -> list[BirthdayPerson]:
    """Customers whose birthday is celebrated on `day` (a lunar birthday on its solar day this year)."""
    db = Customer._meta.database
    p = db.param
    solar, params = _solar_condition(day, db)
    codes = sorted(m * 100 + d for m, d in lunar.birthdays_on(day)) or [0]
    sql = (f"SELECT c.id, c.name, c.tier, c.company, ph.number, c.opted_out, c.blocked, c.birthday_lunar "
           f"FROM customer c LEFT JOIN phone ph ON ph.customer_id = c.id AND ph.is_primary = {p} "
           f"WHERE (c.birthday_lunar = {p} AND c.birthday IS NOT NULL AND {solar}) "
           f"OR (c.birthday_lunar = {p} AND c.lunar_month * 100 + c.lunar_day IN "
           f"({', '.join(str(code) for code in codes)})) ORDER BY c.id")
    rows = db.execute_sql(sql, [True, False, *params, True])
    return [BirthdayPerson(r[0], r[1], r[2], r[3], r[4], bool(r[5]), bool(r[6]), bool(r[7])) for r in rows]


def on_days(days: Iterable[date]) -> dict[date, list[BirthdayPerson]]:
    """`on` for several days in one read of the book: each day asked, with whose birthday it is (by id)."""
    asked = list(dict.fromkeys(days))
    solar_days: dict[int, list[date]] = {}  # month * 100 + day of a solar birthday -> the days it is kept on
    lunar_days: dict[int, list[date]] = {}  # the same for a lunar month/day
    for day in asked:
        solar_days.setdefault(day.month * 100 + day.day, []).append(day)
        if (day.month, day.day) == (2, 28) and not calendar.isleap(day.year):
            solar_days.setdefault(229, []).append(day)  # as `on`: 29 February is kept on the 28th
        for m, d in lunar.birthdays_on(day):
            lunar_days.setdefault(m * 100 + d, []).append(day)
    found: dict[date, list[BirthdayPerson]] = {day: [] for day in asked}
    if not asked:
        return found
    db = Customer._meta.database
    p = db.param
    if isinstance(db, pw.PostgresqlDatabase):
        solar_code = "CAST(EXTRACT(MONTH FROM c.birthday) * 100 + EXTRACT(DAY FROM c.birthday) AS INTEGER)"
        solar_match = f"{solar_code} IN ({', '.join(str(code) for code in sorted(solar_days))})"
    else:
        solar_code = "CAST(substr(c.birthday, 6, 2) AS INTEGER) * 100 + CAST(substr(c.birthday, 9, 2) AS INTEGER)"
        # Every customer is looked at: the stored text's month-day compared as it is costs least per row.
        month_days = ", ".join(f"'{code // 100:02d}-{code % 100:02d}'" for code in sorted(solar_days))
        solar_match = f"substr(c.birthday, 6, 5) IN ({month_days})"
    lunar_code = "c.lunar_month * 100 + c.lunar_day"
    lunar_match = f"{lunar_code} IN ({', '.join(str(code) for code in sorted(lunar_days)) or '0'})"
    sql = (f"SELECT c.id, c.name, c.tier, c.company, ph.number, c.opted_out, c.blocked, c.birthday_lunar, "
           f"CASE WHEN c.birthday_lunar = {p} THEN {lunar_code} ELSE {solar_code} END "
           f"FROM customer c LEFT JOIN phone ph ON ph.customer_id = c.id AND ph.is_primary = {p} "
           f"WHERE (c.birthday_lunar = {p} AND c.birthday IS NOT NULL AND {solar_match}) "
           f"OR (c.birthday_lunar = {p} AND {lunar_match}) ORDER BY c.id")
    for r in db.execute_sql(sql, [True, True, False, True]):
        person = BirthdayPerson(r[0], r[1], r[2], r[3], r[4], bool(r[5]), bool(r[6]), bool(r[7]))
        for day in (lunar_days if person.lunar else solar_days).get(r[8], ()):
            found[day].append(person)
    return found
