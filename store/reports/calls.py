"""Call reports: calls per day (or month) and per hour of day, call-backs of missed calls, new and returning callers.

Each is one grouped query over the period's calls, read along the index on
started_at; the rows come back per local day, month or hour, a few hundred at
most however many calls the book holds.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import peewee as pw

from store.models import Call
from store.reports import Report, rate
from store.reports.period import Period, Window, local, minutes_between, window


def _db() -> pw.Database:
    return Call._meta.database


def _in_period(span: Window) -> tuple[str, list]:
    p = _db().param
    return f"started_at >= {p} AND started_at < {p}", [span.start, span.end]


def _by_outcome(period: Period, unit: str) -> dict[str, Counter]:
    """Per local day/month/hour: calls by "in:answered", "out:answered", …, and "talk" seconds."""
    db, span = _db(), window(period)
    bucket, params = local("started_at", span, unit, db)
    where, more = _in_period(span)
    sql = (f"SELECT {bucket}, direction, outcome, COUNT(*), SUM(duration_s) FROM call WHERE {where} "
           f"GROUP BY 1, 2, 3")
    out: dict[str, Counter] = defaultdict(Counter)
    for label, direction, outcome, n, talk in db.execute_sql(sql, params + more):
        out[label][f"{direction}:{outcome}"] += n
        out[label][direction] += n
        out[label]["talk"] += talk or 0
    return out


def _outcome_row(label, c: Counter) -> tuple:
    incoming, answered = c["in"], c["in:answered"]
    return (label, incoming, answered, c["in:missed"], c["in:rejected"], rate(answered, incoming), c["out"])


def _sum(counters) -> Counter:
    total: Counter = Counter()
    for c in counters:
        total.update(c)
    return total


OUTCOME_COLUMNS = ("incoming", "answered", "missed", "rejected", "answer_rate", "outgoing")


def calls(period: Period) -> Report:
    """Calls per local day (per month over long periods): incoming by outcome, answer rate, outgoing, talk time."""
    unit = period.unit
    found = _by_outcome(period, unit)
    rows = tuple(_outcome_row(label, found[label]) + (round(found[label]["talk"] / 60),)
                 for label in period.labels(unit))
    total = _sum(found.values())
    return Report("calls", period, (unit, *OUTCOME_COLUMNS, "talk_minutes"), rows,
                  _outcome_row(None, total) + (round(total["talk"] / 60),),
                  chart=("incoming", "answered", "missed", "answer_rate", "outgoing", "talk_minutes"))


def hours(period: Period) -> Report:
    """Calls by local hour of day over the period: when the phone rings, and when it goes unanswered."""
    found = _by_outcome(period, "hour")
    rows = tuple(_outcome_row(f"{hour:02d}:00", found[f"{hour:02d}"]) for hour in range(24))
    return Report("hours", period, ("hour", *OUTCOME_COLUMNS), rows, _outcome_row(None, _sum(found.values())),
                  chart=("incoming", "missed", "answer_rate", "answered", "outgoing"))


def median(histogram: Counter) -> float | None:
    """The median of values counted in `histogram` (value -> how many); None when empty."""
    n = sum(histogram.values())
    if not n:
        return None
    ordered = sorted(histogram.items())

    def nth(k: int) -> int:
        seen = 0
        for value, count in ordered:
            seen += count
            if k < seen:
                return value
        raise IndexError(k)

    return (nth((n - 1) // 2) + nth(n // 2)) / 2


def callbacks(period: Period) -> Report:
    """Missed incoming calls per day (or month): how many were called back, the rate, the median wait, still owed."""
    db, span, unit = _db(), window(period), period.unit
    bucket, params = local("started_at", span, unit, db)
    where, more = _in_period(span)
    missed = f"{where} AND direction = 'in' AND outcome = 'missed'"
    states: dict[str, Counter] = defaultdict(Counter)
    for label, state, n in db.execute_sql(f"SELECT {bucket}, callback, COUNT(*) FROM call WHERE {missed} "
                                          f"GROUP BY 1, 2", params + more):
        states[label][state] += n
    # The wait is counted in whole minutes, grouped: a histogram per day, not a row per call.
    waits: dict[str, Counter] = defaultdict(Counter)
    wait = minutes_between("started_at", "callback_at", db)
    for label, minutes, n in db.execute_sql(
            f"SELECT {bucket}, {wait}, COUNT(*) FROM call WHERE {missed} AND callback = 'done' "
            f"AND callback_at IS NOT NULL GROUP BY 1, 2", params + more):
        waits[label][max(0, minutes)] += n

    def row(label, c: Counter, wait: Counter) -> tuple:
        total = sum(c.values())
        return (label, total, c["done"], rate(c["done"], total), median(wait), c["pending"])

    rows = tuple(row(label, states[label], waits[label]) for label in period.labels(unit))
    return Report("callbacks", period, (unit, "missed", "returned", "return_rate", "median_minutes", "pending"),
                  rows, row(None, _sum(states.values()), _sum(waits.values())),
                  chart=("missed", "returned", "return_rate", "median_minutes", "pending"))


def callers(period: Period) -> Report:
    """Who rang, by the day of their first call in the period: new numbers, and numbers heard before it."""
    db, span, unit = _db(), window(period), period.unit
    p = db.param
    bucket, params = local("f.began", span, unit, db)
    where, more = _in_period(span)
    # One row per number in the period, then one index probe each for an earlier call (either way).
    sql = (f"SELECT {bucket}, CASE WHEN EXISTS (SELECT 1 FROM call e WHERE e.number = f.number "
           f"AND e.started_at < {p}) THEN 1 ELSE 0 END, COUNT(*) FROM (SELECT number, MIN(started_at) AS began "
           f"FROM call WHERE {where} AND direction = 'in' AND number <> '' GROUP BY number) f GROUP BY 1, 2")
    found: dict[str, Counter] = defaultdict(Counter)
    for label, known, n in db.execute_sql(sql, params + [span.start] + more):
        found[label]["returning" if known else "new"] += n

    def row(label, c: Counter) -> tuple:
        everyone = c["new"] + c["returning"]
        return (label, everyone, c["new"], c["returning"], rate(c["new"], everyone))

    rows = tuple(row(label, found[label]) for label in period.labels(unit))
    return Report("callers", period, (unit, "callers", "new", "returning", "new_share"), rows,
                  row(None, _sum(found.values())), chart=("callers", "new", "returning", "new_share"))
