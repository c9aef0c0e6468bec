"""Customers: search as you type (name, pinyin initials, number, last digits), add, edit, history, visits, merge."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from tui.i18n import TranslatedBindings, t
from tui.match_words import match_reason
from tui.screens import customer_keys
from tui.screens.customer_keys import CustomerActed, CustomerKeys, Target
from tui.screens.help import HELP_KEY
from tui.screens.views import CustomerHit
from tui.text import cell, mask_number
from tui.widgets.table import Table


@dataclass
class Found(Message):
    query: str
    hits: list[CustomerHit]


@dataclass
class Loaded(Message):
    """A customer fetched for editing."""

    draft: object


@dataclass
class ClockRead(Message):
    """The shop's time, read for a new visit or booking by `hit`."""

    hit: CustomerHit
    now: datetime
    booking: bool


def why_words(why: str) -> str:
    """The store's reason for a match ("initials prefix") in the operator's language."""
    return match_reason(why)


def new_draft(query: str):
    """A new customer from what was searched: digits (5334, 尾号5334, +86 139…) are a number, words a name."""
    from tui.screens.views import CustomerDraft

    typed = query.strip()
    digits = typed.removeprefix("尾号").replace(" ", "").replace("-", "")
    if digits.lstrip("+").isdigit():
        return CustomerDraft(number=digits)
    return CustomerDraft(name=typed)


def tier_words(hit: CustomerHit) -> str:
    """The tier with what the shop marked: blocked, opted out."""
    marks = [t("customers.flag_blocked")] * hit.blocked + [t("customers.flag_opted_out")] * hit.opted_out
    return " ".join([hit.tier, *marks])


class CustomersScreen(CustomerKeys, TranslatedBindings, Screen):
    """The book: one search box, the matches below it."""

    NAME = "customers"

    # In the footer's order; at 80 columns the last are cut (all are in the help and the palette).
    BINDINGS = [
        Binding("escape", "back", "key.back", tooltip="tip.back", id="customers.back"),
        HELP_KEY,
        Binding("ctrl+n", "new", "key.new", tooltip="tip.new", id="customers.new"),
        Binding("ctrl+e", "edit", "key.edit", tooltip="tip.edit", id="customers.edit"),
        Binding("ctrl+r", "history", "key.history", tooltip="tip.history", id="customers.history"),
        Binding("ctrl+o", "visit", "key.visit", tooltip="tip.visit", id="customers.visit"),
        Binding("ctrl+y", "booking", "key.booking", tooltip="tip.booking", id="customers.booking"),
        *customer_keys.BINDINGS,
        Binding("ctrl+z", "restore", "key.customer_restore", tooltip="tip.customer_restore",
                id="customers.restore"),
        Binding("ctrl+g", "merge", "key.merge", tooltip="tip.merge", id="customers.merge"),
        Binding("down", "to_table", show=False, id="customers.to_table"),
    ]

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.initial_query = query
        self.hits: list[CustomerHit] = []
        self._follow: int | None = None  # after a change, the cursor stays on this customer

    def compose(self) -> ComposeResult:
        yield Static(self.title_words(), classes="screen-title", markup=False)
        yield Input(self.initial_query, placeholder=t("customers.search"), id="search", compact=True)
        table = Table(id="hits", cursor_type="row", zebra_stripes=True)
        table.add_column(t("col.name"), key="name")
        table.add_column(t("col.number"), key="number")
        table.add_column(t("col.tier"), key="tier")
        table.add_column(t("col.why"), key="why")
        yield table
        yield Footer(show_command_palette=False, compact=True)

    def title_words(self) -> str:
        """What the title bar says."""
        return t("screen.customers")

    def on_mount(self) -> None:
        self.query_one("#search", Input).focus()
        self.search(self.initial_query)

    @on(Input.Changed, "#search")
    def _typed(self, event: Input.Changed) -> None:
        self.search(event.value)

    @on(Input.Submitted, "#search")
    def _submitted(self, event: Input.Submitted) -> None:
        if self.hits:
            self.action_to_table()

    @work(thread=True, exclusive=True, group="customers-search", exit_on_error=False)
    def search(self, query: str) -> None:
        """Find customers matching `query` off the event loop; newest query wins."""
        self.post_message(Found(query, self.matches(query)))

    def matches(self, query: str) -> list[CustomerHit]:
        """The customers shown for `query` (runs on a worker thread)."""
        return self.app.book.search(query, 50)

    @on(Found)
    def _found(self, event: Found) -> None:
        if event.query != self.query_one("#search", Input).value:
            return
        self.hits = event.hits
        table = self.query_one("#hits", DataTable)
        privacy = self.app.privacy
        row, self._follow = self._cursor_after(event.hits, table.cursor_row), None
        table.clear()
        for hit in event.hits:
            number = mask_number(hit.number) if privacy else hit.number  # already as people read it
            table.add_row(cell(hit.name, limit=40), cell(number, limit=20), cell(tier_words(hit), limit=16),
                          cell(why_words(hit.why), limit=20), key=str(hit.customer_id))
        if not event.hits:
            table.add_row(cell(t("customers.none"), style="dim"), "", "", "")
        if row:
            table.move_cursor(row=min(row, table.row_count - 1), animate=False)

    def _cursor_after(self, hits: list[CustomerHit], row: int | None) -> int:
        """Where the cursor goes when the list is read again: on the customer it was on, else the same row."""
        if self._follow is None:
            return 0
        ids = [hit.customer_id for hit in hits]
        return ids.index(self._follow) if self._follow in ids else (row or 0)

    @property
    def selected(self) -> CustomerHit | None:
        table = self.query_one("#hits", DataTable)
        if not self.hits or table.cursor_row is None or table.cursor_row >= len(self.hits):
            return None
        return self.hits[table.cursor_row]

    def action_to_table(self) -> None:
        self.query_one("#hits", DataTable).focus()

    def action_back(self) -> None:
        if self.focused is self.query_one("#hits", DataTable):
            self.query_one("#search", Input).focus()
        else:
            self.dismiss(None)

    def action_new(self) -> None:
        from tui.screens.customer_form import CustomerForm

        self.app.push_screen(CustomerForm(new_draft(self.query_one("#search", Input).value)), self._after_save)

    @on(DataTable.RowSelected, "#hits")
    def _chosen(self, event: DataTable.RowSelected) -> None:
        self.choose()

    def choose(self) -> None:
        """Enter on a customer: edit them."""
        self.action_edit()

    def action_edit(self) -> None:
        hit = self.selected
        if hit is not None:
            self._load(hit.customer_id)

    @work(thread=True, exclusive=True, group="customers-load", exit_on_error=False)
    def _load(self, customer_id: int) -> None:
        self.post_message(Loaded(self.app.book.customer(customer_id)))

    @on(Loaded)
    def _loaded(self, event: Loaded) -> None:
        from tui.screens.customer_form import CustomerForm

        self.app.push_screen(CustomerForm(event.draft), self._after_save)

    def _after_save(self, customer_id: int | None) -> None:
        if customer_id is not None:
            self.look_again(customer_id)

    def action_history(self) -> None:
        hit = self.selected
        if hit is not None:
            from tui.screens.history import HistoryScreen

            self.app.push_screen(HistoryScreen(hit.customer_id, hit.name))

    def privacy_changed(self, privacy: bool) -> None:
        self.search(self.query_one("#search", Input).value)

    def _selected_or_say(self) -> CustomerHit | None:
        hit = self.selected
        if hit is None:
            self.app.notify(t("customers.pick_first"), markup=False)
        return hit

    def action_visit(self) -> None:
        if hit := self._selected_or_say():
            self._read_clock(hit, False)

    def action_booking(self) -> None:
        if hit := self._selected_or_say():
            self._read_clock(hit, True)

    @work(thread=True, exclusive=True, group="customers-clock", exit_on_error=False)
    def _read_clock(self, hit: CustomerHit, booking: bool) -> None:
        self.post_message(ClockRead(hit, self.app.book.shop_now(), booking))

    @on(ClockRead)
    def _clock_read(self, event: ClockRead) -> None:
        from tui.screens.visit_form import VisitForm

        form = VisitForm(event.hit.customer_id, event.hit.name, event.now, booking=event.booking)
        self.app.push_screen(form, self._after_save)

    def action_merge(self) -> None:
        from tui.screens.merge import MergePicker

        if keep := self._selected_or_say():
            self.app.push_screen(MergePicker(keep), lambda drop: self._merge_with(keep, drop))

    def _merge_with(self, keep: CustomerHit, drop: CustomerHit | None) -> None:
        from tui.screens.merge import MergeConfirm

        if drop is not None:
            self.app.push_screen(MergeConfirm(keep.customer_id, drop.customer_id), self._merged)

    def _merged(self, customer_id: int | None) -> None:
        from tui.screens.history import HistoryScreen

        if customer_id is not None:
            self.search(self.query_one("#search", Input).value)
            self.app.push_screen(HistoryScreen(customer_id, ""))

    # -- block, opt out, delete, restore (tui/screens/customer_keys.py) ------------------

    def acted_on(self) -> Target | None:
        if hit := self._selected_or_say():
            return Target(hit.customer_id, hit.name, hit.blocked, hit.opted_out)
        return None

    def customer_changed(self, event: CustomerActed) -> None:
        self.look_again(event.target.customer_id)

    def look_again(self, follow: int | None = None) -> None:
        """Search again for what is typed, the cursor staying on `follow` (else on its row)."""
        self._follow = follow if follow is not None else (self.selected.customer_id if self.selected else -1)
        self.search(self.query_one("#search", Input).value)

    def book_changed(self, message) -> None:
        if getattr(message, "customers", False):
            self.look_again()

    def action_restore(self) -> None:
        from tui.screens.removed import RemovedPicker

        self.app.push_screen(RemovedPicker(), self._restored)

    def _restored(self, customer_id: int | None) -> None:
        if customer_id is not None:
            self.look_again(customer_id)
