"""The call log: a Line-API scroll view over the whole history, paged in from the store on demand.

Only the pages on screen (and a few around them) are held; each missing page is
fetched by a thread worker, so neither a ten-million-call book nor a slow
database ever blocks the event loop. The widget knows nothing about the store:
the screen gives it two blocking callables, `count()` and `load(offset, limit)`.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.i18n import TranslatedBindings, t
from tui.text import clean, mask_number

PAGE = 100
KEEP_PAGES = 12  # enough for a tall terminal plus scrolling both ways; older pages are dropped

# ringing/talking: not over yet; unknown: it ended while no program held the line (a crash, a quit)
OUTCOMES = ("answered", "missed", "rejected", "ringing", "talking", "unknown")


@dataclass(frozen=True, slots=True)
class CallLine:
    """One call as the log shows it; times are already in the shop's time zone."""

    call_id: int
    when: str  # "14:03" today, "11-23" before
    when_long: str  # "2026-11-23 14:03"
    number: str | None
    name: str | None
    outcome: str  # answered / missed / rejected
    duration_s: float | None
    callback_pending: bool
    customer_id: int | None = None
    direction: str = "in"
    display: str | None = None  # the number as people read it (150 6693 5807); masking uses `number`


def _duration(seconds: float | None) -> str:
    if not seconds:
        return ""
    seconds = int(seconds)
    return f"{seconds // 60}:{seconds % 60:02d}" if seconds < 3600 else f"{seconds // 3600}h{seconds % 3600 // 60:02d}"


class CallLog(TranslatedBindings, ScrollView, can_focus=True):
    """Newest call first; missed calls not yet returned stand out."""

    BINDINGS = [
        Binding("up,k", "cursor(-1)", show=False, id="calls.up"),
        Binding("down,j", "cursor(1)", show=False, id="calls.down"),
        Binding("pageup", "page(-1)", show=False, id="calls.page_up"),
        Binding("pagedown", "page(1)", show=False, id="calls.page_down"),
        Binding("home", "jump(0)", show=False, id="calls.home"),
        Binding("end", "jump(-1)", show=False, id="calls.end"),
    ]

    DEFAULT_CSS = """
    CallLog { height: 1fr; overflow-x: hidden; }
    """

    class Highlighted(Message):
        """The cursor is on a call: moved there by the operator (`by_operator`), or first loaded there."""

        def __init__(self, line: CallLine, by_operator: bool = False) -> None:
            super().__init__()
            self.line = line
            self.by_operator = by_operator

    class PageLoaded(Message):
        def __init__(self, generation: int, page: int, lines: list[CallLine], total: int | None) -> None:
            super().__init__()
            self.generation, self.page, self.lines, self.total = generation, page, lines, total

    def __init__(
        self,
        count: Callable[[], int],
        load: Callable[[int, int], list[CallLine]],
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self._count = count
        self._load = load
        self._pages: OrderedDict[int, list[CallLine]] = OrderedDict()
        self._asked: set[int] = set()
        self._generation = 0
        self.total = 0
        self.cursor = 0
        self.privacy = False
        # The call the cursor is on while a reload is under way: rows arriving at the top push it down,
        # and the cursor follows it there (by call id), so keys keep acting on the call the operator chose.
        self._keep: int | None = None
        self._keep_total = 0
        self._moved = False  # the operator moved onto a row whose page is still on its way

    def on_mount(self) -> None:
        self.reload()

    # -- data -------------------------------------------------------------

    def reload(self) -> None:
        """Forget every page and fetch again (new calls arrived, or the book changed); the cursor stays on
        the call it is on."""
        line = self.current
        if line is not None:
            self._keep, self._keep_total = line.call_id, self.total
        self._generation += 1
        self._pages.clear()
        self._asked.clear()
        self._fetch(0, with_total=True)

    def line_at(self, index: int) -> CallLine | None:
        """The call at `index` (0 is the newest) if its page is loaded."""
        page = self._pages.get(index // PAGE)
        if page is None or index % PAGE >= len(page):
            return None
        return page[index % PAGE]

    def line_for(self, call_id: int) -> CallLine | None:
        """The call with this id if a loaded page holds it."""
        return next((line for lines in self._pages.values() for line in lines if line.call_id == call_id), None)

    @property
    def current(self) -> CallLine | None:
        """The call under the cursor."""
        return self.line_at(self.cursor)

    def _fetch(self, page: int, with_total: bool = False) -> None:
        if page in self._asked:
            return
        self._asked.add(page)
        self._load_page(self._generation, page, with_total)

    @work(thread=True, group="call-log", exit_on_error=False)
    def _load_page(self, generation: int, page: int, with_total: bool) -> None:
        total = self._count() if with_total else None
        lines = self._load(page * PAGE, PAGE)
        self.post_message(self.PageLoaded(generation, page, lines, total))

    @on(PageLoaded)
    def _page_loaded(self, event: PageLoaded) -> None:
        event.stop()
        if event.generation != self._generation:
            return
        self._pages[event.page] = event.lines
        self._pages.move_to_end(event.page)
        while len(self._pages) > KEEP_PAGES:
            dropped, _ = self._pages.popitem(last=False)
            self._asked.discard(dropped)
        if event.total is not None:
            self.total = event.total
        if len(event.lines) < PAGE:
            # The count may come from the id range and run past the last real call: trust the page.
            self.total = min(self.total, event.page * PAGE + len(event.lines))
        if event.total is not None or len(event.lines) < PAGE:
            self.virtual_size = Size(0, self.total)
        if event.total is not None and self._keep is not None:
            # Calls are only ever added at the newest end: the kept call moved down by as many rows.
            self._shift(self.total - self._keep_total)
        self.cursor = min(self.cursor, max(0, self.total - 1))
        self.refresh()
        if self._keep is not None and not self._find_kept():
            return
        if self.current is not None and event.page == self.cursor // PAGE:
            self.post_message(self.Highlighted(self.current, by_operator=self._moved))
            self._moved = False

    def _shift(self, rows: int) -> None:
        if rows <= 0:
            return
        self.cursor += rows
        if self.scroll_y > 0:
            # Scrolled down into the history: the view moves with the rows, so nothing jumps under the eye.
            self.scroll_to(y=self.scroll_y + rows, animate=False, immediate=True)
        elif self.cursor >= self.size.height:
            self.scroll_to(y=self.cursor - self.size.height + 1, animate=False, immediate=True)

    def _find_kept(self) -> bool:
        """Put the cursor on the kept call if a loaded page has it; else fetch the page it should be on.
        False while that page is still on its way."""
        for number, lines in self._pages.items():
            for i, line in enumerate(lines):
                if line.call_id == self._keep:
                    self.cursor = number * PAGE + i
                    self._keep = None
                    return True
        page = self.cursor // PAGE
        if page in self._pages or self.total == 0:
            self._keep = None  # gone from where it must be (ids with gaps): the row there will do
            return True
        self._fetch(page)
        return False

    # -- keys -------------------------------------------------------------

    def _move_to(self, index: int) -> None:
        if self.total == 0:
            return
        self._keep = None  # the operator chose: a reload under way no longer moves the cursor
        self.cursor = max(0, min(self.total - 1, index))
        if self.cursor < self.scroll_y:
            self.scroll_to(y=self.cursor, animate=False)
        elif self.cursor >= self.scroll_y + self.size.height:
            self.scroll_to(y=self.cursor - self.size.height + 1, animate=False)
        self.refresh()
        line = self.current
        if line is not None:
            self.post_message(self.Highlighted(line, by_operator=True))
        else:
            self._moved = True
            self._fetch(self.cursor // PAGE)

    def action_cursor(self, step: int) -> None:
        self._move_to(self.cursor + step)

    def action_page(self, step: int) -> None:
        self._move_to(self.cursor + step * max(1, self.size.height - 1))

    def action_jump(self, where: int) -> None:
        self._move_to(self.total - 1 if where < 0 else 0)

    def on_click(self, event) -> None:
        self._move_to(int(self.scroll_y) + event.y)

    # -- drawing ----------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        index = int(self.scroll_y) + y
        width = self.scrollable_content_region.width
        if index >= self.total:
            if index == 0 and self._pages:
                return self._strip(Text(t("call.none"), style="dim"), width)
            return Strip.blank(width)
        line = self.line_at(index)
        if line is None:
            self._fetch(index // PAGE)
            return self._strip(Text("…", style="dim"), width)
        text = self._row(line, width)
        if index == self.cursor:
            text.stylize("reverse" if self.has_focus else "underline")
        return self._strip(text, width)

    def _strip(self, text: Text, width: int) -> Strip:
        text.truncate(width, overflow="ellipsis", pad=True)
        segments = [Segment(s.text, s.style) for s in text.render(self.app.console)]
        return Strip(segments).adjust_cell_length(width, Style())

    def _row(self, line: CallLine, width: int) -> Text:
        wide = width >= 60
        when = line.when_long[5:] if wide else line.when
        number = clean(line.display or line.number, limit=40) or t("call.withheld")
        if self.privacy and line.number:
            number = mask_number(line.number)
        who = clean(line.name or number, limit=200)
        if wide and line.name:
            who = f"{who} {number}"
        outcome = t(f"call.{line.outcome}") if line.outcome in OUTCOMES else line.outcome
        # ASCII, because arrows are ambiguous-width in some CJK terminals and would shift the row.
        flag_text = "!" + (t("call.callback") if wide else "")
        flag = flag_text if line.callback_pending else " " * Text(flag_text).cell_len
        duration = _duration(line.duration_s)
        outcome_width = max(Text(t(f"call.{o}")).cell_len for o in OUTCOMES)
        right = Text()
        right.append(" " + outcome + " " * max(0, outcome_width - Text(outcome).cell_len))
        right.append(f" {duration:>5}")
        right.append(f" {flag}")
        left = Text(f"{when} ")
        room = max(4, width - left.cell_len - right.cell_len)
        name = Text(who, no_wrap=True)
        name.truncate(room, overflow="ellipsis", pad=True)
        row = Text.assemble(left, name, right)
        if line.outcome in ("ringing", "talking"):
            row.stylize("bold")
        elif line.outcome == "missed" and line.callback_pending:
            row.stylize("bold red")
        elif line.outcome == "missed":
            row.stylize("red")
        return row

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def on_resize(self) -> None:
        self.virtual_size = Size(0, self.total)
