"""The simulated phone: a real pseudo-terminal that answers AT like a phone would.

Tests, `guanjia sim` and the demo script it with plain async methods (`ring`,
`deliver_sms`, `report`, `vanish` ...). It runs on the event loop that starts
it; every command it receives is kept in `commands` so a test can say what the
phone was asked. A client reconnects after `vanish()`/`come_back()` by opening
`path` again: a symlink that, like /dev/serial/by-id/..., follows the new
device while the /dev/pts/N behind it changes.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from modem import pdu
from modem.sim.answers import RSSI_FOR_BARS, Answers, Refusal, SimCall
from modem.sim.flavours import flavour as find_flavour
from modem.sim.pty import Pty
from modem.sim.storage import STO_SENT

CTRL_Z, ESC = 0x1A, 0x1B
_CST = timezone(timedelta(hours=8))


@dataclass(frozen=True, slots=True)
class SentText:
    """What the phone was asked to send, and the reference it gave."""

    recipient: str
    text: str
    reference: int
    request_report: bool
    pdu: str


class SimPhone(Answers):
    """A phone on a pty. `await start()`, then open `path` with pyserial."""

    def __init__(self, flavour: str = "generic", *, echo: bool = False, link_dir: str | None = None) -> None:
        super().__init__(find_flavour(flavour), echo)
        self._own_dir = link_dir is None
        self._link_dir = link_dir or tempfile.mkdtemp(prefix="guanjia-sim-")
        os.makedirs(self._link_dir, exist_ok=True)  # like /dev/serial/by-id, made when the first phone appears
        self.path = os.path.join(self._link_dir, f"usb-{self.flavour.manufacturer}_{self.flavour.model}-if00".replace(" ", "_"))
        self.commands: list[str] = []  # every command line received, in order
        self.sent: list[SentText] = []
        self.clip_written_ns: list[int] = []  # perf_counter_ns just after each +CLIP burst was written
        self.delay = 0.0  # seconds before answering each command (`slow`)
        self.send_delay = 0.0  # seconds the network takes to accept one part
        self.auto_report_after: float | None = None  # send a delivery report this long after +CMGS
        self.refuse_to: dict[str, int] = {}  # recipient -> the +CMS code every send to them gets
        self._pty: Pty | None = None
        self._inbox = bytearray()
        self._lines: asyncio.Queue[str] = asyncio.Queue()
        self._pdu_wanted: asyncio.Future[bytes | None] | None = None
        self._worker: asyncio.Task | None = None
        self._tasks: set[asyncio.Task] = set()
        self._next_call_id = 1
        self._interjections: list[str] = []
        self._scripted: list[tuple[str, object]] = []  # (command prefix, reply lines or a function of them)

    # ------------------------------------------------------------ life cycle

    @property
    def device(self) -> str | None:
        """The /dev/pts/N behind `path` now, None while unplugged."""
        return self._pty.device if self._pty else None

    @property
    def present(self) -> bool:
        """True while plugged in."""
        return self._pty is not None

    async def start(self) -> SimPhone:
        """Plug the phone in: open the pty and start answering."""
        self._plug()
        return self

    async def close(self) -> None:
        """Unplug for good and stop every scripted task."""
        self._unplug()
        for task in list(self._tasks):
            task.cancel()
        if os.path.lexists(self.path):
            os.unlink(self.path)
        if self._own_dir and os.path.isdir(self._link_dir) and not os.listdir(self._link_dir):
            os.rmdir(self._link_dir)

    async def __aenter__(self) -> SimPhone:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def _plug(self) -> None:
        self._inbox.clear()
        self._lines = asyncio.Queue()
        self._pty = Pty(self.path, self._received)
        self._worker = asyncio.get_running_loop().create_task(self._answer_lines())
        for line in self.flavour.boot_lines:
            self.urc(line)

    def _unplug(self) -> None:
        if self._worker is not None:
            self._worker.cancel()
            self._worker = None
        if self._pdu_wanted is not None and not self._pdu_wanted.done():
            self._pdu_wanted.set_result(None)
        if self._pty is not None:
            self._pty.close()
            self._pty = None

    async def vanish(self) -> None:
        """Pull the cable: the client's reads fail (EIO) and `path` disappears."""
        self._unplug()

    async def come_back(self) -> None:
        """Plug it in again, on a new /dev/pts/N; `path` follows it."""
        if self._pty is None:
            self.echo, self.cmee, self.cnmi, self.clip, self.crc = True, 0, (0, 0, 0, 0, 0), False, False
            self._plug()

    # ------------------------------------------------------------ knobs

    def slow(self, seconds: float) -> None:
        """Answer every command `seconds` late (0 for prompt answers)."""
        self.delay = seconds

    def busy_at_start(self, commands: int = 3) -> None:
        """The next `commands` extended commands get +CME ERROR: 14 (SIM busy)."""
        self.busy_for = commands

    def fail_next_send(self, cms_code: int = 500, *, after: int = 0) -> None:
        """The +CMGS after the next `after` good ones is refused with +CMS ERROR: `cms_code`."""
        self.fail_sends.extend([None] * after + [cms_code])

    def set_signal(self, bars: int | None) -> None:
        """Signal 0-5 bars (None: no signal); vendors that announce it do so."""
        self.bars = bars
        if self.flavour.signal and bars is not None:
            self.urc(self.flavour.signal.format(rssi=RSSI_FOR_BARS[bars]))

    def set_registration(self, stat: int) -> None:
        """+CREG <stat> (1 home, 5 roaming, 2 searching, 3 denied); announced if +CREG=1/2."""
        self.registration = stat
        if self.creg_mode:
            self.urc(f"+CREG: {stat}")

    # ------------------------------------------------------------ bytes in and out

    def write_raw(self, data: bytes) -> None:
        """Write bytes as they are (garbage, half lines, odd framing)."""
        if self._pty is not None:
            self._pty.write(data)

    def urc(self, *lines: str) -> None:
        """Send unsolicited lines in one burst, framed as this phone frames them."""
        eol = self.flavour.eol
        self.write_raw("".join(f"{eol}{line}{eol}" for line in lines).encode())

    def _received(self, data: bytes) -> None:
        if self.echo:
            self.write_raw(data)
        self._inbox += data
        self._split_inbox()

    def _split_inbox(self) -> None:
        if self._pdu_wanted is not None:
            ends = [i for i, byte in enumerate(self._inbox) if byte in (CTRL_Z, ESC)]
            if not ends:
                return  # the PDU is still coming
            i = ends[0]
            text = bytes(self._inbox[:i]) if self._inbox[i] == CTRL_Z else None
            del self._inbox[: i + 1]
            if not self._pdu_wanted.done():
                self._pdu_wanted.set_result(text)
            self._pdu_wanted = None
        while b"\r" in self._inbox:
            line, _, rest = bytes(self._inbox).partition(b"\r")
            self._inbox[:] = rest
            text = line.decode("latin-1").strip()
            if text[:2].upper() == "AT":
                self._lines.put_nowait(text)

    async def _answer_lines(self) -> None:
        while True:
            line = await self._lines.get()
            self.commands.append(line)
            if self.delay:
                await asyncio.sleep(self.delay)
            if line.upper().startswith("AT+CMGS="):
                lines = await self._send_one(line[8:])
            else:
                lines = self._scripted_answer(line)
            self._respond(lines)

    def reply_with(self, prefix: str, reply) -> None:
        """Teach the phone a quirk: commands starting with `prefix` get `reply` (lines, final result last),
        or `reply(lines)` of what it would have answered. The latest rule for a command wins."""
        self._scripted.insert(0, (prefix.upper(), reply))

    def reply_normally(self) -> None:
        """Forget every quirk taught with `reply_with`."""
        self._scripted.clear()

    def _scripted_answer(self, line: str) -> list[str]:
        upper = line.upper()
        for prefix, reply in self._scripted:
            if upper.startswith(prefix):
                return list(reply(self.answer(line))) if callable(reply) else list(reply)
        return self.answer(line)

    def interject(self, *lines: str) -> None:
        """Slip these unsolicited lines into the middle of the next response, as busy phones do."""
        self._interjections.extend(lines)

    def _respond(self, lines: list[str]) -> None:
        if not lines:
            return  # taught to stay silent: the client's wait must time out
        eol = self.flavour.eol
        *info, final = lines
        if self._interjections:
            info[len(info) // 2 : len(info) // 2] = self._interjections
            self._interjections = []
        head = f"{eol}{eol.join(info)}{eol}" if info else ""
        self.write_raw(f"{head}{eol}{final}{eol}".encode())

    # ------------------------------------------------------------ sending

    async def _send_one(self, arg: str) -> list[str]:
        if self.cmgf != 0 or not arg.strip().isdigit():
            return [self.cms(303 if self.cmgf else 304)]
        self._pdu_wanted = asyncio.get_running_loop().create_future()
        self.write_raw(f"{self.flavour.eol}> ".encode())
        self._split_inbox()
        raw = await self._pdu_wanted
        if raw is None:
            return ["OK"] if self.present else ["ERROR"]  # ESC cancels the send
        hex_text = raw.decode("latin-1").strip()
        try:
            submit = pdu.decode(hex_text)
        except pdu.PduError:
            return [self.cms(304)]
        if not isinstance(submit, pdu.Submit) or len(hex_text) // 2 - 1 - int(hex_text[:2], 16) != int(arg):
            return [self.cms(304)]
        if self.send_delay:
            await asyncio.sleep(self.send_delay)
        failure = self.fail_sends.pop(0) if self.fail_sends else None
        failure = self.refuse_to.get(submit.recipient, failure)
        if failure is not None:
            return [self.cms(failure)]
        if self.registration not in (1, 5):
            return [self.cms(512)]
        reference = self.take_reference()
        self.sent.append(SentText(submit.recipient, submit.text, reference, submit.request_report, hex_text))
        if submit.request_report and self.auto_report_after is not None:
            self._spawn(self._report_later(reference, self.auto_report_after))
        return [f"+CMGS: {reference}", "OK"]

    async def _report_later(self, reference: int, after: float) -> None:
        await asyncio.sleep(after)
        await self.report(reference)

    async def report(self, reference: int, status: int = 0) -> None:
        """The network reports on the part sent with TP-MR `reference` (TP-ST `status`)."""
        sent = next((s for s in reversed(self.sent) if s.reference == reference), None)
        recipient = sent.recipient if sent else "+8613800138000"
        now = datetime.now(_CST).replace(microsecond=0)
        hex_pdu = pdu.encode_status_report(reference, recipient, status, now - timedelta(seconds=5), now)
        ds = self.cnmi[3]
        if ds == 1:
            self._two_line("+CDS", hex_pdu)
        else:
            index = self.memories["SR"].put(hex_pdu) if "SR" in self.memories else None
            if ds == 2 and index is not None:
                self.urc(f'+CDSI: "SR",{index}')

    def _two_line(self, head: str, hex_pdu: str) -> None:
        length = len(hex_pdu) // 2 - 1 - int(hex_pdu[:2], 16)
        eol = self.flavour.eol
        alpha = "," if head == "+CMT" else ""
        self.write_raw(f"{eol}{head}: {alpha}{length}{eol}{hex_pdu}{eol}".encode())

    # ------------------------------------------------------------ receiving

    async def deliver_sms(
        self,
        sender: str,
        text: str,
        *,
        via: str = "cmti",
        storage: str | None = None,
        order: list[int] | None = None,
        sent_at: datetime | None = None,
        concat_reference: int | None = None,
        gap: float = 0.0,
    ) -> list[int | None]:
        """A text arrives: `via` "cmti" (stored, announced), "cmt" (pushed whole), or "store" (silent).

        `order` lists part numbers (0-based) in the order they arrive, e.g. [2, 0, 1].
        Returns the storage index of each part as it arrived (None for +CMT).
        """
        when = sent_at or datetime.now(_CST).replace(microsecond=0)
        parts = pdu.encode_deliver(sender, text, when, concat_reference=concat_reference)
        indexes: list[int | None] = []
        for n in order if order is not None else range(len(parts)):
            hex_pdu = parts[n]
            if via == "cmt":
                self._two_line("+CMT", hex_pdu)
                indexes.append(None)
            else:
                name = storage or self.cpms[2]
                index = self.memories[name].put(hex_pdu)
                indexes.append(index)
                if index is None:
                    if self.flavour.memory_full:  # the text is lost, as on a real full phone
                        self.urc(self.flavour.memory_full.format(storage=name))
                elif via == "cmti":
                    self.urc(f'+CMTI: "{name}",{index}')
            if gap:
                await asyncio.sleep(gap)
        return indexes

    def store_sent(self, recipient: str, text: str) -> None:
        """A text kept in the phone's memory as sent (stat 3), as phones keep their outbox."""
        for part in pdu.encode_submit(recipient, text):
            self.memories[self.cpms[1]].put(part.hex, STO_SENT)

    # ------------------------------------------------------------ calls

    async def ring(
        self,
        number: str,
        *,
        withheld: bool = False,
        rings: int = 3,
        answer: bool = False,
        hang_up_after: float | None = None,
        every: float = 0.2,
        ring_line: bool = True,
        clip: bool = True,
        double_ring: bool = False,
        burst_gap: float = 0.0,
        name: str = "",
    ) -> SimCall:
        """Someone calls. Returns when the call ended, or was answered and is left talking.

        `answer` picks up on the handset after the rings; ATA from the client does
        so earlier. `hang_up_after` seconds of talk, then the caller hangs up.
        `ring_line=False` sends +CLIP alone, `double_ring` two RINGs per burst,
        `burst_gap` splits RING and +CLIP into separate writes; `name` is the network's alpha tag.
        """
        call = SimCall(self._next_call_id, number, withheld, "ringing")
        self._next_call_id += 1
        self.call = call
        ring_text = "+CRING: VOICE" if self.crc else "RING"
        clip_text = '+CLIP: "",128,"",0,"",1' if withheld else (
            f'+CLIP: "{number}",{145 if number.startswith("+") else 129},"",0,"{name}",0')
        for _ in range(rings):
            if self.call is not call or call.state != "ringing":
                break
            if ring_line:
                self.urc(*([ring_text] * (2 if double_ring else 1)))
                if burst_gap:
                    await asyncio.sleep(burst_gap)
            if clip and self.clip:
                self.urc(clip_text)
                self.clip_written_ns.append(time.perf_counter_ns())
            await asyncio.sleep(every)
        if self.call is call and call.state == "ringing":
            if answer:
                self._connect(call)
            else:
                self.call = None
                self._vendor(self.flavour.missed, call)
                return call
        if call.state == "active" and hang_up_after is not None:
            await asyncio.sleep(hang_up_after)
            if self.call is call:
                self.call = None
                self._vendor(self.flavour.ended, call)
                self.urc("NO CARRIER")
        return call

    def _connect(self, call: SimCall) -> None:
        call.state = "active"
        call.answered_at = time.monotonic()
        self._vendor(self.flavour.answered, call)

    def _vendor(self, template: str, call: SimCall) -> None:
        if not template:
            return
        duration = int(time.monotonic() - call.answered_at) if call.answered_at else 0
        self.urc(template.format(id=call.call_id, dur=duration, dur6=f"{duration:06d}",
                                 number="" if call.withheld else call.number,
                                 hhmm=datetime.now().strftime("%I:%M%p")))

    def take_call(self) -> list[str]:
        call = self.call
        if call is None or call.state != "ringing":
            raise Refusal("NO CARRIER")
        # The answer goes out first; the vendor's "connected" URC follows it.
        asyncio.get_running_loop().call_soon(self._connect, call)
        call.state = "active"
        return []

    def drop_call(self) -> None:
        call, self.call = self.call, None
        if call is not None:
            asyncio.get_running_loop().call_soon(self._vendor, self.flavour.ended, call)

    def _spawn(self, coro) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
