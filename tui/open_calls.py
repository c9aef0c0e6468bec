"""Calls a quit or a crash left open, settled when the line is next held.

A holder that quits or dies mid-call never writes the call's end, and a call
still ringing as the next holder comes up must not be lost, nor kept twice.
So the next holder reads the calls the book still has open before it opens the
phone, asks the phone what calls it has once it is up (+CLCC), and then:

- a call the phone still has is the same call: its row is followed to the end
  (the phone's call is *adopted*, no second row is written);
- a call the phone no longer has ended while nobody watched: "ended, outcome
  unknown" (`unknown`), its answer time kept if one was written.

A call ringing across the gap that no row knows (it began after the last
holder died) is simply a new call, announced by the phone as it rings on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

from modem import events as ev
from modem.numbers import to_e164
from store import calls, lookup

log = logging.getLogger("guanjia.line")


class OpenCalls:
    """The settling half of LineWorker, which mixes it in and provides `db`, `kept`, `_emit`, `phone`, `_calls`."""

    clock: Callable[[], datetime]
    region: str
    phone: Any
    _calls: dict[int, int]

    def _reset_open_calls(self) -> None:
        self._left_open: dict[int, calls.CallRow] | None = None  # book rows with no end, until settled
        self._going_on: dict[int, calls.CallRow] = {}  # those the phone still has (or may): to adopt
        self._adopted: set[int] = set()  # the phone's call ids whose rows a previous holder began
        self._answered_rows: set[int] = set()  # rows among those whose answer was written before

    async def _load_left_open(self) -> None:
        """Before the phone is opened: the calls the book has open (none of them this hold's)."""
        self._calls.clear()  # a previous hold's call ids mean nothing to the phone opened now
        self._adopted = set()
        rows = await self.db(calls.left_open, self.clock())
        self._left_open = {row.id: row for row in rows}
        self._going_on = dict(self._left_open)  # until the phone says otherwise, any of them may ring on
        self._answered_rows = {row.id for row in rows if row.answered_at is not None}
        if rows:
            log.info("%d call(s) were open when the line was last let go", len(rows))

    def _adopt(self, event: ev.IncomingCall) -> calls.CallRow | None:
        """A call the phone announces that a previous holder began: its row, now followed under `event.call_id`."""
        if not self._going_on or event.call_id in self._calls:
            return None
        number = event.number or ""
        matching = [row for row in self._going_on.values() if row.direction == "in" and row.number == number]
        if not matching:
            return None
        row = matching[-1]
        del self._going_on[row.id]
        if self._left_open is not None:
            self._left_open.pop(row.id, None)
        self._calls[event.call_id] = row.id
        self._adopted.add(event.call_id)
        log.info("call %d from %s is still going on; following it", row.id, number or "a hidden number")
        return row

    async def _announce_adopted(self, event: ev.IncomingCall, row: calls.CallRow) -> None:
        """The desk shows a call still ringing as any ring (one being talked is on its log already)."""
        if row.answered_at is not None:
            return
        card = await self.db(lookup.caller_card, event.number, self.region) if event.number else None
        self._emit("ringing", call_id=None, number=event.number, card=card, presentation=event.presentation)

    def _followed(self, event: ev.Event) -> ev.Event | None:
        """An event about an adopted call, as the book must take it; None when there is nothing to write."""
        if isinstance(event, ev.CallAnswered) and event.call_id in self._adopted:
            row = self._calls.get(event.call_id)
            if row is not None and self._answered_before(row):
                return None  # answered before the gap: its answer time is the one written then
        if isinstance(event, ev.CallEnded) and event.call_id in self._adopted:
            self._adopted.discard(event.call_id)
            # The phone's tracker met the call mid-way: the book's answer time gives the talk time.
            return replace(event, duration_s=None)
        return event

    def _answered_before(self, row_id: int) -> bool:
        return row_id in self._answered_rows

    async def _settle(self) -> None:
        """Once the phone is first up: calls it no longer has ended, outcome unknown; the others are followed.

        Only at the start of a hold: after a reconnect the phone's tracker has followed its calls throughout.
        """
        if self._left_open is None:
            return
        left, self._left_open = self._left_open, None
        still: set[str] = set()
        try:
            for call in await self.phone.calls_now():
                if call.incoming:
                    still.add(to_e164(call.number, call.number_type, self.region) if call.number else "")
        except Exception as exc:  # noqa: BLE001 - a phone without +CLCC: nothing is known to go on
            log.info("the phone did not list its calls (%s); calls left open end as unknown", exc)
        self._going_on = {i: row for i, row in self._going_on.items() if row.direction == "in" and row.number in still}
        ended = [i for i in left if i not in self._going_on]
        if ended:
            # Written, not announced: the desks see the log change, and nobody is offered a reply to an old call.
            await self.kept(calls.settle_unknown, ended, self.clock())
            log.warning("%d call(s) ended while nobody held the line; kept as ended, outcome unknown", len(ended))
