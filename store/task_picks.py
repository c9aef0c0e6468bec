"""Which customers the task list asks about today: contacts and drifting customers, a few a day.

A big book owes a contact to a third of its customers at once: a list nobody
can work through. So these two kinds open at most tasks_per_day a day (default
20 of each), never more than that waiting, the most valuable customers first:
highest tier, then most spent, then longest unseen. Each tier is one index
range (customer (tier, seen_at)), read only until the day's room is filled.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import peewee as pw

from store import settings
from store.models import Customer, Task, Visit, to_utc_naive

CAPPED = ("contact", "drifting")
PER_DAY = 20
PER_DAY_KEY = "tasks_per_day"

# Spend orders candidates within a tier: one index probe per candidate of that tier only.
_SPEND = "(SELECT COALESCE(SUM(v.amount_cents), 0) FROM visit v WHERE v.customer_id = {id})"


def per_day(kind: str) -> int:
    """How many tasks of a capped kind open a day (setting tasks_per_day: a number, or one per kind)."""
    value = settings.get(PER_DAY_KEY, PER_DAY)
    if isinstance(value, dict):
        value = value.get(kind, PER_DAY)
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return PER_DAY


def room(kind: str, start: datetime) -> int:
    """How many more tasks of a capped kind may open in the shop's day beginning at `start` (UTC, naive):
    the day's cap, less those opened since and those of earlier days still waiting (an unworked list does
    not grow)."""
    cap = per_day(kind)
    if cap <= 0:
        return 0
    opened = Task.select().where((Task.kind == kind) & (Task.created_at >= start)).count()
    waiting = Task.select().where(Task.done_at.is_null() & (Task.kind == kind) & (Task.created_at < start)).count()
    return max(0, cap - opened - waiting)


def _most_valuable_first(tiers) -> list[str]:
    """The tiers asked about, highest first (the shop's tiers are listed lowest first; unknown ones last)."""
    rank = {tier: i for i, tier in enumerate(settings.tiers())}
    return sorted(tiers, key=lambda tier: -rank.get(tier, -1))


def _db() -> pw.Database:
    return Task._meta.database


def _date(value, field: pw.Field, zone: ZoneInfo) -> str:
    at = field.python_value(value)
    at = at if at.tzinfo is not None else at.replace(tzinfo=timezone.utc)
    return at.astimezone(zone).date().isoformat()


def contacts(now: datetime, day: date, zone: ZoneInfo, schedule: dict[str, int], room: int,
             skip: set[int] = frozenset()) -> list[dict]:
    """The most valuable customers owed a contact: not seen for their tier's N days, and not contacted
    (a task, worked or not) in those N days either; at most `room`. One already asked back as drifting
    (`skip`, or an open task) is not listed twice."""
    db, out = _db(), []
    p = db.param
    for tier in _most_valuable_first(schedule):
        if len(out) >= room:
            break
        cutoff = to_utc_naive(now - timedelta(days=schedule[tier]))
        sql = (f"SELECT c.id, c.seen_at FROM customer c WHERE c.tier = {p} AND c.seen_at < {p} AND NOT c.blocked "
               f"AND NOT EXISTS (SELECT 1 FROM task t WHERE t.customer_id = c.id AND t.kind = 'contact' "
               f"AND (t.created_at >= {p} OR t.done_at IS NULL)) "
               f"AND NOT EXISTS (SELECT 1 FROM task t WHERE t.customer_id = c.id AND t.kind = 'drifting' "
               f"AND t.done_at IS NULL) "
               f"ORDER BY {_SPEND.format(id='c.id')} DESC, c.seen_at, c.id LIMIT {p}")
        for cid, seen in db.execute_sql(sql, (tier, cutoff, cutoff, room - len(out) + len(skip))):
            if cid in skip or len(out) >= room:
                continue
            out.append({"kind": "contact", "key": f"contact:{cid}:{day.isoformat()}", "customer": cid,
                        "title": _date(seen, Customer.seen_at, zone), "due": now, "created_at": now})
    return out


def drifting(now: datetime, zone: ZoneInfo, schedule: dict[str, int], room: int) -> list[dict]:
    """The most valuable customers whose last visit is their tier's N days ago, once per absence; at most `room`."""
    db, out = _db(), []
    p = db.param
    for tier in _most_valuable_first(schedule):
        if len(out) >= room:
            break
        cutoff = to_utc_naive(now - timedelta(days=schedule[tier]))
        sql = (f"SELECT d.id, d.last FROM (SELECT c.id AS id, (SELECT MAX(v.at) FROM visit v "
               f"WHERE v.customer_id = c.id) AS last FROM customer c WHERE c.tier = {p} AND NOT c.blocked) AS d "
               f"WHERE d.last < {p} AND NOT EXISTS (SELECT 1 FROM task t WHERE t.customer_id = d.id "
               f"AND t.kind = 'drifting' AND t.created_at >= d.last) "
               f"ORDER BY {_SPEND.format(id='d.id')} DESC, d.last, d.id LIMIT {p}")
        for cid, last in db.execute_sql(sql, (tier, cutoff, room - len(out))):
            at = Visit.at.python_value(last)
            out.append({"kind": "drifting", "key": f"drifting:{cid}:{at:%Y-%m-%dT%H:%M:%S}", "customer": cid,
                        "title": _date(last, Visit.at, zone), "due": now, "created_at": now})
    return out
