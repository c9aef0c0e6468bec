"""How many SMS parts a text takes: GSM 7-bit (160, or 153 a part) or UCS-2 (70, or 67 a part).

The store cannot use modem/'s codec (store knows no modem), and preview needs
only the count, so the alphabet is restated here as two sets; the tests check
the counts against modem/pdu's real segmentation.
"""

from __future__ import annotations

import re

_BASIC = ("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
          "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
_EXTENSION = "\f^{}\\[~]|€"  # each costs two septets (escape + char)
_NOT_GSM = re.compile("[^" + re.escape(_BASIC + _EXTENSION) + "]")
_EXTENDED = re.compile("[" + re.escape(_EXTENSION) + "]")


def is_gsm7(text: str) -> bool:
    """True when the text fits the GSM 7-bit alphabet (else it goes as UCS-2)."""
    return _NOT_GSM.search(text) is None


def units(text: str) -> tuple[int, bool]:
    """(length in septets or UTF-16 units, True for GSM 7-bit)."""
    if is_gsm7(text):
        return len(text) + len(_EXTENDED.findall(text)), True
    return len(text.encode("utf-16-le")) // 2, False


def parts(text: str) -> int:
    """The number of SMS parts `text` is sent in (at least 1)."""
    n, gsm = units(text)
    single, each = (160, 153) if gsm else (70, 67)
    if n <= single:
        return 1
    return -(-n // each)
