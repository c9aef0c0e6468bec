"""Customer reports: the best customers of the period by spend and visits, and the book by tier."""

from __future__ import annotations

from decimal import Decimal

import peewee as pw

from store import settings
from store.models import Customer
from store.reports import Report
from store.reports.period import Period, window

TOP = 50
CENT = Decimal("0.01")


def _db() -> pw.Database:
    return Customer._meta.database


def yuan(cents: int | None) -> Decimal:
    """Fen as yuan, exactly (12345 -> Decimal('123.45'))."""
    return (Decimal(int(cents or 0)) / 100).quantize(CENT)


def top_customers(period: Period, limit: int = TOP) -> Report:
    """The customers who spent most in the period (then the most visits): visits, spend, spend per visit.

    Visits only: a booking row (booking_date set) is a promise, not a visit.
    """
    db, span = _db(), window(period)
    p = db.param
    # Ranked on the visits alone, then joined to the few customers that made the list.
    sql = (f"SELECT c.name, c.tier, t.visits, t.spend FROM (SELECT customer_id, COUNT(*) AS visits, "
           f"SUM(amount_cents) AS spend FROM visit WHERE at >= {p} AND at < {p} AND booking_date IS NULL "
           f"GROUP BY customer_id ORDER BY spend DESC, visits DESC, customer_id LIMIT {int(limit)}) t "
           f"JOIN customer c ON c.id = t.customer_id ORDER BY t.spend DESC, t.visits DESC, t.customer_id")
    rows = tuple((name, tier, visits, yuan(spend), (yuan(spend) / visits).quantize(CENT))
                 for name, tier, visits, spend in db.execute_sql(sql, (span.start, span.end)))
    return Report("customers", period, ("customer", "tier", "visits", "spend", "average"), rows,
                  chart=("spend", "visits", "average"))


def tiers(period: Period) -> Report:
    """Customers by tier: all of them, those added in the period, and those in touch in it (call or visit)."""
    db, span = _db(), window(period)
    p = db.param
    sql = (f"SELECT tier, COUNT(*), SUM(CASE WHEN created_at >= {p} AND created_at < {p} THEN 1 ELSE 0 END), "
           f"SUM(CASE WHEN seen_at >= {p} AND seen_at < {p} THEN 1 ELSE 0 END) FROM customer GROUP BY tier")
    found = {tier: (n, int(new or 0), int(active or 0))
             for tier, n, new, active in db.execute_sql(sql, (span.start, span.end) * 2)}
    # The shop's tiers, highest first, each shown even when empty; tiers no longer in the list after them.
    order = list(reversed(settings.tiers())) + sorted(set(found) - set(settings.tiers()))
    rows = tuple((tier, *found.get(tier, (0, 0, 0))) for tier in order)
    total = (None, sum(r[1] for r in rows), sum(r[2] for r in rows), sum(r[3] for r in rows))
    return Report("tiers", period, ("tier", "customers", "new", "active"), rows, total,
                  chart=("customers", "new", "active"))
