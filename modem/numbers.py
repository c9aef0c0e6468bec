"""Phone numbers as the modem gives them, made comparable; and the guard on what we dial.

A caller's number arrives as `+8613800138000`,145 or `13800138000`,129 or
`008613800138000` depending on the network and the phone; the shop needs one
form (E.164) to find the customer. Short codes (10086) and alphanumeric senders
(`InternetSMS`) are not numbers anyone can call back, so they stay as given.
"""

from __future__ import annotations

import re

import phonenumbers

INTERNATIONAL = 145  # TON international, ISDN numbering plan (TS 24.008 §10.5.4.7)

_DIGITS = re.compile(r"\d+")
_DESTINATION = re.compile(r"\+?\d{3,20}")


def to_e164(number: str, number_type: int | None = None, region: str = "CN") -> str:
    """The number in E.164 where it is a real phone number, else unchanged."""
    raw = number.strip()
    if not raw:
        return raw
    international = raw.startswith("+") or (number_type is not None and number_type & 0x70 == 0x10)
    digits = raw.lstrip("+")
    if not _DIGITS.fullmatch(digits):
        return raw  # alphanumeric sender, or something we do not understand
    if digits.startswith("00"):
        digits, international = digits[2:], True
    candidate = "+" + digits if international else digits
    try:
        parsed = phonenumbers.parse(candidate, None if international else region)
    except phonenumbers.NumberParseException:
        return raw
    if not international and len(digits) < 7 or not phonenumbers.is_possible_number(parsed):
        # Short codes such as 10086 or 95555 are kept as dialled: they are the
        # shop's bank or carrier, not a customer with an international number.
        return raw
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def valid_destination(number: str) -> bool:
    """True when `number` is safe to put into an AT command: `+?` and 3-20 digits."""
    return isinstance(number, str) and _DESTINATION.fullmatch(number) is not None
