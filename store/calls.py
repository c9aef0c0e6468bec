"""Calls: kept forever, written as they happen, read a window at a time (the log has millions)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import peewee as pw

from store import changes
from store.models import Call, Customer, Phone, to_utc_naive, utcnow
from store.numbers import InvalidNumber, normalize

Cursor = tuple[datetime, int]  # (started_at, id): where a page of the log starts


@dataclass(frozen=True, slots=True)
class CallRow:
    """One line of the call log, with the caller's name when known."""

    id: int
    number: str
    customer_id: int | None
    customer_name: str
    direction: str
    started_at: datetime
    answered_at: datetime | None
    ended_at: datetime | None
    outcome: str
    duration_s: int
    callback: str
    note: str
    handled_by: str

    @property
    def cursor(self) -> Cursor:
        return (self.started_at, self.id)


@dataclass(frozen=True, slots=True)
class DaySummary:
    """Today at a glance, in the shop's time zone."""

    total: int
    answered: int
    missed: int
    rejected: int
    callbacks_pending: int
    talk_seconds: int


def _select():
    return (Call.select(Call.id, Call.number, Call.customer, Customer.name, Call.direction, Call.started_at,
                        Call.answered_at, Call.ended_at, Call.outcome, Call.duration_s, Call.callback, Call.note,
                        Call.handled_by)
            .join(Customer, pw.JOIN.LEFT_OUTER, on=(Call.customer == Customer.id)))


def _rows(query) -> list[CallRow]:
    out = []
    for r in query.tuples():
        out.append(CallRow(r[0], r[1], r[2], r[3] or "", *r[4:]))
    return out


def _touched(call_id: int) -> CallRow:
    changes.record("call", call_id)
    return by_ids([call_id])[0]


def by_ids(ids: list[int] | tuple[int, ...]) -> list[CallRow]:
    """These calls, newest first."""
    if not ids:
        return []
    return _rows(_select().where(Call.id.in_(list(ids))).order_by(Call.started_at.desc(), Call.id.desc()))


def get(call_id: int) -> CallRow | None:
    """One call, or None."""
    found = by_ids([call_id])
    return found[0] if found else None


def call_started(number: str | None, at: datetime | None = None, direction: str = "in",
                 region: str = "CN") -> CallRow:
    """A call rings (in) or is dialled (out): a row now, so a crash mid-call still leaves it in the log."""
    try:
        e164 = normalize(number, region) if number else ""
    except InvalidNumber:
        e164 = number or ""  # as the network gave it: the call still happened
    at = to_utc_naive(at or utcnow())
    db = Call._meta.database
    with db.atomic():
        owner = Phone.select(Phone.customer).where(Phone.number == e164).scalar() if e164 else None
        call_id = Call.insert(number=e164, customer=owner, direction=direction, started_at=at).execute()
        if owner is not None:
            Customer.update(seen_at=at).where(Customer.id == owner).execute()
        return _touched(call_id)


def call_answered(call_id: int, at: datetime | None = None) -> CallRow:
    """The call was picked up."""
    with Call._meta.database.atomic():
        Call.update(answered_at=to_utc_naive(at or utcnow())).where(Call.id == call_id).execute()
        return _touched(call_id)


def call_ended(call_id: int, outcome: str, duration_s: float | None = None, at: datetime | None = None) -> CallRow:
    """The call is over: answered, missed or rejected; a missed incoming call becomes a call-back task."""
    if outcome not in ("answered", "missed", "rejected"):
        raise ValueError(f"a call ends answered, missed or rejected, not {outcome!r}")
    end = to_utc_naive(at or utcnow())
    with Call._meta.database.atomic():
        row = Call.get_by_id(call_id)
        if duration_s is None:
            duration_s = (end - to_utc_naive(row.answered_at)).total_seconds() if row.answered_at else 0
        values = {"ended_at": end, "outcome": outcome, "duration_s": max(0, round(duration_s))}
        if outcome == "missed" and row.direction == "in" and row.number:
            values["callback"] = "pending"
        Call.update(**values).where(Call.id == call_id).execute()
        return _touched(call_id)


def missed_to_callback(call_id: int) -> CallRow:
    """Put a call on the call-back list."""
    with Call._meta.database.atomic():
        Call.update(callback="pending").where(Call.id == call_id).execute()
        return _touched(call_id)


def mark_called_back(call_id: int, by: str = "", at: datetime | None = None) -> CallRow:
    """We called them back: this call and every earlier pending one from the same number are done."""
    when = to_utc_naive(at or utcnow())
    with Call._meta.database.atomic():
        row = Call.get_by_id(call_id)
        ids = [i for (i,) in Call.select(Call.id).where((Call.number == row.number) & (Call.callback == "pending")
                                                       & (Call.started_at <= row.started_at)).tuples()]
        ids = sorted(set(ids) | {call_id})
        Call.update(callback="done", callback_at=when, callback_by=by).where(Call.id.in_(ids)).execute()
        for i in ids:
            changes.record("call", i)
    return get(call_id)


def set_note(call_id: int, note: str, handled_by: str | None = None) -> CallRow:
    """Write what the call was about (and who took it)."""
    values = {"note": note} if handled_by is None else {"note": note, "handled_by": handled_by}
    with Call._meta.database.atomic():
        Call.update(**values).where(Call.id == call_id).execute()
        return _touched(call_id)


def pending_callbacks(limit: int = 200) -> list[CallRow]:
    """Missed calls not yet returned, newest first."""
    return _rows(_select().where(Call.callback == "pending").order_by(Call.started_at.desc(), Call.id.desc())
                 .limit(limit))


def page(before: Cursor | None = None, limit: int = 50) -> list[CallRow]:
    """The call log, newest first: `limit` calls older than `before` (None: from the newest)."""
    query = _select()
    if before is not None:
        query = query.where(pw.Tuple(Call.started_at, Call.id) < pw.Tuple(to_utc_naive(before[0]), before[1]))
    return _rows(query.order_by(Call.started_at.desc(), Call.id.desc()).limit(limit))


def page_after(after: Cursor, limit: int = 50) -> list[CallRow]:
    """The `limit` calls just newer than `after` (scrolling back up), newest first."""
    query = (_select().where(pw.Tuple(Call.started_at, Call.id) > pw.Tuple(to_utc_naive(after[0]), after[1]))
             .order_by(Call.started_at.asc(), Call.id.asc()).limit(limit))
    return list(reversed(_rows(query)))


def of_customer(customer_id: int, before: Cursor | None = None, limit: int = 50) -> list[CallRow]:
    """One customer's calls, newest first."""
    query = _select().where(Call.customer == customer_id)
    if before is not None:
        query = query.where(pw.Tuple(Call.started_at, Call.id) < pw.Tuple(to_utc_naive(before[0]), before[1]))
    return _rows(query.order_by(Call.started_at.desc(), Call.id.desc()).limit(limit))


def count(exact: bool = False) -> int:
    """How many calls the log holds. Calls are never deleted, so the id range answers at once; `exact` counts."""
    if exact:
        return Call.select().count()
    # Two queries: SQLite answers a lone min() or max() from the index edge, but both at once by a full scan.
    high = Call.select(pw.fn.MAX(Call.id)).scalar()
    low = Call.select(pw.fn.MIN(Call.id)).scalar()
    return 0 if high is None else high - low + 1


def today_summary(time_zone: str = "Asia/Shanghai", now: datetime | None = None) -> DaySummary:
    """Calls since midnight in the shop's time zone: total, by outcome, call-backs pending, talk time."""
    now = now or utcnow()
    if now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    local = now.astimezone(ZoneInfo(time_zone))
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    start, end = to_utc_naive(midnight), to_utc_naive(midnight + timedelta(days=1))
    rows = (Call.select(Call.outcome, pw.fn.COUNT(Call.id), pw.fn.SUM(Call.duration_s))
            .where((Call.started_at >= start) & (Call.started_at < end)).group_by(Call.outcome).tuples())
    by = {outcome: (n, talk or 0) for outcome, n, talk in rows}
    pending = Call.select().where(Call.callback == "pending").count()
    return DaySummary(total=sum(n for n, _ in by.values()), answered=by.get("answered", (0, 0))[0],
                      missed=by.get("missed", (0, 0))[0], rejected=by.get("rejected", (0, 0))[0],
                      callbacks_pending=pending, talk_seconds=sum(t for _, t in by.values()))


# Calls a quit or a crash left open ------------------------------------------

OPEN_AT_MOST = timedelta(days=7)  # no call lasts this long: older rows are history, read by the log as they stood


def left_open(now: datetime | None = None) -> list[CallRow]:
    """Calls whose end was never written (the line was let go, or died, mid-call), oldest first."""
    since = to_utc_naive((now or utcnow()) - OPEN_AT_MOST)
    return _rows(_select().where((Call.started_at >= since) & Call.ended_at.is_null())
                 .order_by(Call.started_at, Call.id))


def settle_unknown(call_ids: list[int], at: datetime | None = None) -> list[CallRow]:
    """These calls ended while nobody held the line: ended, outcome `unknown` (how and when, nobody saw).

    Whether one was answered stays in `answered_at`; no call-back is made of it, as nobody knows it was missed.
    """
    if not call_ids:
        return []
    end = to_utc_naive(at or utcnow())
    with Call._meta.database.atomic():
        Call.update(ended_at=end, outcome="unknown", duration_s=0).where(
            Call.id.in_(list(call_ids)) & Call.ended_at.is_null()).execute()
        for call_id in call_ids:
            changes.record("call", call_id)
    return by_ids(call_ids)
