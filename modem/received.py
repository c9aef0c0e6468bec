"""A received PDU (stored, or pushed by +CMT/+CDS) as the event the shop sees."""

from __future__ import annotations

import dataclasses
import hashlib

from modem import pdu
from modem.events import DeliveryReport, Event, SmsUnreadable
from modem.numbers import to_e164
from modem.sms_fields import read_address


def events_for(hex_pdu: str, storage: str | None, index: int | None, region: str) -> list[Event]:
    """SmsPart for a text, DeliveryReport for a report, nothing for a text the phone sent.

    What cannot be read becomes SmsUnreadable with the raw PDU, never silence: a
    customer's text is kept even when we cannot show its words.
    """
    try:
        decoded = pdu.decode(hex_pdu)
    except pdu.PduError as exc:
        key = "raw|" + hashlib.sha1(hex_pdu.strip().upper().encode("utf-8", "replace")).hexdigest()[:20]
        sender, sender_type = _peek_sender(hex_pdu)
        if sender:
            sender = to_e164(sender, sender_type, region)
        return [SmsUnreadable(hex_pdu, "unreadable", storage, index, key, sender, detail=str(exc))]
    if isinstance(decoded, pdu.Deliver):
        sender = to_e164(decoded.sender, decoded.sender_type, region)
        if _compressed(decoded.dcs):
            # TS 23.042 compression: no phone we know of sends it on purpose, and decoding
            # the octets as text would show the customer's words as garbage.
            return [SmsUnreadable(hex_pdu, "compressed", storage, index, pdu.part_key(decoded), sender,
                                  decoded.sent_at, detail=f"DCS 0x{decoded.dcs:02X}")]
        part = pdu.sms_part(decoded, pdu=hex_pdu, storage=storage, index=index)
        # The key stays as the codec made it (stable however the part is seen);
        # the sender is made comparable with callers: 138... and +86138... are one person.
        return [dataclasses.replace(part, sender=sender)]
    if isinstance(decoded, pdu.StatusReport):
        recipient = to_e164(decoded.recipient, decoded.recipient_type, region)
        return [DeliveryReport(decoded.reference, recipient, decoded.outcome, decoded.status,
                               decoded.discharged_at, storage, index)]
    return []  # an SMS-SUBMIT kept in the phone's memory: one of ours, sent earlier


def _compressed(dcs: int) -> bool:
    """TS 23.038 §4: bit 5 of the general data coding groups (00xx, 01xx) marks compressed text."""
    return dcs < 0x80 and bool(dcs & 0x20)


def _peek_sender(hex_pdu: str) -> tuple[str, int]:
    """Who sent a PDU that does not decode, when its start still says (so it lands in their thread)."""
    try:
        raw = bytes.fromhex(hex_pdu.strip())
        pos = 1 + raw[0]
        if raw[pos] & 0x03 != 0:
            return "", 0  # not a DELIVER: no sender to find
        digits, kind = raw[pos + 1], raw[pos + 2]
        end = pos + 3 + (digits + 1) // 2
        if digits > 20 or end > len(raw):
            return "", 0
        return read_address(raw[pos + 3 : end], digits, kind), kind
    except (ValueError, IndexError):
        return "", 0
