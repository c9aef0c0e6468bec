"""When the next campaign text may go: a rate limit and quiet hours, pure, with an injected clock.

Operators block SIMs that send in bursts, and customers complain about texts
at night. The limit is a sliding window (never more than `rate_per_minute`
texts sent in any 60 seconds, however long the run), kept as the times of the
sends of the last minute, and the texts are spread evenly (one handed to the phone every
60/rate seconds) rather than let out in a burst at the start of each minute.
The spacing counts from when the last text was handed to the phone, not from
when the network took it, so the network's own seconds per text are not added
to every gap; the window still counts the moments the network took them.
Quiet hours are wall-clock times in the shop's time zone, so they hold across
midnight and across a daylight-saving change. The rate and quiet hours can be
changed while a run goes on (`retune`): the sends remembered still count, so a
lower rate waits until the last minute has room for it rather than let a burst out.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, time, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

WINDOW = timedelta(seconds=60)


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def _hhmm(text: str) -> time:
    hours, _, minutes = text.strip().partition(":")
    return time(int(hours), int(minutes or 0))


class Pacer:
    """Says when the next campaign text may go; call `started` as each goes to the phone and `sent` after it."""

    def __init__(self, rate_per_minute: int, quiet_start: str = "22:00", quiet_end: str = "08:00",
                 tz: str = "Asia/Shanghai", clock: Callable[[], datetime] = _utc_now) -> None:
        self.clock = clock
        self._recent: deque[datetime] = deque()  # the sends of the last minute, oldest first
        self._since: datetime | None = None  # the even gap counts from here
        self._handing_over = False
        self._tuning: tuple[int, time, time, ZoneInfo] | None = None
        self.retune(rate_per_minute, quiet_start, quiet_end, tz)

    def retune(self, rate_per_minute: int, quiet_start: str = "22:00", quiet_end: str = "08:00",
               tz: str = "Asia/Shanghai") -> bool:
        """Take a new rate and quiet hours, the sends remembered still counting; True if anything changed."""
        if rate_per_minute < 1:
            raise ValueError("the rate must be at least one text a minute")
        tuning = (int(rate_per_minute), _hhmm(quiet_start), _hhmm(quiet_end), ZoneInfo(tz))
        if tuning == self._tuning:
            return False
        self._tuning = tuning
        self.rate, self.quiet_start, self.quiet_end, self.zone = tuning
        return True

    # The rate limit -------------------------------------------------------------

    def seed(self, times: Iterable[datetime]) -> None:
        """Remember sends made before this pacer existed (e.g. read from the book after a restart)."""
        # Merged in order, each once: the book also holds this pacer's own sends when a worker takes the line again.
        merged = sorted({*self._recent, *(_aware(t) for t in times)})
        self._recent = deque(t for t in merged if t > merged[-1] - WINDOW) if merged else deque()
        if merged and (self._since is None or merged[-1] > self._since):
            self._since = merged[-1]

    def started(self, at: datetime | None = None) -> None:
        """Note a text handed to the phone at `at` (default: now); call `sent` when the phone is done with it."""
        self._since = _aware(at or self.clock())
        self._handing_over = True

    def sent(self, at: datetime | None = None) -> None:
        """Note one text sent (the network took it, or refused it) at `at` (default: now)."""
        at = _aware(at or self.clock())
        self._recent.append(at)
        # Every send of the last minute is kept, not only the last `rate`: the rate may be raised and lowered
        # again, and then sends from before the lowering count once more.
        while self._recent[0] <= at - WINDOW:
            self._recent.popleft()
        if not self._handing_over:  # nobody said when it was handed over: count the gap from now
            self._since = at
        self._handing_over = False

    @property
    def gap(self) -> timedelta:
        """The even spacing between two texts."""
        return WINDOW / self.rate

    def _window_free(self, now: datetime) -> datetime:
        slot = now if self._since is None else max(now, self._since + self.gap)
        # A text still with the phone will be sent after every send kept here: it holds a place in the window.
        places = self.rate - self._handing_over
        if places < 1:
            return max(slot, now + WINDOW)  # a rate of one: nothing more until that one is done
        if len(self._recent) >= places:
            # The oldest of the sends that fill the window with it must leave the window first.
            slot = max(slot, self._recent[-places] + WINDOW)
        return slot

    # Quiet hours ---------------------------------------------------------------

    def is_quiet(self, now: datetime | None = None) -> bool:
        """True when `now` falls in quiet hours, in the shop's time zone."""
        start, end = self.quiet_start, self.quiet_end
        if start == end:
            return False
        local = _aware(now or self.clock()).astimezone(self.zone).time().replace(tzinfo=None)
        if start < end:
            return start <= local < end
        return local >= start or local < end  # across midnight

    def _quiet_over(self, now: datetime) -> datetime:
        """The first moment after `now` that is out of quiet hours."""
        local = now.astimezone(self.zone)
        day = local.date() if local.time().replace(tzinfo=None) < self.quiet_end else local.date() + timedelta(days=1)
        for _ in range(3):
            # Wall time to UTC and back: a quiet end inside a DST gap (02:30 on
            # the spring-forward night) lands on the first real moment after it.
            end = datetime.combine(day, self.quiet_end, tzinfo=self.zone).astimezone(timezone.utc)
            if end > now and not self.is_quiet(end):
                return end
            day += timedelta(days=1)
        return now + timedelta(minutes=1)  # unreachable with sane settings; never spin

    # Answers -------------------------------------------------------------------

    def next_slot(self, now: datetime | None = None) -> datetime:
        """The earliest moment (UTC) at or after `now` when a text may go."""
        now = _aware(now or self.clock())
        slot = self._window_free(now)
        if self.is_quiet(slot):
            slot = self._quiet_over(slot)
        return slot

    def may_send(self, now: datetime | None = None) -> bool:
        """True when a text may go right now."""
        now = _aware(now or self.clock())
        return self.next_slot(now) <= now

    def wait_s(self, now: datetime | None = None) -> float:
        """Seconds to wait before the next text may go (0 when it may go now)."""
        now = _aware(now or self.clock())
        return max(0.0, (self.next_slot(now) - now).total_seconds())

    def eta(self, count: int, now: datetime | None = None) -> datetime:
        """When the last of `count` more texts will go at this pace, quiet hours included (a forecast only)."""
        now = _aware(now or self.clock())
        left = max(0, int(count))
        if not left:
            return now
        at = self.next_slot(now)
        gap = self.gap
        while True:
            quiet = self._quiet_starts(at)
            fit = left if quiet is None else int((quiet - at) / gap) + 1
            if left <= fit:
                return at + gap * (left - 1)
            left -= fit
            at = self._quiet_over(quiet)

    def _quiet_starts(self, at: datetime) -> datetime | None:
        """The next start of quiet hours after `at` (None when there are none)."""
        if self.quiet_start == self.quiet_end:
            return None
        day = at.astimezone(self.zone).date()
        for offset in range(3):
            start = datetime.combine(day + timedelta(days=offset), self.quiet_start, tzinfo=self.zone)
            start = start.astimezone(timezone.utc)
            if start > at:
                return start - timedelta(microseconds=1)
        return None

def _aware(at: datetime) -> datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=timezone.utc)


RATE_DEFAULT = 20
SETTINGS = ("texts_per_minute", "quiet_start", "quiet_end", "time_zone")  # the shop's settings a pacer follows


def _from_values(values: Mapping[str, Any]) -> tuple[int, str, str, str]:
    return (int(values.get("texts_per_minute") or RATE_DEFAULT), str(values.get("quiet_start") or "22:00"),
            str(values.get("quiet_end") or "08:00"), str(values.get("time_zone") or "Asia/Shanghai"))


def from_settings(values: Mapping[str, Any], clock: Callable[[], datetime] = _utc_now) -> Pacer:
    """The shop's pacer from its settings: texts_per_minute (20), quiet_start (22:00), quiet_end (08:00), time_zone."""
    return Pacer(*_from_values(values), clock=clock)


def retune(pacer: Pacer, values: Mapping[str, Any]) -> bool:
    """Apply the shop's settings as they are now to a running pacer, keeping its recent sends; True if they changed."""
    return pacer.retune(*_from_values(values))
