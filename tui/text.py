"""The one way outside data reaches the screen: literal, clean and bounded.

Names, numbers and SMS bodies come from customers, phones and imported files.
Textual parses plain strings as markup in many places (Static.update, DataTable
cells, tooltips, notify), where `张三[/]` crashes the app and `[@click=...]`
becomes an action. Everything from outside goes through `plain` or `cell`,
which never parse markup and drop control codes the terminal would obey.
"""

from __future__ import annotations

import re

from rich.text import Text
from textual.content import Content

# Whole escape sequences first (CSI, OSC, and two-byte ESC x), so no "[31m" debris is left.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI ... final byte
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC ... BEL or ST
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
    r"|\x1b[@-_]"  # other two-byte escapes
)
# C0, DEL and C1 controls, plus bidi overrides that would reorder what follows on the line.
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROLS_KEEP_NEWLINE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

LIMIT = 1000  # longer than any name or SMS thread line worth reading at a counter
ELLIPSIS = "…"


def clean(value: object, *, limit: int = LIMIT, lines: bool = False) -> str:
    """`value` as a string with escape sequences and control characters removed, cut to `limit`."""
    text = "" if value is None else str(value)
    if len(text) > limit * 4:
        # Cut early so a megabyte of junk is not scanned by the regexes below.
        text = text[: limit * 4]
    text = _ESCAPES.sub("", text)
    if lines:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        text = _CONTROLS_KEEP_NEWLINE.sub(" ", text.replace("\t", " "))
    else:
        text = _CONTROLS.sub(" ", text.replace("\r\n", " "))
    if len(text) > limit:
        text = text[: limit - 1] + ELLIPSIS
    return text


def plain(value: object, *, limit: int = LIMIT, lines: bool = False, style: str = "") -> Content:
    """Outside data as Textual Content, never parsed as markup."""
    content = Content(clean(value, limit=limit, lines=lines))
    return content.stylize(style) if style else content


def cell(value: object, *, limit: int = LIMIT, style: str = "") -> Text:
    """Outside data as a Rich Text for table cells and Line-API rendering, never parsed as markup."""
    return Text(clean(value, limit=limit), style=style, no_wrap=True, overflow="ellipsis")


def mask_number(number: str | None) -> str:
    """A phone number with its middle digits hidden, for privacy mode: 138****5678."""
    if not number:
        return ""
    digits = re.sub(r"[\s\-()]", "", clean(number, limit=40))  # "138 0013 8000" masks like 13800138000
    head = 3 if not digits.startswith("+") else min(len(digits), 6)
    if digits.startswith("+86"):
        digits, head = digits[3:], 3
    if len(digits) <= head + 4:
        return digits[:2] + "*" * max(0, len(digits) - 2)
    return digits[:head] + "*" * (len(digits) - head - 4) + digits[-4:]
