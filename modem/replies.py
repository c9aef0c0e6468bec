"""Replies to the commands the phone layer sends: +CLCC, +CMGL, +CMGR, +CPMS, +CSQ, +CREG.

Pure functions over the response lines `Engine.command` returns; a mangled
line is skipped, never raised on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from modem.events import RegistrationChanged, SignalChanged
from modem.fields import fields, head_of, is_hex, maybe_ucs2, to_int
from modem.signal import REG_DOMAINS, registration, signal_from_csq

_GROUP = re.compile(r"\(([^()]*)\)")


@dataclass(frozen=True, slots=True)
class ClccEntry:
    """One +CLCC line (a reply to AT+CLCC, or SIMCom's unsolicited copy)."""

    call_id: int
    incoming: bool
    stat: int  # 0 active, 1 held, 2 dialing, 3 alerting, 4 incoming, 5 waiting
    mode: int | None = None  # 0 voice
    multiparty: bool = False
    number: str = ""
    number_type: int | None = None
    alpha: str | None = None


@dataclass(frozen=True, slots=True)
class StoredSms:
    """One message in the phone's storage, from +CMGL or +CMGR (PDU mode)."""

    index: int | None
    stat: int | None  # 0 unread, 1 read, 2 stored unsent, 3 stored sent
    pdu: str


@dataclass(frozen=True, slots=True)
class StorageUse:
    """One memory of +CPMS: its name (when the reply gives it), used and total slots."""

    storage: str | None
    used: int
    total: int


def clcc_entry(rest: str) -> ClccEntry:
    """The fields after `+CLCC:` → the entry (raises ValueError/IndexError on a mangled line)."""
    f = fields(rest)
    pick = lambda i: f[i] if len(f) > i else ""  # noqa: E731
    return ClccEntry(
        call_id=int(f[0]),
        incoming=pick(1) == "1",
        stat=int(f[2]),
        mode=to_int(pick(3)),
        multiparty=pick(4) == "1",
        number=maybe_ucs2(pick(5), number=True),
        number_type=to_int(pick(6)),
        alpha=pick(7) or None,
    )


def _bodies(lines: Iterable[str], head: str) -> Iterable[tuple[str, str]]:
    for line in lines:
        if line.startswith(head):
            yield line, line[len(head) :].lstrip(":").strip()


def parse_clcc(lines: Iterable[str]) -> list[ClccEntry]:
    """The calls in an AT+CLCC reply (an empty list when there is none)."""
    out = []
    for _, body in _bodies(lines, "+CLCC"):
        try:
            out.append(clcc_entry(body))
        except (ValueError, IndexError):
            continue  # a mangled line must not hide the others
    return out


def parse_cmgl(lines: Iterable[str]) -> list[StoredSms]:
    """The messages in an AT+CMGL=4 reply: `+CMGL: <index>,<stat>,[<alpha>],<length>` then the PDU line."""
    out: list[StoredSms] = []
    header: list[str] | None = None
    for line in lines:
        if line.startswith("+CMGL"):
            header = fields(line[5:].lstrip(":").strip())
        elif header is not None:
            if is_hex(line):
                out.append(StoredSms(to_int(header[0]), to_int(header[1]) if len(header) > 1 else None, line.upper()))
            header = None
    return out


def parse_cmgr(lines: Iterable[str], index: int | None = None) -> StoredSms | None:
    """The message in an AT+CMGR=<index> reply: `+CMGR: <stat>,[<alpha>],<length>` then the PDU; None if empty."""
    stat: int | None = None
    header = False
    for line in lines:
        if line.startswith("+CMGR"):
            stat, header = to_int(fields(line[5:].lstrip(":").strip())[0]), True
        elif header and is_hex(line):
            return StoredSms(index, stat, line.upper())
    return None


def parse_cpms(lines: Iterable[str]) -> list[StorageUse]:
    """Memories in use from AT+CPMS? (`"SM",14,50,...`) or AT+CPMS=... (`14,50,14,50`)."""
    for _, body in _bodies(lines, "+CPMS"):
        f = fields(body)
        out = []
        i = 0
        while i < len(f):
            storage = None
            if to_int(f[i]) is None:
                storage, i = f[i], i + 1
            used, total = (to_int(f[i]), to_int(f[i + 1])) if i + 1 < len(f) else (None, None)
            if used is None or total is None:
                break
            out.append(StorageUse(storage, used, total))
            i += 2
        return out
    return []


def parse_cpms_choices(lines: Iterable[str]) -> list[tuple[str, ...]]:
    """The memories AT+CPMS=? offers for reading, writing and receiving, e.g. [("ME","SM"), ("ME","SM"), ("SM",)]."""
    for _, body in _bodies(lines, "+CPMS"):
        # The innermost (...) groups: also right for Wavecom's doubly wrapped (("SM","BM","SR"),("SM")).
        return [tuple(x for x in fields(group) if x) for group in _GROUP.findall(body)]
    return []


def parse_csq(lines: Iterable[str]) -> SignalChanged:
    """Signal from an AT+CSQ reply."""
    for _, body in _bodies(lines, "+CSQ"):
        return signal_from_csq(to_int(fields(body)[0]))
    return SignalChanged(None, None, "+CSQ")


def parse_creg(lines: Iterable[str]) -> RegistrationChanged | None:
    """Registration from an AT+CREG?/+CGREG?/+CEREG? reply (`+CREG: <n>,<stat>[,<lac>,<ci>]`)."""
    for line in lines:
        head = head_of(line)
        if head in REG_DOMAINS:
            f = fields(line[len(head) + 1 :].strip())
            return registration(head, f, reply=len(f) >= 2)
    return None
