"""The desk's live feed: the line worker's facts and other terminals' changes, as Textual messages.

Every terminal watches the book's change cursor (so a counter that does not
hold the line still sees new calls and texts within half a second); the one
that holds the line also runs the line worker in its own event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Callable

from textual.message import Message

from store import changes, messages
from tui import messages as msg
from tui.worker import Fact, LineWorker

log = logging.getLogger("guanjia.live")

WATCH_EVERY_S = 0.3
DEMO_FIRST_RING_S = 8.0  # a newcomer sees a ring within seconds of starting the demo
# Then about every two minutes (a little random, as callers are): time to try the rest of the desk in
# between; `r` rings at once (the status bar says so).
DEMO_EVERY_S = 120.0


def message_for(fact: Fact) -> Message | None:
    """The Textual message that tells the screens about a worker fact."""
    d = fact.data
    if fact.kind == "ringing":
        return msg.CallRinging(d["call_id"], d.get("number"), d.get("card"))
    if fact.kind == "finished":
        return msg.CallFinished(d["call_id"], d.get("number"), d["outcome"], d.get("duration_s"))
    if fact.kind == "text":
        return msg.TextArrived(d["message_id"], d["number"], d["body"], d.get("card"), d.get("name", ""))
    if fact.kind in ("line", "held"):
        return msg.LineStateChanged(d["state"], d.get("detail", ""))
    if fact.kind == "signal":
        return msg.SignalChanged(d.get("bars"))
    if fact.kind == "outbox":
        return msg.OutboxChanged(d["waiting"], d.get("message_id"), d.get("status"))
    return None


class Live:
    """Runs inside the desk's event loop: the worker (when a phone is named) and the change watcher."""

    def __init__(self, post: Callable[[Message], object], *, port: str | None, name: str,
                 baudrate: int | None = None, phone_factory=None, demo: bool = False) -> None:
        self.post = post
        self.port = port
        self.worker = LineWorker(port, name=name, notify=self._fact, baudrate=baudrate,
                                 phone_factory=phone_factory) if port else None
        self.demo = demo and bool(port) and port.startswith("sim://")
        self._stopping = asyncio.Event()
        self._scenes: set[asyncio.Task] = set()

    def _fact(self, fact: Fact) -> None:
        message = message_for(fact)
        if message is not None:
            self.post(message)

    def poke(self) -> None:
        """This terminal queued a text: the worker looks at the outbox now."""
        if self.worker is not None:
            self.worker.poke()

    def stop(self) -> None:
        self._stopping.set()
        if self.worker is not None:
            self.worker.stop()

    async def run(self) -> None:
        """Until stopped."""
        if self.worker is None:
            self.post(msg.LineStateChanged("none", ""))
        jobs = [self._watch()] + ([self.worker.run()] if self.worker is not None else [])
        if self.demo:
            jobs.append(self._demo())
        try:
            await asyncio.gather(*jobs)
        finally:
            for task in self._scenes:
                task.cancel()

    # The demo: the simulated phone rings from time to time, and on request -------

    def _simulator(self):
        phone = self.worker.phone if self.worker is not None else None
        return getattr(phone, "simulator", None)

    def can_ring(self) -> bool:
        """True in the demo, once its simulated phone is up."""
        return self.demo and self._simulator() is not None

    def ring_now(self) -> bool:
        """Make the demo's phone ring now (a customer from the book, now and then a stranger)."""
        sim = self._simulator()
        if sim is None or not self.demo:
            return False
        task = asyncio.create_task(self._scene(sim))
        self._scenes.add(task)
        task.add_done_callback(self._scenes.discard)
        return True

    async def _scene(self, sim) -> None:
        from tui.demo import demo_scene

        loop = asyncio.get_running_loop()
        number, answer, talk, text = await loop.run_in_executor(None, demo_scene)
        await sim.ring(number, rings=3, every=2.0, answer=answer, hang_up_after=talk)
        if text:
            await asyncio.sleep(3.0)
            await sim.deliver_sms(number, text)

    async def _demo(self) -> None:
        wait = DEMO_FIRST_RING_S
        while not self._stopping.is_set():
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(wait):
                    await self._stopping.wait()
            if not self._stopping.is_set() and not self._scenes:
                self.ring_now()
            wait = DEMO_EVERY_S * random.uniform(0.85, 1.15)

    async def _watch(self) -> None:
        """Poll the change cursor; tell the screens what moved, and the counts the status bar shows."""
        loop = asyncio.get_running_loop()
        cursor = await loop.run_in_executor(None, changes.cursor)
        await self._counts()
        while not self._stopping.is_set():
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(WATCH_EVERY_S):
                    await self._stopping.wait()
            try:
                seen = await loop.run_in_executor(None, changes.since, cursor)
            except Exception:  # a database hiccup (server restart): try again at the next tick
                log.warning("could not read the change cursor", exc_info=True)
                continue
            if seen.cursor == cursor:
                continue
            cursor = seen.cursor
            self.post(msg.BookChanged(calls=bool(seen.calls), messages=bool(seen.messages)))
            if seen.messages:
                await self._counts()

    async def _counts(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            unread = await loop.run_in_executor(None, messages.unread_count)
            waiting = await loop.run_in_executor(None, messages.outbox_size)
        except Exception:
            log.warning("could not count texts", exc_info=True)
            return
        self.post(msg.UnreadChanged(unread))
        self.post(msg.OutboxChanged(waiting))
