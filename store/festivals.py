"""The festivals the shop may greet customers on: lunar ones computed each year, solar ones, and the shop's own."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from store import lunar


@dataclass(frozen=True, slots=True)
class Festival:
    """A day to greet customers: on a lunar or a solar month/day."""

    key: str
    name: str  # as the shop says it
    name_en: str
    month: int
    day: int
    lunar: bool = False

    def date_in(self, year: int) -> date:
        """The solar day it falls on in `year` (for a lunar festival: in the lunar year that starts in `year`)."""
        if self.lunar:
            return lunar.to_solar(year, self.month, self.day)
        return date(year, self.month, self.day)


CHINESE = (
    Festival("spring", "春节", "Spring Festival", 1, 1, lunar=True),
    Festival("lantern", "元宵节", "Lantern Festival", 1, 15, lunar=True),
    Festival("dragon_boat", "端午节", "Dragon Boat Festival", 5, 5, lunar=True),
    Festival("qixi", "七夕", "Qixi Festival", 7, 7, lunar=True),
    Festival("mid_autumn", "中秋节", "Mid-Autumn Festival", 8, 15, lunar=True),
    Festival("double_ninth", "重阳节", "Double Ninth Festival", 9, 9, lunar=True),
    Festival("new_year", "元旦", "New Year's Day", 1, 1),
    Festival("womens_day", "妇女节", "Women's Day", 3, 8),
    Festival("labour_day", "劳动节", "Labour Day", 5, 1),
    Festival("national_day", "国庆节", "National Day", 10, 1),
)
NEW_YEARS_EVE = Festival("new_years_eve", "除夕", "Chinese New Year's Eve", 12, 30, lunar=True)


def from_settings(rows: Iterable[Mapping]) -> tuple[Festival, ...]:
    """The shop's own festivals from settings: [{"name": "店庆", "month": 6, "day": 18, "lunar": false}, …]."""
    out = []
    for row in rows or ():
        try:
            month, day = int(row["month"]), int(row["day"])
            name = str(row["name"]).strip()
        except (KeyError, TypeError, ValueError):
            continue  # a hand-edited entry that makes no sense is left out, not fatal
        if name and 1 <= month <= 12 and 1 <= day <= 31:
            out.append(Festival(f"shop:{name}", name, str(row.get("name_en", name)), month, day,
                                bool(row.get("lunar", False))))
    return tuple(out)


def on(day: date, extra: Iterable[Festival] = ()) -> list[Festival]:
    """The festivals that fall on this solar day."""
    found = []
    lunar_day = lunar.from_solar(day)
    for f in (*CHINESE, *extra):
        if f.lunar:
            # The 30th of a month that has 29 days this year is kept on the 29th.
            if not lunar_day.leap and f.month == lunar_day.month and lunar.to_solar(
                    lunar_day.year, f.month, f.day) == day:
                found.append(f)
        elif (f.month, f.day) == (day.month, day.day):
            found.append(f)
    tomorrow = lunar.from_solar(day + timedelta(days=1))
    if (tomorrow.month, tomorrow.day, tomorrow.leap) == (1, 1, False):
        found.append(NEW_YEARS_EVE)  # the last day of the year, whether the 12th month has 29 days or 30
    return found


def next_date(festival: Festival, after: date) -> date:
    """The first solar day on or after `after` when `festival` falls (as `on` reckons it)."""
    if festival.lunar:
        # The lunar year that began before `after` may still hold it (a festival late in the 12th month).
        for year in (after.year - 1, after.year, after.year + 1):
            when = lunar.to_solar(year, festival.month, festival.day)
            if when >= after:
                return when
    else:
        for year in range(after.year, after.year + 9):  # 29 February comes round within eight years
            try:
                when = date(year, festival.month, festival.day)
            except ValueError:
                continue
            if when >= after:
                return when
    raise ValueError(f"{festival.name} never falls after {after}")


def in_year(year: int, extra: Iterable[Festival] = ()) -> list[tuple[date, Festival]]:
    """Every festival in a solar year, by date."""
    found = []
    day = date(year, 1, 1)
    while day.year == year:
        found.extend((day, f) for f in on(day, extra))
        day += timedelta(days=1)
    return found
