"""The comma-separated fields of an AT line, read without ever raising.

AT strings are quoted and never contain an escaped quote, so splitting on `"`
alternates outside/inside text: commas count only outside. The quotes are
dropped; `"",128` and `,128` read the same, which no caller needs to tell apart.
"""

from __future__ import annotations


def fields(text: str) -> list[str]:
    """`"+8613800138000",145,"",0,"",1` → ['+8613800138000', '145', '', '0', '', '1']."""
    if '"' not in text:
        return [part.strip() for part in text.split(",")]
    out = [""]
    for i, piece in enumerate(text.split('"')):
        if i % 2:
            out[-1] = piece  # quoted: taken as is, commas and all
        else:
            parts = piece.split(",")
            out[-1] += parts[0].strip()
            out.extend(part.strip() for part in parts[1:])
    return out


def to_int(text: str | None) -> int | None:
    """An integer field, or None when it is empty or not a number."""
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        return None


_HEX = frozenset("0123456789ABCDEFabcdef")
_DIAL = frozenset("0123456789+*#pwPW,")


def maybe_ucs2(text: str, *, number: bool = False, sure: bool = False) -> str:
    """Decode a UCS2-hex string (what AT+CSCS="UCS2" makes of names and numbers) when it is one.

    For a number only a decoding that gives dial characters is taken, so
    "008613800138000" stays a number. For a name, `sure` decodes whenever the
    text is hex; otherwise it is a guess (hex, whole code units, printable).
    """
    if len(text) < 4 or len(text) % 4 or not _HEX.issuperset(text):
        return text
    try:
        decoded = bytes.fromhex(text).decode("utf-16-be")
    except (ValueError, UnicodeDecodeError):
        return text
    if number:
        return decoded if _DIAL.issuperset(decoded) else text
    if sure or decoded.isprintable():
        return decoded
    return text


def is_hex(text: str) -> bool:
    """True for a non-empty, even-length string of hex digits (a PDU line)."""
    return bool(text) and len(text) % 2 == 0 and _HEX.issuperset(text)


def head_of(line: str) -> str:
    """The part of a line that names it: `+CLIP` of `+CLIP: "1",129`, or the whole line."""
    colon = line.find(":")
    return line[:colon].rstrip() if colon > 0 else line
