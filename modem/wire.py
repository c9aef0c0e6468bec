"""Bytes from the phone → lines, and the `> ` prompt that has no line ending.

Pure and incremental: feed whatever the port gave, get back the lines it
completed. Real devices end lines with `\\r\\n`, a bare `\\r` (echo, +CMT on
some), a bare `\\n`, or `\\r\\r\\n` (SIMCom); any run of CR/LF ends a line and
blank lines are dropped. Leading NULs (seen after a modem reset) are dropped.

Lines are decoded as UTF-8 with errors="replace": AT lines are ASCII (PDUs
are hex), names under AT+CSCS="UTF-8" come out right, and a burst of line
noise or a Latin-1 byte becomes U+FFFD instead of killing the reader (the
python-gsmmodem-new bug).
"""

from __future__ import annotations

from dataclasses import dataclass

# A line longer than this without an ending is line noise or a stuck device:
# it is handed on in pieces of this size so memory stays bounded. The longest
# real line is a +CMGL/+CMGR PDU line (~360 hex chars) or a +COPS=? list.
MAX_LINE = 8192


@dataclass(frozen=True, slots=True)
class Prompt:
    """The `> ` the modem sends after AT+CMGS=<n>, asking for the PDU."""


PROMPT = Prompt()

_PROMPTS = (b">", b"> ", b">  ")
_ENDS = b"\r\n"


class LineReader:
    """Cuts a byte stream into lines (`str`) and `PROMPT` items."""

    __slots__ = ("_rest",)

    def __init__(self) -> None:
        self._rest = b""

    @property
    def pending(self) -> bytes:
        """The bytes of a line not yet ended."""
        return self._rest

    def feed(self, data: bytes) -> list[str | Prompt]:
        """Take more bytes; return the lines (and prompt) they complete, in order."""
        if self._rest:
            data = self._rest + data
        if 0 in data:  # a NUL byte: an int lookup is a memchr, `b"\0" in data` costs 10x more
            data = data.replace(b"\0", b"")
        pieces = data.splitlines()  # bytes split only on CR, LF and CRLF
        rest = pieces.pop() if pieces and data[-1] not in _ENDS else b""
        out: list[str | Prompt] = []
        for piece in pieces:
            if piece:
                text = piece.decode("utf-8", "replace").strip()
                if text == ">":  # the prompt, with a line ending or a URC right behind it in the same read
                    out.append(PROMPT)
                elif text:
                    out.append(text)
        if rest:  # most reads end on a line ending: nothing left to look at
            if rest in _PROMPTS:
                out.append(PROMPT)
                rest = b""
            elif len(rest) > MAX_LINE:
                while len(rest) > MAX_LINE:
                    out.append(rest[:MAX_LINE].decode("utf-8", "replace"))
                    rest = rest[MAX_LINE:]
        self._rest = rest
        return out

    def clear(self) -> None:
        """Forget a half-received line (after a reconnect)."""
        self._rest = b""
