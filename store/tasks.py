"""Tasks: one list of what the shop owes people today.

Missed calls not yet returned, customers due a contact by their tier's
schedule, birthdays three days ahead, complaints with a reply deadline, and
customers drifting away (no visit for N days, N per tier). Each task is a row
with a unique key naming its reason, so generating the list again adds
nothing; a task closes when done (how), dismissed (why), or when its reason
goes away by itself (the call was returned, the customer came back).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import peewee as pw

from store import birthdays, calls, settings
from store.models import Call, Customer, Task, Visit, to_utc_naive, utcnow

KINDS = ("complaint", "callback", "birthday", "contact", "drifting")  # in the order the list shows them
CONTACT_EVERY_DAYS = {"钻石": 30, "金卡": 60, "银卡": 90}
DRIFTING_DAYS = {"钻石": 60, "金卡": 90, "银卡": 120, "普通": 180}
COMPLAINT_HOURS = 8
BIRTHDAY_AHEAD_DAYS = 3


@dataclass(frozen=True, slots=True)
class TaskRow:
    """One line of the task list."""

    id: int
    kind: str
    customer_id: int | None
    name: str
    number: str
    call_id: int | None
    title: str
    due: datetime
    done_at: datetime | None
    done_how: str

    @property
    def is_open(self) -> bool:
        return self.done_at is None


def _db() -> pw.Database:
    return Task._meta.database


def _zone() -> ZoneInfo:
    try:
        return ZoneInfo(settings.get("time_zone"))
    except (KeyError, ValueError):
        return ZoneInfo("Asia/Shanghai")


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=timezone.utc)


def local_day(now: datetime) -> date:
    """The shop's date at `now`."""
    return _aware(now).astimezone(_zone()).date()


def end_of_day(now: datetime) -> datetime:
    """The first moment (UTC) of the shop's next day."""
    zone = _zone()
    return datetime.combine(local_day(now) + timedelta(days=1), time(0), tzinfo=zone).astimezone(timezone.utc)


_COLUMNS = ("kind", "key", "customer", "call", "number", "title", "due", "created_at")


def _add(rows: list[dict]) -> int:
    """Insert tasks whose key is new; how many rows were offered."""
    if not rows:
        return 0
    db = _db()
    p = db.param
    columns = "kind, key, customer_id, call_id, number, title, due, created_at, done_how, reason"
    values = ", ".join([p] * len(_COLUMNS))
    if isinstance(db, pw.PostgresqlDatabase):
        sql = f"INSERT INTO task ({columns}) VALUES ({values}, '', '') ON CONFLICT DO NOTHING"
    else:
        sql = f"INSERT OR IGNORE INTO task ({columns}) VALUES ({values}, '', '')"
    # Plain executemany: the first refresh of a big book can owe a task to every customer.
    batch = [(r["kind"], r["key"], r.get("customer"), r.get("call"), r.get("number", ""), r.get("title", ""),
              to_utc_naive(r["due"]), to_utc_naive(r["created_at"])) for r in rows]
    cursor = db.cursor()
    for i in range(0, len(batch), 5000):
        cursor.executemany(sql, batch[i:i + 5000])
    return len(rows)


def _per_tier(key: str, default: dict[str, int]) -> dict[str, int]:
    value = settings.get(key, default)
    return {str(k): int(v) for k, v in (value or {}).items() if v}


# Generating ---------------------------------------------------------------------

def _callbacks(now: datetime) -> list[dict]:
    # Walked in the order of the partial index call_pending (a few thousand rows); a GROUP BY number
    # made SQLite scan every call of the book along call_number_started instead (a minute at 10M calls).
    pending = (Call.select(Call.number, Call.id, Call.customer, Call.started_at)
               .where(Call.callback == "pending").order_by(Call.started_at, Call.id).tuples())
    oldest: dict[str, dict] = {}
    for number, call_id, customer, started in pending:
        if not number:
            continue
        task = oldest.get(number)
        if task is None:
            # One task per number until it is called back: keyed by the oldest call still pending.
            oldest[number] = {"kind": "callback", "key": f"callback:{number}:{call_id}", "customer": customer,
                              "call": call_id, "number": number, "title": "",
                              "due": Call.started_at.python_value(started), "created_at": now}
        elif task["customer"] is None:
            task["customer"] = customer
    return list(oldest.values())


def _contacts(now: datetime) -> list[dict]:
    out = []
    for tier, days in _per_tier("contact_every_days", CONTACT_EVERY_DAYS).items():
        cutoff = to_utc_naive(now - timedelta(days=days))
        # A task made since they were last seen covers them: not offered again, so a big book stays cheap.
        covered = Task.select(Task.id).where((Task.customer == Customer.id) & (Task.kind == "contact")
                                             & (Task.created_at >= Customer.seen_at))
        for cid, seen in (Customer.select(Customer.id, Customer.seen_at)
                          .where((Customer.tier == tier) & (Customer.seen_at < cutoff)
                                 & (Customer.blocked == False) & ~pw.fn.EXISTS(covered)).tuples()):  # noqa: E712
            seen = _aware(seen)
            out.append({"kind": "contact", "key": f"contact:{cid}:{seen:%Y-%m-%dT%H:%M:%S}", "customer": cid,
                        "title": f"{days}", "due": seen + timedelta(days=days), "created_at": now})
    return out


def _birthdays(now: datetime) -> list[dict]:
    today = local_day(now)
    out = []
    for ahead in range(BIRTHDAY_AHEAD_DAYS + 1):  # today's list also catches a day the desk was closed
        day = today + timedelta(days=ahead)
        for person in birthdays.on(day):
            if person.blocked:
                continue
            due = datetime.combine(day - timedelta(days=BIRTHDAY_AHEAD_DAYS), time(9), tzinfo=_zone())
            out.append({"kind": "birthday", "key": f"birthday:{person.customer_id}:{day.isoformat()}",
                        "customer": person.customer_id, "number": person.number or "",
                        "title": day.isoformat(), "due": due, "created_at": now})
    return out


def _drifting(now: datetime) -> list[dict]:
    db = _db()
    p = db.param
    out = []
    for tier, days in _per_tier("drifting_days", DRIFTING_DAYS).items():
        cutoff = to_utc_naive(now - timedelta(days=days))
        sql = (f"SELECT d.customer_id, d.last FROM (SELECT v.customer_id, MAX(v.at) AS last FROM visit v "
               f"JOIN customer c ON c.id = v.customer_id WHERE c.tier = {p} AND NOT c.blocked "
               f"GROUP BY v.customer_id HAVING MAX(v.at) < {p}) AS d WHERE NOT EXISTS (SELECT 1 FROM task t "
               f"WHERE t.customer_id = d.customer_id AND t.kind = 'drifting' AND t.created_at >= d.last)")
        for cid, at in db.execute_sql(sql, (tier, cutoff)):
            at = _aware(Visit.at.python_value(at))
            out.append({"kind": "drifting", "key": f"drifting:{cid}:{at:%Y-%m-%dT%H:%M:%S}", "customer": cid,
                        "title": f"{days}", "due": at + timedelta(days=days), "created_at": now})
    return out


def _resolved() -> dict[str, list[int]]:
    """Open tasks whose reason went away by itself, by how: read only, so no writer waits on it."""
    open_ = Task.done_at.is_null()
    pending = Call.select(Call.id).where((Call.number == Task.number) & (Call.callback == "pending"))
    since = Customer.select(Customer.id).where((Customer.id == Task.customer) & (Customer.seen_at > Task.created_at))
    visited = Visit.select(Visit.id).where((Visit.customer == Task.customer) & (Visit.at > Task.created_at))
    found = {
        "called back": open_ & (Task.kind == "callback") & ~pw.fn.EXISTS(pending),
        "in touch": open_ & (Task.kind == "contact") & pw.fn.EXISTS(since),
        "came back": open_ & (Task.kind == "drifting") & pw.fn.EXISTS(visited),
    }
    return {how: [i for (i,) in Task.select(Task.id).where(where).tuples()] for how, where in found.items()}


def _close(resolved: dict[str, list[int]], now: datetime) -> None:
    at = to_utc_naive(now)
    for how, ids in resolved.items():
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            Task.update(done_at=at, done_how=how).where(Task.id.in_(chunk) & Task.done_at.is_null()).execute()


def refresh(now: datetime | None = None) -> None:
    """Bring the task list up to date: add what became due, close what resolved itself. Safe to repeat."""
    now = now or utcnow()
    # Everything is worked out first, outside the write transaction (on a big book that takes
    # seconds), so the line worker's rows for a ringing call never wait behind it.
    due = _callbacks(now) + _contacts(now) + _birthdays(now) + _drifting(now)
    resolved = _resolved()
    with _db().atomic():
        _close(resolved, now)
        _add(due)


# Reading and closing ---------------------------------------------------------------

def _rows(query) -> list[TaskRow]:
    return [TaskRow(*r[:3], r[3] or "", *r[4:]) for r in query.tuples()]


def _select():
    return (Task.select(Task.id, Task.kind, Task.customer, Customer.name, Task.number, Task.call, Task.title,
                        Task.due, Task.done_at, Task.done_how)
            .join(Customer, pw.JOIN.LEFT_OUTER, on=(Task.customer == Customer.id)))


def today(now: datetime | None = None, refresh_first: bool = True) -> list[TaskRow]:
    """Open tasks due by the end of the shop's day: complaints first, then call-backs, birthdays, contacts."""
    now = now or utcnow()
    if refresh_first:
        refresh(now)
    rows = _rows(_select().where(Task.done_at.is_null() & (Task.due < to_utc_naive(end_of_day(now))))
                 .order_by(Task.due, Task.id))
    rows.sort(key=lambda r: KINDS.index(r.kind) if r.kind in KINDS else len(KINDS))
    return rows


def count_open(now: datetime | None = None) -> int:
    """How many tasks are open and due today (the desk's status bar); reads only."""
    now = now or utcnow()
    return Task.select().where(Task.done_at.is_null() & (Task.due < to_utc_naive(end_of_day(now)))).count()


def get(task_id: int) -> TaskRow | None:
    """One task, or None."""
    found = _rows(_select().where(Task.id == task_id))
    return found[0] if found else None


def done(task: TaskRow | int, how: str, by: str = "", now: datetime | None = None) -> TaskRow:
    """Close a task as done ("called back", "texted", …); a call-back task marks the calls returned too."""
    task_id = task.id if isinstance(task, TaskRow) else task
    now = now or utcnow()
    with _db().atomic():
        row = Task.get_by_id(task_id)
        if row.kind == "callback" and row.call_id is not None:
            latest = (Call.select(Call.id).where((Call.number == row.number) & (Call.callback == "pending"))
                      .order_by(Call.started_at.desc()).first())
            if latest is not None:
                calls.mark_called_back(latest.id, by=by, at=now)
        Task.update(done_at=to_utc_naive(now), done_how=how or "done").where(Task.id == task_id).execute()
    return get(task_id)


def dismiss(task: TaskRow | int, reason: str, now: datetime | None = None) -> TaskRow:
    """Close a task without doing it, saying why."""
    task_id = task.id if isinstance(task, TaskRow) else task
    if not reason.strip():
        raise ValueError("say why the task is dismissed")
    Task.update(done_at=to_utc_naive(now or utcnow()), done_how="dismissed", reason=reason.strip()).where(
        Task.id == task_id).execute()
    return get(task_id)


def complaint(note: str, customer_id: int | None = None, number: str = "", at: datetime | None = None,
              hours: float | None = None) -> TaskRow:
    """A complaint to answer within `hours` (setting complaint_reply_hours, default 8)."""
    at = at or utcnow()
    hours = float(settings.get("complaint_reply_hours", COMPLAINT_HOURS) if hours is None else hours)
    key = f"complaint:{customer_id or number}:{to_utc_naive(at).isoformat()}"
    _add([{"kind": "complaint", "key": key, "customer": customer_id, "number": number, "title": note,
           "due": at + timedelta(hours=hours), "created_at": at}])
    return _rows(_select().where(Task.key == key))[0]

