"""Playing a support trace back: the recorded phone on a pty, a real `Phone` on the other end.

The player speaks the phone's side of the trace in step with the `Phone`: what
the phone sent comes back in order; where the trace shows a command, the player
waits for the `Phone` to write it before going on. The `Phone` runs on the
trace's clock (the time stamps), so what silence means (a missed call, a
+CLCC poll due) is decided as it was in the shop. Commands that the program
around the phone gave (answering, hanging up, deleting a kept text, sending a
text) are given again through the `Phone`'s own methods at the same place.
What comes out is the `Phone`'s events, as the live run saw them.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import os
import re
import tempfile
from collections.abc import Callable

from modem import pdu, port
from modem.events import Event, LineChanged
from modem.phone import Phone
from modem.sim.pty import Pty
from modem.trace import records

log = logging.getLogger(__name__)

GAP_S = 0.25  # trace time: a longer silence may have let the phone's timers act (they look every 0.25 s)
LET_TIMERS_RUN_S = 0.3  # real time given to them after the clock jumps over such a silence
WAIT_FOR_PHONE_S = 5.0  # how long the player waits for the Phone to write what the trace says it wrote
_ENDS = re.compile(rb"[\r\x1a\x1b]")
_CMGD = re.compile(r"AT\+CMGD=(\d+)", re.IGNORECASE)
_CPMS_SET = re.compile(r'AT\+CPMS="([A-Z]{2})"', re.IGNORECASE)
_HEX = re.compile(rb"[0-9A-Fa-f]+")


class Diverged(Exception):
    """The trace cannot be played: it does not start where a phone was opened."""


class Player:
    """One trace, played to one `Phone`."""

    def __init__(self, paths: list[str], *, region: str = "CN", on_note: Callable[[str], None] | None = None) -> None:
        recs = list(records(paths))
        start = next((i for i, r in enumerate(recs) if "open" in r), None)
        if start is None:
            raise Diverged("the trace does not begin where the phone was opened (it may be a later rotated file): "
                           "give the files from the oldest, e.g. FILE.2 FILE.1 FILE")
        self.records = recs[start:]
        self.region = region
        self.note = on_note or (lambda words: log.warning("%s", words))
        self.now = float(self.records[0]["t"])
        self.port_name = str(self.records[0]["open"])
        self.diverged = 0
        self._written = bytearray()
        self._wrote = asyncio.Event()
        self._jobs: set[asyncio.Task] = set()
        self._link = ""
        self._given_again: set[int] = set()  # records whose command was given again already
        self._given = 0  # bytes written to the pty since it was opened
        self._taken = 0  # bytes the Phone's port has read of them (told by the port tap)

    def clock(self) -> float:
        """The trace's time where the playing is: the `Phone`'s clock."""
        return self.now

    async def play(self) -> list[Event]:
        """Play the whole trace; the events the `Phone` gave, in order."""
        link_dir = tempfile.mkdtemp(prefix="guanjia-replay-")
        link = self._link = os.path.join(link_dir, "phone")
        port.add_tap(self._tap)
        pty = Pty(link, self._heard)
        phone = Phone(link, clock=self.clock, home_region=self.region, max_backoff_s=1.0)
        events: list[Event] = []

        async def collect() -> None:
            async for event in phone.events():
                if isinstance(event, LineChanged):
                    event = dataclasses.replace(event, port=self.port_name)
                events.append(event)

        collecting = asyncio.create_task(collect())
        opening = asyncio.create_task(phone.open())
        try:
            for n, record in enumerate(self.records):
                await self._step(n, record, phone, lambda: pty)
                if "open" in record and n > 0:
                    pty.close()  # the port went and came back in the shop: so it does here
                    self._written.clear()
                    self._given = self._taken = 0
                    pty = Pty(link, self._heard)
            await asyncio.sleep(LET_TIMERS_RUN_S)
            await opening
        finally:
            port.remove_tap(self._tap)
            for job in self._jobs:
                job.cancel()
            await phone.close()
            await asyncio.wait_for(collecting, 5)
            pty.close()
            with contextlib.suppress(OSError):
                os.rmdir(link_dir)
        return events

    async def _step(self, n: int, record: dict, phone: Phone, pty: Callable[[], Pty]) -> None:
        t = float(record.get("t", self.now))
        if t - self.now > GAP_S:
            self.now = t
            await asyncio.sleep(LET_TIMERS_RUN_S)
        self.now = max(self.now, t)
        if record.get("d") == "in":
            following = self.records[n + 1] if n + 1 < len(self.records) else {}
            if following.get("d") == "out":
                # The program asked before this came (its command queued behind the one in flight, as in
                # the shop), not after: asked now, it is written where the trace has it.
                self._give_again(n + 1, following["b"].strip(), phone, early=True)
            await self._hand_over(pty(), record["b"].encode("latin-1"))
        elif record.get("d") == "out":
            await self._expect(n, record["b"].encode("latin-1"), phone)

    async def _hand_over(self, pty: Pty, data: bytes) -> None:
        """Give the `Phone` these bytes and let it read them while the clock still says when they came."""
        self._given += len(data)
        pty.write(data)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + WAIT_FOR_PHONE_S
        while self._taken < self._given and loop.time() < deadline:
            await asyncio.sleep(0.001)
        for _ in range(3):  # read, then cut into lines and acted on, a loop turn each
            await asyncio.sleep(0)

    # ------------------------------------------------------------ what the Phone writes

    def _tap(self, url: str, what: str, data: bytes) -> None:
        if url == self._link and what == "in":
            self._taken += len(data)

    def _heard(self, data: bytes) -> None:
        self._written += data
        self._wrote.set()

    def _next_write(self) -> bytes | None:
        found = _ENDS.search(self._written)
        if found is None:
            return None
        piece = bytes(self._written[: found.end()])
        del self._written[: found.end()]
        return piece

    async def _expect(self, n: int, wanted: bytes, phone: Phone) -> None:
        """Wait for the `Phone` to write `wanted` (giving again what the program gave), then go on."""
        if not self._written:
            self._give_again(n, wanted.decode("latin-1").strip(), phone)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + WAIT_FOR_PHONE_S
        while True:
            piece = self._next_write()
            if piece is not None:
                if not _same(piece, wanted):
                    self.diverged += 1
                    self.note(f"the phone was asked {piece!r} where the trace has {wanted!r}")
                return
            self._wrote.clear()
            left = deadline - loop.time()
            if left <= 0:
                self.diverged += 1
                self.note(f"the phone never asked {wanted!r} as the trace has it; going on")
                return
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(left):
                    await self._wrote.wait()

    def _give_again(self, n: int, line: str, phone: Phone, *, early: bool = False) -> None:
        """What the program around the phone asked at this point, asked again through the `Phone` (once)."""
        upper = line.upper()
        if n in self._given_again or (early and upper == "AT+CLCC"):
            return  # (whose +CLCC it is, the phone's or the program's, is known only when the time comes)
        self._given_again.add(n)
        if upper == "ATA":
            self._spawn(phone.answer())
        elif upper in ("AT+CHUP", "ATH"):
            self._spawn(phone.hang_up())
        elif m := _CMGD.fullmatch(line):
            self._spawn(phone.delete_sms(phone.memories.read_from or phone.memories.storage, int(m.group(1))))
        elif (m := _CPMS_SET.fullmatch(line)) and (after := _CMGD.fullmatch(self._next_out(n))):
            self._spawn(phone.delete_sms(m.group(1).upper(), int(after.group(1))))
        elif upper == "AT+CLCC" and not phone.tracker.in_call:
            self._spawn(phone.calls_now())  # the phone polls only during a call: this was the program asking
        elif upper.startswith("AT+CMGS="):
            submit = self._submit(self._next_out(n))
            if submit is not None:
                self._spawn(phone.send_sms(submit.recipient, submit.text, request_report=submit.request_report))

    def _next_out(self, n: int) -> str:
        for record in self.records[n + 1:]:
            if record.get("d") == "out":
                return record["b"].strip("\r\x1a\x1b ")
        return ""

    @staticmethod
    def _submit(hex_text: str) -> pdu.Submit | None:
        try:
            found = pdu.decode(hex_text)
        except pdu.PduError:
            return None
        return found if isinstance(found, pdu.Submit) and found.concat is None else None

    def _spawn(self, coro) -> None:
        async def quietly() -> None:
            try:
                await coro
            except Exception as exc:  # noqa: BLE001 - as in the shop, a refusal is the phone's answer
                log.info("replayed command failed: %s", exc)

        task = asyncio.get_running_loop().create_task(quietly())
        self._jobs.add(task)
        task.add_done_callback(self._jobs.discard)


def _same(written: bytes, wanted: bytes) -> bool:
    a, b = written.strip(b"\r\x1a\x1b "), wanted.strip(b"\r\x1a\x1b ")
    if a == b:
        return True
    # A text's PDU: the reference numbers in it may differ from the shop's; that it is one is what counts.
    return bool(a and b and _HEX.fullmatch(a) and _HEX.fullmatch(b))
