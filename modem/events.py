"""What a phone tells us, as plain frozen dataclasses on one async stream.

These are the only types that leave `modem/`: the line worker turns them into
rows, `guanjia monitor` prints them as JSON lines. Each class has a `kind`,
the name it carries in JSON.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, Literal

Presentation = Literal["number", "withheld", "unavailable"]
Outcome = Literal["answered", "missed", "rejected"]
LineState = Literal["connecting", "up", "down", "reconnecting", "closed"]
Registration = Literal["home", "roaming", "searching", "denied", "not_registered", "unknown"]
ReportStatus = Literal["delivered", "pending", "failed"]


@dataclass(frozen=True, slots=True)
class Event:
    kind: ClassVar[str] = "event"


@dataclass(frozen=True, slots=True)
class IncomingCall(Event):
    """A call is ringing. Sent once per call as soon as the caller is known.

    `call_id` is local to one Phone and ties the call's later events together.
    If the modem rang before saying who (RING before +CLIP, or no +CLIP at all)
    a second IncomingCall with the same call_id may follow with the number.
    """

    kind: ClassVar[str] = "incoming_call"
    call_id: int
    number: str | None  # E.164 where the number allows it, else as the network gave it
    presentation: Presentation = "number"
    number_type: int | None = None  # TON/NPI octet from +CLIP (129 national, 145 international)
    name: str | None = None  # the network's alpha tag, rarely present


@dataclass(frozen=True, slots=True)
class CallAnswered(Event):
    kind: ClassVar[str] = "call_answered"
    call_id: int
    number: str | None


@dataclass(frozen=True, slots=True)
class CallEnded(Event):
    kind: ClassVar[str] = "call_ended"
    call_id: int
    number: str | None
    outcome: Outcome
    duration_s: float | None = None  # talk time, when answered
    cause: str = ""  # what told us: "NO CARRIER", "^CEND", "+CLCC", "MISSED_CALL", "timeout" ...


@dataclass(frozen=True, slots=True)
class Concat:
    """Where one part sits in a concatenated SMS (from the UDH)."""

    reference: int
    total: int
    sequence: int
    wide: bool = False  # True for a 16-bit reference


@dataclass(frozen=True, slots=True)
class SmsPart(Event):
    """One received PDU: a whole single-part text, or one part of a long one.

    `storage`/`index` say where it sits on the phone (None for +CMT direct
    delivery); delete it only after it is safely kept. `key` is stable for the
    same part however it was seen (+CMTI, +CMT or a storage scan), so ingestion
    can be idempotent.
    """

    kind: ClassVar[str] = "sms_part"
    sender: str
    text: str
    sent_at: datetime  # aware, from the SMSC time stamp
    concat: Concat | None
    storage: str | None
    index: int | None
    key: str
    pdu: str = ""
    smsc: str | None = None
    zone_known: bool = True  # False: the time stamp's zone octet was not BCD; sent_at is this computer's time


@dataclass(frozen=True, slots=True)
class SmsUnreadable(Event):
    """A received PDU we cannot turn into text: kept raw, so nothing that arrives is lost.

    `reason` is "compressed" (TS 23.042 compression, which no phone we know of uses on
    purpose) or "unreadable" (the PDU is malformed). Sender and time are given when the
    PDU still says them. Delete it from `storage`/`index` only after it is kept, as a text.
    """

    kind: ClassVar[str] = "sms_unreadable"
    pdu: str
    reason: str  # "compressed" | "unreadable"
    storage: str | None
    index: int | None
    key: str
    sender: str = ""
    sent_at: datetime | None = None
    detail: str = ""  # what the decoder said, for the log


@dataclass(frozen=True, slots=True)
class SmsReceived(Event):
    """A whole text: every part present, joined in order."""

    kind: ClassVar[str] = "sms_received"
    sender: str
    text: str
    sent_at: datetime
    parts: tuple[SmsPart, ...] = ()


@dataclass(frozen=True, slots=True)
class DeliveryReport(Event):
    kind: ClassVar[str] = "delivery_report"
    reference: int  # TP-MR of the sent part, 0-255
    recipient: str
    status: ReportStatus
    tp_status: int  # the raw TP-ST octet
    discharged_at: datetime | None = None
    storage: str | None = None
    index: int | None = None


@dataclass(frozen=True, slots=True)
class SignalChanged(Event):
    kind: ClassVar[str] = "signal"
    bars: int | None  # 0-5, None when unknown
    rssi_dbm: int | None = None
    source: str = ""  # "+CSQ", "^RSSI", "^HCSQ", "+CIEV"


@dataclass(frozen=True, slots=True)
class RegistrationChanged(Event):
    kind: ClassVar[str] = "registration"
    state: Registration
    domain: str = "cs"  # "cs" (+CREG), "gprs" (+CGREG), "eps" (+CEREG)
    lac: str | None = None  # location area / tracking area code, hex, when the modem gives it
    cell: str | None = None  # cell id, hex


@dataclass(frozen=True, slots=True)
class ModemStatus(Event):
    """SIM and modem life signs: +CPIN, RDY, ^BOOT, +QIND, Call Ready, SMS Ready."""

    kind: ClassVar[str] = "modem_status"
    what: str  # "sim", "ready", "boot", "sms_ready", "call_ready", "storage_full" ...
    detail: str = ""


@dataclass(frozen=True, slots=True)
class LineChanged(Event):
    kind: ClassVar[str] = "line"
    state: LineState
    port: str = ""
    detail: str = ""  # plain words: what is wrong, or what was found
    code: str = ""  # the same as a code (modem.probe.error_code's, or "retry"), for words in other languages
    values: tuple[tuple[str, Any], ...] = ()  # what the code's words name: (("url", ...), ("why", ...))


@dataclass(frozen=True, slots=True)
class Unrecognized(Event):
    kind: ClassVar[str] = "unrecognized"
    line: str


def as_dict(event: Event) -> dict[str, Any]:
    """The event as a JSON-ready dict, `{"event": kind, ...fields}`."""
    out: dict[str, Any] = {"event": event.kind}
    for field in dataclasses.fields(event):
        out[field.name] = _plain(getattr(event, field.name))
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Concat):
        return dataclasses.asdict(value)
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Event):
        return as_dict(value)
    return value
