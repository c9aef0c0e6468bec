"""A support trace: every byte to and from the phone, time-stamped, and played back later.

A shop's problem with its phone is reproduced offline from a trace of its line:
`guanjia line --trace FILE` records it (through the tap in `modem.port`), and
`guanjia replay FILE` plays it to a real `Phone` again and prints the events.

The file is JSON lines: a header, then one record per chunk read or written,
`{"t": <unix time>, "d": "in" | "out", "b": <the bytes as latin-1 text>}`,
plus `{"open": port}` each time a port opens. It rotates by size (FILE, FILE.1
... FILE.<keep>). With masking, every phone number (seven or more digits in a
line, and the addresses inside SMS PDUs) becomes a stand-in of the same length,
the same in every place it appears in the trace, and not the customer's: the
PDUs stay valid, so a masked trace still replays.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import threading
import time
from collections.abc import Iterator

from modem import pdu

VERSION = 1
MAX_BYTES = 10 * 1024 * 1024
KEEP = 5
_LINE_END = re.compile(rb"[\r\n\x1a]")
_NUMBER = re.compile(r"(?<![0-9A-Fa-f])\+?\d{7,}(?![0-9A-Fa-f])")
_HEX = re.compile(r"[0-9A-Fa-f]{14,}")


class Masker:
    """Stand-ins for phone numbers: the first three digits kept (the carrier, for support), the rest keyed-hashed."""

    def __init__(self, key: bytes | None = None) -> None:
        self._key = key or secrets.token_bytes(16)  # never written down: a stand-in cannot be traced back

    def digits(self, number: str) -> str:
        """A stand-in of the same length for a string of digits."""
        if len(number) <= 3:
            return number
        mac = hashlib.blake2b(number.encode(), key=self._key, digest_size=32).digest()
        tail = "".join(str(b % 10) for b in mac)
        while len(tail) < len(number) - 3:
            tail += tail
        return number[:3] + tail[: len(number) - 3]

    def line(self, text: str, direction: str) -> str:
        """One line as written to the trace: numbers in it, and in a PDU it is, replaced."""
        stripped = text.strip()
        if _HEX.fullmatch(stripped) and len(stripped) % 2 == 0:
            masked = self._pdu(stripped, direction)
            if masked is not None:
                return text.replace(stripped, masked)
        return _NUMBER.sub(lambda m: ("+" if m.group().startswith("+") else "") + self.digits(m.group().lstrip("+")),
                           text)

    def _pdu(self, hex_text: str, direction: str) -> str | None:
        """The PDU with its addresses' digits replaced; None if it is not one (then it is treated as text)."""
        for with_smsc in (True, False):
            try:
                pdu.decode(hex_text, with_smsc=with_smsc)
            except pdu.PduError:
                continue
            raw = bytearray(bytes.fromhex(hex_text))
            pos = 0
            if with_smsc:
                self._semi_octets(raw, 2, 1 + raw[0], None)  # the message centre
                pos = 1 + raw[0]
            kind = raw[pos] & 0x03
            at = pos + 1 if (kind == 0 and direction == "in") else pos + 2  # DELIVER: OA; SUBMIT, REPORT: MR first
            digits = raw[at]
            if raw[at + 1] & 0x70 != 0x50:  # an alphanumeric sender ("BANK") is not a number
                self._semi_octets(raw, at + 2, at + 2 + (digits + 1) // 2, digits)
            return raw.hex().upper()
        return None

    def _semi_octets(self, raw: bytearray, start: int, end: int, count: int | None) -> None:
        number = ""
        for b in raw[start:end]:
            for nibble in (b & 0x0F, b >> 4):
                if nibble <= 9:
                    number += str(nibble)
        if count is not None:
            number = number[:count]
        if not number:
            return
        masked = self.digits(number)
        nibbles = [int(c) for c in masked]
        i = 0
        for n in range(start, end):
            low, high = raw[n] & 0x0F, raw[n] >> 4
            if low <= 9 and i < len(nibbles):
                low, i = nibbles[i], i + 1
            if high <= 9 and i < len(nibbles):
                high, i = nibbles[i], i + 1
            raw[n] = (high << 4) | low


class Recorder:
    """Writes a trace; thread-safe, rotating, and never raising into the line (a full disk costs the trace only)."""

    def __init__(self, path: str, *, max_bytes: int = MAX_BYTES, keep: int = KEEP, mask: bool = False,
                 clock=time.time) -> None:
        self.path = path
        self.max_bytes = max_bytes
        self.keep = keep
        self.masker = Masker() if mask else None
        self.clock = clock
        self._lock = threading.Lock()
        self._rest: dict[str, bytes] = {"in": b"", "out": b""}  # a masked line waits for its end
        self._file = None
        self.failed: str | None = None
        self._open()

    def _open(self) -> None:
        self._file = open(self.path, "a", encoding="utf-8")  # noqa: SIM115 - kept open for the run
        self._write({"trace": "guanjia", "version": VERSION, "masked": self.masker is not None,
                     "started": self.clock()})

    def tap(self, url: str, what: str, data: bytes) -> None:
        """The port tap (`modem.port.add_tap`): opens and bytes of every port of this process."""
        if what == "open":
            self.opened(url)
        else:
            self.record(what, data)

    def opened(self, port: str) -> None:
        """A port was opened: replay begins from such a mark."""
        with self._lock:
            self._write({"t": self.clock(), "open": port})

    def record(self, direction: str, data: bytes) -> None:
        """Bytes read from the phone (`in`) or written to it (`out`)."""
        with self._lock:
            if self.masker is not None:
                data = self._masked(direction, data)
                if not data:
                    return
            self._write({"t": self.clock(), "d": direction, "b": data.decode("latin-1")})

    def _masked(self, direction: str, data: bytes) -> bytes:
        data = self._rest[direction] + data
        ends = [m.end() for m in _LINE_END.finditer(data)]
        cut = ends[-1] if ends else 0
        whole, rest = data[:cut], data[cut:]
        if rest and not any(48 <= b <= 57 for b in rest):
            whole, rest = data, b""  # no digit waits for its line's end (the "> " prompt goes at once)
        self._rest[direction] = rest
        out = []
        for piece in re.split(rb"([\r\n\x1a]+)", whole):
            if piece and not _LINE_END.match(piece):
                piece = self.masker.line(piece.decode("latin-1"), direction).encode("latin-1")
            out.append(piece)
        return b"".join(out)

    def _write(self, record: dict) -> None:
        if self._file is None:
            return
        try:
            self._file.write(json.dumps(record, ensure_ascii=False) + "\n")
            self._file.flush()
            if self._file.tell() >= self.max_bytes:
                self._rotate()
        except OSError as exc:
            self.failed = str(exc)
            self._file = None

    def _rotate(self) -> None:
        self._file.close()
        for n in range(self.keep - 1, 0, -1):
            older = f"{self.path}.{n}"
            if os.path.exists(older):
                os.replace(older, f"{self.path}.{n + 1}")
        os.replace(self.path, f"{self.path}.1")
        self._open()

    def close(self) -> None:
        with self._lock:
            for direction, rest in self._rest.items():
                if rest and self._file is not None:
                    self._write({"t": self.clock(), "d": direction, "b": rest.decode("latin-1")})
            if self._file is not None:
                self._file.close()
                self._file = None


def records(paths: list[str]) -> Iterator[dict]:
    """The records of these trace files, in the order given (oldest first: FILE.2 FILE.1 FILE)."""
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except ValueError:
                    raise ValueError(f"{path} line {n} is not a trace record") from None
                if "trace" in record:
                    if record["trace"] != "guanjia":
                        raise ValueError(f"{path} is not a guanjia trace")
                    continue
                yield record
