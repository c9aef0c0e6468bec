"""The task list's schedule, as the shop sets it: contact each tier every N days, a customer of a tier
drifts after N days without a visit, complaints are answered within H hours, and at most so many contacts
and drifting customers a day (store/tasks and store/task_picks read these)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from store import settings, task_picks, tasks
from store.care import CareProblem
from store.models import Setting

CONTACT_KEY, DRIFTING_KEY, COMPLAINT_KEY = "contact_every_days", "drifting_days", "complaint_reply_hours"
MOST_DAYS = 3650
MOST_HOURS = 720
MOST_PER_DAY = 9999


@dataclass(frozen=True, slots=True)
class Schedule:
    """Days per tier (a tier left out is not on that schedule), the complaint deadline in hours, and how many
    tasks of each capped kind (contact, drifting) open a day (0: none)."""

    contact_every: dict[str, int]
    drifting: dict[str, int]
    complaint_hours: float
    per_day: dict[str, int]


def _per_tier(key: str, default: Mapping[str, int]) -> dict[str, int]:
    value = settings.get(key, dict(default)) or {}
    out = {}
    for tier, days in value.items():
        try:
            if int(days):
                out[str(tier)] = int(days)
        except (TypeError, ValueError):
            continue  # read the way store/tasks reads it: a hand-edited value that is no number counts as unset
    return out


def schedule() -> Schedule:
    """The schedule as set (store/tasks' defaults until the shop changes it)."""
    hours = settings.get(COMPLAINT_KEY, tasks.COMPLAINT_HOURS)
    try:
        hours = float(hours)
    except (TypeError, ValueError):
        hours = float(tasks.COMPLAINT_HOURS)
    return Schedule(_per_tier(CONTACT_KEY, tasks.CONTACT_EVERY_DAYS), _per_tier(DRIFTING_KEY, tasks.DRIFTING_DAYS),
                    hours, {kind: task_picks.per_day(kind) for kind in task_picks.CAPPED})


def _days(per_tier: Mapping[str, int | str | None], code: str) -> dict[str, int]:
    known = settings.tiers()
    out = {}
    for tier, value in per_tier.items():
        if tier not in known:
            raise CareProblem("unknown_tier", f"no tier {tier!r}; the tiers are {', '.join(known)}", tier=tier)
        text = "" if value is None else str(value).strip()
        if not text:
            continue  # left empty: this tier is not on the schedule
        try:
            days = int(text)
        except ValueError:
            days = 0
        if not 1 <= days <= MOST_DAYS:
            raise CareProblem(code, f"{tier}: {text!r} should be a whole number of days, 1-{MOST_DAYS}, or empty",
                              tier=tier, value=text, most=MOST_DAYS)
        out[tier] = days
    return out


def _per_day(per_day: Mapping[str, int | str]) -> dict[str, int]:
    out = {}
    for kind, value in per_day.items():
        if kind not in task_picks.CAPPED:
            raise ValueError(f"no daily cap for {kind!r}; the capped kinds are {', '.join(task_picks.CAPPED)}")
        text = str(value).strip()
        try:
            count = int(text)
        except ValueError:
            count = -1
        if not 0 <= count <= MOST_PER_DAY:
            raise CareProblem(f"{kind}_per_day", f"{kind} a day: {text!r} should be a whole number, 0-{MOST_PER_DAY}",
                              value=text, most=MOST_PER_DAY)
        out[kind] = count
    return out


def set_schedule(contact_every: Mapping[str, int | str | None], drifting: Mapping[str, int | str | None],
                 complaint_hours: float | str, per_day: Mapping[str, int | str] | None = None) -> Schedule:
    """Save the whole schedule (per_day: tasks a day by kind, those left out kept as they are); CareProblem, and
    nothing saved, when any part of it is wrong."""
    contact = _days(contact_every, "contact_days")
    drift = _days(drifting, "drifting_days")
    caps = _per_day(per_day or {})
    text = str(complaint_hours).strip()
    try:
        hours = float(text)
    except ValueError:
        hours = 0.0
    if not 0 < hours <= MOST_HOURS:
        raise CareProblem("complaint_hours", f"{text!r} should be a number of hours, more than 0, at most {MOST_HOURS}",
                          value=text, most=MOST_HOURS)
    with Setting._meta.database.atomic():
        settings.set(CONTACT_KEY, contact)
        settings.set(DRIFTING_KEY, drift)
        settings.set(COMPLAINT_KEY, int(hours) if hours == int(hours) else hours)
        if caps:
            settings.set(task_picks.PER_DAY_KEY, {**schedule().per_day, **caps})
    return schedule()
