"""Texts: the outbox (a row before a command, DESIGN invariant 2) and the inbox (kept before deleted, invariant 1).

Outgoing states: queued -> sending -> sent -> delivered | failed; a text left
`sending` by a crash becomes `unknown` for the operator to decide. Incoming
texts are `received`, with a read flag; parts of long texts wait in
`message_part` until the last one arrives.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import peewee as pw

from store import changes
from store.models import Message, MessagePart, Phone, to_utc_naive, utcnow
from store.numbers import InvalidNumber, normalize


@dataclass(frozen=True, slots=True)
class Thread:
    """One conversation in the messages screen: a customer, or an unknown number."""

    customer_id: int | None
    number: str
    name: str
    last_at: datetime
    last_body: str
    unread: int


def _owner(number: str) -> int | None:
    return Phone.select(Phone.customer).where(Phone.number == number).scalar()


def _db() -> pw.Database:
    return Message._meta.database


def _changed(message_id: int) -> None:
    changes.record("message", message_id)


def get(message_id: int) -> Message | None:
    """One text, or None."""
    return Message.get_or_none(Message.id == message_id)


def by_ids(ids: Sequence[int]) -> list[Message]:
    """These texts, newest first."""
    if not ids:
        return []
    return list(Message.select().where(Message.id.in_(list(ids))).order_by(Message.at.desc(), Message.id.desc()))


# The outbox ---------------------------------------------------------------

def queue_text(number: str, body: str, customer: int | None = None, campaign: int | None = None,
               parts: int = 1, region: str = "CN") -> Message:
    """Put a text in the outbox (a row, status queued); the line worker sends it. Raises InvalidNumber."""
    e164 = normalize(number, region)
    with _db().atomic():
        owner = customer if customer is not None else _owner(e164)
        message_id = Message.insert(direction="out", number=e164, customer=owner, body=body, parts=parts,
                                    status="queued", at=utcnow(), campaign_id=campaign, is_read=True).execute()
        _changed(message_id)
    return Message.get_by_id(message_id)


def claim_next_queued(worker: str = "", skip: Sequence[int] = ()) -> Message | None:
    """Move the oldest queued text (but those in `skip`) to `sending` and return it; None when there is none.

    One statement, so two processes can never claim the same text. `skip` holds texts that wait for
    another try (the network refused them for now): the others go meanwhile.
    """
    db = _db()
    lock = " FOR UPDATE SKIP LOCKED" if isinstance(db, pw.PostgresqlDatabase) else ""
    p = db.param
    skip = [int(i) for i in skip]
    besides = f" AND id NOT IN ({', '.join([p] * len(skip))})" if skip else ""
    with db.atomic():
        row = db.execute_sql(
            f"UPDATE message SET status = 'sending', claimed_by = {p} WHERE id = "
            f"(SELECT id FROM message WHERE status = 'queued'{besides} ORDER BY id LIMIT 1{lock}) "
            f"AND status = 'queued' RETURNING id", (worker, *skip)).fetchone()
        if row is None:
            return None
        _changed(row[0])
    return Message.get_by_id(row[0])


def _set(message: Message | int, **values) -> Message:
    message_id = message.id if isinstance(message, Message) else message
    with _db().atomic():
        Message.update(**values).where(Message.id == message_id).execute()
        _changed(message_id)
    return Message.get_by_id(message_id)


def mark_sent(message: Message | int, references: Sequence[int], at: datetime | None = None) -> Message:
    """The modem accepted the text: keep its TP-MRs to match the delivery reports."""
    return _set(message, status="sent", references=",".join(str(int(r)) for r in references),
                sent_at=to_utc_naive(at or utcnow()), error="")


def mark_failed(message: Message | int, error: str) -> Message:
    """The text could not be sent; `error` says why in plain words."""
    return _set(message, status="failed", error=error)


def mark_unknown(message: Message | int, error: str) -> Message:
    """The line failed mid-send: the text may or may not have gone. The operator decides; nothing resends it."""
    return _set(message, status="unknown", error=f"{error}; it may or may not have gone")


def hold_back(message: Message | int, why: str) -> Message:
    """The network refused the text for now (busy, no network): back in the queue, with why it waits."""
    return _set(message, status="queued", error=why, claimed_by="")


def requeue(message: Message | int) -> Message:
    """The operator decided to send an `unknown` or `failed` text again."""
    return _set(message, status="queued", error="", claimed_by="")


def cancel(message: Message | int, reason: str = "cancelled") -> Message:
    """Take a text out of the outbox without sending it."""
    return _set(message, status="failed", error=reason)


def apply_delivery_report(reference: int, number: str, status: str, at: datetime | None = None,
                          region: str = "CN") -> Message | None:
    """Match a delivery report to the newest sent text to `number` carrying TP-MR `reference`; None if none does.

    A failed part fails the text; a delivered part marks it delivered unless another part failed.
    """
    try:
        e164 = normalize(number, region)
    except InvalidNumber:
        e164 = number
    ref = str(int(reference))
    candidates = (Message.select().where((Message.number == e164) & (Message.direction == "out")
                                         & Message.status.in_(["sent", "delivered", "failed", "unknown"])
                                         & (Message.references != ""))
                  .order_by(Message.id.desc()).limit(50))
    for message in candidates:
        if ref not in message.references.split(","):
            continue
        if status == "failed":
            return _set(message, status="failed", error=f"not delivered (report for part {ref})")
        if status == "delivered" and message.status != "failed":
            return _set(message, status="delivered", delivered_at=to_utc_naive(at or utcnow()))
        return message
    return None


def mark_stale_sending_unknown() -> int:
    """After a crash: texts left `sending` may or may not have gone; mark them `unknown`. How many."""
    db = _db()
    with db.atomic():
        ids = [i for (i,) in Message.select(Message.id).where(Message.status == "sending").tuples()]
        if ids:
            Message.update(status="unknown", error="the program stopped while sending; it may or may not have gone"
                           ).where(Message.id.in_(ids)).execute()
            for i in ids:
                _changed(i)
    return len(ids)


def outbox(limit: int = 200) -> list[Message]:
    """Texts waiting, being sent, or needing a decision (unknown), oldest first."""
    return list(Message.select().where(Message.status.in_(["queued", "sending", "unknown"]))
                .order_by(Message.id).limit(limit))


def outbox_size() -> int:
    """How many texts are queued or sending."""
    return Message.select().where(Message.status.in_(["queued", "sending"])).count()


# The inbox ----------------------------------------------------------------

def save_text(key: str, sender: str, text: str, sent_at: datetime, parts: int = 1,
              region: str = "CN", error: str = "") -> Message | None:
    """Keep a whole incoming text once: the new row, or None when `key` was kept before (safe to repeat)."""
    try:
        number = normalize(sender, region)
    except InvalidNumber:
        number = sender  # alphanumeric senders ("10086", "BANK") are kept as given
    db = _db()
    with db.atomic():
        if Message.select().where(Message.source_key == key).exists():
            return None
        message_id = Message.insert(direction="in", number=number, customer=_owner(number), body=text, parts=parts,
                                    status="received", at=to_utc_naive(sent_at), sent_at=to_utc_naive(sent_at),
                                    is_read=False, source_key=key, error=error).execute()
        _changed(message_id)
    return Message.get_by_id(message_id)


def save_unreadable(key: str, sender: str, note: str, reason: str, raw_pdu: str, sent_at: datetime,
                    region: str = "CN") -> Message | None:
    """Keep a text the phone gave but nobody could read: `note` (plain words) is its body, so every
    screen shows it as such; `error` holds the reason and the raw PDU, so it can be read later.
    None when `key` was kept before. The PDU is hex from the modem, but it is kept as data all the same."""
    return save_text(key, sender, note, sent_at, 1, region, error=f"{reason}: {raw_pdu[:_RAW_KEPT]}")


_RAW_KEPT = 2000  # a whole PDU is at most ~360 hex digits; a line of junk is not kept without end


def save_part(key: str, sender: str, reference: int, total: int, sequence: int, text: str, sent_at: datetime,
              storage: str | None = None, index: int | None = None) -> bool:
    """Keep one part of a long text until the rest arrive; False if this part (or its whole text) is kept already."""
    try:
        with _db().atomic():
            if (Message.select().where(Message.source_key == key).exists()
                    or MessagePart.select().where(MessagePart.key == key).exists()):
                return False
            MessagePart.insert(key=key, sender=sender, reference=reference, total=total, sequence=sequence,
                               text=text, sent_at=to_utc_naive(sent_at), received_at=utcnow(),
                               storage=storage, index=index).execute()
    except pw.IntegrityError:  # another process kept the same part a moment ago
        return False
    return True


def parts_of(sender: str, reference: int, total: int) -> list[MessagePart]:
    """The parts kept so far of one long text, in order."""
    return list(MessagePart.select().where((MessagePart.sender == sender) & (MessagePart.reference == reference)
                                           & (MessagePart.total == total)).order_by(MessagePart.sequence))


def complete_text(sender: str, reference: int, total: int, region: str = "CN") -> Message | None:
    """When every part is in: one incoming text, parts deleted, in one transaction. None while parts are missing."""
    db = _db()
    with db.atomic():
        parts = parts_of(sender, reference, total)
        by_seq = {p.sequence: p for p in parts}
        if set(by_seq) != set(range(1, total + 1)):
            return None
        first = by_seq[1]
        body = "".join(by_seq[i].text for i in range(1, total + 1))
        message = save_text(first.key, sender, body, first.sent_at, parts=total, region=region)
        MessagePart.delete().where(MessagePart.id.in_([p.id for p in parts])).execute()
    return message


def threads(limit: int = 50, window: int = 5000) -> list[Thread]:
    """Conversations with unread ones first, then the most recent; built from the newest `window` texts."""
    db = _db()
    p = db.param
    sql = (f"SELECT m.customer_id, m.number, m.at, m.body, m.is_read, m.direction, c.name FROM "
           f"(SELECT * FROM message ORDER BY at DESC, id DESC LIMIT {p}) AS m "
           f"LEFT JOIN customer c ON c.id = m.customer_id ORDER BY m.at DESC, m.id DESC")
    found: dict[object, dict] = {}
    for customer_id, number, at, body, is_read, direction, name in db.execute_sql(sql, (window,)):
        key = customer_id if customer_id is not None else number
        t = found.get(key)
        if t is None:
            t = found[key] = {"customer_id": customer_id, "number": number, "name": name or "",
                              "last_at": Message.at.python_value(at), "last_body": body, "unread": 0}
        if direction == "in" and not is_read:
            t["unread"] += 1
    out = [Thread(**t) for t in found.values()]
    out.sort(key=lambda t: (t.unread > 0, t.last_at), reverse=True)
    return out[:limit]


def conversation(customer_id: int | None = None, number: str | None = None, limit: int = 100) -> list[Message]:
    """One thread's texts, newest first: a customer's (all their numbers) or an unknown number's."""
    where = (Message.customer == customer_id) if customer_id is not None else (
        (Message.number == number) & Message.customer.is_null())
    return list(Message.select().where(where).order_by(Message.at.desc(), Message.id.desc()).limit(limit))


def mark_read(customer_id: int | None = None, number: str | None = None, up_to: int | None = None) -> int:
    """Mark a thread's incoming texts read (only those up to row `up_to`, the ones the operator saw, if given);
    how many were unread."""
    where = (Message.customer == customer_id) if customer_id is not None else (
        (Message.number == number) & Message.customer.is_null())
    if up_to is not None:
        where &= Message.id <= up_to
    db = _db()
    with db.atomic():
        ids = [i for (i,) in Message.select(Message.id).where(where & (Message.direction == "in")
                                                             & (Message.is_read == False)).tuples()]  # noqa: E712
        if ids:
            Message.update(is_read=True).where(Message.id.in_(ids)).execute()
            for i in ids:
                _changed(i)
    return len(ids)


def unread_count() -> int:
    """How many incoming texts nobody has read."""
    return Message.select().where((Message.is_read == False) & (Message.direction == "in")).count()  # noqa: E712

