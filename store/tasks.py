"""Tasks: one list of what the shop owes people today.

Missed calls not yet returned, customers due a contact by their tier's
schedule, birthdays three days ahead, complaints with a reply deadline, and
customers drifting away (no visit for N days, N per tier). Each task is a row
with a unique key naming its reason, so generating the list again adds
nothing; a task closes when done (how), dismissed (why), or when its reason
goes away by itself (the call was returned, the customer came back, the
birthday is over).

Contacts and drifting customers open a few a day, the most valuable first
(store/task_picks.py); call-backs, complaints and birthdays are never held back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import peewee as pw

from store import birthdays, calls, settings, task_picks
from store.models import Call, Customer, Phone, Task, Visit, to_utc_naive, utcnow
from store.task_picks import CAPPED, PER_DAY, PER_DAY_KEY, per_day  # noqa: F401 - the schedule's settings

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


def start_of_day(now: datetime) -> datetime:
    """The first moment (UTC) of the shop's day at `now`."""
    return datetime.combine(local_day(now), time(0), tzinfo=_zone()).astimezone(timezone.utc)


def end_of_day(now: datetime) -> datetime:
    """The first moment (UTC) of the shop's next day."""
    zone = _zone()
    return datetime.combine(local_day(now) + timedelta(days=1), time(0), tzinfo=zone).astimezone(timezone.utc)


_COLUMNS = ("kind", "key", "customer", "call", "number", "title", "due", "created_at")


def _new(rows: list[dict]) -> list[dict]:
    """The rows whose key is not a task yet: read first, so the write transaction stays a few rows long."""
    seen: set[str] = set()
    keys = [r["key"] for r in rows]
    for i in range(0, len(keys), 500):
        seen.update(k for (k,) in Task.select(Task.key).where(Task.key.in_(keys[i:i + 500])).tuples())
    return [r for r in rows if r["key"] not in seen]


def _add(rows: list[dict]) -> int:
    """Insert tasks whose key is new (another terminal may have just added the same); how many were offered."""
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
    batch = [(r["kind"], r["key"], r.get("customer"), r.get("call"), r.get("number", ""), r.get("title", ""),
              to_utc_naive(r["due"]), to_utc_naive(r["created_at"])) for r in rows]
    db.cursor().executemany(sql, batch)
    return len(rows)


def _per_tier(key: str, default: dict[str, int]) -> dict[str, int]:
    value = settings.get(key, default)
    out = {}
    for tier, days in (value or {}).items():
        try:
            if int(days):
                out[str(tier)] = int(days)
        except (TypeError, ValueError):
            continue  # a hand-edited value that is no number: that tier is not on the schedule
    return out


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


def _birthdays(now: datetime) -> list[dict]:
    """Birthdays from today to three days ahead, once a day: the look-up reads every customer of the book."""
    start = to_utc_naive(start_of_day(now))
    if Task.select().where((Task.kind == "birthday") & (Task.created_at >= start)).exists():
        return []
    today = local_day(now)
    out = []
    # Today's list also catches a day the desk was closed; the four days are one read of the book.
    days = [today + timedelta(days=ahead) for ahead in range(BIRTHDAY_AHEAD_DAYS + 1)]
    zone = _zone()  # read once: the setting is a trip to the book, and a big book has thousands of birthdays
    for day, people in birthdays.on_days(days).items():
        due = datetime.combine(day - timedelta(days=BIRTHDAY_AHEAD_DAYS), time(9), tzinfo=zone)
        for person in people:
            if person.blocked:
                continue
            out.append({"kind": "birthday", "key": f"birthday:{person.customer_id}:{day.isoformat()}",
                        "customer": person.customer_id, "number": person.number or "",
                        "title": day.isoformat(), "due": due, "created_at": now})
    return out


def _resolved(now: datetime) -> dict[str, list[int]]:
    """Open tasks whose reason went away by itself, by how (call-backs aside: see refresh); read only,
    so no writer waits on it."""
    open_ = Task.done_at.is_null()
    since = Customer.select(Customer.id).where((Customer.id == Task.customer) & (Customer.seen_at > Task.created_at))
    visited = Visit.select(Visit.id).where((Visit.customer == Task.customer) & (Visit.at > Task.created_at))
    # A birthday task is due three days ahead at nine: one due before that on today's date is for a day gone by.
    gone_by = datetime.combine(local_day(now) - timedelta(days=BIRTHDAY_AHEAD_DAYS), time(9), tzinfo=_zone())
    found = {
        "in touch": open_ & (Task.kind == "contact") & pw.fn.EXISTS(since),
        "came back": open_ & (Task.kind == "drifting") & pw.fn.EXISTS(visited),
        "past": open_ & (Task.kind == "birthday") & (Task.due < to_utc_naive(gone_by)),
    }
    return {how: [i for (i,) in Task.select(Task.id).where(where).tuples()] for how, where in found.items()}


def _close(resolved: dict[str, list[int]], now: datetime) -> None:
    at = to_utc_naive(now)
    for how, ids in resolved.items():
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            Task.update(done_at=at, done_how=how).where(Task.id.in_(chunk) & Task.done_at.is_null()).execute()


def refresh(now: datetime | None = None) -> int:
    """Bring the task list up to date: add what became due, close what resolved itself. Safe to repeat;
    how many tasks it opened."""
    now = now or utcnow()
    # Everything is worked out first, outside the write transaction, so the line worker's rows for a
    # ringing call never wait behind it; once today's contacts are open, a refresh reads a few index ranges.
    # A call-back task is returned once its number has no pending call left: the open tasks are read before
    # the pending calls (the partial index, read anyway), so a task another terminal adds meanwhile is never
    # closed; and no task's number is looked up among all the book's calls (ten per number on a big book).
    open_callbacks = list(Task.select(Task.id, Task.number).where(Task.done_at.is_null()
                                                                  & (Task.kind == "callback")).tuples())
    callbacks = _callbacks(now)
    waiting = {task["number"] for task in callbacks}
    resolved = _resolved(now)
    resolved["called back"] = [i for i, number in open_callbacks if number not in waiting]
    due = callbacks + _birthdays(now)
    start, zone = to_utc_naive(start_of_day(now)), _zone()
    room = task_picks.room("drifting", start)
    picked = task_picks.drifting(now, zone, _per_tier("drifting_days", DRIFTING_DAYS), room) if room else []
    room = task_picks.room("contact", start)
    if room:
        schedule = _per_tier("contact_every_days", CONTACT_EVERY_DAYS)
        picked += task_picks.contacts(now, local_day(now), zone, schedule, room, {r["customer"] for r in picked})
    due += picked
    due = _new(due)
    if due or any(resolved.values()):
        with _db().atomic():
            _close(resolved, now)
            _add(due)
    return len(due)


# Reading and closing ---------------------------------------------------------------

def _rows(query) -> list[TaskRow]:
    rows = [TaskRow(*r[:3], r[3] or "", *r[4:]) for r in query.tuples()]
    # A task about a customer is texted at their number: the primary one, else the first they gave.
    missing = {r.customer_id for r in rows if not r.number and r.customer_id is not None}
    if not missing:
        return rows
    numbers: dict[int, str] = {}
    ids = sorted(missing)
    for i in range(0, len(ids), 500):
        for cid, number in (Phone.select(Phone.customer, Phone.number).where(Phone.customer.in_(ids[i:i + 500]))
                            .order_by(Phone.is_primary.desc(), Phone.id).tuples()):
            numbers.setdefault(cid, number)
    return [r if r.number or r.customer_id not in numbers else _with_number(r, numbers[r.customer_id]) for r in rows]


def _with_number(row: TaskRow, number: str) -> TaskRow:
    return TaskRow(row.id, row.kind, row.customer_id, row.name, number, row.call_id, row.title, row.due,
                   row.done_at, row.done_how)


def _select():
    return (Task.select(Task.id, Task.kind, Task.customer, Customer.name, Task.number, Task.call, Task.title,
                        Task.due, Task.done_at, Task.done_how)
            .join(Customer, pw.JOIN.LEFT_OUTER, on=(Task.customer == Customer.id)))


def _owed_today(now: datetime):
    """Open and owed by the end of the shop's day: due by then, or a complaint recorded by then (its deadline
    may fall after midnight, but it is owed from the moment it is recorded)."""
    end = to_utc_naive(end_of_day(now))
    # The complaint's side reads the open ones due later (the partial index task_open_kind), not every
    # complaint the shop ever had.
    late = (Task.kind == "complaint") & (Task.due >= end) & (Task.created_at < end)
    return Task.done_at.is_null() & ((Task.due < end) | late)


def today(now: datetime | None = None, refresh_first: bool = True, limit: int | None = None) -> list[TaskRow]:
    """Open tasks owed by the end of the shop's day: complaints first, then call-backs, birthdays, contacts,
    drifting customers; each kind by when it is due (the first `limit` of them)."""
    now = now or utcnow()
    if refresh_first:
        refresh(now)
    kind_order = pw.Case(Task.kind, [(kind, i) for i, kind in enumerate(KINDS)], len(KINDS))
    query = _select().where(_owed_today(now)).order_by(kind_order, Task.due, Task.id)
    return _rows(query.limit(limit) if limit is not None else query)


def count_open(now: datetime | None = None, most: int | None = None) -> int:
    """How many tasks are open and due today, counting no further than `most` (the desk's status bar asks
    often: its cost stays one short index range however long the list grew); reads only."""
    now = now or utcnow()
    query = Task.select(Task.id).where(_owed_today(now))
    return (query.limit(most) if most is not None else query).count()


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
    """A complaint to answer within `hours` (setting complaint_reply_hours, default 8); a number that is a
    customer's makes it that customer's complaint."""
    if not note.strip():
        raise ValueError("say what the complaint is about")
    if customer_id is None and not number:
        raise ValueError("say whose complaint it is: a customer or a number")
    if customer_id is None:
        customer_id = Phone.select(Phone.customer).where(Phone.number == number).scalar()
    at = at or utcnow()
    if hours is None:
        try:
            hours = float(settings.get("complaint_reply_hours", COMPLAINT_HOURS))
        except (TypeError, ValueError):
            hours = float(COMPLAINT_HOURS)
    key = f"complaint:{customer_id or number}:{to_utc_naive(at).isoformat()}"
    _add([{"kind": "complaint", "key": key, "customer": customer_id, "number": number, "title": note.strip(),
           "due": at + timedelta(hours=hours), "created_at": at}])
    return _rows(_select().where(Task.key == key))[0]
