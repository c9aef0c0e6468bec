"""What the line worker and the store workers tell the screens, as small Textual messages.

The worker posts these to the app (thread-safe `post_message`); screens handle
them. Messages that can flood (signal, line state, outbox counts) coalesce with
`can_replace`, so a burst leaves only the newest in the queue.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message


@dataclass
class CallRinging(Message):
    """A call is ringing; `card` is the store's caller card for `number` (None when withheld).

    Sent before the call's row is written, so `call_id` may be None: the card must not wait for a write.
    """

    call_id: int | None
    number: str | None
    card: Any = None


@dataclass
class CallFinished(Message):
    """A call ended: answered, missed or rejected, with its talk time in seconds."""

    call_id: int
    number: str | None
    outcome: str
    duration_s: float | None = None
    card: Any = None


@dataclass
class TextArrived(Message):
    """A whole incoming text was stored (row id `message_id`); `name` is the sender's, empty for a stranger.

    `card` stays None from the line worker: a text needs its sender's name, not the caller card's queries.
    """

    message_id: int
    number: str
    body: str
    card: Any = None
    name: str = ""


@dataclass
class LineStateChanged(Message):
    """The phone line changed state: up, connecting, reconnecting, down, closed, simulated, held, none."""

    state: str
    detail: str = ""
    operator: str = ""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, LineStateChanged)


@dataclass
class SignalChanged(Message):
    """Signal strength in bars, 0–5 (None when unknown)."""

    bars: int | None

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, SignalChanged)


@dataclass
class OutboxChanged(Message):
    """The outbox moved: how many wait, and the latest status of one text (for in-place status)."""

    waiting: int
    message_id: int | None = None
    status: str | None = None

    def can_replace(self, message: Message) -> bool:
        # Only counts coalesce; a status change of a particular text must reach the composer.
        return isinstance(message, OutboxChanged) and message.message_id is None and self.message_id is None


@dataclass
class BookChanged(Message):
    """Rows changed in the store (another terminal, or this one): screens refresh what they show."""

    calls: bool = True
    messages: bool = True
    customers: bool = False

    def can_replace(self, message: Message) -> bool:
        # Textual asks the queued message whether the next one may take its place; the next one then
        # carries both sets of flags, so a burst still refreshes everything any of its messages named.
        if not isinstance(message, BookChanged):
            return False
        message.calls = message.calls or self.calls
        message.messages = message.messages or self.messages
        message.customers = message.customers or self.customers
        return True


@dataclass
class UnreadChanged(Message):
    """How many incoming texts are unread."""

    unread: int

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, UnreadChanged)
