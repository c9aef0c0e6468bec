"""The caller card: everything the desk shows about a ringing number, in one database round trip."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import peewee as pw

from store.models import Customer, UtcDateTimeField, to_utc_naive, utcnow
from store.numbers import InvalidNumber, normalize

_ITEM_SPLIT = re.compile(r"[、,，;；/\n]+")
_TIME = UtcDateTimeField()
_DATE = pw.DateField()


@dataclass(frozen=True, slots=True)
class TextLine:
    """One recent text on the card."""

    at: datetime
    direction: str
    body: str
    status: str


@dataclass(frozen=True, slots=True)
class Card:
    """Who is calling: the customer (None when unknown) and what the counter should know."""

    number: str  # E.164, or the number as the network gave it when it is not a valid one
    customer_id: int | None = None
    name: str = ""
    tier: str = ""
    numbers: tuple[str, ...] = ()
    blocked: bool = False
    opted_out: bool = False
    notes: str = ""
    tags: tuple[str, ...] = ()
    birthday: date | None = None
    birthday_lunar: bool = False
    lunar_month: int | None = None
    lunar_day: int | None = None
    calls_30d: int = 0
    calls_365d: int = 0
    calls_total: int = 0
    last_call_at: datetime | None = None
    visits: int = 0
    spend_total_cents: int = 0
    spend_average_cents: int = 0
    last_visit_at: datetime | None = None
    favourite_items: tuple[str, ...] = ()
    last_texts: tuple[TextLine, ...] = ()

    @property
    def known(self) -> bool:
        return self.customer_id is not None


def _sql(db: pw.Database) -> str:
    p = db.param
    pg = isinstance(db, pw.PostgresqlDatabase)

    def agg(expr: str, source: str, order: str, limit: str = "") -> str:
        if pg:
            return (f"(SELECT coalesce(json_agg({expr} ORDER BY {order}), '[]') FROM "
                    f"(SELECT * FROM {source} ORDER BY {order} {limit}) AS x)")
        return f"(SELECT json_group_array({expr}) FROM (SELECT * FROM {source} ORDER BY {order} {limit}) AS x)"

    arr = "json_build_array" if pg else "json_array"
    # One CASE per figure picks the index: by customer when known, by number when not.
    def by_who(what: str, extra: str = "") -> str:
        known = f"(SELECT {what} FROM call WHERE call.customer_id = c.id {extra})"
        unknown = f"(SELECT {what} FROM call WHERE call.number = q.n AND call.customer_id IS NULL {extra})"
        return f"CASE WHEN c.id IS NULL THEN {unknown} ELSE {known} END"

    texts_known = agg(f"{arr}(x.at, x.direction, x.body, x.status)",
                      "message WHERE message.customer_id = c.id", "at DESC, id DESC", "LIMIT 3")
    texts_unknown = agg(f"{arr}(x.at, x.direction, x.body, x.status)",
                        "message WHERE message.number = q.n", "at DESC, id DESC", "LIMIT 3")
    return f"""
SELECT c.id, c.name, c.tier, c.blocked, c.opted_out, c.notes, c.tags, c.birthday, c.birthday_lunar,
  c.lunar_month, c.lunar_day,
  {agg("x.number", "phone WHERE phone.customer_id = c.id", "is_primary DESC, id")},
  {by_who("count(*)", f"AND started_at >= {p}")},
  {by_who("count(*)", f"AND started_at >= {p}")},
  {by_who("count(*)")},
  {by_who("max(started_at)")},
  (SELECT count(*) FROM visit WHERE visit.customer_id = c.id),
  (SELECT coalesce(sum(amount_cents), 0) FROM visit WHERE visit.customer_id = c.id),
  (SELECT max(at) FROM visit WHERE visit.customer_id = c.id),
  {agg("x.items", "visit WHERE visit.customer_id = c.id AND items <> ''", "at DESC", "LIMIT 50")},
  CASE WHEN c.id IS NULL THEN {texts_unknown} ELSE {texts_known} END
FROM (SELECT CAST({p} AS TEXT) AS n) AS q
LEFT JOIN phone ON phone.number = q.n
LEFT JOIN customer c ON c.id = phone.customer_id
"""


_SQL_CACHE: dict[bool, str] = {}  # by backend: the text depends only on the dialect


def _query(db: pw.Database) -> str:
    key = isinstance(db, pw.PostgresqlDatabase)
    if key not in _SQL_CACHE:
        _SQL_CACHE[key] = _sql(db)
    return _SQL_CACHE[key]


def _moment(value) -> datetime | None:
    if isinstance(value, str):
        value = value.replace("T", " ")  # PostgreSQL's JSON spells times the ISO way
    return _TIME.python_value(value)


def _json(value):
    if value is None:
        return []
    return json.loads(value) if isinstance(value, (str, bytes)) else value


def favourites(item_lists: list[str], top: int = 3) -> tuple[str, ...]:
    """The items ordered most often in these visits (ties: the most recent first)."""
    counts: Counter[str] = Counter()
    for items in item_lists:
        counts.update({i.strip() for i in _ITEM_SPLIT.split(items or "") if i.strip()})
    return tuple(item for item, _ in counts.most_common(top))


def caller_card(number: str, region: str = "CN", now: datetime | None = None) -> Card:
    """The card for a ringing number in any spelling; an unknown caller gets a card with its number only."""
    try:
        e164 = normalize(number, region)
    except InvalidNumber:
        e164 = number  # withheld or odd numbers still get a card (and their calls are counted)
    db = Customer._meta.database
    now = to_utc_naive(now or utcnow())
    d30, d365 = now - timedelta(days=30), now - timedelta(days=365)
    row = db.execute_sql(_query(db), (d30, d30, d365, d365, e164)).fetchone()
    (cid, name, tier, blocked, opted_out, notes, tags, birthday, lunar, lunar_month, lunar_day, numbers,
     calls_30, calls_365, calls_total, last_call, visits, spend, last_visit, items, texts) = row
    lines = tuple(TextLine(_moment(at), d, body, status) for at, d, body, status in _json(texts))
    base = dict(number=e164, calls_30d=calls_30 or 0, calls_365d=calls_365 or 0, calls_total=calls_total or 0,
                last_call_at=_moment(last_call), last_texts=lines)
    if cid is None:
        return Card(**base)
    visits = int(visits or 0)
    spend = int(spend or 0)
    return Card(customer_id=cid, name=name, tier=tier, numbers=tuple(_json(numbers)), blocked=bool(blocked),
                opted_out=bool(opted_out), notes=notes, tags=tuple(t for t in tags.split("|") if t),
                birthday=_DATE.python_value(birthday), birthday_lunar=bool(lunar), lunar_month=lunar_month,
                lunar_day=lunar_day, visits=visits, spend_total_cents=spend,
                spend_average_cents=spend // visits if visits else 0, last_visit_at=_moment(last_visit),
                favourite_items=favourites(_json(items)), **base)
