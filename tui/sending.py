"""The line worker's sending half: outbox rows become texts handed to the phone, campaign texts at the shop's pace.

Invariant 2 of DESIGN.md lives here: a text is a row before it is a command,
and a text whose fate is unknown after a failure mid-send is marked `unknown`,
never sent again by itself. At most one campaign text waits in the outbox, put
there only when the pacer allows, so operators' own texts never queue behind a
campaign. The pacer follows the sending settings as any terminal saves them
(texts a minute, quiet hours), re-read every few seconds while the line is held;
a change holds from the next slot (the one text already let in still goes).

One bad text never holds back the others: a text the network refuses for good
(+CMS 38, an invalid number, a PDU it will not take) fails with the reason in
words and the next one goes; one refused for now (busy, no network, congestion)
pauses the outbox a moment and is tried again, then waits longer while the
others go, and fails after a bounded number of tries (`NotNow`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from store import campaigns, messages, settings
from tui import pacing

log = logging.getLogger("guanjia.line")

OUTBOX_POLL_S = 1.0
TUNE_EVERY_S = 5.0  # sending settings saved on any terminal reach the running line within this
BLIP_S = 1.0  # after a first refusal for now, the whole outbox waits this long: the same text goes first again
TRY_AGAIN_AFTER_S = (10.0, 60.0, 300.0, 900.0)  # later refusals: this text waits, the others go; then it fails
# Final results that mean "not now" (TS 27.005 §3.2.5, TS 27.007 §9.2): the SIM, phone or network busy,
# congested or out of reach. Anything else the phone answers with an error is a refusal for good.
_NOT_NOW_CODES = {"CMS": frozenset((41, 42, 47, 314, 331, 332, 515)), "CME": frozenset((14, 30, 31, 515))}
_NOT_NOW_WORDS = ("sim busy", "please wait", "busy, retry", "no network")
_FINAL = re.compile(r"\+(CMS|CME) ERROR:\s*(\d+)", re.IGNORECASE)


class NotNow:
    """Texts the network refused for now: how often each was tried, and until when each waits."""

    def __init__(self) -> None:
        self.tries: dict[int, int] = {}
        self._until: dict[int, float] = {}

    def refused(self, message_id: int) -> tuple[int, float | None]:
        """One more refusal: the tries so far, and the wait before the next (None: give up)."""
        tries = self.tries[message_id] = self.tries.get(message_id, 0) + 1
        waits = (BLIP_S, *TRY_AGAIN_AFTER_S)
        if tries > len(waits):
            self.done(message_id)
            return tries, None
        return tries, waits[tries - 1]

    def hold(self, message_id: int, until: float) -> None:
        self._until[message_id] = until

    def held(self, now: float) -> list[int]:
        """The texts still waiting for their next try at `now` (a loop time)."""
        for message_id in [i for i, t in self._until.items() if t <= now]:
            del self._until[message_id]
        return list(self._until)

    def done(self, message_id: int) -> None:
        """Sent, failed or unknown: nothing more to count."""
        self.tries.pop(message_id, None)
        self._until.pop(message_id, None)


class Sending:
    """The book -> phone half of LineWorker, which mixes it in and provides `db`, `poke`, `_emit`, `_apply_report`."""

    name: str
    clock: Callable[[], datetime]
    pacer: pacing.Pacer | None
    _stopping: asyncio.Event
    _outbox_poke: asyncio.Event
    _sending: bool
    _early: list[Any]

    def _init_sending(self) -> None:
        self._not_now = NotNow()
        self._pause_s = 0.0  # set by a first refusal for now: the outbox waits this long before the next try

    # The pace -----------------------------------------------------------------

    async def _tune(self) -> None:
        """The pacer from the shop's sending settings as they are now; a running pacer keeps its recent sends."""
        values = await self.db(_pace_settings)
        if self.pacer is None:
            self.pacer = pacing.from_settings(values, self.clock)
            return
        try:
            changed = pacing.retune(self.pacer, values)
        except (ValueError, KeyError):  # a value the pacer cannot take must not stop the line: the pace stays
            log.exception("could not apply the sending settings %r", values)
            return
        if changed:
            p = self.pacer
            log.info("campaign pace now %d texts a minute, quiet %s-%s", p.rate, p.quiet_start, p.quiet_end)
            self.poke()  # a higher rate, or quiet hours over: the next text may go sooner than the loop would look

    async def _follow_settings(self) -> None:
        """Re-read the sending settings every few seconds: the campaigns screen of any terminal may change them."""
        while True:
            await asyncio.sleep(TUNE_EVERY_S)
            await self._tune()

    # The outbox ---------------------------------------------------------------

    async def _outbox(self, phone: Any) -> None:
        looked: tuple[Any, int] | None = None  # the next text (or None), claimed in the trip that wrote the last
        try:
            while not self._stopping.is_set():
                if getattr(phone, "state", "up") != "up":
                    looked = await self._give_back(looked)
                else:
                    skip = self._not_now.held(asyncio.get_running_loop().time())
                    message, waiting = looked or await self.db(_claim_and_waiting, self.name, skip)
                    looked = None
                    now = self.clock()
                    if message is None and self.pacer.may_send(now):
                        # At most one campaign text waits in the outbox, put there only when the pace
                        # and quiet hours allow, so operators' own texts never queue behind a campaign.
                        message, waiting = await self.db(_top_up_then_claim, now, self.name, skip)
                    if message is not None:
                        looked = await self._send(phone, message, waiting)
                        if self._pause_s:  # refused for now: a moment for the network, then the same text
                            pause, self._pause_s = self._pause_s, 0.0
                            await until_set(self._stopping, pause)
                        continue
                self._outbox_poke.clear()
                pace = self.pacer.wait_s(self.clock())
                await until_set(self._outbox_poke, pace if 0 < pace < OUTBOX_POLL_S else OUTBOX_POLL_S)
        finally:
            await self._give_back(looked)

    async def _give_back(self, looked: tuple[Any, int] | None) -> None:
        """A text claimed but never handed to the phone (it went away, or the line is let go) goes back in the queue."""
        if looked is not None and looked[0] is not None:
            await self.db(messages.requeue, looked[0])

    async def _send(self, phone: Any, message: Any, waiting: int) -> tuple[Any, int] | None:
        """Hand one text to the phone and write its fate; the next text if it was claimed in the same trip."""
        self._emit("outbox", waiting=waiting, message_id=message.id, status="sending")
        campaign = message.campaign_id is not None
        if campaign:
            self.pacer.started(self.clock())
        # While the network takes this text, the next campaign text is put in the outbox when its slot
        # comes, so the phone never waits on the book between two texts.
        ahead = asyncio.create_task(self._top_up_in_time(besides=int(campaign)))
        self._sending = True
        at, looked = None, None
        try:
            references = await phone.send_sms(message.number, message.body)
        except Exception as exc:  # noqa: BLE001 - every failure is sorted below, none may stop the line
            done, waiting = await self._failed(message, exc)
        else:
            self._not_now.done(message.id)
            # One moment for the book and the pacer, so a pacer seeded from the book counts this send once.
            at = self.clock()
            # Its fate written and the next text claimed in one trip: the phone waits on the book once a text.
            going_on = not self._stopping.is_set() and getattr(phone, "state", "up") == "up"
            done, following, waiting = await self.db(_sent_then_next, message, references, at,
                                                     self.name if going_on else None,
                                                     self._not_now.held(asyncio.get_running_loop().time()))
            looked = (following, waiting) if going_on else None
        finally:
            self._sending = False
            ahead.cancel()  # its slot has not come: the loop tops up when it does
            await asyncio.gather(ahead, return_exceptions=True)
        if campaign:
            self.pacer.sent(at)
        self._emit("outbox", waiting=waiting, message_id=done.id, status=done.status)
        early, self._early = self._early, []
        for report in early:
            try:
                await self._apply_report(report)
            except Exception:  # a report that cannot be kept must not stop the line
                log.exception("could not apply %r", report)
        return looked

    async def _failed(self, message: Any, exc: BaseException) -> tuple[Any, int]:
        """Write what a failed send means for its text; the text as written and the outbox's size."""
        verdict = classify_send_failure(exc)
        words = str(exc) or type(exc).__name__
        log.warning("text %d to %s: %s (%s)", message.id, message.number, verdict, exc)
        if verdict == "not_sent":
            return await self.db(_and_waiting, messages.requeue, message)
        if verdict == "not_now":
            tries, wait = self._not_now.refused(message.id)
            if wait is None:
                return await self.db(_and_waiting, messages.mark_failed, message,
                                     f"{words}; gave up after {tries} tries")
            if tries == 1:
                self._pause_s = wait  # a blip: the whole outbox waits, so the order of the texts holds
            else:
                self._not_now.hold(message.id, asyncio.get_running_loop().time() + wait)
            return await self.db(_and_waiting, messages.hold_back, message, f"{words}; trying again in {wait:g} s")
        self._not_now.done(message.id)
        if verdict == "refused":
            return await self.db(_and_waiting, messages.mark_failed, message, words)
        return await self.db(_and_waiting, messages.mark_unknown, message, words)

    async def _top_up_in_time(self, besides: int) -> None:
        """When the pacer allows, one campaign text into the outbox, `besides` the campaign text being sent."""
        await asyncio.sleep(self.pacer.wait_s(self.clock()))
        now = self.clock()
        if self.pacer.may_send(now):
            try:
                await self.db(campaigns.top_up, 1 + besides, now, limit=1 + besides)
            except Exception:  # the loop tops up again, and meets the same trouble there if it lasts
                log.exception("could not queue the next campaign text")


def _pace_settings() -> dict[str, Any]:
    """The settings the pacer follows, read one by one: the settings table holds bigger things too."""
    return {key: settings.get(key) for key in pacing.SETTINGS}


def _and_waiting(fn: Callable[..., Any], *args: Any) -> tuple[Any, int]:
    """A store call and then the outbox's size, in one trip to the database thread."""
    return fn(*args), messages.outbox_size()


def _claim_and_waiting(worker: str, skip: list[int]) -> tuple[Any, int]:
    """The oldest text not in `skip` claimed for `worker`, and the outbox's size, in one trip."""
    return messages.claim_next_queued(worker, skip), messages.outbox_size()


def _top_up_then_claim(now: datetime, worker: str, skip: list[int]) -> tuple[Any, int]:
    """One campaign text into the outbox if none waits; then the oldest text claimed for `worker`; the outbox's size."""
    campaigns.top_up(1, now, limit=1)
    return messages.claim_next_queued(worker, skip), messages.outbox_size()


def _sent_then_next(message: Any, references: list[int], at: datetime, worker: str | None,
                    skip: list[int]) -> tuple[Any, Any, int]:
    """Write a text sent; then claim the next one for `worker` (unless None); then the outbox's size."""
    done = messages.mark_sent(message, references, at)
    following = messages.claim_next_queued(worker, skip) if worker is not None else None
    return done, following, messages.outbox_size()


def classify_send_failure(exc: BaseException) -> str:
    """`not_sent` (nothing reached the modem: queue again), `not_now` (the phone or network said not now:
    try again later, a bounded number of times), `refused` (said no for good: failed), or `unknown`
    (it may have gone: the operator decides, nothing resends by itself)."""
    surely_not_sent = getattr(exc, "before_any_byte", False) or getattr(exc, "refused", False)
    if surely_not_sent and _not_now(str(getattr(exc, "final", "") or "")):
        return "not_now"
    if getattr(exc, "before_any_byte", False):
        return "not_sent"
    if getattr(exc, "refused", False) or isinstance(exc, ValueError):
        return "refused"
    return "unknown"


def _not_now(final: str) -> bool:
    """Whether the phone's final result line means "not now" rather than "no"."""
    found = _FINAL.search(final)
    if found and int(found.group(2)) in _NOT_NOW_CODES[found.group(1).upper()]:
        return True
    return any(words in final.lower() for words in _NOT_NOW_WORDS)


async def until_set(event: asyncio.Event, seconds: float) -> None:
    """Until `event` is set or `seconds` pass. (Not wait_for: on 3.11 it can swallow a cancellation.)"""
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(seconds):
            await event.wait()

