"""Who a campaign texts: customers picked by tier, tags, last visit, spend, birthday month or a saved filter.

Everything is set-based SQL over the whole book (no query per customer), so a
100,000-customer audience is counted and previewed in well under two seconds.
One text per customer, to their primary number; blocked customers are always
left out, opted-out customers are left out of marketing, and the preview says
how many were left out and why.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta

import peewee as pw

from store import lunar, settings
from store.models import Customer, to_utc_naive, utcnow
from store.sms_parts import parts as sms_parts
from store.templates import render

FILTERS_KEY = "audience_filters"
SKIP_REASONS = ("blocked", "opted_out", "no_number")


@dataclass(frozen=True, slots=True)
class Audience:
    """A filter over the book; empty fields do not narrow it."""

    tiers: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()  # any of these tags
    not_seen_days: int | None = None  # no visit in this many days (or never)
    min_spend_cents: int | None = None  # total spend at least this much
    birthday_month: int | None = None  # solar month in which this year's birthday falls (lunar ones too)

    def to_json(self) -> str:
        """The filter as stored with a campaign or under a name."""
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "Audience":
        """A filter read back; unknown keys are ignored."""
        raw = json.loads(text or "{}")
        return cls(tiers=tuple(raw.get("tiers") or ()), tags=tuple(raw.get("tags") or ()),
                   not_seen_days=raw.get("not_seen_days"), min_spend_cents=raw.get("min_spend_cents"),
                   birthday_month=raw.get("birthday_month"))


@dataclass(frozen=True, slots=True)
class Recipient:
    """One text to send: to whom, and what fills the template."""

    customer_id: int
    number: str
    name: str
    tier: str
    company: str


@dataclass(frozen=True, slots=True)
class PreviewLine:
    """The exact text one recipient would get."""

    customer_id: int
    number: str
    name: str
    text: str
    parts: int


@dataclass(frozen=True, slots=True)
class Preview:
    """What a campaign would send: the first texts, how many, how many parts, what it costs, who is left out."""

    lines: tuple[PreviewLine, ...]
    recipients: int
    skipped: dict[str, int] = field(default_factory=dict)
    total_parts: int = 0
    max_parts: int = 0
    price_per_part: float = 0.0

    @property
    def cost(self) -> float:
        return round(self.total_parts * self.price_per_part, 2)


# Saved filters --------------------------------------------------------------

def save_filter(name: str, audience: Audience) -> None:
    """Keep a filter under a name, for the next campaign."""
    saved = dict(settings.get(FILTERS_KEY, {}) or {})
    saved[name] = json.loads(audience.to_json())
    settings.set(FILTERS_KEY, saved)


def saved_filter(name: str) -> Audience:
    """A filter saved under `name`; KeyError when there is none."""
    saved = settings.get(FILTERS_KEY, {}) or {}
    if name not in saved:
        raise KeyError(name)
    return Audience.from_json(json.dumps(saved[name]))


def filter_names() -> list[str]:
    """The names of the saved filters."""
    return sorted(settings.get(FILTERS_KEY, {}) or {})


# The SQL ------------------------------------------------------------------------

def _db() -> pw.Database:
    return Customer._meta.database


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _where(audience: Audience, today: date, now: datetime) -> tuple[str, list]:
    """The SQL condition on `c` (customer) for this filter, and its parameters."""
    db = _db()
    p = db.param
    conds: list[str] = []
    params: list = []
    if audience.tiers:
        conds.append(f"c.tier IN ({', '.join([p] * len(audience.tiers))})")
        params.extend(audience.tiers)
    if audience.tags:
        conds.append("(" + " OR ".join([f"c.tags LIKE {p} ESCAPE '\\'"] * len(audience.tags)) + ")")
        params.extend(f"%|{_like_escape(t)}|%" for t in audience.tags)
    if audience.not_seen_days is not None:
        cutoff = to_utc_naive(now - timedelta(days=int(audience.not_seen_days)))
        conds.append(f"NOT EXISTS (SELECT 1 FROM visit v WHERE v.customer_id = c.id AND v.at >= {p})")
        params.append(cutoff)
    if audience.min_spend_cents is not None:
        conds.append(f"c.id IN (SELECT v.customer_id FROM visit v GROUP BY v.customer_id "
                     f"HAVING SUM(v.amount_cents) >= {p})")
        params.append(int(audience.min_spend_cents))
    if audience.birthday_month is not None:
        month = int(audience.birthday_month)
        if not 1 <= month <= 12:
            raise ValueError(f"a birthday month is 1 to 12, not {month}")
        solar_month = ("EXTRACT(MONTH FROM c.birthday) = " + p if isinstance(db, pw.PostgresqlDatabase)
                       else f"CAST(substr(c.birthday, 6, 2) AS INTEGER) = {p}")
        codes = sorted(m * 100 + d for m, d in lunar.birthdays_in_month(today.year, month))
        conds.append(f"((c.birthday_lunar = {p} AND c.birthday IS NOT NULL AND {solar_month}) OR "
                     f"(c.birthday_lunar = {p} AND c.lunar_month * 100 + c.lunar_day IN "
                     f"({', '.join(str(code) for code in codes)})))")
        params.extend([False, month, True])
    return (" AND ".join(conds) or "1 = 1"), params


_FROM = ("FROM customer c LEFT JOIN phone ph ON ph.customer_id = c.id AND ph.is_primary = {p} ")


def skipped(audience: Audience, marketing: bool = True, today: date | None = None,
            now: datetime | None = None) -> tuple[int, dict[str, int]]:
    """(how many will get a text, {reason: how many matched but will not}) in one query."""
    now = now or utcnow()
    today = today or now.date()
    where, params = _where(audience, today, now)
    p = _db().param
    opted = f"SUM(CASE WHEN NOT c.blocked AND c.opted_out THEN 1 ELSE 0 END)" if marketing else "0"
    gate = "AND NOT c.opted_out" if marketing else ""
    sql = (f"SELECT SUM(CASE WHEN c.blocked THEN 1 ELSE 0 END), {opted}, "
           f"SUM(CASE WHEN NOT c.blocked {gate} AND ph.number IS NULL THEN 1 ELSE 0 END), "
           f"SUM(CASE WHEN NOT c.blocked {gate} AND ph.number IS NOT NULL THEN 1 ELSE 0 END) "
           + _FROM.format(p=p) + f"WHERE {where}")
    blocked, opted_out, no_number, going = _db().execute_sql(sql, [True, *params]).fetchone()
    reasons = {"blocked": int(blocked or 0), "opted_out": int(opted_out or 0), "no_number": int(no_number or 0)}
    return int(going or 0), {k: v for k, v in reasons.items() if v}


RECIPIENT_COLUMNS = "c.id, ph.number, c.name, c.tier, c.company"


def recipients_sql(audience: Audience, marketing: bool = True, today: date | None = None,
                   now: datetime | None = None, columns: str = RECIPIENT_COLUMNS) -> tuple[str, list]:
    """SELECT `columns` (of c, the customer, and ph, their primary phone) of everyone who gets a text."""
    now = now or utcnow()
    today = today or now.date()
    where, params = _where(audience, today, now)
    p = _db().param
    gate = " AND NOT c.opted_out" if marketing else ""
    sql = (f"SELECT {columns} " + _FROM.format(p=p)
           + f"WHERE {where} AND NOT c.blocked{gate} AND ph.number IS NOT NULL")
    return sql, [True, *params]


def recipients(audience: Audience, marketing: bool = True, limit: int | None = None,
               now: datetime | None = None) -> list[Recipient]:
    """Everyone the filter texts, by customer id."""
    sql, params = recipients_sql(audience, marketing, now=now)
    sql += " ORDER BY c.id"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return [Recipient(*row) for row in _db().execute_sql(sql, params)]


# The text ----------------------------------------------------------------------

def with_footer(body: str, marketing: bool, footer: str | None = None) -> str:
    """A marketing text carries the opt-out footer (setting opt_out_footer) once, at the end."""
    if not marketing:
        return body
    footer = settings.get("opt_out_footer") if footer is None else footer
    footer = (footer or "").strip()
    if not footer or body.rstrip().endswith(footer):
        return body
    return f"{body.rstrip()} {footer}"


class Writer:
    """Fills one campaign's template per recipient, the same way for the preview and for the real send."""

    def __init__(self, body: str, marketing: bool = True, *, shop: str | None = None, time_zone: str | None = None,
                 footer: str | None = None, now: datetime | None = None) -> None:
        self.body = with_footer(body, marketing, footer)
        self.shop = settings.get("shop_name") if shop is None else shop
        self.time_zone = time_zone or settings.get("time_zone")
        self.now = now or utcnow()
        self._per_number = "{number}" in self.body
        self._memo: dict[tuple, tuple[str, int]] = {}

    def text(self, r: Recipient) -> tuple[str, int]:
        """(the text for this recipient, its parts)."""
        key = (r.name, r.tier, r.company, r.number if self._per_number else "")
        found = self._memo.get(key)
        if found is None:
            text = render(self.body, r, shop=self.shop, now=self.now, time_zone=self.time_zone, number=r.number)
            found = self._memo[key] = (text, sms_parts(text))
        return found


def preview(body: str, audience: Audience, first: int = 5, marketing: bool = True,
            now: datetime | None = None, price_per_part: float | None = None) -> Preview:
    """The exact texts for the first `first` recipients, with count, parts, cost and who is left out."""
    now = now or utcnow()
    going, left_out = skipped(audience, marketing, now=now)
    writer = Writer(body, marketing, now=now)
    sql, params = recipients_sql(audience, marketing, now=now)
    lines: list[PreviewLine] = []
    total = most = 0
    # Only what the text depends on is read: name, tier, company (and the number).
    for row in _db().execute_sql(sql + " ORDER BY c.id", params):
        r = Recipient(*row)
        text, n = writer.text(r)
        total += n
        most = max(most, n)
        if len(lines) < first:
            lines.append(PreviewLine(r.customer_id, r.number, r.name, text, n))
    price = float(settings.get("price_per_part") if price_per_part is None else price_per_part)
    return Preview(tuple(lines), going, left_out, total, most, price)
