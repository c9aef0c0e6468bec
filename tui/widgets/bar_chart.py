"""A horizontal bar chart for the terminal: one labelled bar per row, drawn in eighths of a cell.

Labels may be customers' names (wide Chinese characters, or anything at all):
they are cleaned, never read as markup, and padded or cut by terminal cells,
not characters, so every bar starts in the same column at 80x24.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

from tui.text import clean

EIGHTHS = ("", "▏", "▎", "▍", "▌", "▋", "▊", "▉")
FULL = "█"


@dataclass(frozen=True, slots=True)
class Bar:
    """One row: what it is, how much (None: nothing to measure), and the value as the reader should see it."""

    label: str
    value: float | None
    text: str


def bar(value: float, largest: float, width: int) -> str:
    """A bar of `value` against `largest`, filling at most `width` cells, to the nearest eighth of a cell."""
    if width <= 0 or largest <= 0 or value <= 0:
        return ""
    eighths = round(min(value, largest) / largest * width * 8)
    full, rest = divmod(eighths, 8)
    return FULL * full + EIGHTHS[rest]


def lines(bars: Sequence[Bar], width: int, label_share: float = 0.34) -> list[Content]:
    """The chart as one Content a row, each exactly `width` cells."""
    if not bars:
        return []
    labels = [clean(b.label, limit=60) for b in bars]
    texts = [clean(b.text, limit=20) for b in bars]
    label_w = min(max(cell_len(x) for x in labels), max(4, int(width * label_share)))
    text_w = max(cell_len(x) for x in texts)
    bar_w = max(0, width - label_w - text_w - 2)
    largest = max((b.value for b in bars if b.value is not None), default=0) or 0
    out = []
    for item, label, text in zip(bars, labels, texts):
        drawn = bar(item.value or 0, largest, bar_w)
        row = Content.assemble(
            Content(set_cell_size(label, label_w)), " ",
            (set_cell_size(drawn, bar_w), "$accent"), " ",
            Content(" " * (text_w - cell_len(text)) + text),
        )
        out.append(row)
    return out


class BarChart(Widget):
    """Bars for the rows given to `show`; as tall as the rows, as wide as its container."""

    DEFAULT_CSS = "BarChart { height: auto; width: 1fr; }"

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's word
        super().__init__(id=id)
        self._bars: list[Bar] = []

    @property
    def bars(self) -> list[Bar]:
        return list(self._bars)

    def show(self, bars: Sequence[Bar]) -> None:
        """Draw these bars instead."""
        self._bars = list(bars)
        self.refresh(layout=True)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return max(1, len(self._bars))

    def render(self) -> Content:
        return Content("\n").join(lines(self._bars, self.content_size.width))
