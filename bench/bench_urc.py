"""URC parse throughput, ours against python-gsmmodem-new, on the same fixed mix of lines.

Prints two JSON objects: urc_parse_lines_per_s (lines already cut, parsed and
dispatched) and urc_bytes_to_events_lines_per_s (raw bytes as the port gives
them, cut into lines, parsed and dispatched).

Ours: `UrcParser.feed(line)` for each line, every token handed to a listener
(what the engine does for a line that arrives with no command in flight).

The peer: what python-gsmmodem-new runs for each burst its reader thread hands
over, minus the thread it starts per burst: `GsmModem._handleModemNotification`
starts a thread that runs `__threadedHandleModemNotification(lines)`; we call
that method directly, inline. Its RING path parses the +CLIP line that came in
the same burst and builds an IncomingCall for the callback; its +CMTI path
matches CMTI_REGEX and would read and delete the message over the serial port,
so `readStoredSms`/`deleteStoredSms` are replaced by no-ops (the I/O is not
parsing); every other line falls through its call-status table (the generic
modem's, empty: the cheapest for it) and is logged as unhandled at DEBUG
(logging off). Its reader groups lines that arrive together, so it gets RING
and +CLIP as one burst and the others one line per burst; ours gets the same
lines one by one.

For bytes → events the peer runs its own read loop (`SerialComms._readLoop`:
a byte at a time, CRLF detection, decode, `_handleLineRead`, bursts grouped
until `inWaiting() == 0`) with the handler above as its callback, fed from an
in-memory byte source that answers `read(1)` and `inWaiting()` at no cost (a
real port costs it a system call per byte: this flatters the peer). Ours runs
`LineReader.feed(burst)` then the parser, one burst per read, as the engine
does. `--quick` runs a small version in about a second.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from importlib.metadata import version
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gsmmodem.modem import GsmModem  # noqa: E402
from gsmmodem.serial_comms import SerialComms  # noqa: E402

from modem.urc import UrcParser  # noqa: E402
from modem.wire import LineReader  # noqa: E402

PEER_NAME = f"python-gsmmodem-new {version('python-gsmmodem-new')}"

# A ringing phone's day: a call (RING + caller ID), a new text, signal and
# registration reports in standard and Huawei form, and a line nobody knows.
BURSTS: list[list[str]] = [
    ["RING", '+CLIP: "+8613800138000",145,,,,0'],
    ['+CMTI: "SM",7'],
    ["+CSQ: 20,99"],
    ["^RSSI:18"],
    ['+CREG: 1,"4E54","0F2A"'],
    ["^DSFLOWRPT:00000124,00000000,00000000,0000000000000000,0000000000000000,0003E800,0003E800"],
]
LINES = [line for burst in BURSTS for line in burst]
INPUTS = "RING, +CLIP, +CMTI, +CSQ, ^RSSI, +CREG (with location), ^DSFLOWRPT (unknown to the peer)"
WIRE = [b"".join(b"\r\n" + line.encode() + b"\r\n" for line in burst) for burst in BURSTS]


class _Bytes:
    """What the peer's read loop asks of a serial port, served from memory, one burst at a time."""

    def __init__(self, comms: SerialComms, rounds: int) -> None:
        self.comms = comms
        self.data = b"".join(WIRE) * rounds
        self.ends = set()
        at = 0
        for _ in range(rounds):
            for burst in WIRE:
                at += len(burst)
                self.ends.add(at)
        self.pos = 0

    def read(self, size: int = 1) -> bytes:
        if self.pos >= len(self.data):
            self.comms.alive = False
            return b""
        self.pos += 1
        return self.data[self.pos - 1 : self.pos]

    def inWaiting(self) -> int:  # noqa: N802 (the peer's name)
        return 0 if self.pos in self.ends else 1


def _peer() -> GsmModem:
    modem = GsmModem("/dev/null-guanjia-bench")  # never connected: nothing is opened
    modem.incomingCallCallback = lambda call: None
    modem.smsReceivedCallback = lambda sms: None
    modem.readStoredSms = lambda index, memory=None: None  # serial I/O, not parsing
    modem.deleteStoredSms = lambda index, memory=None: None
    modem._callingLineIdentification = True  # what connect() sets after AT+CLIP=1
    modem._callStatusUpdates = ()  # the generic modem's table
    return modem


def _check_same_calls(parser: UrcParser, modem: GsmModem) -> None:
    """Both must see the same caller, or the race means nothing."""
    seen = []
    modem.incomingCallCallback = seen.append
    modem._GsmModem__threadedHandleModemNotification(list(BURSTS[0]))
    ours = [tok for line in BURSTS[0] for tok in parser.feed(line)]
    if len(seen) != 1 or seen[0].number != ours[1].number:
        raise SystemExit("parsers disagree on the caller")
    modem.incomingCallCallback = lambda call: None


def _seconds(work, rounds: int) -> float:
    started = time.perf_counter()
    for _ in range(rounds):
        work()
    return time.perf_counter() - started


def main(argv: list[str]) -> int:
    cli = argparse.ArgumentParser(description=__doc__)
    cli.add_argument("--quick", action="store_true", help="a small run, in about a second")
    args = cli.parse_args(argv)
    rounds, repeats = (500, 3) if args.quick else (5000, 15)

    parser, modem = UrcParser(), _peer()
    _check_same_calls(parser, modem)
    handle = modem._GsmModem__threadedHandleModemNotification
    sink = [].append

    def ours() -> None:
        feed = parser.feed
        for line in LINES:
            for token in feed(line):
                sink(token)

    def theirs() -> None:
        for burst in BURSTS:
            handle(list(burst))  # it pops lines off the list it is given

    def ours_bytes() -> None:
        cut, feed = reader.feed, parser.feed
        for burst in WIRE:
            for line in cut(burst):
                for token in feed(line):  # type: ignore[arg-type]
                    sink(token)

    reader = LineReader()
    comms = SerialComms("/dev/null-guanjia-bench", notifyCallbackFunc=handle)

    def theirs_bytes(peer_rounds: int) -> None:
        comms.serial = _Bytes(comms, peer_rounds)
        comms.alive = True
        comms._readLoop()

    # Both read the same bytes into the same calls and texts, or the race means nothing.
    calls, texts = [], []
    modem.incomingCallCallback = calls.append
    modem.smsReceivedCallback = texts.append
    theirs_bytes(3)
    ours_seen = []
    sink = ours_seen.append
    for _ in range(3):
        ours_bytes()
    if len(calls) != 3 or len(texts) != 3 or len(ours_seen) != 3 * len(LINES):
        raise SystemExit("the two read loops disagree on the benchmark bytes")
    modem.incomingCallCallback = lambda call: None
    modem.smsReceivedCallback = lambda sms: None
    sink = [].append

    peer_rounds = max(1, rounds // 4)
    for name, ours_work, theirs_work, inputs in (
        ("urc_parse_lines_per_s", ours, lambda: [theirs() for _ in range(peer_rounds)], "lines"),
        ("urc_bytes_to_events_lines_per_s", ours_bytes, lambda: theirs_bytes(peer_rounds), "bytes"),
    ):
        best_ours = best_theirs = float("inf")
        for _ in range(repeats):  # in turn, so a busy moment hits both alike
            best_ours = min(best_ours, _seconds(ours_work, rounds))
            best_theirs = min(best_theirs, _seconds(theirs_work, 1))
        ours_rate = len(LINES) * rounds / best_ours
        peer_rate = len(LINES) * peer_rounds / best_theirs
        print(
            json.dumps(
                {
                    "figure": name,
                    "ours": round(ours_rate),
                    "peer": round(peer_rate),
                    "peer_name": PEER_NAME,
                    "ratio": round(ours_rate / peer_rate, 2),
                    "unit": f"unsolicited lines per second, from {inputs}",
                    "inputs": INPUTS,
                    "goal": ">= 5x peer",
                }
            ),
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
