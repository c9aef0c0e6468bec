"""The GSM 03.38 (TS 23.038) 7-bit default alphabet, its extension table, and septet packing.

Text is turned into septets with `str.translate` and back with one `translate`
per message, and packing works on whole integers rather than bit by bit: the
codec sits on the path of every received text, so it is kept cheap.
"""

from __future__ import annotations

import codecs
import re

ESCAPE = 0x1B

# The default alphabet, in septet order (TS 23.038 §6.2.1). 0x1B is the escape
# to the extension table; it decodes to a space when it stands alone (§6.2.1.1).
BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅå"
    "Δ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ"
    " !\"#¤%&'()*+,-./"
    "0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNO"
    "PQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmno"
    "pqrstuvwxyzäöñüà"
)
assert len(BASIC) == 128

# The extension table (§6.2.1.1): ESC followed by one of these septets.
EXTENSION = {
    0x0A: "\f",
    0x14: "^",
    0x28: "{",
    0x29: "}",
    0x2F: "\\",
    0x3C: "[",
    0x3D: "~",
    0x3E: "]",
    0x40: "|",
    0x65: "€",
}

# Encoding table for str.translate: every character maps to one or two chars
# below U+0080 whose code points are the septets. ASCII characters that are not
# in the alphabet (the backtick, for one) map to U+0080 so that the result is
# not ASCII and the check in `encode` catches them; other unmapped characters
# are left as they are, which is never ASCII either.
_NOT_GSM = "\x80"
_ENCODE: dict[int, str] = {code: _NOT_GSM for code in range(128)}
for _septet, _char in enumerate(BASIC):
    if _septet != ESCAPE:
        _ENCODE[ord(_char)] = chr(_septet)
for _septet, _char in EXTENSION.items():
    _ENCODE[ord(_char)] = chr(ESCAPE) + chr(_septet)

# Decoding: septet -> character through the C charmap codec; the table repeats
# so the eighth bit, not part of a septet, is ignored. ESC stays "\x1b" and is
# resolved afterwards, keyed by the base character its follower became.
_DECODE = BASIC + BASIC
_EXTENSION_BY_BASE = {BASIC[septet]: char for septet, char in EXTENSION.items()}
_ESCAPE_PAIRS = [("\x1b" + BASIC[septet], char) for septet, char in EXTENSION.items()]
_LOW7 = bytes(b & 0x7F for b in range(256))
_ESCAPED = re.compile("\x1b(.?)", re.DOTALL)


def _escaped(match: re.Match[str]) -> str:
    follower = match.group(1)
    if not follower or follower == "\x1b":
        # ESC at the very end, or ESC ESC (reserved for a future table): a space (§6.2.1.1).
        return " "
    # An unknown extension shows the base character instead (§6.2.1.1 note).
    return _EXTENSION_BY_BASE.get(follower, follower)


# Any character outside the alphabet and its extension. Searching for one stops
# at the first Chinese character, where translating would look every one up.
_OUTSIDE = re.compile("[^" + re.escape(BASIC.replace("\x1b", "") + "".join(EXTENSION.values())) + "]")


def try_encode(text: str) -> bytes | None:
    """Septets for `text`, one per byte, or None when a character does not fit GSM7."""
    if not text.isascii() and _OUTSIDE.search(text):
        return None
    mapped = text.translate(_ENCODE)
    return mapped.encode("ascii") if mapped.isascii() else None


def can_encode(text: str) -> bool:
    """True when every character of `text` is in the default alphabet or its extension."""
    return try_encode(text) is not None


def _to_septet_string(text: str) -> str:
    mapped = text.translate(_ENCODE)
    if not mapped.isascii():
        bad = next(ch for ch in text if not ch.translate(_ENCODE).isascii())
        raise ValueError(f"{bad!r} is not in the GSM 7-bit alphabet")
    return mapped


def encode_bytes(text: str) -> bytes:
    """Septets for `text`, one per byte, escapes included; ValueError if not encodable."""
    return _to_septet_string(text).encode("ascii")


def encode(text: str) -> list[int]:
    """Septets for `text`, escapes included; ValueError if not encodable."""
    return list(encode_bytes(text))


def septet_count(text: str) -> int:
    """How many septets `text` takes (extension characters count two); ValueError if not encodable."""
    return len(_to_septet_string(text))


def decode(septets: bytes | bytearray | list[int]) -> str:
    """Text for septets; never raises (unknown escapes become the base character or a space)."""
    raw = bytes(b & 0x7F for b in septets) if isinstance(septets, list) else septets
    text = codecs.charmap_decode(raw, "strict", _DECODE)[0]
    return resolve_escapes(text) if "\x1b" in text else text


def unpack_text(data: bytes, count: int, fill_bits: int = 0) -> str:
    """The text of `count` septets packed in `data` after `fill_bits` bits."""
    text = codecs.charmap_decode(unpack_bytes(data, count, fill_bits), "strict", _DECODE)[0]
    return resolve_escapes(text) if "\x1b" in text else text


def resolve_escapes(text: str) -> str:
    """Replace ESC + base character pairs (as decoded) by their extension characters."""
    if "\x1b\x1b" not in text:
        # The common case, known escapes only: plain replaces beat a regex callback.
        for pair, char in _ESCAPE_PAIRS:
            text = text.replace(pair, char)
    if "\x1b" in text:
        text = _ESCAPED.sub(_escaped, text)
    return text


# Packing moves septet i between bit 7*i (packed) and bit 8*i (one per byte).
# Rather than shifting each septet, every septet whose index has bit t set moves
# 2**t places at once, with one mask over a whole message: eight big-integer
# steps whatever the length. Spreading goes from the high bit down and
# compacting from the low bit up, so moving fields never overlap.
_MAX_SEPTETS = 256


def _mask(position, step: int) -> int:
    mask = 0
    for i in range(_MAX_SEPTETS):
        if i & step:
            mask |= 0x7F << position(i)
    return mask


_SPREAD = [
    (1 << t, _mask(lambda i, t=t: 7 * i + i - i % (1 << (t + 1)), 1 << t)) for t in range(7, -1, -1)
]
# The spreading steps needed when septet indexes have `bits` bits.
_SPREAD_FOR_BITS = [[(step, mask) for step, mask in _SPREAD if step < 1 << bits] for bits in range(9)]
_COMPACT = [(1 << t, _mask(lambda i, t=t: 8 * i - i % (1 << t), 1 << t)) for t in range(8)]


def pack(septets: bytes | bytearray | list[int], fill_bits: int = 0) -> bytes:
    """Pack septets into octets, least significant bit first, after `fill_bits` zero bits."""
    data = bytes(septets).translate(_LOW7)
    count = len(data)
    if count > _MAX_SEPTETS:
        raise ValueError(f"at most {_MAX_SEPTETS} septets fit one user data field")
    value = int.from_bytes(data, "little")
    for step, mask in _COMPACT:
        if step >= count:
            break  # no septet index has this bit set
        moving = value & mask
        value = (value ^ moving) | (moving >> step)
    length = (fill_bits + 7 * count + 7) // 8
    return (value << fill_bits).to_bytes(length, "little")


def unpack_bytes(data: bytes, count: int, fill_bits: int = 0) -> bytes:
    """The first `count` septets packed in `data` (after `fill_bits`), one per byte."""
    available = (len(data) * 8 - fill_bits) // 7
    count = min(count, available, _MAX_SEPTETS)
    if count <= 0:
        return b""
    value = (int.from_bytes(data, "little") >> fill_bits) & ((1 << 7 * count) - 1)
    for step, mask in _SPREAD_FOR_BITS[(count - 1).bit_length()]:
        moving = value & mask
        value = (value ^ moving) | (moving << step)
    return value.to_bytes(count, "little")


def unpack(data: bytes, count: int, fill_bits: int = 0) -> list[int]:
    """The first `count` septets packed in `data` after `fill_bits` bits (fewer if `data` runs out)."""
    return list(unpack_bytes(data, count, fill_bits))
