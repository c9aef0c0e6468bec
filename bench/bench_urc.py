"""URC parse throughput, ours against python-gsmmodem-new, on the same fixed mix of lines.

Prints urc_parse_lines_per_s (lines already cut, parsed and dispatched),
urc_bytes_to_events_lines_per_s (raw bytes as the port gives them, cut into
lines, parsed and dispatched), then one urc_parse_kind_* figure per line kind
with what each side does for that line ("ours_does", "peer_does"), and two
ceilings, stand-ins that are not parsers run in the same loop against the same
peer: urc_parse_empty_feed_ceiling (feed(line) returns a prebuilt token without
reading the line) and urc_parse_dispatch_only_ceiling (it splits the head,
looks up its handler and calls it, which returns a prebuilt token): the most
any parser, and any table-driven parser, could show against this peer here.

Per line of the mix:
  line        ours                                   python-gsmmodem-new
  RING        Ring token (one shared instance)       with the +CLIP of its burst: regex on +CLIP,
  +CLIP       CallerId (number, type, validity)      finds/makes its IncomingCall, calls back
  +CMTI       NewMessage (storage, index)            CMTI_REGEX, (no-op) read, callback, (no-op) delete
  +CSQ        SignalChanged (bars, dBm)              nothing: 6 prefix tests, an empty status table,
  ^RSSI       SignalChanged (bars, dBm)                a DEBUG log call (logging off)
  +CREG       RegistrationChanged (state, lac, cell)   -- the same
  ^DSFLOWRPT  Chatter (kept whole, known as noise)       -- the same
So on 4 of the 7 lines the peer reads nothing; the per-kind figures show it.
After the first round the peer finds the caller's IncomingCall already made
(a repeated RING) and only counts the ring: the cheapest case for it.

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
from collections import deque
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

_CLIP = BURSTS[0][1]
_NOTHING = "nothing read: 6 prefix tests, its (empty) call-status table, a DEBUG log call with logging off"
# kind → (burst as the peer's reader hands it over, what ours does, what the peer does)
KINDS: dict[str, tuple[list[str], str, str]] = {
    "ring": (["RING"], "RING -> the shared Ring token", "RING alone: finds/makes an IncomingCall with no number"),
    "clip": ([_CLIP], "+CLIP -> CallerId(number, type, None, validity)", "+CLIP alone: " + _NOTHING),
    "ring_clip": (
        ["RING", _CLIP],
        "both lines: Ring, then CallerId",
        "RING + CLIP_REGEX on the +CLIP line, finds/makes its IncomingCall, calls back",
    ),
    "cmti": (BURSTS[1], "NewMessage(storage, index)", "CMTI_REGEX, no-op read, callback, no-op delete"),
    "csq": (BURSTS[2], "SignalChanged(bars, dBm) from a table of the 33 rssi values", _NOTHING),
    "rssi": (BURSTS[3], "SignalChanged(bars, dBm) from a table of the 33 rssi values", _NOTHING),
    "creg": (BURSTS[4], "RegistrationChanged(state, domain, lac, cell)", _NOTHING),
    "chatter": (BURSTS[5], "Chatter(line): a Huawei line known to mean nothing for the shop", _NOTHING),
    "unknown": (["^NOBODY: 1,2,3"], "Unrecognized(line): a line nobody knows", _NOTHING),
}
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


def _listener():
    """Where our tokens go: taken, then let go, as the peer's callbacks drop theirs (a growing
    list would make the garbage collector walk every token ever made)."""
    return deque(maxlen=1).append


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
    # Many short timings, the best kept: on a shared machine a short one often runs undisturbed.
    rounds, repeats = (500, 3) if args.quick else (2000, 40)

    parser, modem = UrcParser(), _peer()
    _check_same_calls(parser, modem)
    handle = modem._GsmModem__threadedHandleModemNotification
    sink = _listener()

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
    sink = _listener()

    peer_rounds = max(1, rounds // 4)
    for name, ours_work, theirs_work, inputs in (
        ("urc_parse_lines_per_s", ours, lambda: [theirs() for _ in range(peer_rounds)], "lines"),
        ("urc_bytes_to_events_lines_per_s", ours_bytes, lambda: theirs_bytes(peer_rounds), "bytes"),
    ):
        ours_rate, peer_rate = _race(ours_work, theirs_work, rounds, 1, repeats)
        _print(name, ours_rate * len(LINES), peer_rate * peer_rounds * len(LINES),
               unit=f"unsolicited lines per second, from {inputs}", inputs=INPUTS, goal=">= 5x peer")  # fmt: skip
    _by_kind(rounds * 2, repeats)
    _ceilings(rounds, repeats, theirs, peer_rounds)
    return 0


def _print(figure: str, ours_rate: float, peer_rate: float, **more) -> None:
    ratio = round(ours_rate / peer_rate, 2)
    row = {"figure": figure, "ours": round(ours_rate), "peer": round(peer_rate), "peer_name": PEER_NAME}
    print(json.dumps({**row, "ratio": ratio, **more}), flush=True)


def _race(ours_work, theirs_work, ours_rounds: int, peer_rounds: int, repeats: int) -> tuple[float, float]:
    best_ours = best_theirs = float("inf")
    for _ in range(repeats):  # in turn, so a busy moment hits both alike
        best_ours = min(best_ours, _seconds(ours_work, ours_rounds))
        best_theirs = min(best_theirs, _seconds(theirs_work, peer_rounds))
    return ours_rounds / best_ours, peer_rounds / best_theirs


def _by_kind(rounds: int, repeats: int) -> None:
    """One figure per line kind: the same line(s), ours one by one, the peer as one burst."""
    for kind, (burst, ours_does, peer_does) in KINDS.items():
        parser, modem = UrcParser(), _peer()  # fresh: the peer keeps its calls between rings
        handle, feed, sink = modem._GsmModem__threadedHandleModemNotification, parser.feed, _listener()

        def ours(burst=burst, feed=feed, sink=sink) -> None:
            for line in burst:
                for token in feed(line):
                    sink(token)

        def theirs(burst=burst, handle=handle) -> None:
            handle(list(burst))

        ours_rate, peer_rate = _race(ours, theirs, rounds, max(1, rounds // 4), repeats)
        lines = len(burst)
        _print(f"urc_parse_kind_{kind}_lines_per_s", ours_rate * lines, peer_rate * lines,
               unit="lines per second", lines=burst, ours_does=ours_does, peer_does=peer_does)  # fmt: skip


def _ceilings(rounds: int, repeats: int, theirs, peer_rounds: int) -> None:
    """What stand-ins that read (almost) nothing would score in the parse loop: the most a parser can show."""
    token = [object()]
    handlers = {line.partition(":")[0]: lambda rest: token for line in LINES}

    def dispatch_only(line: str) -> list:
        # The least a table-driven parser does: split the head, look it up, call its handler.
        head, _, rest = line.partition(":")
        return handlers[head](rest.strip())

    for figure, feed, does in (
        ("urc_parse_empty_feed_ceiling", lambda line: token, "a feed that returns a prebuilt token unread"),
        ("urc_parse_dispatch_only_ceiling", dispatch_only, "a feed that only finds the line's handler by its head"),
    ):
        sink = _listener()

        def ours(feed=feed, sink=sink) -> None:
            for line in LINES:
                for item in feed(line):
                    sink(item)

        ours_rate, peer_rate = _race(ours, lambda: [theirs() for _ in range(peer_rounds)], rounds, 1, repeats)
        _print(figure, ours_rate * len(LINES), peer_rate * peer_rounds * len(LINES),
               unit=f"lines per second, the parse loop with {does} (a stand-in, not a parser)",
               inputs=INPUTS)  # fmt: skip


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
