"""Following one phone's calls from the scraps modems send: RING, +CLIP, vendor URCs, +CLCC.

Real phones ring in every way: RING and +CLIP in separate bursts, +CLIP without
RING, RING twice, a caller hidden or unknown, and for a call nobody answers
often nothing at all when it stops: the rings just end. The tracker turns those
scraps into one IncomingCall, then CallAnswered and CallEnded with an outcome.
It never reads a clock of its own (tests drive `clock`) and never talks to the
modem: the phone feeds it lines' meanings, calls `tick()` on a timer, and sends
+CLCC when `poll_due()` says so.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from modem.events import CallAnswered, CallEnded, Event, IncomingCall, Presentation
from modem.numbers import to_e164

# +CLCC <stat> (TS 27.007 §7.18).
CLCC_ACTIVE, CLCC_INCOMING, CLCC_WAITING = 0, 4, 5


@dataclass(frozen=True, slots=True)
class ListedCall:
    """One +CLCC line: the modem's call id, direction, state and number."""

    call_id: int
    incoming: bool
    stat: int
    number: str = ""
    number_type: int | None = None


@dataclass(slots=True)
class _Call:
    call_id: int
    number: str | None = None
    presentation: Presentation = "unavailable"
    number_type: int | None = None
    name: str | None = None
    announced: bool = False  # an IncomingCall went out
    known: bool = False  # +CLIP (or +CLCC) said who it is
    answered_at: float | None = None
    last_sign: float = 0.0  # when RING/+CLIP last came
    first_sign: float = 0.0


class CallTracker:
    """Incoming calls of one phone, as events."""

    def __init__(
        self,
        *,
        ring_timeout_s: float = 9.0,
        clip_grace_s: float = 1.0,
        poll_every_s: float = 1.5,
        region: str = "CN",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ring_timeout_s = ring_timeout_s
        self.clip_grace_s = clip_grace_s
        self.poll_every_s = poll_every_s
        self.region = region
        self.clock = clock
        self.vendor_hangup = False  # the modem says when calls end (^CEND, VOICE CALL: END)
        self._call: _Call | None = None
        self._next_id = 1
        self._last_poll = 0.0

    @property
    def ringing(self) -> bool:
        """A call is ringing, not yet answered."""
        return self._call is not None and self._call.answered_at is None

    @property
    def in_call(self) -> bool:
        """A call is ringing or being talked."""
        return self._call is not None

    # ------------------------------------------------------------ what the modem said

    def ring(self) -> list[Event]:
        """RING or +CRING: VOICE."""
        call = self._ensure()
        call.last_sign = self.clock()
        return []

    def caller_id(
        self, number: str | None, number_type: int | None = None, validity: int | None = None, name: str | None = None
    ) -> list[Event]:
        """+CLIP: number, type, and the CLI validity (0 given, 1 withheld, 2 unavailable)."""
        call = self._ensure()
        call.last_sign = self.clock()
        presentation: Presentation
        if validity == 1:
            presentation, number = "withheld", None
        elif validity == 2 or not number:
            presentation, number = "unavailable", None
        else:
            presentation, number = "number", to_e164(number, number_type, self.region)
        if call.known and (call.number, call.presentation) == (number, presentation):
            return []  # the same +CLIP on every ring
        if call.known and call.presentation == "number" and presentation != "number":
            return []  # a later, poorer +CLIP does not take back what we know
        call.number, call.presentation, call.number_type, call.known = number, presentation, number_type, True
        call.name = name or call.name
        return [self._announce(call)]

    def answered(self) -> list[Event]:
        """The call was picked up: ATA answered OK, ^CONN, VOICE CALL: BEGIN, +CLCC active."""
        call = self._call
        if call is None or call.answered_at is not None:
            return []
        out = [] if call.announced else [self._announce(call)]
        call.answered_at = self.clock()
        return out + [CallAnswered(call.call_id, call.number)]

    def ended(self, cause: str, *, by_us: bool = False) -> list[Event]:
        """The call is over: NO CARRIER, ^CEND, VOICE CALL: END, ATH (`by_us`), +CLCC empty."""
        call, self._call = self._call, None
        if call is None:
            return []
        out = [] if call.announced else [self._announce(call)]
        if call.answered_at is not None:
            duration = round(self.clock() - call.answered_at, 3)
            return out + [CallEnded(call.call_id, call.number, "answered", duration, cause)]
        return out + [CallEnded(call.call_id, call.number, "rejected" if by_us else "missed", None, cause)]

    def missed(self, number: str | None) -> list[Event]:
        """SIMCom `MISSED_CALL: 11:01AM 07712345678`: the caller gave up."""
        out: list[Event] = []
        if self._call is None and number:
            out += self.caller_id(number)
        elif self._call is not None and number and not self._call.known:
            out += self.caller_id(number)
        if self._call is not None and self._call.answered_at is None:
            return out + self.ended("MISSED_CALL")
        return out

    def vendor_says(self) -> None:
        """A vendor call URC came: this modem reports hang-ups, so no +CLCC polling is needed."""
        self.vendor_hangup = True

    def listed(self, calls: list[ListedCall]) -> list[Event]:
        """A +CLCC answer (the whole list, possibly empty)."""
        self._last_poll = self.clock()
        incoming = [c for c in calls if c.incoming and c.stat in (CLCC_ACTIVE, CLCC_INCOMING, CLCC_WAITING)]
        ours = incoming[0] if incoming else None
        out: list[Event] = []
        if ours is None:
            return self.ended("+CLCC") if self._call is not None else []
        if self._call is None or not self._call.known:
            if ours.number:
                out += self.caller_id(ours.number, ours.number_type)
            else:
                self._ensure()
        if ours.stat == CLCC_ACTIVE:
            out += self.answered()
        elif self._call is not None:
            self._call.last_sign = self.clock()
        return out

    # ------------------------------------------------------------ time

    def tick(self) -> list[Event]:
        """Decide what silence means: an unnamed caller, or a missed call."""
        call = self._call
        if call is None or call.answered_at is not None:
            return []
        now = self.clock()
        if now - call.last_sign >= self.ring_timeout_s:
            return self.ended("timeout")
        if not call.announced and now - call.first_sign >= self.clip_grace_s:
            return [self._announce(call)]  # this modem rings without saying who
        return []

    def next_deadline(self) -> float | None:
        """The clock value at which `tick()` may have something to say."""
        call = self._call
        if call is None or call.answered_at is not None:
            return None
        timeout = call.last_sign + self.ring_timeout_s
        return timeout if call.announced else min(timeout, call.first_sign + self.clip_grace_s)

    def poll_due(self) -> bool:
        """True when the phone should send +CLCC now."""
        if self._call is None or self.vendor_hangup:
            return False
        return self.clock() - self._last_poll >= self.poll_every_s

    # ------------------------------------------------------------ inside

    def _ensure(self) -> _Call:
        if self._call is None:
            now = self.clock()
            self._call = _Call(self._next_id, last_sign=now, first_sign=now)
            self._next_id += 1
            self._last_poll = now  # the first +CLCC one interval in, as for every later one
        return self._call

    def _announce(self, call: _Call) -> IncomingCall:
        call.announced = True
        return IncomingCall(call.call_id, call.number, call.presentation, call.number_type, call.name)
