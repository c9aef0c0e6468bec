"""SMS PDUs (TS 23.040): read SMS-DELIVER, SMS-SUBMIT and SMS-STATUS-REPORT; write SUBMIT and DELIVER.

Decoding takes the hex a modem prints after +CMGR/+CMGL/+CMT/+CDS and returns
frozen dataclasses; anything malformed raises `PduError`, never IndexError.
A user-data length that claims more than the PDU holds is tolerated (some
modems store such PDUs): what is there is decoded, so no text is lost.
The field-level pieces (addresses, time stamps, user data) live in `modem.sms_fields`.
"""

from __future__ import annotations

import hashlib
import itertools
import random
from dataclasses import dataclass, fields, make_dataclass
from datetime import datetime
from typing import Literal

from modem import gsm7
from modem.events import Concat, SmsPart
from modem.sms_fields import (
    PduError,
    address_field,
    alphanumeric_address_field,
    check_number,
    read_address,
    read_smsc,
    read_timestamp,
    read_user_data,
    smsc_field,
    timestamp_octets,
    user_data,
    validity_from_octet,
    validity_octet,
    zone_known,
)

__all__ = [
    "PduError",
    "Deliver",
    "Submit",
    "StatusReport",
    "SubmitPdu",
    "Segments",
    "decode",
    "encode_submit",
    "encode_deliver",
    "encode_status_report",
    "segments",
    "part_key",
    "report_outcome",
    "sms_part",
]

Encoding = Literal["gsm7", "ucs2", "8bit"]
ReportOutcome = Literal["delivered", "pending", "failed"]

_DCS = {"gsm7": 0x00, "8bit": 0x04, "ucs2": 0x08}
# Units per part: (single, with an 8-bit reference UDH, with a 16-bit one).
_CAPACITY = {"gsm7": (160, 153, 152), "ucs2": (70, 67, 66), "8bit": (140, 134, 133)}
_MAX_PARTS = 255


@dataclass(frozen=True, slots=True)
class Deliver:
    """A text someone sent to us (SMS-DELIVER)."""

    smsc: str | None
    sender: str
    sender_type: int
    sent_at: datetime
    text: str
    encoding: Encoding
    data: bytes  # the user data after the UDH, as it came (the payload for 8-bit)
    concat: Concat | None
    pid: int
    dcs: int
    udh: bytes  # the UDH's information elements, without the length octet
    zone_known: bool = True  # False: the SCTS zone octet was not BCD, sent_at is in this computer's zone


# A frozen dataclass sets each field through object.__setattr__, which made up a
# quarter of decoding a PDU. Received texts are built as this unfrozen twin with
# the same slots (fast plain stores), then become a Deliver by __class__
# assignment, which Python allows because the layouts are identical. The twin is
# generated from Deliver's own fields, so the two cannot drift apart.
_DeliverBuilder = make_dataclass("_DeliverBuilder", [f.name for f in fields(Deliver)], slots=True)


def _deliver(*values) -> Deliver:
    built = _DeliverBuilder(*values)
    built.__class__ = Deliver
    return built  # type: ignore[return-value]


@dataclass(frozen=True, slots=True)
class Submit:
    """A text we send, or one stored as sent (SMS-SUBMIT)."""

    smsc: str | None
    recipient: str
    recipient_type: int
    reference: int
    text: str
    encoding: Encoding
    data: bytes
    concat: Concat | None
    pid: int
    dcs: int
    udh: bytes
    request_report: bool
    validity_minutes: int | None  # relative validity period, when the PDU gives one
    validity_until: datetime | None = None  # absolute validity period, when given


@dataclass(frozen=True, slots=True)
class StatusReport:
    """What became of a text we sent (SMS-STATUS-REPORT)."""

    smsc: str | None
    reference: int
    recipient: str
    recipient_type: int
    status: int  # TP-ST as sent
    outcome: ReportOutcome
    submitted_at: datetime
    discharged_at: datetime


@dataclass(frozen=True, slots=True)
class SubmitPdu:
    """One part ready for `AT+CMGS=<tpdu_length>` then the hex."""

    hex: str
    tpdu_length: int  # octets after the SMSC part


@dataclass(frozen=True, slots=True)
class Segments:
    """What the composer's live counter shows."""

    encoding: Encoding
    parts: int
    units: int  # septets for GSM7, UTF-16 code units for UCS2
    per_part: int  # capacity of one part at this length
    remaining: int  # units left in the last part before another part is needed


def report_outcome(status: int) -> ReportOutcome:
    """Classify TP-ST (TS 23.040 §9.2.3.15): completed, still trying, or given up."""
    if status < 0x20:
        return "delivered"  # short message transaction completed
    if status < 0x40:
        return "pending"  # temporary error, the SC is still trying
    # 0x40-0x5F permanent error, 0x60-0x7F temporary error with no more attempts;
    # reserved values are read as "service rejected", a failure.
    return "failed"


def decode(pdu_hex: str | bytes, *, with_smsc: bool = True) -> Deliver | Submit | StatusReport:
    """Decode one PDU as printed by +CMGR/+CMGL/+CMT/+CDS."""
    try:
        raw = bytes.fromhex(pdu_hex)
    except TypeError:
        raw = _hex_bytes(pdu_hex)
    except ValueError as exc:
        raise PduError(f"not a hex PDU: {exc}") from None
    # Straight-line reading with one cursor: this runs for every text received.
    # Single octets are read by plain indexing; running off the end is an
    # IndexError, turned into PduError below.
    try:
        pos = 0
        smsc = None
        if with_smsc:
            pos = 1 + raw[0]
            if pos > 1:
                if pos > len(raw):
                    raise PduError("SMSC address runs past the end")
                smsc = read_smsc(raw[1:pos])
        first = raw[pos]
        kind = first & 0x03
        if kind == 0:  # SMS-DELIVER: OA, PID, DCS, SCTS, UDL, UD
            digits = raw[pos + 1]
            sender_type = raw[pos + 2]
            end = pos + 3 + (digits + 1) // 2
            if end > len(raw) or (digits > 20 and sender_type & 0x70 != 0x50):
                raise PduError("sender address too long or past the end")
            sender = read_address(raw[pos + 3 : end], digits, sender_type)
            pos = end
            dcs = raw[pos + 1]
            text, encoding, data, udh, concat = read_user_data(raw[pos + 10 :], raw[pos + 9], dcs, first & 0x40)
            stamp = raw[pos + 2 : pos + 9]
            sent_at = read_timestamp(stamp)
            return _deliver(smsc, sender, sender_type, sent_at, text, encoding, data, concat, raw[pos], dcs, udh,
                            zone_known(stamp))
        if kind == 1:
            return _decode_submit(raw, pos, first, smsc)
        if kind == 2:
            return _decode_status_report(raw, pos, smsc)
        raise PduError("reserved message type (TP-MTI 3)")
    except PduError:
        raise
    except IndexError:
        raise PduError("PDU ends early") from None
    except (ValueError, OverflowError, KeyError, UnicodeError) as exc:
        raise PduError(f"malformed PDU: {exc}") from None


def _hex_bytes(pdu_hex: object) -> bytes:
    try:
        return bytes.fromhex(bytes(pdu_hex).decode("ascii"))  # type: ignore[call-overload]
    except (ValueError, TypeError, UnicodeDecodeError) as exc:
        raise PduError(f"not a hex PDU: {exc}") from None


def _decode_submit(raw: bytes, pos: int, first: int, smsc: str | None) -> Submit:
    """SMS-SUBMIT: MR, DA, PID, DCS, VP, UDL, UD."""
    reference = raw[pos + 1]
    recipient, recipient_type, pos = _address(raw, pos + 2)
    pid = raw[pos]
    dcs = raw[pos + 1]
    pos += 2
    validity_minutes = None
    validity_until = None
    vpf = (first >> 3) & 0x03
    if vpf == 2:
        validity_minutes = validity_from_octet(raw[pos])
        pos += 1
    elif vpf == 3:
        validity_until = read_timestamp(raw[pos : pos + 7])
        pos += 7
    elif vpf == 1:
        pos += 7  # enhanced format: rarely used, not needed to read the text
    text, encoding, data, udh, concat = read_user_data(raw[pos + 1 :], raw[pos], dcs, first & 0x40)
    return Submit(
        smsc, recipient, recipient_type, reference, text, encoding, data, concat, pid, dcs, udh,
        bool(first & 0x20), validity_minutes, validity_until,
    )


def _decode_status_report(raw: bytes, pos: int, smsc: str | None) -> StatusReport:
    """SMS-STATUS-REPORT: MR, RA, SCTS, DT, ST (the optional fields after it are not needed)."""
    reference = raw[pos + 1]
    recipient, recipient_type, pos = _address(raw, pos + 2)
    submitted_at = read_timestamp(raw[pos : pos + 7])
    discharged_at = read_timestamp(raw[pos + 7 : pos + 14])
    status = raw[pos + 14]
    return StatusReport(
        smsc, reference, recipient, recipient_type, status, report_outcome(status), submitted_at, discharged_at
    )


def _address(raw: bytes, pos: int) -> tuple[str, int, int]:
    """(address, type of address, position after it) for the address field at `pos`."""
    length = raw[pos]
    kind = raw[pos + 1]
    if length > 20 and kind & 0x70 != 0x50:
        raise PduError(f"address of {length} digits")
    end = pos + 2 + (length + 1) // 2
    if end > len(raw):
        raise PduError("address runs past the end")
    return read_address(raw[pos + 2 : end], length, kind), kind, end


# ---------------------------------------------------------------- splitting


def _plan(text: str, encoding: str | None, wide: bool) -> tuple[Encoding, list[bytes], int]:
    """Choose the encoding and cut the text into part payloads (septets / UTF-16 / octets)."""
    if encoding is None or encoding == "gsm7":
        units = gsm7.try_encode(text)
        if units is not None:
            encoding = "gsm7"
        elif encoding == "gsm7":
            raise PduError("text does not fit the GSM 7-bit alphabet")
        else:
            encoding = "ucs2"
            units = text.encode("utf-16-be", "surrogatepass")
    elif encoding == "ucs2":
        units = text.encode("utf-16-be", "surrogatepass")
    elif encoding == "8bit":
        try:
            units = text.encode("latin-1")
        except UnicodeEncodeError:
            raise PduError("8-bit data must be characters U+0000-U+00FF") from None
    else:
        raise PduError(f"unknown encoding {encoding!r}")
    single, per_8, per_16 = _CAPACITY[encoding]
    step = 2 if encoding == "ucs2" else 1
    if len(units) <= single * step:
        return encoding, [units], single
    per = (per_16 if wide else per_8) * step
    chunks = []
    start = 0
    while start < len(units):
        end = min(start + per, len(units))
        if end < len(units):
            if encoding == "gsm7" and units[end - 1] == gsm7.ESCAPE:
                end -= 1  # never part an escape from the septet it escapes
            elif encoding == "ucs2" and 0xD8 <= units[end - 2] <= 0xDB:
                end -= 2  # never split a surrogate pair
        chunks.append(units[start:end])
        start = end
    if len(chunks) > _MAX_PARTS:
        raise PduError(f"text too long: {len(chunks)} parts, at most {_MAX_PARTS}")
    return encoding, chunks, per // step


def segments(text: str, *, wide_reference: bool = False) -> Segments:
    """How `text` would be sent: encoding, parts, units used and left in the last part."""
    encoding, chunks, per_part = _plan(text, None, wide_reference)
    step = 2 if encoding == "ucs2" else 1
    units = sum(len(c) for c in chunks) // step
    return Segments(encoding, len(chunks), units, per_part, per_part - len(chunks[-1]) // step)


_concat_references = itertools.count(random.randrange(0x10000))


def _next_concat_reference(wide: bool) -> int:
    return next(_concat_references) & (0xFFFF if wide else 0xFF)


def _concat_ie(reference: int, total: int, sequence: int, wide: bool) -> bytes:
    if wide:
        return bytes((0x08, 0x04, (reference >> 8) & 0xFF, reference & 0xFF, total, sequence))
    return bytes((0x00, 0x03, reference & 0xFF, total, sequence))


def _user_data_parts(text: str, encoding: str | None, concat_reference: int | None, wide: bool):
    """(encoding, [TP-UDL + TP-UD per part]); every part of a long text carries the concat IE."""
    encoding, chunks, _ = _plan(text, encoding, wide)
    total = len(chunks)
    if total == 1:
        return encoding, [user_data(encoding, chunks[0], b"")]
    if concat_reference is None:
        concat_reference = _next_concat_reference(wide)
    return encoding, [
        user_data(encoding, chunk, _concat_ie(concat_reference, total, sequence, wide))
        for sequence, chunk in enumerate(chunks, 1)
    ]


# ---------------------------------------------------------------- encoding


def encode_submit(
    number: str,
    text: str,
    *,
    reference: int = 0,
    concat_reference: int | None = None,
    request_report: bool = True,
    validity_minutes: int | None = 4320,
    smsc: str | None = None,
    wide_reference: bool = False,
) -> list[SubmitPdu]:
    """SMS-SUBMIT PDUs for `text` to `number`, split into the fewest parts."""
    destination = address_field(check_number(number))
    smsc_part = smsc_field(check_number(smsc)) if smsc is not None else b"\x00"
    encoding, parts = _user_data_parts(text, None, concat_reference, wide_reference)
    first = 0x01 | (0x20 if request_report else 0) | (0x40 if len(parts) > 1 else 0)
    validity = b""
    if validity_minutes is not None:
        first |= 0x10
        validity = bytes((validity_octet(validity_minutes),))
    head = bytes((first, reference & 0xFF)) + destination + bytes((0x00, _DCS[encoding])) + validity
    return [
        SubmitPdu((smsc_part + head + ud).hex().upper(), len(head) + len(ud)) for ud in parts
    ]


def encode_deliver(
    sender: str,
    text: str,
    sent_at: datetime,
    *,
    smsc: str | None = "+8613800100500",
    concat_reference: int | None = None,
    wide_reference: bool = False,
    encoding: str | None = None,
) -> list[str]:
    """SMS-DELIVER PDUs (hex with the SMSC part), one per part, as a phone would store them."""
    try:
        origin = address_field(check_number(sender))
    except PduError:
        origin = alphanumeric_address_field(sender)
    smsc_part = smsc_field(check_number(smsc)) if smsc is not None else b"\x00"
    scts = timestamp_octets(sent_at)
    encoding, parts = _user_data_parts(text, encoding, concat_reference, wide_reference)
    first = 0x04 | (0x40 if len(parts) > 1 else 0)  # 0x04: no more messages waiting
    head = smsc_part + bytes((first,)) + origin + bytes((0x00, _DCS[encoding])) + scts
    return [(head + ud).hex().upper() for ud in parts]


def encode_status_report(
    reference: int,
    recipient: str,
    status: int,
    submitted_at: datetime,
    discharged_at: datetime,
    *,
    smsc: str | None = "+8613800100500",
) -> str:
    """An SMS-STATUS-REPORT PDU (hex with the SMSC part) for the part sent with TP-MR `reference`."""
    if not 0 <= reference <= 0xFF or not 0 <= status <= 0xFF:
        raise PduError("reference and status are single octets")
    smsc_part = smsc_field(check_number(smsc)) if smsc is not None else b"\x00"
    tpdu = (
        bytes((0x06, reference))  # SMS-STATUS-REPORT, no more messages waiting
        + address_field(check_number(recipient))
        + timestamp_octets(submitted_at)
        + timestamp_octets(discharged_at)
        + bytes((status,))
    )
    return (smsc_part + tpdu).hex().upper()


def part_key(d: Deliver) -> str:
    """A stable key for one received part, the same however the part was seen."""
    stamp = d.sent_at.isoformat()
    if d.concat is not None:
        c = d.concat
        return f"{d.sender}|{stamp}|{'w' if c.wide else 'n'}{c.reference}/{c.total}/{c.sequence}"
    digest = hashlib.sha1(bytes((d.dcs,)) + d.udh + d.data).hexdigest()[:16]
    return f"{d.sender}|{stamp}|{digest}"


def sms_part(d: Deliver, *, pdu: str = "", storage: str | None = None, index: int | None = None) -> SmsPart:
    """The event for one received part, keyed with `part_key` so it is stored once."""
    return SmsPart(
        sender=d.sender,
        text=d.text,
        sent_at=d.sent_at,
        concat=d.concat,
        storage=storage,
        index=index,
        key=part_key(d),
        pdu=pdu,
        smsc=d.smsc,
        zone_known=d.zone_known,
    )
