"""One customer's history: every number, then calls, visits, bookings and texts, newest first."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from tui.i18n import TranslatedBindings, t
from tui.screens import customer_keys
from tui.screens.customer_keys import CustomerActed, CustomerKeys, Target
from tui.screens.views import CustomerSummary, HistoryLine
from tui.text import cell, clean, mask_number, plain
from tui.widgets.table import Table

KINDS = {"call": "history.calls", "visit": "history.visits", "booking": "history.bookings", "text": "history.texts"}


@dataclass
class HistoryLoaded(Message):
    lines: list[HistoryLine]
    summary: CustomerSummary | None


def numbers_words(numbers: tuple[str, ...], privacy: bool) -> str:
    """A customer's numbers on one line, masked in privacy mode."""
    shown = [mask_number(n) if privacy else clean(n, limit=30) for n in numbers]
    return t("history.numbers", numbers=", ".join(shown) if shown else t("history.no_numbers"))


def flags_words(summary: CustomerSummary) -> str:
    """What the shop marked on the customer (blocked, opted out, deleted), or nothing."""
    marks = [("customers.flag_blocked", summary.blocked), ("customers.flag_opted_out", summary.opted_out),
             ("customers.flag_deleted", summary.deleted)]
    return " · ".join(t(key) for key, on in marks if on)


class HistoryScreen(CustomerKeys, TranslatedBindings, Screen):
    """Everything the shop did with one customer; Esc goes back."""

    NAME = "history"
    DEFAULT_CSS = "HistoryScreen #numbers { height: auto; max-height: 3; padding: 0 1; color: $text-muted; }"
    BINDINGS = [Binding("escape", "app.pop_screen", "key.back", tooltip="tip.back", id="history.back"),
                *customer_keys.BINDINGS]

    def __init__(self, customer_id: int, name: str) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.customer_name = name
        self.summary: CustomerSummary | None = None

    def compose(self) -> ComposeResult:
        yield Static(self._title(self.customer_name), id="history-title", classes="screen-title")
        yield Static("", id="numbers")
        table = Table(id="history", cursor_type="row", zebra_stripes=True)
        table.add_column(t("col.time"))
        table.add_column("")
        table.add_column(t("col.body"))
        yield table
        yield Footer(show_command_palette=False, compact=True)

    @staticmethod
    def _title(name: str):
        return plain(t("history.title", name=clean(name, limit=60)), limit=80)

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self._load()

    @work(thread=True, exclusive=True, group="history", exit_on_error=False)
    def _load(self) -> None:
        book = self.app.book
        self.post_message(HistoryLoaded(book.history(self.customer_id), book.customer_summary(self.customer_id)))

    @on(HistoryLoaded)
    def _loaded(self, event: HistoryLoaded) -> None:
        self.summary = event.summary
        if event.summary is not None:
            self.query_one("#history-title", Static).update(self._title(event.summary.name))
            self._show_numbers()
        table = self.query_one(DataTable)
        table.clear()
        for line in event.lines:
            table.add_row(cell(line.when), cell(t(KINDS.get(line.kind, "history.calls"))), cell(line.text, limit=200))

    def _show_numbers(self) -> None:
        if self.summary is not None:
            words = numbers_words(self.summary.numbers, self.app.privacy)
            flags = flags_words(self.summary)
            self.query_one("#numbers", Static).update(plain(f"{words}  [{flags}]" if flags else words))

    # -- block, opt out, delete (tui/screens/customer_keys.py) ------------------------------

    def acted_on(self) -> Target | None:
        summary = self.summary
        if summary is None or summary.deleted:
            return None  # not read yet, or already deleted: the keys wait
        return Target(summary.customer_id, summary.name, summary.blocked, summary.opted_out)

    def customer_changed(self, event: CustomerActed) -> None:
        if event.deleted:
            self.app.pop_screen()  # the customer is gone from the book: back to where they were found
        else:
            self._load()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in ("block", "opt_out", "delete") and self.summary is not None and self.summary.deleted:
            return None  # shown dimmed: a deleted customer is restored from the customers screen (Ctrl+Z)
        return True

    def privacy_changed(self, privacy: bool) -> None:
        self._show_numbers()
