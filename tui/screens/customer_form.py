"""Add or edit one customer: name, phone, tier, birthday, tags, notes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, Static

from tui.i18n import TranslatedBindings, t
from tui.screens.help import HELP_KEY
from tui.screens.leaving import AsksBeforeLeaving
from tui.screens.views import CustomerDraft
from tui.text import clean

FIELDS = ("name", "number", "tier", "birthday", "tags", "notes")


@dataclass
class CustomerSaved(Message):
    customer_id: int
    name: str


@dataclass
class SaveFailed(Message):
    reason: str


def check(draft: CustomerDraft) -> str | None:
    """What is wrong with `draft` in plain words, or None."""
    if not draft.name.strip() and not draft.number.strip():
        return t("form.need_name_or_number")
    if draft.birthday.strip():
        try:
            date.fromisoformat(draft.birthday.strip())
        except ValueError:
            return t("form.bad_date")
    return None


class CustomerForm(AsksBeforeLeaving, TranslatedBindings, ModalScreen[int | None]):
    """Dismisses with the saved customer's id, or None when backed out."""

    BINDINGS = [
        Binding("ctrl+s", "save", "key.save", tooltip="tip.save", id="form.save"),
        Binding("escape", "leave", "key.back", tooltip="tip.back", id="form.back"),
        HELP_KEY,
    ]

    def __init__(self, draft: CustomerDraft) -> None:
        super().__init__()
        self.draft = draft

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = t("form.edit" if self.draft.customer_id else "form.new")
            for name in FIELDS:
                yield Label(t(f"form.{name}"))
                yield Input(clean(getattr(self.draft, name), limit=500), id=f"f-{name}", compact=True)
            yield Static("", id="problem", markup=False)
        yield Footer(show_command_palette=False, compact=True)  # the form's own keys: save, back, help

    def on_mount(self) -> None:
        first = "name" if not self.draft.name else "number"
        self.query_one(f"#f-{first}", Input).focus()

    def _read(self) -> CustomerDraft:
        values = {name: self.query_one(f"#f-{name}", Input).value for name in FIELDS}
        return CustomerDraft(customer_id=self.draft.customer_id, **values)

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        if event.input.id == "f-notes":
            self.action_save()
        else:
            self.focus_next()

    def action_save(self) -> None:
        draft = self._read()
        problem = check(draft)
        if problem:
            self.query_one("#problem", Static).update(problem)
            return
        self._save(draft)

    @work(thread=True, exclusive=True, group="customer-save", exit_on_error=False)
    def _save(self, draft: CustomerDraft) -> None:
        try:
            customer_id = self.app.book.save_customer(draft)
        except Exception as exc:  # a bad number or a clash: say so and stay in the form
            self.post_message(SaveFailed(str(exc)))
            return
        self.post_message(CustomerSaved(customer_id, draft.name or draft.number))

    @on(SaveFailed)
    def _save_failed(self, event: SaveFailed) -> None:
        self.query_one("#problem", Static).update(clean(event.reason, limit=200))

    @on(CustomerSaved)
    def _saved(self, event: CustomerSaved) -> None:
        key = "customers.saved" if self.draft.customer_id else "customers.added"
        self.app.notify(t(key, name=clean(event.name, limit=60)), markup=False)
        self.dismiss(event.customer_id)
