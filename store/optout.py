"""Opt-out of marketing: recognising "T", "TD", "退订", "STOP", "UNSUBSCRIBE" replies, and recording them."""

from __future__ import annotations

import unicodedata
from datetime import datetime

from store import customers
from store.models import Customer
from store.numbers import InvalidNumber

WORDS = frozenset({"t", "td", "退订", "stop", "unsubscribe"})


def _bare(text: str) -> str:
    # NFKC folds full-width letters (ＴＤ) to ASCII; casefold takes care of StOp.
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    # Only what surrounds the word may be dropped: "don't stop" stays two words.
    start, end = 0, len(folded)
    while start < end and _is_filler(folded[start]):
        start += 1
    while end > start and _is_filler(folded[end - 1]):
        end -= 1
    return folded[start:end]


def _is_filler(char: str) -> bool:
    return char.isspace() or unicodedata.category(char)[0] in "PSZC"


def is_opt_out(text: str) -> bool:
    """True when a received text, as a whole, asks for no more marketing (any case, width, spaces, punctuation)."""
    return _bare(text) in WORDS


def record_opt_out(number: str, text: str, at: datetime | None = None, region: str = "CN") -> Customer | None:
    """Mark the sender's customer opted out (when, and the text they sent); None when the number is nobody's."""
    try:
        customer = customers.customer_by_number(number, region)
    except InvalidNumber:
        return None
    if customer is None:
        return None
    if customer.opted_out:
        return customer  # the first request stands; its time is the one that counts
    return customers.opt_out(customer, how=f"SMS: {text.strip()[:160]}", at=at)
