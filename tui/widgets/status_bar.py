"""The status bar: line state, operator and signal, unread texts, outbox, open tasks, privacy, clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from textual.content import Content
from textual.widgets import Static

from tui.i18n import t
from tui.text import plain

LINE_STYLE = {
    "up": "$success",
    "simulated": "$accent",
    "connecting": "$warning",
    "reconnecting": "bold $warning",
    "down": "bold $error",
    "closed": "$text-muted",
    "held": "$text-muted",
    "none": "$text-muted",
}


@dataclass(frozen=True, slots=True)
class LineStatus:
    """What the bar shows; the desk replaces it as messages arrive."""

    state: str = "none"
    detail: str = ""  # who holds the line, or why it is down
    operator: str = ""
    bars: int | None = None
    unread: int = 0
    outbox: int = 0
    tasks: int = 0  # open and due today
    privacy: bool = False
    hint: str = ""  # a key worth knowing now (the demo's `r`), in the shop's words


def signal_bars(bars: int | None) -> str:
    """Five little bars, filled up to `bars`."""
    if bars is None:
        return ""
    bars = max(0, min(5, bars))
    return "▂▃▄▅▆"[:bars] + "·" * (5 - bars)


def status_content(status: LineStatus, clock: str) -> Content:
    """The bar as Content; the operator name and the detail come from outside and stay literal."""
    state = t(f"line.{status.state}", holder=status.detail) if status.state == "held" else t(f"line.{status.state}")
    parts: list[Content] = [Content.assemble(("● " + state, LINE_STYLE.get(status.state, "")))]
    if status.detail and status.state in ("down", "reconnecting"):
        parts.append(plain(status.detail, limit=40, style="$text-muted"))
    if status.operator:
        parts.append(plain(status.operator, limit=20))
    if status.bars is not None:
        parts.append(Content(signal_bars(status.bars)))
    if status.unread:
        parts.append(Content.assemble((t("status.unread", n=status.unread), "bold $accent")))
    if status.outbox:
        parts.append(Content(t("status.outbox", n=status.outbox)))
    if status.tasks:
        n = "999+" if status.tasks > 999 else status.tasks
        parts.append(Content.assemble((t("status.tasks", n=n), "$warning")))
    if status.privacy:
        parts.append(Content.assemble((t("status.privacy"), "reverse")))
    if status.hint:
        parts.append(Content.assemble((status.hint, "$accent")))
    parts.append(Content(clock))
    return Content("  ").join(parts)


class StatusBar(Static):
    """One line at the bottom of the desk, above the footer."""

    DEFAULT_CSS = """
    StatusBar { height: 1; background: $panel; padding: 0 1; }
    """

    def __init__(self, clock: Callable[[], datetime], *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self._clock = clock
        self.status = LineStatus()

    def on_mount(self) -> None:
        self._draw()
        self.set_interval(15, self._draw)

    def change(self, **fields) -> None:
        """Change some of what the bar shows and redraw it."""
        self.status = replace(self.status, **fields)
        self._draw()

    def _draw(self) -> None:
        self.update(status_content(self.status, self._clock().strftime("%H:%M")))
