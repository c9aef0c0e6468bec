"""The days a report covers, on the shop's clock, and how SQL reads a UTC column on that clock.

Times are stored in UTC; a report counts by the shop's local day, month or hour
of day. Neither SQLite nor a portable SQL converts time zones, so the zone's
UTC offset is worked out here, piece by piece over the period (a zone with
daylight saving has two or three pieces a year, Shanghai one), and the SQL adds
it to the column before cutting out the day, month or hour: the same answer on
both backends, grouped in the database, whatever the zone.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import peewee as pw

from store import settings

PRESETS = ("today", "7d", "30d", "month", "12m")
DAILY_UP_TO = 62  # days: a longer period is counted by month
FORMATS = {  # unit -> (SQLite strftime, PostgreSQL to_char)
    "hour": ("%H", "HH24"),
    "day": ("%Y-%m-%d", "YYYY-MM-DD"),
    "month": ("%Y-%m", "YYYY-MM"),
}


@dataclass(frozen=True, slots=True)
class Period:
    """Whole local days, `first` to `last` inclusive."""

    first: date
    last: date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError(f"the period ends ({self.last}) before it starts ({self.first})")

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def unit(self) -> str:
        """How a report over time counts it: "day" for up to two months, else "month"."""
        return "day" if self.days <= DAILY_UP_TO else "month"

    def labels(self, unit: str | None = None) -> list[str]:
        """Every day ("2026-11-25") or month ("2026-11") of the period, as the SQL writes them."""
        unit = unit or self.unit
        if unit == "day":
            return [(self.first + timedelta(days=i)).isoformat() for i in range(self.days)]
        months, year, month = [], self.first.year, self.first.month
        while (year, month) <= (self.last.year, self.last.month):
            months.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return months


def preset(name: str, today: date) -> Period:
    """today, 7d, 30d (each ending today), month (this month so far), 12m (the last twelve months, this one too)."""
    if name == "today":
        return Period(today, today)
    if name == "7d":
        return Period(today - timedelta(days=6), today)
    if name == "30d":
        return Period(today - timedelta(days=29), today)
    if name == "month":
        return Period(today.replace(day=1), today)
    if name == "12m":
        year, month = (today.year - 1, today.month + 1) if today.month < 12 else (today.year, 1)
        return Period(date(year, month, 1), today)
    raise ValueError(f"{name!r} is not a period; choose one of {', '.join(PRESETS)}")


def month_end(day: date) -> date:
    """The last day of `day`'s month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def shop_zone() -> ZoneInfo:
    """The shop's time zone (setting time_zone), Shanghai if it is not a zone."""
    try:
        return ZoneInfo(str(settings.time_zone()))
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True, slots=True)
class Window:
    """A period as UTC moments (naive, as the columns hold them), with the zone's offset in each piece."""

    start: datetime
    end: datetime  # exclusive
    pieces: tuple[tuple[datetime, int], ...]  # (from this moment on, offset in seconds)


def _utc(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(timezone.utc).replace(tzinfo=None)


def _offset(seconds: int, zone: ZoneInfo) -> int:
    return int(datetime.fromtimestamp(seconds, zone).utcoffset().total_seconds())


def _seconds(moment: datetime) -> int:
    return int(moment.replace(tzinfo=timezone.utc).timestamp())


def window(period: Period, zone: ZoneInfo | None = None) -> Window:
    """`period` in UTC, and where the zone's offset changes inside it (found to the second)."""
    zone = zone or shop_zone()
    start, end = _utc(period.first, zone), _utc(period.last + timedelta(days=1), zone)
    first, last = _seconds(start), _seconds(end) - 1
    pieces = [(first, _offset(first, zone))]
    step = 6 * 3600  # zones change offset at most a few times a year, never twice in six hours
    for at in range(first, last + 1, step):
        later = min(at + step, last)
        if _offset(later, zone) != pieces[-1][1]:
            low, high = at, later  # the offset differs at `high`, not at `low`: halve down to the second
            while high - low > 1:
                middle = (low + high) // 2
                low, high = (middle, high) if _offset(middle, zone) == pieces[-1][1] else (low, middle)
            pieces.append((high, _offset(high, zone)))
    naive = tuple((datetime.fromtimestamp(s, timezone.utc).replace(tzinfo=None), o) for s, o in pieces)
    return Window(start, end, naive)


def local(column: str, span: Window, unit: str, db: pw.Database) -> tuple[str, list]:
    """SQL for `column` (a UTC timestamp) as local text of `unit` (hour "08", day, month), and its parameters."""
    sqlite_format, pg_format = FORMATS[unit]
    p = db.param
    postgres = isinstance(db, pw.PostgresqlDatabase)

    def amount(seconds: int):
        return seconds if postgres else f"{seconds:+d} seconds"

    if len(span.pieces) == 1:
        offset, params = p, [amount(span.pieces[0][1])]
    else:
        whens, params = [], []
        for (_, before), (change, _) in zip(span.pieces, span.pieces[1:]):
            whens.append(f"WHEN {column} < {p} THEN {p}")
            params += [change, amount(before)]
        offset = f"CASE {' '.join(whens)} ELSE {p} END"
        params.append(amount(span.pieces[-1][1]))
    if postgres:
        return f"to_char({column} + ({offset}) * INTERVAL '1 second', '{pg_format}')", params
    return f"strftime('{sqlite_format}', {column}, {offset})", params


def minutes_between(earlier: str, later: str, db: pw.Database) -> str:
    """SQL for the whole minutes from `earlier` to `later` (both UTC timestamps; seconds' fractions dropped)."""
    if isinstance(db, pw.PostgresqlDatabase):
        return (f"CAST(FLOOR(EXTRACT(EPOCH FROM date_trunc('second', {later}) - date_trunc('second', {earlier}))"
                f" / 60) AS INTEGER)")
    return f"((CAST(strftime('%s', {later}) AS INTEGER) - CAST(strftime('%s', {earlier}) AS INTEGER)) / 60)"
