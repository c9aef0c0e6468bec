"""One campaign's progress: a bar coloured by where each recipient stands, the counts, and when it will be done."""

from __future__ import annotations

from dataclasses import dataclass

from textual.content import Content
from textual.widget import Widget

from tui.i18n import t
from tui.text import plain

# Bar order, its character and colour: done first, then what is still to come.
SEGMENTS = (
    ("delivered", "█", "$success"),
    ("sent", "█", "$primary"),
    ("failed", "█", "$error"),
    ("unknown", "▓", "$warning"),
    ("skipped", "▒", "$text-muted"),
    ("waiting", "░", "$text-muted"),
)


@dataclass(frozen=True, slots=True)
class ProgressView:
    """A campaign's progress in display terms (counts add up to `total`)."""

    campaign_id: int
    name: str
    status: str  # draft, scheduled, running, paused, cancelled, finished
    total: int = 0
    sent: int = 0  # sent, no delivery report yet
    delivered: int = 0
    failed: int = 0
    unknown: int = 0  # a crash left their fate unknown
    skipped: int = 0
    waiting: int = 0  # not sent yet (pending or in the outbox)
    expected: int = 0  # before it starts: how many it would text now
    left_out: tuple[tuple[str, int], ...] = ()  # matched but never written, and why
    when: str = ""  # scheduled or started at, on the shop's clock
    eta: str = ""  # done by about, on the shop's clock ("" when not sending)
    rate: int = 0
    quiet: str = ""  # the quiet hours, "22:00–08:00"
    quiet_now: bool = False


def bar_cells(counts: list[int], width: int) -> list[int]:
    """Split `width` cells among `counts` in proportion (largest remainder), so the cells add up to `width`."""
    total = sum(counts)
    if total <= 0 or width <= 0:
        return [0] * len(counts)
    exact = [c * width / total for c in counts]
    cells = [int(x) for x in exact]
    order = sorted(range(len(counts)), key=lambda i: exact[i] - cells[i], reverse=True)
    for i in order[: width - sum(cells)]:
        cells[i] += 1
    return cells


class CampaignProgress(Widget):
    """Shows a ProgressView; `show(None)` when no campaign is selected."""

    DEFAULT_CSS = """
    CampaignProgress { height: auto; min-height: 5; padding: 0 1; border-top: solid $primary 60%; }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's word
        super().__init__(id=id)
        self.view: ProgressView | None = None

    def show(self, view: ProgressView | None) -> None:
        """Show this campaign's progress now."""
        self.view = view
        self.refresh(layout=True)

    def render(self) -> Content:
        v = self.view
        if v is None:
            return Content(t("campaigns.pick_one"))
        width = max(10, self.size.width - 8)
        state = t(f"campaign.{v.status}")
        head = [Content(f"#{v.campaign_id} "), plain(v.name, limit=40, style="bold"), Content(f" · {state}")]
        if v.when:
            key = "campaigns.scheduled_at" if v.status == "scheduled" else "campaigns.started_at"
            head.append(Content(" · " + t(key, at=v.when)))
        lines = [Content("").join(head)]
        if v.total:
            counts = [getattr(v, name) for name, _, _ in SEGMENTS]
            cells = bar_cells(counts, width)
            bar = [(char * n, style) for (_, char, style), n in zip(SEGMENTS, cells) if n]
            done = v.total - v.waiting
            lines.append(Content.assemble(*bar, f" {done * 100 // v.total:3d}%"))
            shown = [t(f"progress.{name}", n=getattr(v, name)) for name, _, _ in SEGMENTS
                     if getattr(v, name) or name in ("sent", "delivered", "failed", "waiting")]
            lines.append(Content(" · ".join([t("progress.total", n=v.total), *shown])))
        elif v.status in ("draft", "scheduled"):
            lines.append(Content(t("progress.expected", n=v.expected)))
        if v.left_out:
            why = " · ".join(t(f"skip.{reason}", n=n) for reason, n in v.left_out)
            lines.append(Content(t("progress.left_out", why=why)).stylize("$text-muted"))
        lines.append(self._pace(v))
        return Content("\n").join(lines)

    @staticmethod
    def _pace(v: ProgressView) -> Content:
        if v.status == "paused":
            return Content.assemble((t("progress.paused"), "$warning"))
        if v.status not in ("running", "scheduled") or not v.eta:
            return Content("")
        words = t("progress.eta", at=v.eta, rate=v.rate, quiet=v.quiet)
        if v.quiet_now and v.status == "running":
            words += " · " + t("progress.quiet_now")
        return Content(words)
