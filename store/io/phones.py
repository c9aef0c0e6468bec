"""Phone numbers in bulk: the same answers as store.numbers, fast enough for 100,000 rows a second.

Parsing with phonenumbers costs ~35 µs a number, twice (E.164, then national
digits): most of an import's time. Chinese mobile numbers are allocated in
blocks by their first seven digits (号段, e.g. 1380013), and libphonenumber
decides a mobile number's validity by that block, so the first number of a
block is checked in full and the rest of the block reuse the answer. Anything
that is not a plain 11-digit mobile number goes through store.numbers as usual.
"""

from __future__ import annotations

import re

import phonenumbers

from store.numbers import InvalidNumber, national_digits, normalize

_MOBILE = re.compile(r"^1\d{10}$")
_CN_MOBILE = re.compile(phonenumbers.PhoneMetadata.metadata_for_region("CN").mobile.national_number_pattern)
_CN_MOBILE_E164 = re.compile(r"^\+861\d{10}$")


class Numbers:
    """A per-import normaliser that remembers which mobile blocks are valid."""

    def __init__(self, region: str = "CN") -> None:
        self.region = region.upper()
        self._blocks: dict[str, bool] = {}

    def e164(self, text: str) -> str:
        """As store.numbers.normalize; raises InvalidNumber."""
        if self.region == "CN" and _MOBILE.match(text):
            block = text[:7]
            known = self._blocks.get(block)
            if known is None:
                # What normalize checks an 11-digit mobile against, without its other steps.
                known = self._blocks[block] = _CN_MOBILE.fullmatch(text) is not None
            if known:
                return "+86" + text
        return normalize(text, self.region)


def national(e164: str) -> str:
    """As store.numbers.national_digits: a Chinese mobile's national digits are its last eleven."""
    if _CN_MOBILE_E164.match(e164):
        return e164[3:]
    return national_digits(e164)
