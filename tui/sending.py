"""The line worker's sending half: outbox rows become texts handed to the phone, campaign texts at the shop's pace.

Invariant 2 of DESIGN.md lives here: a text is a row before it is a command,
and a text whose fate is unknown after a failure mid-send is marked `unknown`,
never sent again by itself. At most one campaign text waits in the outbox, put
there only when the pacer allows, so operators' own texts never queue behind a
campaign. The pacer follows the sending settings as any terminal saves them
(texts a minute, quiet hours), re-read every few seconds while the line is held;
a change holds from the next slot (the one text already let in still goes).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from store import campaigns, messages, settings
from tui import pacing

log = logging.getLogger("guanjia.line")

OUTBOX_POLL_S = 1.0
TUNE_EVERY_S = 5.0  # sending settings saved on any terminal reach the running line within this


class Sending:
    """The book -> phone half of LineWorker, which mixes it in and provides `db`, `poke`, `_emit`, `_apply_report`."""

    name: str
    clock: Callable[[], datetime]
    pacer: pacing.Pacer | None
    _stopping: asyncio.Event
    _outbox_poke: asyncio.Event
    _sending: bool
    _early: list[Any]

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
                    message, waiting = looked or await self.db(_and_waiting, messages.claim_next_queued, self.name)
                    looked = None
                    now = self.clock()
                    if message is None and self.pacer.may_send(now):
                        # At most one campaign text waits in the outbox, put there only when the pace
                        # and quiet hours allow, so operators' own texts never queue behind a campaign.
                        message, waiting = await self.db(_top_up_then_claim, now, self.name)
                    if message is not None:
                        looked = await self._send(phone, message, waiting)
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
            verdict = classify_send_failure(exc)
            if verdict == "not_sent":
                done, waiting = await self.db(_and_waiting, messages.requeue, message)
            elif verdict == "refused":
                done, waiting = await self.db(_and_waiting, messages.mark_failed, message,
                                              str(exc) or type(exc).__name__)
            else:
                done, waiting = await self.db(_and_waiting, messages.mark_unknown, message,
                                              str(exc) or type(exc).__name__)
            log.warning("text %d to %s: %s (%s)", message.id, message.number, verdict, exc)
        else:
            # One moment for the book and the pacer, so a pacer seeded from the book counts this send once.
            at = self.clock()
            # Its fate written and the next text claimed in one trip: the phone waits on the book once a text.
            going_on = not self._stopping.is_set() and getattr(phone, "state", "up") == "up"
            done, following, waiting = await self.db(_sent_then_next, message, references, at,
                                                     self.name if going_on else None)
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


def _top_up_then_claim(now: datetime, worker: str) -> tuple[Any, int]:
    """One campaign text into the outbox if none waits; then the oldest text claimed for `worker`; the outbox's size."""
    campaigns.top_up(1, now, limit=1)
    return messages.claim_next_queued(worker), messages.outbox_size()


def _sent_then_next(message: Any, references: list[int], at: datetime, worker: str | None) -> tuple[Any, Any, int]:
    """Write a text sent; then claim the next one for `worker` (unless None); then the outbox's size."""
    done = messages.mark_sent(message, references, at)
    following = messages.claim_next_queued(worker) if worker is not None else None
    return done, following, messages.outbox_size()


def classify_send_failure(exc: BaseException) -> str:
    """`not_sent` (nothing reached the modem: queue again), `refused` (the modem or network said no:
    failed), or `unknown` (it may have gone: the operator decides, nothing resends by itself)."""
    if getattr(exc, "before_any_byte", False):
        return "not_sent"
    if getattr(exc, "refused", False) or isinstance(exc, ValueError):
        return "refused"
    return "unknown"


async def until_set(event: asyncio.Event, seconds: float) -> None:
    """Until `event` is set or `seconds` pass. (Not wait_for: on 3.11 it can swallow a cancellation.)"""
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(seconds):
            await event.wait()

