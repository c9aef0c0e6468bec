"""Automatic care: the texts the shop sends by rule, each rule on/off with its template (in settings).

Rules: a booking confirmation when a booking is recorded and a reminder on the
day (transactional: they go to opted-out customers too), a "sorry we missed
you" after a missed call (at most once per number per day), birthday greetings
on the day (solar or lunar), and holiday greetings (as a paced campaign, since
they go to many). Every rule is off until the shop turns it on: texts cost money.

`due(now)` says what is owed, computed set-based; `apply(now)` queues it. The
once-per-rule-number-day guard is a unique row (care_sent) written in the same
transaction as the text, so running `apply` twice, or from two terminals,
queues nothing new.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import peewee as pw

from store import audience, birthdays, campaigns, changes, festivals, settings, tasks
from store.models import Call, CareSent, Customer, Message, Phone, Setting, Visit, to_utc_naive, utcnow
from store.sms_parts import parts as sms_parts
from store import templates
from store.templates import render

RULES_KEY = "care_rules"
HOLIDAYS_KEY = "extra_holidays"
MAX_TEXT = 500  # characters: a care text longer than this (8 parts in Chinese) is a slip, not a greeting
MAX_HOLIDAY_NAME = 20


@dataclass(frozen=True, slots=True)
class Rule:
    """One care rule as the shop set it."""

    key: str
    on: bool
    text: str
    transactional: bool = False
    tiers: tuple[str, ...] = ()  # holiday greetings: to these tiers (empty: everyone)


DEFAULTS = {
    "booking_confirm": ("{name}您好，您{booking}的预订已确认，{shop}恭候光临。", True),
    "booking_reminder": ("{name}您好，提醒您今天{booking}在{shop}的预订，我们恭候光临。", True),
    "missed_call": ("抱歉刚才没能接听您的电话，我们会尽快回电。{shop}", False),
    "birthday": ("{name}，{shop}祝您生日快乐！", False),
    "holiday": ("{name}，{shop}祝您{festival}快乐！", False),
}


@dataclass(frozen=True, slots=True)
class DueText:
    """A care text owed today: rule, to whom, the exact text."""

    rule: str
    number: str
    customer_id: int | None
    text: str
    day: date


@dataclass(frozen=True, slots=True)
class DueCampaign:
    """A greeting to many (a festival): sent as a paced campaign."""

    rule: str  # "holiday:<festival key>"
    name: str
    text: str
    audience: audience.Audience
    day: date


# What each rule's text may say: the one set of store/templates.py; a booking's texts add its {date} and
# {booking} (day and time), the holiday greeting its {festival}.
_BOOKING_RULES = ("booking_confirm", "booking_reminder")
PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    key: templates.valid(booking=key in _BOOKING_RULES, festival=key == "holiday")
    for key in ("booking_confirm", "booking_reminder", "missed_call", "birthday", "holiday")
}


class CareProblem(ValueError):
    """A care setting that cannot work; `code` names the problem for the screen's words, `values` fill them."""

    def __init__(self, code: str, message: str, **values: object) -> None:
        super().__init__(message)
        self.code = code
        self.values = values


# Settings ------------------------------------------------------------------------

def rule(key: str) -> Rule:
    """A rule as set (off, with the default text, until the shop changes it)."""
    if key not in DEFAULTS:
        raise KeyError(f"no care rule {key!r}; the rules are {', '.join(DEFAULTS)}")
    text, transactional = DEFAULTS[key]
    stored = (settings.get(RULES_KEY, {}) or {}).get(key, {})
    return Rule(key, bool(stored.get("on", False)), str(stored.get("text") or text), transactional,
                tuple(stored.get("tiers") or ()))


def set_rule(key: str, on: bool | None = None, text: str | None = None, tiers: tuple[str, ...] | None = None) -> Rule:
    """Turn a rule on or off, change its text, or (holidays) its tiers; CareProblem, and nothing saved, if wrong."""
    rule(key)  # unknown keys raise
    if text is not None:
        check_text(key, text)
    if tiers is not None:
        known = settings.tiers()
        strangers = [t for t in tiers if t not in known]
        if strangers:
            raise CareProblem("unknown_tier", f"no tier {strangers[0]!r}; the tiers are {', '.join(known)}",
                              tier=strangers[0])
    with Setting._meta.database.atomic():
        stored = dict(settings.get(RULES_KEY, {}) or {})
        entry = dict(stored.get(key, {}))
        if on is not None:
            entry["on"] = bool(on)
        if text is not None:
            entry["text"] = text
        if tiers is not None:
            entry["tiers"] = list(tiers)
        stored[key] = entry
        settings.set(RULES_KEY, stored)
    return rule(key)


def rules() -> list[Rule]:
    """Every rule as set, in the order the settings screen lists them."""
    return [rule(key) for key in DEFAULTS]


def unknown_placeholders(key: str, text: str) -> list[str]:
    """The {placeholders} in `text` that rule `key` cannot fill, in the order written (each once)."""
    return list(templates.unknown(text, booking=key in _BOOKING_RULES, festival=key == "holiday"))


def check_text(key: str, text: str) -> None:
    """Raise CareProblem when `text` cannot serve as rule `key`'s text: empty, too long, or an unknown placeholder."""
    if not text.strip():
        raise CareProblem("empty_text", "the text is empty")
    if len(text) > MAX_TEXT:
        raise CareProblem("long_text", f"the text is {len(text)} characters, more than {MAX_TEXT}",
                          length=len(text), most=MAX_TEXT)
    unknown = unknown_placeholders(key, text)
    if unknown:
        raise CareProblem("unknown_placeholder", f"{' '.join(unknown)} cannot be filled in; use "
                          + " ".join(f"{{{p}}}" for p in PLACEHOLDERS[key]), names=" ".join(unknown))


# Who the settings screen's example is written to; the booking is tomorrow evening, the festival Mid-Autumn.
SAMPLE_NAME, SAMPLE_TIER, SAMPLE_NUMBER = "张三", "金卡", "+8613800138000"


def example(key: str, text: str, *, shop: str, time_zone: str, footer: str, now: datetime) -> str:
    """`text` as rule `key` would send it to a sample customer (holidays: with the opt-out footer); no database."""
    try:
        day = now.astimezone(ZoneInfo(time_zone)).date()
    except (KeyError, ValueError):
        day = now.date()
    booking_day = day + timedelta(days=1)
    extra = {"booking": _booking_label(booking_day, time(18, 30)), "festival": "中秋节"}
    body = audience.with_footer(text, True, footer) if key == "holiday" else text
    return _fill_with(body, _Who(SAMPLE_NAME, SAMPLE_TIER), now, shop=shop, time_zone=time_zone,
                      number=SAMPLE_NUMBER, booking_date=booking_day if key in _BOOKING_RULES else None,
                      **{k: v for k, v in extra.items() if k in PLACEHOLDERS[key]})


# The shop's own holidays -------------------------------------------------------------

def holidays() -> tuple[festivals.Festival, ...]:
    """The shop's own holidays (setting extra_holidays), as festivals."""
    return festivals.from_settings(settings.get(HOLIDAYS_KEY, []) or [])


def _whole(value: int | str, code: str, **values: object) -> int:
    try:
        return int(str(value).strip())
    except ValueError:
        raise CareProblem(code, f"{value!r} is not a whole number", **values) from None


def add_holiday(name: str, month: int | str, day: int | str, lunar: bool = False) -> festivals.Festival:
    """Add a holiday of the shop's own on a solar or lunar month/day; CareProblem, and nothing saved, if wrong."""
    name = name.strip()
    if not name:
        raise CareProblem("holiday_name", "the holiday needs a name")
    if len(name) > MAX_HOLIDAY_NAME or not name.isprintable():
        raise CareProblem("holiday_name_long", f"a holiday's name is at most {MAX_HOLIDAY_NAME} plain characters",
                          most=MAX_HOLIDAY_NAME)
    month = _whole(month, "holiday_month")
    if not 1 <= month <= 12:
        raise CareProblem("holiday_month", f"month {month} is not 1-12")
    most = 30 if lunar else calendar.monthrange(2024, month)[1]  # a leap year: 29 February is a day
    day = _whole(day, "holiday_day", most=most)
    if not 1 <= day <= most:
        raise CareProblem("holiday_day", f"day {day} is not 1-{most}", most=most)
    with Setting._meta.database.atomic():
        rows = list(settings.get(HOLIDAYS_KEY, []) or [])
        taken = {f.name for f in (*festivals.CHINESE, festivals.NEW_YEARS_EVE)} | {str(r.get("name", "")).strip()
                                                                                for r in rows if isinstance(r, dict)}
        if name in taken:
            raise CareProblem("holiday_taken", f"there is a holiday called {name} already", name=name)
        rows.append({"name": name, "month": month, "day": day, "lunar": bool(lunar)})
        settings.set(HOLIDAYS_KEY, rows)
    return festivals.from_settings(rows[-1:])[0]


def remove_holiday(name: str) -> None:
    """Forget the shop's own holiday called `name` (nothing happens if there is none)."""
    with Setting._meta.database.atomic():
        rows = list(settings.get(HOLIDAYS_KEY, []) or [])
        settings.set(HOLIDAYS_KEY, [r for r in rows if not (isinstance(r, dict)
                                                            and str(r.get("name", "")).strip() == name)])


# What is owed ------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Who:
    name: str = ""
    tier: str = ""
    company: str = ""


def _fill_with(text: str, who: _Who, now: datetime, *, shop: str, time_zone: str, number: str = "",
               booking_date: date | None = None, **extra: str) -> str:
    # A booking's texts read its day as {date}; every other text's {date} is today, as it always was.
    return render(text, who, shop=shop, now=now, time_zone=time_zone, number=number, booking_date=booking_date,
                  extra=extra)


def _fill(text: str, who: _Who, now: datetime, number: str = "", booking_date: date | None = None,
          **extra: str) -> str:
    return _fill_with(text, who, now, shop=settings.get("shop_name"), time_zone=settings.get("time_zone"),
                      number=number, booking_date=booking_date, **extra)


def _day_bounds(now: datetime) -> tuple[date, datetime, datetime]:
    day = tasks.local_day(now)
    end = tasks.end_of_day(now)
    return day, end - timedelta(days=1), end  # close enough on DST days: one local day's UTC span


def _already(rule_key: str, day: date) -> set[str]:
    return {n for (n,) in CareSent.select(CareSent.number).where((CareSent.rule == rule_key)
                                                                 & (CareSent.day == day)).tuples()}


def _booking_label(booking_date: date | None, booking_time) -> str:
    if booking_date is None:
        return ""
    if isinstance(booking_date, str):
        booking_date = date.fromisoformat(booking_date)
    label = f"{booking_date.month}月{booking_date.day}日"
    if booking_time:
        label += f" {str(booking_time)[:5]}"
    return label


def _bookings(r: Rule, day: date, now: datetime, only_today: bool) -> list[DueText]:
    where = (Visit.booking_date == day) if only_today else (Visit.booking_date >= day)
    rows = (Visit.select(Visit.booking_date, Visit.booking_time, Customer.id, Customer.name, Customer.tier,
                         Customer.company, Customer.blocked, Phone.number)
            .join(Customer, on=(Visit.customer == Customer.id))
            .join(Phone, on=((Phone.customer == Customer.id) & (Phone.is_primary == True)))  # noqa: E712
            .where(where).order_by(Visit.booking_date, Visit.booking_time, Visit.id).tuples())
    out, seen = [], set()
    for booking_date, booking_time, cid, name, tier, company, blocked, number in rows:
        # A confirmation is guarded per booking day, a reminder per today.
        guard_day = booking_date if not only_today else day
        if isinstance(guard_day, str):
            guard_day = date.fromisoformat(guard_day)
        if blocked or (number, guard_day) in seen:
            continue
        seen.add((number, guard_day))
        day = date.fromisoformat(booking_date) if isinstance(booking_date, str) else booking_date
        text = _fill(r.text, _Who(name, tier, company), now, number, booking_date=day,
                     booking=_booking_label(booking_date, booking_time))
        out.append(DueText(r.key, number, cid, text, guard_day))
    return out


def _missed_calls(r: Rule, day: date, start: datetime, end: datetime, now: datetime) -> list[DueText]:
    rows = (Call.select(Call.number, pw.fn.MAX(Call.customer))
            .where((Call.direction == "in") & (Call.outcome == "missed") & (Call.callback == "pending")
                   & (Call.number.startswith("+")) & (Call.started_at >= to_utc_naive(start))
                   & (Call.started_at < to_utc_naive(end)))
            .group_by(Call.number).tuples())
    numbers = dict(rows)
    if not numbers:
        return []
    people = {cid: (name, tier, company, opted_out, blocked) for cid, name, tier, company, opted_out, blocked in
              Customer.select(Customer.id, Customer.name, Customer.tier, Customer.company, Customer.opted_out,
                              Customer.blocked).where(Customer.id.in_([c for c in numbers.values() if c])).tuples()}
    out = []
    for number, cid in sorted(numbers.items()):
        name, tier, company, opted_out, blocked = people.get(cid, ("", "", "", False, False))
        if blocked or opted_out:
            continue  # not transactional: an opted-out customer gets no care text
        out.append(DueText(r.key, number, cid, _fill(r.text, _Who(name, tier, company), now, number), day))
    return out


def _birthdays(r: Rule, day: date, now: datetime) -> list[DueText]:
    return [DueText(r.key, p.number, p.customer_id,
                    _fill(r.text, _Who(p.name, p.tier, p.company), now, p.number), day)
            for p in birthdays.on(day) if p.number and not p.blocked and not p.opted_out]


def _holidays(r: Rule, day: date) -> list[DueCampaign]:
    own = holidays()
    return [DueCampaign(f"holiday:{f.key}", f"{f.name} {day.year}", r.text.replace("{festival}", f.name),
                        audience.Audience(tiers=r.tiers), day) for f in festivals.on(day, own)]


def due(now: datetime | None = None) -> list[DueText | DueCampaign]:
    """The care texts owed on the shop's day at `now` and not yet sent (rules that are on only)."""
    now = now or utcnow()
    day, start, end = _day_bounds(now)
    found: list[DueText | DueCampaign] = []
    confirm, remind = rule("booking_confirm"), rule("booking_reminder")
    if confirm.on:
        found += _bookings(confirm, day, now, only_today=False)
    if remind.on:
        found += _bookings(remind, day, now, only_today=True)
    missed = rule("missed_call")
    if missed.on:
        found += _missed_calls(missed, day, start, end, now)
    birthday = rule("birthday")
    if birthday.on:
        found += _birthdays(birthday, day, now)
    holiday = rule("holiday")
    if holiday.on:
        found += _holidays(holiday, day)
    sent: dict[tuple[str, date], set[str]] = {}
    out = []
    for item in found:
        number = item.number if isinstance(item, DueText) else "*"
        guard = sent.setdefault((item.rule, item.day), _already(item.rule, item.day))
        if number not in guard:
            out.append(item)
    return out


# Sending --------------------------------------------------------------------------

def _claim(rule_key: str, number: str, day: date) -> bool:
    """Write the once-a-day guard; False when it was there already (sent before, or by another terminal)."""
    db = CareSent._meta.database
    p = db.param
    if isinstance(db, pw.PostgresqlDatabase):
        sql = f"INSERT INTO care_sent (rule, number, day) VALUES ({p}, {p}, {p}) ON CONFLICT DO NOTHING"
    else:
        sql = f"INSERT OR IGNORE INTO care_sent (rule, number, day) VALUES ({p}, {p}, {p})"
    return db.execute_sql(sql, (rule_key, number, day)).rowcount == 1


def _queue(items: list[DueText | DueCampaign], now: datetime) -> int:
    queued = 0
    for item in items:
        number = item.number if isinstance(item, DueText) else "*"
        with CareSent._meta.database.atomic():
            if not _claim(item.rule, number, item.day):
                continue
            if isinstance(item, DueText):
                message_id = Message.insert(direction="out", number=item.number, customer=item.customer_id,
                                            body=item.text, parts=sms_parts(item.text), status="queued", at=now,
                                            is_read=True).execute()
                changes.record("message", message_id)
                queued += 1
            else:
                campaign = campaigns.create(item.name, item.text, item.audience, marketing=True)
                message_id = campaigns.start(campaign.id, now=now).id  # holidays remember their campaign
            CareSent.update(message_id=message_id).where(
                (CareSent.rule == item.rule) & (CareSent.day == item.day) & (CareSent.number == number)).execute()
    return queued


def send_due(now: datetime | None = None) -> int:
    """Queue the care texts owed now and start holiday campaigns (not the task list); how many texts queued."""
    now = now or utcnow()
    return _queue(due(now), now)


def apply(now: datetime | None = None) -> int:
    """Queue every care text owed now, start holiday campaigns, and refresh the task list; how many texts queued.

    Care texts go straight to the outbox (few a day, unpaced): the caller runs
    this outside quiet hours; holiday greetings become campaigns, which are paced.
    """
    now = now or utcnow()
    queued = _queue(due(now), now)
    tasks.refresh(now)
    return queued


def booking_recorded(visit_id: int, now: datetime | None = None) -> int:
    """Right after a booking is recorded: queue its confirmation if the rule is on; texts queued (0 or 1)."""
    now = now or utcnow()
    visit = Visit.get_or_none(Visit.id == visit_id)
    confirm = rule("booking_confirm")
    if visit is None or visit.booking_date is None or not confirm.on:
        return 0
    day = tasks.local_day(now)
    owed = [t for t in _bookings(confirm, day, now, only_today=False) if t.customer_id == visit.customer_id]
    return _queue(owed, now)
