"""The Chinese lunar calendar, computed (via `lunardate`'s month tables, 1900-2099), for birthdays and festivals.

Customers who keep a lunar birthday celebrate it on a different solar day each
year. Two conventions matter here: a birthday falls in the ordinary month, not
in a leap month of the same number, and a birthday on the 30th is kept on the
29th in a year whose month has only 29 days.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from lunardate import LunarDate

FIRST_YEAR, LAST_YEAR = 1900, 2099


@dataclass(frozen=True, slots=True)
class LunarDay:
    """A day in the lunar calendar."""

    year: int
    month: int
    day: int
    leap: bool = False


def from_solar(day: date) -> LunarDay:
    """The lunar date of a solar (Gregorian) day; ValueError outside 1900-2099."""
    found = LunarDate.from_solar_date(day.year, day.month, day.day)
    return LunarDay(found.year, found.month, found.day, bool(found.is_leap_month))


def to_solar(year: int, month: int, day: int, leap: bool = False) -> date:
    """The solar day of lunar `month`/`day` in lunar year `year`; the 30th of a 29-day month gives the 29th."""
    if not 1 <= month <= 12 or not 1 <= day <= 30:
        raise ValueError(f"{month}/{day} is not a lunar date")
    for d in range(day, 28, -1) if day > 29 else (day,):
        try:
            return LunarDate(year, month, d, leap).to_solar_date()
        except ValueError:
            continue
    raise ValueError(f"lunar {year}-{month}-{day} is outside {FIRST_YEAR}-{LAST_YEAR}")


def _month_length(year: int, month: int) -> int:
    try:
        LunarDate(year, month, 30).to_solar_date()
        return 30
    except ValueError:
        return 29


def birthdays_on(day: date) -> frozenset[tuple[int, int]]:
    """The lunar (month, day) birthdays celebrated on this solar day (empty in a leap month)."""
    lunar = from_solar(day)
    if lunar.leap:
        return frozenset()
    pairs = {(lunar.month, lunar.day)}
    if lunar.day == 29 and _month_length(lunar.year, lunar.month) == 29:
        pairs.add((lunar.month, 30))
    return frozenset(pairs)


def birthdays_in_month(year: int, month: int) -> frozenset[tuple[int, int]]:
    """Every lunar (month, day) birthday that falls in this solar month."""
    days = calendar.monthrange(year, month)[1]
    out: set[tuple[int, int]] = set()
    for n in range(1, days + 1):
        out |= birthdays_on(date(year, month, n))
    return frozenset(out)


def next_birthday(month: int, day: int, after: date, lunar: bool) -> date:
    """The first day on or after `after` when a birthday of `month`/`day` (lunar or solar) is celebrated."""
    for year in (after.year - 1, after.year, after.year + 1):
        if lunar:
            when = to_solar(year, month, day)
        else:
            when = date(year, month, min(day, calendar.monthrange(year, month)[1]))  # 29 Feb -> 28 Feb
        if when >= after:
            return when
    return after + timedelta(days=366)  # unreachable: a year never lacks a birthday
