"""The care settings' doorway into the store: blocking calls, each run as `app.book.run(care_book.fn, …)`.

`Book.run` puts them on the book's own thread (one connection serves every
screen); they block on the database, so the care screens call them only from
thread workers (DESIGN invariant 5). A setting the store refuses comes back as
`store.care.CareProblem`, whose code names the words that explain it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from store.care import Rule
from store.festivals import Festival


@dataclass(frozen=True, slots=True)
class CareView:
    """Everything the care settings screen shows, read at once."""

    rules: tuple[Rule, ...]
    own: tuple[tuple[Festival, date | None], ...]  # the shop's holidays, the next day each falls on (None: never)
    festivals: tuple[tuple[date, Festival], ...]  # the Chinese festivals of this year and next
    tiers: tuple[str, ...]
    contact_every: dict[str, int]
    drifting: dict[str, int]
    complaint_hours: float
    per_day: dict[str, int]  # tasks a day of each capped kind: contact, drifting
    shop: str
    time_zone: str
    footer: str
    today: date  # the shop's date


def _next(holiday: Festival, today: date) -> date | None:
    from store import festivals

    try:
        return festivals.next_date(holiday, today)
    except ValueError:
        return None  # a hand-edited 31 February, or beyond the lunar tables: shown without a date


def load(book, now: datetime) -> CareView:
    """The rules, holidays, festivals and schedules as set now."""
    from store import care, festivals, schedules, settings

    time_zone = settings.time_zone()
    try:
        today = now.astimezone(ZoneInfo(time_zone)).date()
    except (ZoneInfoNotFoundError, ValueError):
        today = now.date()
    plan = schedules.schedule()
    return CareView(
        rules=tuple(care.rules()),
        own=tuple((f, _next(f, today)) for f in care.holidays()),
        festivals=tuple(festivals.in_year(today.year) + festivals.in_year(today.year + 1)),
        tiers=tuple(settings.tiers()),
        contact_every=plan.contact_every,
        drifting=plan.drifting,
        complaint_hours=plan.complaint_hours,
        per_day=plan.per_day,
        shop=settings.shop_name(),
        time_zone=time_zone,
        footer=str(settings.get("opt_out_footer") or ""),
        today=today,
    )


def switch(book, key: str, on: bool) -> Rule:
    """Turn rule `key` on or off."""
    from store import care

    return care.set_rule(key, on=on)


def save_rule(book, key: str, text: str, tiers: tuple[str, ...] | None) -> Rule:
    """Change a rule's text (and, for holidays, its tiers); CareProblem if the store refuses."""
    from store import care

    return care.set_rule(key, text=text, tiers=tiers)


def add_holiday(book, name: str, month: str, day: str, lunar: bool, today: date) -> tuple[Festival, date]:
    """Add a holiday of the shop's own; it and the next day it falls on. CareProblem if the store refuses."""
    from store import care, festivals

    holiday = care.add_holiday(name, month, day, lunar)
    return holiday, festivals.next_date(holiday, today)


def remove_holiday(book, name: str) -> None:
    """Forget a holiday of the shop's own."""
    from store import care

    care.remove_holiday(name)


def save_schedule(book, contact_every: dict[str, str], drifting: dict[str, str], complaint_hours: str,
                  per_day: dict[str, str]) -> None:
    """Save days per tier, complaint hours and tasks a day; CareProblem if the store refuses any of it."""
    from store import schedules

    schedules.set_schedule(contact_every, drifting, complaint_hours, per_day)
