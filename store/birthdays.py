"""Whose birthday falls on a given day, solar or lunar, in one query over the whole book."""

from __future__ import annotations

import calendar
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
