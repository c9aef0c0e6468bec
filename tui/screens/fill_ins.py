"""The fill-ins (placeholders) a text may say, in the operator's words: one line for every form that takes a text.

The set itself is store/templates.py's; the template editor, the campaign form
and the care rules list and check the same names with these helpers.
"""

from __future__ import annotations

from textual.content import Content

from store import templates
from tui.i18n import current_language, t


def fill_ins(names: tuple[str, ...] = templates.EVERYWHERE) -> Content:
    """"可用：{name}姓名  {today}今天 …": each fill-in with what it stands for."""
    joint = " " if current_language() == "en" else ""  # {name}姓名, {name} name
    return Content.assemble((t("care.placeholders"), "bold"),
                            "  ".join(f"{{{p}}}{joint}{t(f'ph.{p}')}" for p in names))


def problem(body: str, *, booking: bool = False, festival: bool = False) -> str:
    """What is wrong with the text's fill-ins, in plain words ("" when nothing is)."""
    unknown = templates.unknown(body, booking=booking, festival=festival)
    if not unknown:
        return ""
    valid = " ".join(f"{{{p}}}" for p in templates.valid(booking=booking, festival=festival))
    return t("fill_ins.unknown", unknown=" ".join(unknown), valid=valid)
