"""Phone numbers: one spelling (E.164) for storage, the shop's spelling for people.

`13800138000`, `+8613800138000`, `008613800138000`, `138 0013 8000` and
`138-0013-8000` are one number (DESIGN invariant 6).
"""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat

from store.problems import Problem

_ALLOWED = re.compile(r"^[0-9+\-\s().\u3000\uff0b\uff0d\uff08\uff09]+$")
_FULLWIDTH = str.maketrans("０１２３４５６７８９＋－（）\u3000", "0123456789+-() ")


class InvalidNumber(Problem):
    """Something given as a phone number that is not one; the message says why in plain words.

    Its `code` (number.empty, number.characters, number.length, ...) and `values`
    let a screen say the same in the shop's language.
    """


def _parse(raw: str, region: str) -> phonenumbers.PhoneNumber:
    if not isinstance(raw, str):
        raise InvalidNumber("number.not_text", "a phone number should be text, not {kind}", kind=type(raw).__name__)
    text = raw.translate(_FULLWIDTH).strip()
    if not text:
        raise InvalidNumber("number.empty", "the phone number is empty")
    if len(text) > 40 or not _ALLOWED.match(text):
        shown = text[:20] + ("…" if len(text) > 20 else "")
        raise InvalidNumber("number.characters", "{text!r} is not a phone number: only digits, spaces, + - ( ) are allowed",
                            text=shown)
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region.upper())
    except NumberParseException as exc:
        raise InvalidNumber(f"number.{_reason(exc)}", "{text!r} is not a phone number: {why}", text=text,
                            why=_REASONS[_reason(exc)]) from None
    if not phonenumbers.is_possible_number(number):
        digits = re.sub(r"\D", "", text)
        raise InvalidNumber("number.length", "{text!r} is not a phone number: {digits} digits is the wrong length",
                            text=text, digits=len(digits))
    if not phonenumbers.is_valid_number(number):
        raise InvalidNumber("number.unused", "{text!r} is not a phone number in use: no such area or mobile prefix",
                            text=text)
    return number


_REASONS = {"country": "unknown country code", "no_digits": "no digits to dial", "short": "too short",
            "long": "too long", "unparsed": "not understood"}


def _reason(exc: NumberParseException) -> str:
    return {
        NumberParseException.INVALID_COUNTRY_CODE: "country",
        NumberParseException.NOT_A_NUMBER: "no_digits",
        NumberParseException.TOO_SHORT_AFTER_IDD: "short",
        NumberParseException.TOO_SHORT_NSN: "short",
        NumberParseException.TOO_LONG: "long",
    }.get(exc.error_type, "unparsed")


_CN_MOBILE_SHAPE = re.compile(r"^(?:\+86|0086|86)?(1\d{10})$")
_CN_MOBILE = re.compile(phonenumbers.PhoneMetadata.metadata_for_region("CN").mobile.national_number_pattern)


def normalize(raw: str, region: str = "CN") -> str:
    """The E.164 form (+8613800138000) of a number written any usual way; raises InvalidNumber."""
    if isinstance(raw, str) and region.upper() == "CN":
        # Most numbers a Chinese shop sees are mobiles: check them against the same
        # metadata phonenumbers uses, without its full parse (50x slower, and imports run it per row).
        shape = _CN_MOBILE_SHAPE.match(raw.replace(" ", "").replace("-", ""))
        if shape and _CN_MOBILE.fullmatch(shape.group(1)):
            return "+86" + shape.group(1)
    return phonenumbers.format_number(_parse(raw, region), PhoneNumberFormat.E164)


def national_digits(e164: str) -> str:
    """The digits as dialled inside the number's own country: 13800138000, 01012345678."""
    if e164.startswith("+86") and _CN_MOBILE.fullmatch(e164[3:]):
        return e164[3:]  # a mobile: no trunk prefix, nothing to format
    try:
        number = phonenumbers.parse(e164, None)
    except NumberParseException:
        return re.sub(r"\D", "", e164)
    return re.sub(r"\D", "", phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL))


def display(e164: str, region: str = "CN") -> str:
    """A number as people read it: national for home numbers (138 0013 8000), international otherwise."""
    try:
        number = phonenumbers.parse(e164, None)
    except NumberParseException:
        return e164
    if phonenumbers.region_code_for_number(number) == region.upper():
        return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)


def mask(e164: str, region: str = "CN") -> str:
    """The number with its middle digits hidden, for privacy mode: 138****5678."""
    digits = national_digits(e164) if e164.startswith("+") else re.sub(r"\D", "", e164)
    if len(digits) <= 4:
        return "*" * len(digits)
    if len(digits) < 8:
        return digits[:2] + "*" * (len(digits) - 4) + digits[-2:]
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
