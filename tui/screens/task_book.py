"""The task screen's doorway into the store: blocking calls, run on the book's thread via `book.run`.

Each function takes the desk's Book first (for its clock, time zone and number
display) and turns store rows into the plain lines the task screen shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from tui.i18n import t

SHOWN = 500  # a list to work through by hand; the title says how many more wait
MOST_COUNTED = 1000  # the status bar says 999+ beyond


@dataclass(frozen=True, slots=True)
class TaskLine:
    """One task as the list shows it."""

    task_id: int
    kind: str
    customer_id: int | None
    name: str
    number: str  # E.164, as the text goes to it
    shown_number: str  # as people at the shop read it
    what: str  # what is owed, in words (a complaint's note is the customer's own words)
    when: str  # when it is due, on the shop's clock
    overdue: bool


@dataclass(frozen=True, slots=True)
class TaskList:
    lines: tuple[TaskLine, ...]
    total: int  # open and due today, shown or not


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=timezone.utc)


def _what(row, book) -> str:
    if row.kind == "complaint":
        return t("tasks.what.complaint", note=row.title)
    if row.kind == "callback":
        return t("tasks.what.callback")
    if row.kind == "birthday":
        return t("tasks.what.birthday", day=row.title[5:])
    return t(f"tasks.what.{row.kind}", since=row.title) if row.kind in ("contact", "drifting") else row.title


def _line(row, book, now: datetime, start_of_day: datetime) -> TaskLine:
    due = _aware(row.due)
    local = book.local(due)
    if local.date() == book.local(now).date():
        when = local.strftime("%H:%M")
    else:  # a complaint's deadline past midnight keeps its hour: the day alone would not say when
        when = local.strftime("%m-%d %H:%M" if row.kind == "complaint" else "%m-%d")
    # A complaint is late once its deadline passes; anything else once it is carried over from an earlier day.
    overdue = due < now if row.kind == "complaint" else due < start_of_day
    return TaskLine(row.id, row.kind, row.customer_id, row.name, row.number, book.display(row.number) or "",
                    _what(row, book), when, overdue)


def task_list(book) -> TaskList:
    """Bring the list up to date and read what is owed today, complaints first."""
    from store import tasks

    now = book.now()
    book.region()  # numbers are shown the way the shop's region reads them
    rows = tasks.today(now, limit=SHOWN)
    start = tasks.start_of_day(now)
    return TaskList(tuple(_line(row, book, now, start) for row in rows), tasks.count_open(now))


def open_count(book) -> int:
    """How many tasks are open and due today, up to MOST_COUNTED (read only: the status bar asks often)."""
    from store import tasks

    return tasks.count_open(book.now(), most=MOST_COUNTED)


def mark_done(book, task_id: int, how: str) -> None:
    """The task was done: called back, texted."""
    from store import tasks

    tasks.done(task_id, how, now=book.now())


def dismiss(book, task_id: int, reason: str) -> None:
    """The task is closed without doing it, for `reason`."""
    from store import tasks

    tasks.dismiss(task_id, reason, now=book.now())


def add_complaint(book, number: str, note: str) -> int:
    """Record a complaint from `number` (any way it is written); ValueError in plain words when it cannot be."""
    from store import tasks
    from store.numbers import InvalidNumber, normalize

    if not note.strip():
        raise ValueError(t("tasks.complaint.no_note"))
    try:
        e164 = normalize(number, book.region())
    except InvalidNumber:
        raise ValueError(t("tasks.complaint.bad_number")) from None
    return tasks.complaint(note, number=e164, at=book.now()).id
