"""Ring → event: from the +CLIP line written to the pty to the IncomingCall in the consumer's hands.

Also text → event: from `+CMTI` written to the SmsPart (ours: +CMTI, AT+CMGR,
decode) and to python-gsmmodem-new's smsReceivedCallbackFunc (it also sends
AT+CPMS and deletes with AT+CMGD before calling back, as it always does).

Both sides get the same simulated phone on a real pseudo-terminal, running on
its own thread (the writer we control), and the same bursts: `+CRING: VOICE`
and `+CLIP` in one write, the time taken just after the write returns; then
`NO CARRIER` so the next ring is a new call. Ours is `modem.phone.Phone` on the
caller's event loop; the peer is python-gsmmodem-new's GsmModem, whose
`incomingCallCallbackFunc` is its event.

    .venv/bin/python bench/bench_ring.py [--quick] [--rings N]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from modem.events import CallEnded, IncomingCall, SmsPart  # noqa: E402
from modem.sim import SimPhone  # noqa: E402

CALLER = "13800138000"
TEXT_PDU = "0891683108100005F0040D91683108108300F0000862115241000023064F60597D0021"  # 你好! from +8613800138000
PEER_NAME = "python-gsmmodem-new 0.13.0"


class PhoneThread:
    """A SimPhone on its own event loop in a daemon thread."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, daemon=True, name="sim").start()
        self.sim: SimPhone = asyncio.run_coroutine_threadsafe(SimPhone().start(), self.loop).result()
        self.written: list[int] = []

    def ring(self) -> None:
        """One RING+CLIP burst, written from the phone's thread; the time is taken after the write."""

        def burst() -> None:
            ring = "+CRING: VOICE" if self.sim.crc else "RING"
            self.sim.urc(ring, f'+CLIP: "{CALLER}",129,"",0,"",0')
            self.written.append(time.perf_counter_ns())

        self.loop.call_soon_threadsafe(burst)

    def text(self) -> None:
        """One stored text announced by +CMTI; the memory is emptied first so it never fills."""

        def burst() -> None:
            name = self.sim.cpms[2]
            memory = self.sim.memories[name]
            memory.slots.clear()
            index = memory.put(TEXT_PDU)
            self.sim.urc(f'+CMTI: "{name}",{index}')
            self.written.append(time.perf_counter_ns())

        self.loop.call_soon_threadsafe(burst)

    def hang_up(self) -> None:
        """The caller gives up: NO CARRIER ends the call for trackers that need it."""
        self.loop.call_soon_threadsafe(self.sim.urc, "NO CARRIER")

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self.sim.close(), self.loop).result()
        self.loop.call_soon_threadsafe(self.loop.stop)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


async def ours(rings: int, texts: int) -> tuple[list[float], list[float]]:
    """Milliseconds from write to IncomingCall (and to SmsPart), with modem.phone.Phone."""
    from modem.phone import Phone

    phone_thread = PhoneThread()
    delays: list[float] = []
    text_delays: list[float] = []
    async with Phone(phone_thread.sim.path, health_every_s=3600) as phone:
        events = phone.events()
        while (await anext(events)).kind != "line" or phone.state != "up":
            pass
        for _ in range(rings):
            phone_thread.ring()
            async for event in events:
                if isinstance(event, IncomingCall):
                    delays.append((time.perf_counter_ns() - phone_thread.written[-1]) / 1e6)
                    break
            phone_thread.hang_up()
            async for event in events:
                if isinstance(event, CallEnded):
                    break
        phone_thread.written.clear()
        for _ in range(texts):
            phone_thread.text()
            async for event in events:
                if isinstance(event, SmsPart):
                    text_delays.append((time.perf_counter_ns() - phone_thread.written[-1]) / 1e6)
                    break
    phone_thread.stop()
    return delays, text_delays


def peer(rings: int, texts: int) -> tuple[list[float], list[float]]:
    """The same with python-gsmmodem-new: its callbacks are the events."""
    from gsmmodem.modem import GsmModem

    phone_thread = PhoneThread()
    arrived = threading.Event()
    stamps: list[int] = []

    def on_call(call) -> None:
        stamps.append(time.perf_counter_ns())
        arrived.set()

    def on_text(sms) -> None:
        stamps.append(time.perf_counter_ns())
        arrived.set()

    modem = GsmModem(phone_thread.sim.path, 115200, incomingCallCallbackFunc=on_call,
                     smsReceivedCallbackFunc=on_text)
    modem.connect(waitingForModemToStartInSeconds=0)
    delays: list[float] = []
    text_delays: list[float] = []
    try:
        for _ in range(rings):
            arrived.clear()
            phone_thread.ring()
            if not arrived.wait(5):
                raise RuntimeError("python-gsmmodem-new never reported the call")
            delays.append((stamps[-1] - phone_thread.written[-1]) / 1e6)
            phone_thread.hang_up()
            time.sleep(0.002)  # let it read NO CARRIER before the next ring, as ours does
        phone_thread.written.clear()
        for _ in range(texts):
            arrived.clear()
            phone_thread.text()
            if not arrived.wait(5):
                raise RuntimeError("python-gsmmodem-new never reported the text")
            text_delays.append((stamps[-1] - phone_thread.written[-1]) / 1e6)
            time.sleep(0.002)  # its AT+CMGD may still be on the way
    finally:
        modem.close()
        phone_thread.stop()
    return delays, text_delays


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100 rings (and 50 texts) instead of 1000 (and 500)")
    parser.add_argument("--rings", type=int, default=None)
    args = parser.parse_args()
    rings = args.rings or (100 if args.quick else 1000)
    texts = max(1, rings // 2)
    mine, my_texts = asyncio.run(ours(rings, texts))
    theirs, their_texts = peer(rings, texts)
    for figure, a, b, n in (("ring_to_event_ms", mine, theirs, rings), ("sms_to_event_ms", my_texts, their_texts, texts)):
        print(json.dumps({
            "figure": figure,
            "ours_p50": round(statistics.median(a), 4),
            "ours_p99": round(percentile(a, 0.99), 4),
            "peer_p50": round(statistics.median(b), 4),
            "peer_p99": round(percentile(b, 0.99), 4),
            "peer_name": PEER_NAME,
            "samples": n,
        }), flush=True)


if __name__ == "__main__":
    main()
