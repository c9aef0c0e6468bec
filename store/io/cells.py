"""Spreadsheet cells that cannot run: CSV injection neutralised on export, undone on import.

A spreadsheet treats a cell starting with = + - @ (or a tab or carriage return,
or their full-width forms, which some Excel builds fold to ASCII) as a formula:
`=cmd|' /C calc'!A0` in an exported customer note would run on the shop's PC.
Every such cell is written with a leading single quote, except a bare E.164
number or a list of them (`+8613800138000;+8613900139000`): digits, `+` and
`;` cannot run anything, and Excel showed the quote on every number. The
importer strips a guard quote again (older exports quoted numbers too), so an
exported file imports back unchanged.
"""

from __future__ import annotations

import re

FORMULA_STARTS = frozenset("=+-@\t\r＝＋－＠")
QUOTE = "'"
_E164 = re.compile(r"\+[1-9]\d{5,14}(?:;\+[1-9]\d{5,14})*")


def neutralise(text: str) -> str:
    """`text` with a leading quote if a spreadsheet would read it as a formula (never a bare E.164 number)."""
    if text and text[0] in FORMULA_STARTS and not (text[0] == "+" and _E164.fullmatch(text)):
        return QUOTE + text
    return text


def restore(text: str) -> str:
    """Undo `neutralise`: drop a leading quote that guards a formula-looking cell."""
    if len(text) > 1 and text[0] == QUOTE and text[1] in FORMULA_STARTS:
        return text[1:]
    return text
