"""Spreadsheet cells that cannot run: CSV injection neutralised on export, undone on import.

A spreadsheet treats a cell starting with = + - @ (or a tab or carriage return,
or their full-width forms, which some Excel builds fold to ASCII) as a formula:
`=cmd|' /C calc'!A0` in an exported customer note would run on the shop's PC.
Every such cell is written with a leading single quote. Phone numbers are no
exception: `+8613800138000` becomes `'+8613800138000`, which Excel keeps as
text (unquoted, it would turn it into the number 8.6138E+12 and lose the `+`
when saved again). The importer strips that one quote again, so an exported
file imports back unchanged.
"""

from __future__ import annotations

FORMULA_STARTS = frozenset("=+-@\t\r＝＋－＠")
QUOTE = "'"


def neutralise(text: str) -> str:
    """`text` with a leading quote if a spreadsheet would read it as a formula."""
    if text and text[0] in FORMULA_STARTS:
        return QUOTE + text
    return text


def restore(text: str) -> str:
    """Undo `neutralise`: drop a leading quote that guards a formula-looking cell."""
    if len(text) > 1 and text[0] == QUOTE and text[1] in FORMULA_STARTS:
        return text[1:]
    return text
