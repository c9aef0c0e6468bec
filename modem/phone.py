"""One phone on one line: initialise it, keep it up, and turn what it says into events.

`Phone` owns the port and the AT engine. It survives the phone being unplugged
(reopening the same name with backoff), a phone that stops answering, and a SIM
that is busy at start. Everything the shop needs to know comes out of
`events()`; nothing raises out of it. `sim://` URLs start the simulated phone
on a real pty in this process and connect to it like any other device.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

from modem import at, pdu, port, setup, urc
from modem.calls import CallTracker, ListedCall
from modem.doctor import RESTART_SIGNS, Doctor
from modem.events import Event, LineChanged, LineState, ModemStatus
from modem.numbers import valid_destination
from modem.memories import Memories
from modem.ports import BY_ID
from modem.probe import NOT_ANNOUNCING, PhoneError, ProbeResult, error_code, identify, plain_error, probe_port
from modem.received import events_for
from modem.sim import SimPhone, sim_options

log = logging.getLogger(__name__)

_ALIVE_ERRORS = (port.PortGone, at.AtTimeout, OSError)
_VENDOR_END = {"huawei": "^CEND", "simcom": "VOICE CALL: END"}

__all__ = ["Phone", "PhoneError", "ProbeResult", "probe_port"]


class Phone:
    """A phone or modem on `url` (a device, socket://, rfc2217:// or sim://)."""

    def __init__(
        self,
        url: str,
        *,
        baudrate: int = 115200,
        rtscts: bool = False,
        home_region: str = "CN",
        reconnect: bool = True,
        read_only: bool = False,
        clock: Callable[[], float] = time.monotonic,
        command_timeout: float = 5.0,
        send_timeout: float = 60.0,
        ring_timeout_s: float = 9.0,
        call_poll_s: float = 1.5,
        health_every_s: float = 10.0,
        max_backoff_s: float = 30.0,
        storage_poll_s: float = 5.0,
        by_id_dir: str = BY_ID,
    ) -> None:
        self.url = url
        self.baudrate = baudrate
        self.rtscts = rtscts
        self.home_region = home_region
        self.reconnect = reconnect
        self.read_only = read_only
        self.clock = clock
        self.command_timeout = command_timeout
        self.send_timeout = send_timeout
        self.health_every_s = health_every_s
        self.max_backoff_s = max_backoff_s
        self.storage_poll_s = storage_poll_s
        self.announces = True  # False when the phone took no +CNMI choice: its memory is polled instead
        self.doctor = Doctor(clock, by_id_dir=by_id_dir)
        self._device_now: str | None = None  # where the port is now, when it came back under another name
        self._was_up = False
        self.simulator: SimPhone | None = None
        self.state: LineState = "down"
        self.tracker = CallTracker(
            ring_timeout_s=ring_timeout_s, poll_every_s=call_poll_s, region=home_region, clock=clock
        )
        self._events: asyncio.Queue[Event | None] = asyncio.Queue()
        self._engine: at.Engine | None = None
        self._port = None
        self._up = asyncio.Event()
        self._lost = asyncio.Event()
        self._lost_why = ""
        self._tasks: list[asyncio.Task] = []
        self._follow_ups: asyncio.Queue = asyncio.Queue()
        self.memories = Memories(self._command, home_region)
        self._concat_refs = itertools.count(1)
        self._last_traffic = clock()
        self._closed = False

    # ------------------------------------------------------------ life cycle

    async def __aenter__(self) -> Phone:
        await self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def open(self) -> None:
        """Connect and initialise; with `reconnect`, a phone that is not there yet is retried in the background."""
        if self.url.startswith("sim://") and self.simulator is None:
            self.simulator = await SimPhone(**sim_options(self.url)).start()
        try:
            await self._connect()
        except (PhoneError, *_ALIVE_ERRORS, at.AtError) as exc:
            await self._drop(exc)
            if not self.reconnect:
                await self.close()
                raise _as_phone_error(exc) from None
        self._tasks.append(asyncio.create_task(self._keep_up(), name="phone-line"))
        self._tasks.append(asyncio.create_task(self._follow_up(), name="phone-follow-up"))
        self._tasks.append(asyncio.create_task(self._watch_calls(), name="phone-calls"))
        self._tasks.append(asyncio.create_task(self._poll_storage(), name="phone-storage-poll"))

    async def close(self) -> None:
        """Stop: close the port, end `events()`, and unplug the simulator (`sim://`, or one given to us)."""
        if self._closed:
            return
        self._closed = True
        for task in self._tasks:
            task.cancel()
        if self._tasks:
            # Bounded: closing must never hang the desk, even if a task ignores a cancel.
            await asyncio.wait(self._tasks, timeout=2.0)
        await self._close_port()
        self._set_state("closed")
        self._events.put_nowait(None)
        if self.simulator is not None:
            await self.simulator.close()

    async def events(self) -> AsyncIterator[Event]:
        """Every event until `close()`; never raises for the phone's troubles."""
        while True:
            event = await self._events.get()
            if event is None:
                self._events.put_nowait(None)  # let other readers end too
                return
            yield event

    def _emit(self, *events: Event) -> None:
        for event in events:
            self._events.put_nowait(event)

    def _set_state(self, state: LineState, detail: str = "", code: str = "", **values: Any) -> None:
        if state != self.state:
            self.state = state
            self._emit(LineChanged(state, self.url, detail, code, tuple(values.items())))

    # ------------------------------------------------------------ connecting

    def _device(self) -> str:
        if self.simulator is not None:
            return self.simulator.path
        return self._device_now or self.url

    async def _open_port(self) -> port.Port:
        device = self._device()
        # A USB modem that reset may come back as ttyUSB3, and ttyUSB0 may then be another
        # device altogether: the by-id link noted at the last open says where ours is now.
        elsewhere = self.doctor.found_again(device)
        if elsewhere is not None:
            log.info("the phone at %s is back as %s (%s)", device, elsewhere, self.doctor.stable_name)
            self._device_now = device = elsewhere
        opened = await port.open_port(device, baudrate=self.baudrate, rtscts=self.rtscts)
        self.doctor.remember(device)
        return opened

    async def _connect(self) -> None:
        self._set_state("connecting")
        self._lost.clear()
        self._lost_why = ""
        self.doctor.answered()
        self._port = await self._open_port()
        self._engine = at.Engine(self._port, on_event=self._heard)
        await self._engine.start()
        await self._initialise()
        self._set_state("up", await self._describe())
        self._up.set()
        self._was_up = True
        await self.read_stored(emit=True)

    async def _drop(self, exc: BaseException) -> None:
        self._up.clear()
        await self._close_port()
        error = _as_phone_error(exc)
        self._set_state("down", error.args[0], error.code, **error.values)

    async def _close_port(self) -> None:
        engine, self._engine = self._engine, None
        if engine is not None:
            try:
                await engine.close()
            except Exception:  # noqa: BLE001 - a dead port may fail to close; it is gone either way
                log.debug("closing the engine failed", exc_info=True)
        self._port = None

    async def _keep_up(self) -> None:
        """Watch the line; when it goes, reconnect with doubling waits."""
        backoff = 0.5
        while not self._closed:
            if self._up.is_set():
                backoff = 0.5
                await self._watch_health()
                continue
            if not self.reconnect:
                return
            self._set_state("reconnecting", f"trying again in {backoff:g} s", "retry", seconds=backoff)
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, self.max_backoff_s)
            try:
                await self._connect()
            except (PhoneError, *_ALIVE_ERRORS, at.AtError) as exc:
                await self._drop(exc)
            except Exception as exc:  # noqa: BLE001 - a reply we misread must cost one connect, never the line
                log.exception("connecting to %s failed unexpectedly", self.url)
                await self._drop(PhoneError(f"the phone gave an answer this program could not read ({type(exc).__name__})"))

    async def _watch_health(self) -> None:
        """Return when the line is lost; a cheap AT when it has been quiet."""
        try:
            await asyncio.wait_for(self._lost.wait(), timeout=self.health_every_s / 4)
        except TimeoutError:
            pass
        if self._lost.is_set():
            await self._drop(PhoneError(self._lost_why or f"the phone at {self.url} went away", code="went_away",
                                        values={"url": self.url}))
            return
        if self.clock() - self._last_traffic >= self.health_every_s:
            try:
                await self._command("AT")
            except at.AtTimeout:
                pass  # once may be a busy modem; twice in a row, _command marks the line lost
            except _ALIVE_ERRORS as exc:
                await self._drop(exc)
            except at.AtError:
                pass  # an answer, even ERROR, is a live phone

    async def _command(self, line: str, *, timeout: float | None = None) -> list[str]:
        engine = self._engine
        if engine is None:
            raise PhoneError("the phone is not connected")
        try:
            lines = await engine.command(line, timeout=timeout or self.command_timeout)
        except port.PortGone as exc:
            self._lost_why = str(exc)
            self._lost.set()
            raise
        except at.AtTimeout:
            if self.doctor.unanswered():
                self._lost_why = ("the phone did not answer in time, twice in a row: "
                                  "its port is closed and opened again")
                self._lost.set()
            raise
        except at.AtError:
            self.doctor.answered()  # an error is an answer
            raise
        self.doctor.answered()
        self._last_traffic = self.clock()
        return lines

    async def _busy_retry(self, line: str, *, attempts: int = 8) -> list[str]:
        return await setup.busy_retry(self._command, line, attempts=attempts)

    async def _optional(self, line: str) -> bool:
        return await setup.optional(self._command, line)

    async def _initialise(self) -> None:
        found = await setup.initialise(
            self._command, read_only=self.read_only, first_answer=lambda line: self._command(line, timeout=2.0)
        )
        self.memories.found(found)
        self.announces = found.announces
        self._emit(*found.readings)

    async def _describe(self) -> str:
        try:
            # What the line found beats what the phone's +CNMI=? claims: its own note is dropped.
            summary = (await self.probe()).summary.replace(NOT_ANNOUNCING, "")
        except (PhoneError, at.AtError, at.AtTimeout):
            summary = ""
        if not self.announces:
            note = (f"this phone refused every way of announcing new texts (+CNMI); "
                    f"its memory is checked every {self.storage_poll_s:g} s instead")
            summary = f"{summary}; {note}" if summary else note
        restarts = self.doctor.restart_words()
        if restarts:
            summary = f"{summary}; {restarts}" if summary else restarts
        return summary

    # ------------------------------------------------------------ what the phone says

    def _heard(self, item: object) -> None:
        """The engine's callback for every unsolicited line, already parsed."""
        self._last_traffic = self.clock()
        t = self.tracker
        if isinstance(item, urc.Ring):
            self._emit(*t.ring())
        elif isinstance(item, urc.CallerId):
            self._emit(*t.caller_id(item.number, item.number_type, item.validity, item.alpha or None))
        elif isinstance(item, urc.CallState):
            if item.state == "connected":
                self._emit(*t.answered())
            elif item.state == "ended":
                t.vendor_says()
                self._emit(*t.ended(_VENDOR_END.get(item.vendor, item.vendor)))
        elif isinstance(item, urc.ClccEntry):
            # SIMCom lists calls on its own; state 6 means the call is gone.
            t.vendor_says()
            if item.stat == 6:
                self._emit(*t.ended("+CLCC"))
            else:
                self._emit(*t.listed([_listed(item)]))
        elif isinstance(item, urc.MissedCall):
            t.vendor_says()
            self._emit(*t.missed(item.number))
        elif isinstance(item, urc.Hangup):
            self._emit(*t.ended(item.final))
        elif isinstance(item, (urc.NewMessage, urc.NewReport)):
            self._follow_ups.put_nowait(item)
        elif isinstance(item, urc.PushedPdu):
            self._emit(*events_for(item.pdu, None, None, self.home_region))
        elif isinstance(item, ModemStatus) and item.what in RESTART_SIGNS:
            self._emit(item)
            if self._was_up:  # the boot before our first connect is no restart to report
                self.doctor.restarted()
            if self._up.is_set():
                # A modem that restarted forgot how it was set up (caller ID, +CNMI): set it up again.
                self._lost_why = "the modem restarted; setting it up again"
                self._lost.set()
        elif isinstance(item, LineChanged):
            # The engine lost the port; _keep_up reports it and reconnects.
            self._lost_why = item.detail
            self._lost.set()
        elif isinstance(item, Event):
            self._emit(item)

    async def _follow_up(self) -> None:
        """Read what +CMTI/+CDSI announced, one at a time, between other commands."""
        # Loops test _closed as well: Python 3.11's wait_for can swallow a
        # cancellation that lands as a command finishes.
        while not self._closed:
            item = await self._follow_ups.get()
            await self._up.wait()
            try:
                self._emit(*await self.memories.read_one(item.storage, item.index))
            except (PhoneError, at.AtError, *_ALIVE_ERRORS):
                # Left on the phone: the next storage scan (at reconnect) finds it.
                log.info("could not read %s %s now", item.storage, item.index, exc_info=True)

    async def _poll_storage(self) -> None:
        """For a phone that announces nothing: look at its memory every few seconds (modem.memories.poll)."""
        await self.memories.poll(every=self.storage_poll_s, active=lambda: (
            not self._closed, not self.announces and self._up.is_set()), scan=self.read_stored)

    # ------------------------------------------------------------ calls

    async def _watch_calls(self) -> None:
        """Give silence its meaning (missed calls) and poll +CLCC where the modem says nothing."""
        while not self._closed:
            await asyncio.sleep(0.25)
            self._emit(*self.tracker.tick())
            if self.tracker.poll_due() and self._up.is_set():
                try:
                    lines = await self._command("AT+CLCC")
                except (at.AtError, PhoneError, *_ALIVE_ERRORS):
                    continue
                self._emit(*self.tracker.listed([_listed(c) for c in urc.parse_clcc(lines)]))

    async def calls_now(self) -> list[ListedCall]:
        """The calls the phone has now (+CLCC), followed from here on: a call that rang before we came up."""
        await self._ready()
        async with _plain_words("the phone did not list its calls"):
            lines = await self._command("AT+CLCC")
        listed = [_listed(c) for c in urc.parse_clcc(lines)]
        self._emit(*self.tracker.listed(listed))
        return listed

    async def answer(self) -> None:
        """Pick up the ringing call."""
        await self._ready()
        async with _plain_words("the phone did not answer the call"):
            await self._command("ATA", timeout=10)
        self._emit(*self.tracker.answered())

    async def hang_up(self) -> None:
        """End the call, or turn a ringing one away."""
        await self._ready()
        async with _plain_words("the phone did not hang up"):
            try:
                await self._command("AT+CHUP")
            except at.AtError:
                await self._command("ATH")
        self._emit(*self.tracker.ended("ATH", by_us=True))

    # ------------------------------------------------------------ texts

    async def _ready(self, within: float = 10.0) -> None:
        if self._closed:
            raise PhoneError("the phone line is closed")
        if not self._up.is_set() and not self.reconnect:
            raise PhoneError("the phone is not connected")
        try:
            await asyncio.wait_for(self._up.wait(), timeout=within)
        except TimeoutError:
            raise PhoneError("the phone is not connected") from None

    async def send_sms(self, number: str, text: str, *, request_report: bool = True) -> list[int]:
        """Send one text (split into parts as needed); the modem's reference for each part."""
        if not valid_destination(number):
            raise PhoneError(f"{number!r} is not a number a text can go to", refused=True)
        try:
            parts = pdu.encode_submit(number, text, concat_reference=next(self._concat_refs) % 256,
                                      request_report=request_report)
        except pdu.PduError as exc:
            raise PhoneError(f"this text cannot be sent: {exc}", refused=True) from None
        try:
            await self._ready()
        except PhoneError as exc:
            raise PhoneError(str(exc), before_any_byte=True) from None
        references: list[int] = []
        for n, part in enumerate(parts, 1):
            try:
                references.append(await self._send_part(part))
            except (at.AtError, PhoneError, *_ALIVE_ERRORS) as exc:
                failure = _send_failed(exc, n, len(parts))
                failure.final = getattr(exc, "final", "") if n == 1 else ""  # for the outbox: refused for now?
                raise failure from None
        return references

    async def _send_part(self, part: pdu.SubmitPdu) -> int:
        delay = 0.5
        for attempt in range(5):
            engine = self._engine
            if engine is None:
                raise PhoneError("the phone is not connected")
            try:
                lines = await engine.command_with_prompt(
                    f"AT+CMGS={part.tpdu_length}", part.hex, timeout=self.send_timeout
                )
            except port.PortGone as exc:
                self._lost_why = str(exc)
                self._lost.set()
                raise
            except at.AtError as exc:
                if not exc.busy or attempt == 4:
                    raise
                await asyncio.sleep(delay)
                delay *= 2
                continue
            self._last_traffic = self.clock()
            for line in lines:
                if line.startswith("+CMGS:"):
                    return int(line.split(":", 1)[1].split(",")[0])
            raise PhoneError("the phone said OK but gave no message reference")
        raise AssertionError("unreachable")

    async def read_stored(self, *, emit: bool = False) -> list[Event]:
        """Everything kept in the phone's memories (texts and reports), oldest index first."""
        async with _plain_words("the phone's memory could not be read"):
            found = await self.memories.scan()
        if emit:
            self._emit(*found)
        return found

    async def delete_sms(self, storage: str, index: int) -> None:
        """Delete one stored text or report, once it is safely kept elsewhere."""
        if self.read_only:
            raise PhoneError("this line is read-only: it never deletes texts from the phone")
        await self._ready()
        async with _plain_words(f"the text at {storage} {index} was not deleted"):
            await self.memories.delete(storage, index)

    # ------------------------------------------------------------ probing

    async def probe(self) -> ProbeResult:
        """Who the phone is and whether it can work, in plain words."""
        async with _plain_words("the phone did not say what it is"):
            return await identify(self._command)


@contextlib.asynccontextmanager
async def _plain_words(what: str):
    """Public methods raise PhoneError only: AT errors, timeouts and lost ports in plain words."""
    try:
        yield
    except (at.AtError, *_ALIVE_ERRORS) as exc:
        raise PhoneError(plain_error(exc, what)) from None


def _send_failed(exc: BaseException, n: int, total: int) -> PhoneError:
    """Plain words, and whether the text surely did not go (for the outbox to decide)."""
    words = plain_error(exc, "the phone did not send the text")
    if n > 1:
        # Some parts went out: only the operator can decide whether to send it again.
        return PhoneError(f"{words} after {n - 1} of {total} parts")
    if isinstance(exc, at.AtTimeout):
        # No prompt means the text was never given to the modem; no reply means it may have gone.
        return PhoneError(words, before_any_byte=getattr(exc, "waited_for", "") == "prompt")
    if isinstance(exc, at.AtError) and exc.busy:
        return PhoneError(words, before_any_byte=True)
    if isinstance(exc, at.AtError) and exc.final:
        return PhoneError(words, refused=True)
    if isinstance(exc, PhoneError):
        return exc
    return PhoneError(words)


def _listed(entry: urc.ClccEntry) -> ListedCall:
    return ListedCall(entry.call_id, entry.incoming, entry.stat, entry.number or "", entry.number_type)


def _as_phone_error(exc: BaseException) -> PhoneError:
    if isinstance(exc, PhoneError):
        return exc
    code, values = error_code(exc)
    return PhoneError(plain_error(exc, "the phone is not answering"), code=code, values=values)
