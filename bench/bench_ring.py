"""Ring → event: from the +CLIP line written to the pty to the IncomingCall in the consumer's hands.

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

from modem.events import CallEnded, IncomingCall  # noqa: E402
from modem.sim import SimPhone  # noqa: E402

CALLER = "13800138000"
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

    def hang_up(self) -> None:
        """The caller gives up: NO CARRIER ends the call for trackers that need it."""
        self.loop.call_soon_threadsafe(self.sim.urc, "NO CARRIER")

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self.sim.close(), self.loop).result()
        self.loop.call_soon_threadsafe(self.loop.stop)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


async def ours(rings: int) -> list[float]:
    """Milliseconds from write to IncomingCall for `rings` calls, with modem.phone.Phone."""
    from modem.phone import Phone

    phone_thread = PhoneThread()
    delays: list[float] = []
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
    phone_thread.stop()
    return delays


def peer(rings: int) -> list[float]:
    """The same with python-gsmmodem-new: its incoming-call callback is the event."""
    from gsmmodem.modem import GsmModem

    phone_thread = PhoneThread()
    arrived = threading.Event()
    stamps: list[int] = []

    def on_call(call) -> None:
        stamps.append(time.perf_counter_ns())
        arrived.set()

    modem = GsmModem(phone_thread.sim.path, 115200, incomingCallCallbackFunc=on_call)
    modem.connect(waitingForModemToStartInSeconds=0)
    delays: list[float] = []
    try:
        for _ in range(rings):
            arrived.clear()
            phone_thread.ring()
            if not arrived.wait(5):
                raise RuntimeError("python-gsmmodem-new never reported the call")
            delays.append((stamps[-1] - phone_thread.written[-1]) / 1e6)
            phone_thread.hang_up()
            time.sleep(0.002)  # let it read NO CARRIER before the next ring, as ours does
    finally:
        modem.close()
        phone_thread.stop()
    return delays


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100 rings instead of 1000")
    parser.add_argument("--rings", type=int, default=None)
    args = parser.parse_args()
    rings = args.rings or (100 if args.quick else 1000)
    mine = asyncio.run(ours(rings))
    theirs = peer(rings)
    print(json.dumps({
        "figure": "ring_to_event_ms",
        "ours_p50": round(statistics.median(mine), 4),
        "ours_p99": round(percentile(mine, 0.99), 4),
        "peer_p50": round(statistics.median(theirs), 4),
        "peer_p99": round(percentile(theirs, 0.99), 4),
        "peer_name": PEER_NAME,
        "rings": rings,
    }), flush=True)


if __name__ == "__main__":
    main()
