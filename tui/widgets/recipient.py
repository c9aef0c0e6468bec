"""A draft's recipient in words: the name and the number as the shop reads it, the same on every screen."""

from __future__ import annotations

from textual.content import Content

from tui.text import clean, mask_number, plain


def recipient_text(name: str, number: str, display: str = "", *, privacy: bool = False) -> str:
    """`王八达 139 1000 0001`, or the number alone for a stranger (plain text, for our own sentences)."""
    shown = mask_number(number) if privacy else clean(display or number, limit=40)
    name = clean(name, limit=40)
    return f"{name} {shown}" if name else shown


def recipient_content(name: str, number: str, display: str = "", *, privacy: bool = False) -> Content:
    """The same as `recipient_text`, the name in bold, never parsed as markup."""
    shown = mask_number(number) if privacy else clean(display or number, limit=40)
    if not name:
        return plain(shown)
    return Content.assemble(plain(name, limit=40, style="bold"), " ", plain(shown))
