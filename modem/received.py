"""A received PDU (stored, or pushed by +CMT/+CDS) as the event the shop sees."""

from __future__ import annotations

import dataclasses

from modem import pdu
from modem.events import DeliveryReport, Event, Unrecognized
from modem.numbers import to_e164


def events_for(hex_pdu: str, storage: str | None, index: int | None, region: str) -> list[Event]:
    """SmsPart for a text, DeliveryReport for a report, nothing for a text the phone sent."""
    try:
        decoded = pdu.decode(hex_pdu)
    except pdu.PduError:
        return [Unrecognized(hex_pdu[:200])]
    if isinstance(decoded, pdu.Deliver):
        part = pdu.sms_part(decoded, pdu=hex_pdu, storage=storage, index=index)
        # The key stays as the codec made it (stable however the part is seen);
        # the sender is made comparable with callers: 138... and +86138... are one person.
        return [dataclasses.replace(part, sender=to_e164(part.sender, decoded.sender_type, region))]
    if isinstance(decoded, pdu.StatusReport):
        recipient = to_e164(decoded.recipient, decoded.recipient_type, region)
        return [DeliveryReport(decoded.reference, recipient, decoded.outcome, decoded.status,
                               decoded.discharged_at, storage, index)]
    return []  # an SMS-SUBMIT kept in the phone's memory: one of ours, sent earlier
