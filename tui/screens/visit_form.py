"""Record a visit (date, time, amount in yuan, items, notes) or a booking (date, time, party size, room)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, Static

from tui.i18n import TranslatedBindings, t
from tui.messages import BookChanged
from tui.problems import said
from tui.screens.help import HELP_KEY
from tui.screens.leaving import AsksBeforeLeaving
from tui.screens.views import VisitEntry
from tui.text import clean, plain

VISIT_FIELDS = ("date", "time", "amount", "items", "notes")
BOOKING_FIELDS = ("date", "time", "party", "room", "notes")
MOST_YUAN = Decimal(10_000_000)  # more than any one bill: a slip of the keyboard, not a sale


class Problem(ValueError):
    """What is wrong with the form, in the operator's words."""


def amount_cents(text: str) -> int:
    """Yuan as typed ("128", "56.5", "¥1,280", full-width digits) in cents; empty is nothing spent."""
    # NFKC turns full-width digits and points (what a Chinese keyboard may type) into ASCII.
    typed = unicodedata.normalize("NFKC", text).strip().lstrip("¥").rstrip("元").replace(",", "").strip()
    if not typed:
        return 0
    try:
        yuan = Decimal(typed)
    except InvalidOperation:
        raise Problem(t("visit.bad_amount")) from None
    if not yuan.is_finite():
        raise Problem(t("visit.bad_amount"))
    if yuan < 0:
        raise Problem(t("visit.negative_amount"))
    if yuan > MOST_YUAN:
        raise Problem(t("visit.too_much"))
    cents = yuan * 100
    if cents != cents.to_integral_value():
        raise Problem(t("visit.fen"))
    return int(cents)


def day_of(text: str) -> date:
    """A day typed as YYYY-MM-DD."""
    try:
        return date.fromisoformat(unicodedata.normalize("NFKC", text).strip())
    except ValueError:
        raise Problem(t("visit.bad_date")) from None


def clock_of(text: str) -> time | None:
    """A time of day typed as HH:MM (or H:MM); None when left empty."""
    typed = unicodedata.normalize("NFKC", text).strip()
    if not typed:
        return None
    hours, _, minutes = typed.partition(":")
    if not (hours.isdigit() and minutes.isdigit() and len(minutes) == 2 and len(hours) <= 2):
        raise Problem(t("visit.bad_time"))
    try:
        return time(int(hours), int(minutes))
    except ValueError:
        raise Problem(t("visit.bad_time")) from None


def party_of(text: str) -> int | None:
    """How many people a booking is for; None when left empty."""
    typed = unicodedata.normalize("NFKC", text).strip()
    if not typed:
        return None
    if not typed.isdigit() or not 1 <= int(typed) <= 999:
        raise Problem(t("visit.bad_party"))
    return int(typed)


def entry_of(customer_id: int, values: dict[str, str], *, booking: bool, today: date) -> VisitEntry:
    """The form's text checked and turned into a visit or a booking; raises Problem with plain words."""
    day = day_of(values["date"])
    clock = clock_of(values["time"])
    notes = values.get("notes", "").strip()
    if not booking:
        return VisitEntry(customer_id, day, clock, amount_cents=amount_cents(values["amount"]),
                          items=values["items"].strip(), notes=notes)
    if clock is None:
        raise Problem(t("visit.need_time"))
    if day < today:
        raise Problem(t("visit.past_booking"))
    return VisitEntry(customer_id, day, clock, booking=True, party_size=party_of(values["party"]),
                      room=values["room"].strip(), notes=notes)


@dataclass
class VisitSaved(Message):
    visit_id: int
    queued: int  # booking confirmations put in the outbox


@dataclass
class VisitFailed(Message):
    reason: str


class VisitForm(AsksBeforeLeaving, TranslatedBindings, ModalScreen[int | None]):
    """Dismisses with the new visit's id, or None when backed out."""

    BINDINGS = [
        Binding("ctrl+s", "save", "key.save", tooltip="tip.save", id="visit_form.save"),
        Binding("escape", "leave", "key.back", tooltip="tip.back", id="visit_form.back"),
        HELP_KEY,
    ]

    def __init__(self, customer_id: int, name: str, now: datetime, *, booking: bool = False) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.customer_name = name
        self.now = now  # on the shop's clock
        self.booking = booking
        self.fields = BOOKING_FIELDS if booking else VISIT_FIELDS

    def compose(self) -> ComposeResult:
        defaults = {"date": self.now.strftime("%Y-%m-%d"), "time": "" if self.booking else self.now.strftime("%H:%M")}
        with Vertical(id="dialog") as dialog:
            title = "visit.new_booking" if self.booking else "visit.new_visit"
            # A str border title is parsed as markup: Content never is.
            dialog.border_title = plain(t(title, name=clean(self.customer_name, limit=30)), limit=80)
            for name in self.fields:
                yield Label(t(f"visit.{name}"))
                yield Input(defaults.get(name, ""), id=f"v-{name}", compact=True)
            yield Static("", id="problem", markup=False)
        yield Footer(show_command_palette=False, compact=True)  # the form's own keys: save, back

    def on_mount(self) -> None:
        self.query_one("#v-time" if self.booking else "#v-amount", Input).focus()

    def values(self) -> dict[str, str]:
        """What is typed in each field."""
        return {name: self.query_one(f"#v-{name}", Input).value for name in self.fields}

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        if event.input.id == f"v-{self.fields[-1]}":
            self.action_save()
        else:
            self.focus_next()

    def action_save(self) -> None:
        try:
            entry = entry_of(self.customer_id, self.values(), booking=self.booking, today=self.now.date())
        except Problem as problem:
            self.query_one("#problem", Static).update(str(problem))
            return
        self._save(entry)

    @work(thread=True, exclusive=True, group="visit-save", exit_on_error=False)
    def _save(self, entry: VisitEntry) -> None:
        try:
            visit_id, queued = self.app.book.record_visit(entry)
        except Exception as exc:  # the customer was merged away meanwhile, the database is locked: say so, stay
            self.post_message(VisitFailed(said(exc)))
            return
        self.post_message(VisitSaved(visit_id, queued))

    @on(VisitFailed)
    def _failed(self, event: VisitFailed) -> None:
        self.query_one("#problem", Static).update(clean(event.reason, limit=200))

    @on(VisitSaved)
    def _saved(self, event: VisitSaved) -> None:
        name = clean(self.customer_name, limit=60)
        self.app.notify(t("visit.booked" if self.booking else "visit.saved", name=name), markup=False)
        if event.queued:
            self.app.notify(t("visit.confirm_queued"), markup=False)
            self.app.poke_line()
        self.app.post_message(BookChanged(calls=False, messages=bool(event.queued), customers=True))
        self.dismiss(event.visit_id)
