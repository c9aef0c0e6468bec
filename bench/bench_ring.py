"""Ring → event: from the +CLIP line written to the pty to the IncomingCall in the consumer's hands.

Also text → event: from `+CMTI` written to the SmsPart (ours: +CMTI, AT+CMGR,
decode) and to python-gsmmodem-new's smsReceivedCallbackFunc (it also sends
AT+CPMS and deletes with AT+CMGD before calling back, as it always does).

Both sides get the same simulated phone on a real pseudo-terminal, running in
its own process (the writer we control), and the same bursts: `+CRING: VOICE`
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
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from modem.events import CallEnded, IncomingCall, SmsPart  # noqa: E402
from modem.sim import SimPhone  # noqa: E402

CALLER = "13800138000"
TEXT_PDU = "0891683108100005F0040D91683108108300F0000862115241000023064F60597D0021"  # 你好! from +8613800138000
PEER_NAME = "python-gsmmodem-new 0.13.0"


class PhoneProcess:
    """The simulated phone in a child process (`--serve-sim`), so neither side shares its GIL.

    Each burst's time is taken in the child just after the write; perf_counter
    is the system's monotonic clock, the same in both processes.
    """

    def __init__(self) -> None:
        self.child = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--serve-sim"],
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
        self.path = self.child.stdout.readline().strip()

    def _say(self, word: str) -> None:
        self.child.stdin.write(word + "\n")
        self.child.stdin.flush()

    def ring(self) -> None:
        """One RING+CLIP burst."""
        self._say("ring")

    def text(self) -> None:
        """One stored text announced by +CMTI (each side deletes it after, as it would)."""
        self._say("text")

    def hang_up(self) -> None:
        """The caller gives up: NO CARRIER ends the call for trackers that need it."""
        self._say("hangup")

    def stamp(self) -> int:
        """When the last burst was written (perf_counter_ns in the child)."""
        return int(self.child.stdout.readline())

    def used(self) -> int:
        """How many texts the phone holds now."""
        self._say("used")
        return int(self.child.stdout.readline())

    def stop(self) -> None:
        self.child.stdin.close()
        self.child.wait(10)


async def serve_sim() -> None:
    """The child: a SimPhone taking one word a line on stdin (ring, text, hangup, used)."""
    sim = await SimPhone().start()
    print(sim.path, flush=True)
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    pending = ""

    def burst(*lines: str) -> None:
        sim.urc(*lines)
        written = time.perf_counter_ns()
        print(written, flush=True)

    def readable() -> None:
        nonlocal pending
        data = os.read(sys.stdin.fileno(), 4096).decode()
        if not data:
            loop.remove_reader(sys.stdin.fileno())
            if not done.done():
                done.set_result(None)
            return
        pending += data
        *words, pending = pending.split("\n")
        for word in words:
            if word == "ring":
                burst("+CRING: VOICE" if sim.crc else "RING", f'+CLIP: "{CALLER}",129,"",0,"",0')
            elif word == "text":
                name = sim.cpms[2]
                burst(f'+CMTI: "{name}",{sim.memories[name].put(TEXT_PDU)}')
            elif word == "hangup":
                sim.urc("NO CARRIER")
            elif word == "used":
                print(sim.memories[sim.cpms[2]].used, flush=True)

    loop.add_reader(sys.stdin.fileno(), readable)
    await done
    await sim.close()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


async def ours(rings: int, texts: int) -> tuple[list[float], list[float]]:
    """Milliseconds from write to IncomingCall (and to SmsPart), with modem.phone.Phone."""
    from modem.phone import Phone

    phone_thread = PhoneProcess()
    delays: list[float] = []
    text_delays: list[float] = []
    async with Phone(phone_thread.path, health_every_s=3600) as phone:
        events = phone.events()
        while (await anext(events)).kind != "line" or phone.state != "up":
            pass
        for _ in range(rings):
            phone_thread.ring()
            async for event in events:
                if isinstance(event, IncomingCall):
                    delays.append((time.perf_counter_ns() - phone_thread.stamp()) / 1e6)
                    break
            phone_thread.hang_up()
            async for event in events:
                if isinstance(event, CallEnded):
                    break
        for _ in range(texts):
            phone_thread.text()
            async for event in events:
                if isinstance(event, SmsPart):
                    text_delays.append((time.perf_counter_ns() - phone_thread.stamp()) / 1e6)
                    await phone.delete_sms(event.storage, event.index)  # kept, so delete (untimed)
                    break
    phone_thread.stop()
    return delays, text_delays


def peer(rings: int, texts: int) -> tuple[list[float], list[float]]:
    """The same with python-gsmmodem-new: its callbacks are the events."""
    from gsmmodem.modem import GsmModem

    phone_thread = PhoneProcess()
    arrived = threading.Event()
    stamps: list[int] = []

    def on_call(call) -> None:
        stamps.append(time.perf_counter_ns())
        arrived.set()

    def on_text(sms) -> None:
        stamps.append(time.perf_counter_ns())
        arrived.set()

    modem = GsmModem(phone_thread.path, 115200, incomingCallCallbackFunc=on_call,
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
            delays.append((stamps[-1] - phone_thread.stamp()) / 1e6)
            phone_thread.hang_up()
            time.sleep(0.002)  # let it read NO CARRIER before the next ring, as ours does
        for _ in range(texts):
            arrived.clear()
            phone_thread.text()
            if not arrived.wait(5):
                raise RuntimeError("python-gsmmodem-new never reported the text")
            text_delays.append((stamps[-1] - phone_thread.stamp()) / 1e6)
            # It deletes after its callback; the next text must not land in a slot it is about to free.
            while phone_thread.used():
                time.sleep(0.001)
    finally:
        modem.close()
        phone_thread.stop()
    return delays, text_delays


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100 rings (and 50 texts) instead of 1000 (and 500)")
    parser.add_argument("--rings", type=int, default=None)
    parser.add_argument("--serve-sim", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_sim:
        asyncio.run(serve_sim())
        return
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
