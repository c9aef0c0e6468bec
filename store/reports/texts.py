"""Text reports: texts sent, delivered, failed and received per day or month, and what they cost."""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal

from store import settings
from store.models import Message
from store.reports import Report, rate
from store.reports.period import Period, local, window

TRIED = ("sent", "delivered", "failed", "unknown")  # the phone took them: no longer waiting in the outbox


def price() -> Decimal:
    """What one SMS part costs (setting price_per_part), exactly as typed."""
    return Decimal(str(settings.price_per_part()))


def texts(period: Period) -> Report:
    """Per day (per month over long periods): texts sent, delivered, failed, received; parts charged, and cost.

    A text counts in the day it was written (queued); its parts are charged once
    the phone handed it to the network (sent_at set), whatever the report said after.
    """
    db, span, unit = Message._meta.database, window(period), period.unit
    p = db.param
    bucket, params = local("at", span, unit, db)
    sql = (f"SELECT {bucket}, direction, status, COUNT(*), SUM(CASE WHEN sent_at IS NOT NULL THEN parts ELSE 0 END) "
           f"FROM message WHERE at >= {p} AND at < {p} GROUP BY 1, 2, 3")
    found: dict[str, Counter] = defaultdict(Counter)
    for label, direction, status, n, parts in db.execute_sql(sql, params + [span.start, span.end]):
        c = found[label]
        if direction == "in":
            c["received"] += n
            continue
        c[status] += n
        c["tried"] += n if status in TRIED else 0
        c["parts"] += int(parts or 0)
    each = price()

    def row(label, c: Counter) -> tuple:
        return (label, c["tried"], c["delivered"], c["failed"], rate(c["delivered"], c["tried"]), c["received"],
                c["parts"], (each * c["parts"]).quantize(Decimal("0.01")))

    rows = tuple(row(label, found[label]) for label in period.labels(unit))
    total: Counter = Counter()
    for c in found.values():
        total.update(c)
    return Report("texts", period, (unit, "sent", "delivered", "failed", "delivery_rate", "received", "parts",
                                    "cost"), rows, row(None, total),
                  chart=("sent", "delivered", "failed", "cost", "received", "delivery_rate"))
