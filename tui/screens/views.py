"""What screens show and edit, as plain dataclasses: the store's rows turned into display terms."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time


@dataclass(frozen=True, slots=True)
class CustomerHit:
    """One search result."""

    customer_id: int
    name: str
    number: str
    tier: str
    why: str = ""
    blocked: bool = False
    opted_out: bool = False  # no marketing texts


@dataclass(frozen=True, slots=True)
class CustomerDraft:
    """A customer as the form edits it; `customer_id` None means a new one."""

    customer_id: int | None = None
    name: str = ""
    number: str = ""
    tier: str = ""
    birthday: str = ""  # YYYY-MM-DD or empty
    numbers: tuple[str, ...] = ()  # every number, primary first (the form edits them all)
    tags: str = ""  # comma separated
    notes: str = ""


@dataclass(frozen=True, slots=True)
class HistoryLine:
    """One thing that happened with a customer: a call, a visit or a text."""

    when: str
    kind: str  # "call", "visit", "text"
    text: str


@dataclass(frozen=True, slots=True)
class ThreadLine:
    """One conversation in the messages screen."""

    number: str
    name: str
    last_body: str
    when: str
    unread: int
    customer_id: int | None = None  # a customer's thread spans all their numbers


@dataclass(frozen=True, slots=True)
class TextLine:
    """One text in a conversation."""

    message_id: int
    when: str
    direction: str  # "in" or "out"
    body: str
    status: str


@dataclass(frozen=True, slots=True)
class TemplateDraft:
    """A template as the form edits it; `template_id` None means a new one."""

    template_id: int | None = None
    name: str = ""
    body: str = ""
    category: str = "care"


@dataclass(frozen=True, slots=True)
class ShopSettings:
    """Shop-wide settings shared by every terminal (kept in the store)."""

    shop: str = ""
    region: str = "CN"
    timezone: str = "Asia/Shanghai"
    auto_reject_blocked: bool = False  # the line worker hangs up on blocked customers
    tiers: tuple[str, ...] = ("普通", "银卡", "金卡", "钻石")  # the customer levels, lowest first


@dataclass(frozen=True, slots=True)
class VisitEntry:
    """A visit (date, time, amount in cents, items) or a booking (date, time, party, room), checked."""

    customer_id: int
    day: date  # the visit's or the booking's day, in the shop's time zone
    clock: time | None  # the visit's or the booking's time of day (a booking may leave it open)
    booking: bool = False
    amount_cents: int = 0
    items: str = ""
    notes: str = ""
    party_size: int | None = None
    room: str = ""


@dataclass(frozen=True, slots=True)
class CustomerSummary:
    """Who a customer is at a glance: name, every number, how much history they carry."""

    customer_id: int
    name: str
    numbers: tuple[str, ...]
    calls: int
    visits: int
    texts: int
    blocked: bool = False
    opted_out: bool = False
    deleted: bool = False  # deleted for now (restorable)


@dataclass(frozen=True, slots=True)
class Recipient:
    """Who a draft goes to, fixed when the draft starts: the number (E.164) and how the shop reads it.

    `name` is the customer's name, empty for a number the book does not know.
    """

    number: str
    name: str = ""
    display: str = ""  # the number as people read it (139 1000 0001)
    customer_id: int | None = None
