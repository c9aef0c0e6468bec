"""The ring banner: who is calling, shown over whatever screen is up, without taking the keyboard."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from tui.i18n import t
from tui.text import clean, mask_number, plain


def ring_content(number: str | None, name: str = "", tier: str = "", notes: str = "", *, blocked: bool = False,
                 where: str = "", privacy: bool = False) -> Content:
    """One or two lines: ☎ name (tier) number, then the caller's last notes or where the number is from."""
    shown = t("call.withheld") if not number else (mask_number(number) if privacy else clean(number, limit=40))
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
    return Content("\n").join(lines)


class RingBanner(Static, can_focus=False):
    """Hidden until a call rings; never focusable, so typing elsewhere goes on undisturbed."""

    DEFAULT_CSS = """
    RingBanner { dock: top; height: auto; max-height: 3; display: none; background: $warning 40%; padding: 0 1; }
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
