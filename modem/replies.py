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
    """The messages in an AT+CMGL=4 reply: `+CMGL: <index>,<stat>,[<alpha>],<length>` then the PDU line.

    The line after a header is that message's PDU whatever it looks like: junk around the hex
    is cut off (`pdu_line`), and a line with no hex at all is still given, raw, so the text
    becomes an unreadable one that is kept rather than silently dropped.
    """
    out: list[StoredSms] = []
    header: list[str] | None = None
    for line in lines:
        if line.startswith("+CMGL"):
            rest, same_line = _header_and_pdu(line[5:].lstrip(":").strip())
            header = fields(rest)
            if same_line:
                out.append(StoredSms(to_int(header[0]), to_int(header[1]) if len(header) > 1 else None, same_line))
                header = None
        elif header is not None:
            out.append(StoredSms(to_int(header[0]), to_int(header[1]) if len(header) > 1 else None, pdu_line(line)))
            header = None
    return out


def parse_cmgr(lines: Iterable[str], index: int | None = None) -> StoredSms | None:
    """The message in an AT+CMGR=<index> reply: `+CMGR: <stat>,[<alpha>],<length>` then the PDU; None if empty."""
    stat: int | None = None
    header = False
    for line in lines:
        if line.startswith("+CMGR"):
            rest, same_line = _header_and_pdu(line[5:].lstrip(":").strip())
            stat, header = to_int(fields(rest)[0]), True
            if same_line:
                return StoredSms(index, stat, same_line)
        elif header:
            return StoredSms(index, stat, pdu_line(line))
    return None


_HEX_RUN = re.compile(r"[0-9A-Fa-f]+")
_HEX_DIGITS = frozenset("0123456789ABCDEFabcdef")
_PDU_ON_HEADER = re.compile(r"(.*,\s*\d+)\s+([0-9A-Fa-f]{2,})\s*$")


def _header_and_pdu(rest: str) -> tuple[str, str]:
    """`1,,147 0791...`: some modems put the PDU on the header line after a space (ModemManager's tests)."""
    same_line = _PDU_ON_HEADER.match(rest)
    return (same_line.group(1), same_line.group(2).upper()) if same_line else (rest, "")


def pdu_line(line: str) -> str:
    """The PDU in a line, upper case; stray quotes or spaces around it (seen on real phones) are dropped.

    A line that is not a PDU with junk around it comes back as it is, for the caller to keep raw.
    """
    text = line.strip().strip("\"'").strip()
    if is_hex(text) or (text and _HEX_DIGITS.issuperset(text)):
        return text.upper()  # an odd length is kept whole: it is the phone's, and decoding says what is wrong
    run = _HEX_RUN.match(text)
    if run is not None and len(run.group()) >= 2 * 12 and not _HEX_RUN.search(text, run.end()):
        hex_part = run.group()
        return hex_part[: len(hex_part) & ~1].upper()  # the hex, then junk (a quote, a NUL, a letter)
    return line


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
    """The memories AT+CPMS=? offers for reading, writing and receiving, e.g. [("ME","SM"), ("ME","SM"), ("SM",)].

    Read item by item at the outer level, so every form phones send is one list per item:
    `("ME","SM"),...` (TS 27.005), `"ME","MT","SM"` (no parentheses: one memory each, Huawei
    MU609), a mix of both, Wavecom's doubly wrapped `(("SM","BM","SR"),("SM"))`, and lists
    whose quotes are broken (`(ME", "SR")`): names are taken as words, quotes or not.
    """
    for _, body in _bodies(lines, "+CPMS"):
        items = _outer_items(body)
        if len(items) == 1 and items[0].count("(") > 1:
            items = _outer_items(items[0].strip()[1:-1])  # Wavecom: one group holding the lists
        lists = [tuple(_MEMORY_NAME.findall(item)) for item in items]
        if "(" not in body and len(lists) > 3 and len(lists) % 3 == 0:
            # Thuraya: three lists run together without parentheses, `"MT","SM",...,"SR", "MT",...`.
            size = len(lists) // 3
            lists = [sum(lists[i * size : (i + 1) * size], ()) for i in range(3)]
        return lists
    return []


_MEMORY_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


def _outer_items(body: str) -> list[str]:
    """`(a,b),c,(d)` → ['(a,b)', 'c', '(d)']: commas split only outside parentheses."""
    items, depth, current = [], 0, []
    for ch in body:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(depth - 1, 0)
        elif ch == "," and depth == 0:
            items.append("".join(current))
            current = []
            continue
        current.append(ch)
    items.append("".join(current))
    return items


def parse_cpin(lines: Iterable[str]) -> str | None:
    """The SIM's state from an AT+CPIN? reply: "READY", "SIM PIN", "PH-NET PIN" ... (quotes dropped); None if absent."""
    for _, body in _bodies(lines, "+CPIN"):
        return body.strip().strip('"').strip().upper()
    return None


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
