"""The line worker: the one bridge between the phone and the book.

Modem events become rows; outbox rows become AT commands (the sending half is
tui/sending.py). Plain asyncio and no widgets: it runs inside the desk, or
headless as `guanjia line`. Every database call runs on one worker thread of
its own, so the event loop (the desk's, or the headless one) never waits on the disk.

Invariant 1 of DESIGN.md lives here: a received part is deleted from the phone
only after its row is committed. (Invariant 2, about texts sent, in tui/sending.py.)
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from modem import events as ev
from store import calls, campaigns, care, customers, lease, lookup, messages, optout, settings, tasks
from tui import pacing
from tui.i18n import t
from tui.line_words import holder_words, line_detail
from tui.open_calls import OpenCalls
from tui.sending import Sending, until_set

log = logging.getLogger("guanjia.line")

RENEW_EVERY_S = 5.0
WATCH_HOLDER_S = 0.2  # how often a holder on this machine is looked at: its end is a file in /proc, not a query
CARE_EVERY_S = 60.0
RESTART_AFTER_S = 2.0
QUIET_AFTER_RING_S = 2.0  # a care round waits this long after the last ring or hang-up
CARE_WAITS_AT_MOST_S = 60.0  # ... but no longer than this (a call whose end the phone never told)
STOP_GRACE_S = 15.0  # how long a stop waits for the text in the phone's hands


@dataclass(frozen=True, slots=True)
class Fact:
    """Something the worker did, for whoever shows it (the desk) or logs it (headless)."""

    kind: str  # ringing, finished, text, line, signal, outbox, held
    data: dict[str, Any]


Notify = Callable[[Fact], None]


class LineWorker(Sending, OpenCalls):
    """Holds the line for this process, if nobody else does, and bridges phone and book."""

    def __init__(self, url: str, *, name: str = "guanjia", phone_factory: Callable[..., Any] | None = None,
                 notify: Notify | None = None, baudrate: int | None = None,
                 clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)) -> None:
        self.url = url
        self.name = name
        self.notify = notify or _log_fact
        self.clock = clock
        self._phone_factory = phone_factory or _default_phone_factory
        self._baudrate = baudrate
        self._db_thread = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="guanjia-db")
        # Care rules and the task list can take seconds on a big book: never in front of a ring.
        self._care_thread = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="guanjia-care")
        self._calls: dict[int, int] = {}  # the phone's call_id -> the book's call row id
        self._ringing_now: set[int] = set()  # calls ringing and not yet answered (the phone's call ids)
        self._last_ring = 0.0  # loop time of the last ring or hang-up
        self._outbox_poke = asyncio.Event()
        self._stopping = asyncio.Event()
        self.phone: Any = None
        self.region = "CN"
        self.holder: lease.Holder | None = None
        self.pacer: pacing.Pacer | None = None
        self._sending = False  # a text is with the phone: a stop lets it finish first
        self._early: list[ev.DeliveryReport] = []  # reports that came while their text's send was being written
        self._reset_open_calls()
        self._init_sending()

    # The database thread ---------------------------------------------------

    async def db(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run a store call on the worker's own database thread."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._db_thread, functools.partial(fn, *args, **kwargs))

    async def kept(self, fn: Callable[..., Any], *args: Any, attempts: int = 6) -> Any:
        """A write that must not be lost (a call, a text): retried while the book is busy with another writer."""
        delay = 0.5
        for attempt in range(attempts):
            try:
                return await self.db(fn, *args)
            except Exception as exc:  # peewee's OperationalError: "database is locked"
                if "locked" not in str(exc).lower() or attempt == attempts - 1:
                    raise
                log.warning("the book is busy; trying again in %.1f s", delay)
                await asyncio.sleep(delay)
                delay *= 2
        raise AssertionError("unreachable")

    # Life cycle -------------------------------------------------------------

    async def run(self) -> None:
        """Hold the line until stopped; if another process holds it, wait for it to go and take over."""
        self.region = await self.db(settings.home_region)
        try:
            while not self._stopping.is_set():
                other = await self.db(lease.take, lease.me(self.name, self.url))
                if other is not None:
                    self._emit("held", state="held", detail=holder_words(other))  # in the shop's words
                    await self._wait_for(other)
                    continue
                self.holder = lease.me(self.name, self.url)
                try:
                    await self._hold()
                except Exception as exc:  # the book went away (a server restart, a full disk): hold on, retry
                    log.exception("the line worker stumbled; starting over")
                    self._emit("line", state="down", detail=f"{type(exc).__name__}: {exc}"[:200])
                    await self._sleep(RESTART_AFTER_S)
        finally:
            if self.holder is not None:
                await self.db(lease.release, self.holder)
            self._db_thread.shutdown(wait=False)
            self._care_thread.shutdown(wait=False)

    def stop(self) -> None:
        """Ask the worker to let the line go and return from run()."""
        self._stopping.set()

    def poke(self) -> None:
        """A text was queued in this process: look at the outbox now rather than at the next poll."""
        self._outbox_poke.set()

    async def _sleep(self, seconds: float) -> None:
        await until_set(self._stopping, seconds)

    async def _wait_for(self, other: lease.Holder) -> None:
        """Until it is worth asking for the line again: the next heartbeat's time, or at once when a
        holder on this machine is gone (killed, crashed), so that no ring goes unrecorded meanwhile."""
        if not lease.here(other):
            await self._sleep(RENEW_EVERY_S)
            return
        loop = asyncio.get_running_loop()
        until = loop.time() + RENEW_EVERY_S
        while not self._stopping.is_set() and loop.time() < until and not lease.gone(other):
            await self._sleep(WATCH_HOLDER_S)

    async def _hold(self) -> None:
        unknown = await self.db(messages.mark_stale_sending_unknown)
        if unknown:
            log.warning("%d text(s) were being sent when the line was last let go; marked unknown", unknown)
            self._emit("outbox", waiting=await self.db(messages.outbox_size))
        await self._tune()  # the settings as they are now: this process may have waited long for the line
        await self._load_left_open()  # before the phone: a call ringing on is known as it is announced
        # Campaign texts sent by the last holder count against the rate limit too.
        self.pacer.seed(await self.db(campaigns.recent_send_times, self.clock() - pacing.WINDOW))
        kwargs = {"home_region": self.region}
        if self._baudrate:
            kwargs["baudrate"] = self._baudrate
        async with self._phone_factory(self.url, **kwargs) as phone:
            self.phone = phone
            outbox = asyncio.create_task(self._outbox(phone))
            others = (self._events(phone), self._renew(), self._care(), self._follow_settings())
            jobs = [outbox, *(asyncio.create_task(coro) for coro in others)]
            stop = asyncio.create_task(self._stopping.wait())
            try:
                done, _ = await asyncio.wait([*jobs, stop], return_when=asyncio.FIRST_COMPLETED)
                for job in done:
                    if job is not stop and job.exception() is not None:
                        raise job.exception()
            finally:
                if stop.done() and self._sending:
                    # A text is with the phone: let it finish and its fate be written, rather than
                    # leave it for the next start to call unknown.
                    await asyncio.wait([outbox], timeout=STOP_GRACE_S)
                for job in (*jobs, stop):
                    job.cancel()
                await asyncio.gather(*jobs, stop, return_exceptions=True)
                self.phone = None

    async def _renew(self) -> None:
        """Keep the lease fresh; if another process took it (we were silent too long), give the line up."""
        while True:
            await asyncio.sleep(RENEW_EVERY_S)
            self.holder = lease.me(self.name, self.url)
            other = await self.db(lease.take, self.holder)
            if other is not None:
                log.error("the line was taken over by %s; letting it go", other.describe())
                self.holder = None
                return

    async def _care(self) -> None:
        """Each minute: the task list brought up to date (a missed call owes a call-back at once), and the
        care texts owed (booking reminders, missed-call replies, birthdays) unless in quiet hours. Each rule
        is off until the shop turns it on: texts cost money."""
        loop = asyncio.get_running_loop()
        while True:
            await self._between_rings()
            try:
                # Caught up, a refresh is one short index range a kind (36 ms on a 1M-customer book).
                await loop.run_in_executor(self._care_thread, tasks.refresh, self.clock())
                if not self.pacer.is_quiet(self.clock()):
                    if await loop.run_in_executor(self._care_thread, care.send_due, self.clock()):
                        self.poke()
            except Exception:  # a bad template or rule must not stop the line
                log.exception("care rules failed")
            await asyncio.sleep(CARE_EVERY_S)

    async def _between_rings(self) -> None:
        """Wait until no call rings and the last one is a moment past. The care round runs on a thread of its
        own, but in this process: its Python work (the task list's refresh: ~70-120 ms of CPU on a 1M book
        with a day of call-backs open, growing with them) holds the interpreter lock that the desk's event
        loop needs to put the caller's name on screen."""
        loop = asyncio.get_running_loop()
        give_up = loop.time() + CARE_WAITS_AT_MOST_S
        while (self._ringing_now or loop.time() - self._last_ring < QUIET_AFTER_RING_S) and loop.time() < give_up:
            await asyncio.sleep(0.25)

    # Phone -> book ----------------------------------------------------------

    async def _events(self, phone: Any) -> None:
        async for event in phone.events():
            try:
                await self.handle(event)
            except Exception:  # one bad event must not take the line down
                log.exception("could not handle %r", event)

    async def handle(self, event: ev.Event) -> None:
        """Turn one modem event into rows and facts."""
        event = self._followed(event)  # a call a previous holder began, as the book must take it
        if event is None:
            return
        if isinstance(event, ev.IncomingCall):
            adopted = self._adopt(event)
            if adopted is not None:
                await self._announce_adopted(event, adopted)
            await self._ringing(event)  # an adopted call is known already: no second row
        elif isinstance(event, ev.CallAnswered):
            self._ringing_now.discard(event.call_id)
            row = self._calls.get(event.call_id)
            if row is not None:
                await self.db(calls.call_answered, row, self.clock())
        elif isinstance(event, ev.CallEnded):
            await self._ended(event)
        elif isinstance(event, ev.SmsPart):
            await self._keep_part(event)
        elif isinstance(event, ev.SmsUnreadable):
            await self._keep_unreadable(event)
        elif isinstance(event, ev.DeliveryReport):
            await self._report(event)
        elif isinstance(event, ev.SignalChanged):
            self._emit("signal", bars=event.bars)
        elif isinstance(event, ev.LineChanged):
            self._emit("line", state=event.state, detail=line_detail(event))  # modem/'s codes, our words
            if event.state == "up":
                self.poke()
                await self._settle()

    async def _ringing(self, event: ev.IncomingCall) -> None:
        if event.call_id in self._calls:
            return  # the same call again (RING after +CLIP): the row and the card exist already
        self._ringing_now.add(event.call_id)
        self._last_ring = asyncio.get_running_loop().time()
        number = event.number if event.presentation == "number" else None
        at = self.clock()
        # The card first: a read, which no writer holds up, so the counter sees who it is at once;
        # then the row, which may wait its turn behind another terminal's write.
        card = await self.db(lookup.caller_card, number, self.region) if number else None
        self._emit("ringing", call_id=None, number=number, card=card, presentation=event.presentation)
        row = await self.kept(calls.call_started, number, at, "in", self.region)
        self._calls[event.call_id] = row.id
        # Read fresh on every ring, so a change in the settings screen applies to the very next call.
        if card is not None and card.blocked and await self.db(settings.get, "auto_reject_blocked"):
            await self._turn_away(number)

    async def _turn_away(self, number: str | None) -> None:
        """Hang up on a blocked caller; the phone then reports the call ended `rejected`, which ends the row."""
        if self.phone is None:
            return
        try:
            await self.phone.hang_up()
        except Exception:  # the line stumbled: the call simply rings on, the warning is already shown
            log.exception("could not turn away blocked caller %s", number)

    async def _ended(self, event: ev.CallEnded) -> None:
        self._ringing_now.discard(event.call_id)
        self._last_ring = asyncio.get_running_loop().time()
        row = self._calls.pop(event.call_id, None)
        if row is None:  # the end of a call we never saw ring (we started mid-call)
            number = event.number
            row = (await self.kept(calls.call_started, number, self.clock(), "in", self.region)).id
        ended = await self.kept(calls.call_ended, row, event.outcome, event.duration_s, self.clock())
        self._emit("finished", call_id=row, number=ended.number or None, outcome=event.outcome,
                   duration_s=ended.duration_s)

    async def _keep_part(self, part: ev.SmsPart) -> None:
        if part.concat is None:
            kept = await self.kept(messages.save_text, part.key, part.sender, part.text, part.sent_at, 1, self.region)
        else:
            c = part.concat
            await self.kept(messages.save_part, part.key, part.sender, c.reference, c.total, c.sequence,
                            part.text, part.sent_at, part.storage, part.index)
            kept = await self.kept(messages.complete_text, part.sender, c.reference, c.total, self.region)
        # Committed: only now may the phone forget it (invariant 1).
        if part.storage is not None and part.index is not None and self.phone is not None:
            await self.phone.delete_sms(part.storage, part.index)
        if kept is not None:
            if optout.is_opt_out(kept.body):
                await self.db(optout.record_opt_out, kept.number, kept.body, kept.at, self.region)
            # The announcement needs the sender's name only: one primary-key read, not the caller card's
            # history queries on the line's only database thread, for every text of the day.
            sender = await self.db(customers.get_customer, kept.customer_id) if kept.customer_id else None
            self._emit("text", message_id=kept.id, number=kept.number, body=kept.body,
                       name=sender.name if sender is not None else "")

    async def _keep_unreadable(self, text: ev.SmsUnreadable) -> None:
        """A text nobody can read is still a customer's text: kept, with its note and raw PDU, then deleted."""
        note = t("text.compressed" if text.reason == "compressed" else "text.unreadable")
        kept = await self.kept(messages.save_unreadable, text.key, text.sender, note, text.reason, text.pdu,
                               text.sent_at or self.clock(), self.region)
        # Committed: only now may the phone forget it (invariant 1).
        if text.storage is not None and text.index is not None and self.phone is not None:
            await self.phone.delete_sms(text.storage, text.index)
        if kept is not None:
            card = await self.db(lookup.caller_card, kept.number, self.region) if kept.number else None
            self._emit("text", message_id=kept.id, number=kept.number, body=kept.body, card=card)

    async def _report(self, report: ev.DeliveryReport) -> None:
        matched = await self._apply_report(report)
        if report.storage is not None and report.index is not None and self.phone is not None:
            await self.phone.delete_sms(report.storage, report.index)
        if not matched and self._sending:
            # Its text's send may not be written yet (a fast network, or the first part of a long text
            # reported while the next part goes): tried again once it is.
            self._early.append(report)

    async def _apply_report(self, report: ev.DeliveryReport) -> bool:
        message = await self.db(messages.apply_delivery_report, report.reference, report.recipient,
                                report.status, report.discharged_at, self.region)
        if message is not None:
            self._emit("outbox", waiting=await self.db(messages.outbox_size), message_id=message.id,
                       status=message.status)
        return message is not None

    def _emit(self, kind: str, **data: Any) -> None:
        try:
            self.notify(Fact(kind, data))
        except Exception:  # a broken listener must not stop the line
            log.exception("notify failed for %s", kind)


def _default_phone_factory(url: str, **kwargs: Any) -> Any:
    from modem.phone import Phone

    return Phone(url, **kwargs)


def _log_fact(fact: Fact) -> None:
    log.info("%s %s", fact.kind, {k: v for k, v in fact.data.items() if k != "card"})
