"""The ring banner: who is calling, shown over whatever screen is up, without taking the keyboard."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from tui.i18n import t
from tui.text import clean, mask_number, plain


def ring_content(number: str | None, name: str = "", tier: str = "", notes: str = "", *, blocked: bool = False,
                 where: str = "", privacy: bool = False, display: str = "", key: str = "",
                 one_line: bool = False) -> Content:
    """☎ name (tier) number, then the caller's last notes or where the number is from.

    Two lines on the desk; on every other screen one line (it covers only the screen's title) that ends with
    the key going to the desk (`key`, already in the words of the keyboard).
    """
    if not number:
        shown = t("call.withheld")
    else:
        shown = mask_number(number) if privacy else clean(display or number, limit=40)
    head = [Content.assemble(("☎ ", "bold"))]
    if name:
        head += [plain(name, limit=40, style="bold"), Content(" ")]
        if tier:
            head += [plain(tier, limit=20, style="italic"), Content(" ")]
    else:
        head += [Content.assemble((t("card.unknown"), "bold"), " ")]
    head.append(plain(shown))
    lines = [Content.assemble(*head)]
    if blocked:
        lines.append(Content.assemble((t("card.blocked"), "bold")))
    elif notes:
        lines.append(plain(notes, limit=200))
    elif where:
        lines.append(plain(where, limit=60))
    if not one_line:
        return Content("\n").join(lines)
    line = Content("  ").join(lines)
    if key:
        # The key first in the operator's eye, so a long note cut at the edge never hides it.
        hint = Content.assemble((f"{key} ", "bold reverse"), (t("announce.to_desk"), "bold"), "  ")
        line = Content.assemble(hint, line)
    return line


class RingBanner(Static, can_focus=False):
    """Hidden until a call rings; never focusable, so typing elsewhere goes on undisturbed."""

    DEFAULT_CSS = """
    RingBanner { dock: top; height: auto; max-height: 3; display: none; background: $warning 40%; padding: 0 1; }
    RingBanner.one-line { max-height: 1; text-wrap: nowrap; text-overflow: ellipsis; }
    RingBanner.ringing { display: block; }
    RingBanner.blocked { background: $error 60%; }
    """

    def ring(self, content: Content, *, blocked: bool = False) -> None:
        """Show the banner with `content`."""
        self.update(content)
        self.set_class(blocked, "blocked")
        self.add_class("ringing")

    def hush(self) -> None:
        """Hide the banner (the call ended or was taken)."""
        self.remove_class("ringing", "blocked")
