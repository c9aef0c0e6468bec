"""Add or edit one customer: name, every phone number (the first is the main one), tier, birthday, tags, notes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, Select, Static

from tui.i18n import TranslatedBindings, t
from tui.problems import said
from tui.screens.help import HELP_KEY
from tui.screens.leaving import AsksBeforeLeaving
from tui.screens.views import CustomerDraft
from tui.text import clean, plain

TEXT_FIELDS = ("birthday", "tags", "notes")


@dataclass
class CustomerSaved(Message):
    customer_id: int
    name: str


@dataclass
class SaveFailed(Message):
    reason: str


@dataclass
class TiersLoaded(Message):
    tiers: list[str]


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


def tier_options(tiers: list[str], current: str) -> list[tuple[object, str]]:
    """The shop's tiers to pick from; a customer's tier the shop no longer lists stays offered, not lost."""
    shown = list(tiers) + ([current] if current and current not in tiers else [])
    return [(plain(tier, limit=20), tier) for tier in shown]


class CustomerForm(AsksBeforeLeaving, TranslatedBindings, ModalScreen[int | None]):
    """Dismisses with the saved customer's id, or None when backed out."""

    DEFAULT_CSS = """
    CustomerForm #dialog { height: auto; max-height: 22; }
    CustomerForm #numbers { height: auto; }
    CustomerForm .number-row { height: 2; }
    CustomerForm .number-row Label { width: 8; color: $text-muted; }
    CustomerForm .number-row Input { width: 1fr; }
    CustomerForm #f-tier { margin-bottom: 1; }
    """

    BINDINGS = [
        Binding("ctrl+s", "save", "key.save", tooltip="tip.save", id="form.save"),
        Binding("escape", "leave", "key.back", tooltip="tip.back", id="form.back"),
        HELP_KEY,
        Binding("ctrl+n", "add_number", "key.number_add", tooltip="tip.number_add", id="form.number_add"),
        Binding("ctrl+r", "remove_number", "key.number_remove", tooltip="tip.number_remove",
                id="form.number_remove"),
        Binding("ctrl+t", "primary_number", "key.number_primary", tooltip="tip.number_primary",
                id="form.number_primary"),
    ]

    def __init__(self, draft: CustomerDraft) -> None:
        super().__init__()
        self.draft = draft
        self._rows = 0  # number rows made so far: each gets a fresh id

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dialog") as dialog:
            dialog.border_title = t("form.edit" if self.draft.customer_id else "form.new")
            yield Label(t("form.name"))
            yield Input(clean(self.draft.name, limit=500), id="f-name", compact=True)
            yield Label(t("form.numbers"))
            with Vertical(id="numbers"):
                for number in self.draft.numbers or (self.draft.number,):
                    yield self._number_row(number)
            yield Label(t("form.tier"))
            current = self.draft.tier.strip()
            yield Select(tier_options([], current) or [(plain(t("form.tier"), limit=20), "")], value=current,
                         id="f-tier", allow_blank=False, compact=True)
            for name in TEXT_FIELDS:
                yield Label(t(f"form.{name}"))
                yield Input(clean(getattr(self.draft, name), limit=500), id=f"f-{name}", compact=True)
            yield Static("", id="problem", markup=False)
        yield Footer(show_command_palette=False, compact=True)  # the form's own keys: save, back, numbers, help

    def _number_row(self, number: str) -> Horizontal:
        # The first box keeps the id "f-number" (the main number); the others are numbered as they come.
        self._rows += 1
        box = Input(clean(number, limit=40), id="f-number" if self._rows == 1 else f"f-number-{self._rows}",
                    classes="number", compact=True)
        return Horizontal(Label("", classes="number-label"), box, classes="number-row")

    def on_mount(self) -> None:
        self._label_numbers()
        first = "#f-name" if not self.draft.name else "#f-number"
        self.query_one(first, Input).focus()
        self._load_tiers()

    @work(thread=True, exclusive=True, group="customer-tiers", exit_on_error=False)
    def _load_tiers(self) -> None:
        self.post_message(TiersLoaded(list(self.app.book.shop_settings().tiers)))

    @on(TiersLoaded)
    def _tiers_loaded(self, event: TiersLoaded) -> None:
        select = self.query_one("#f-tier", Select)
        current = self.draft.tier.strip()
        select.set_options(tier_options(event.tiers, current))
        select.value = current or (event.tiers[0] if event.tiers else "")
        self.mark_saved(only=("f-tier",))  # the tier as the book holds it; what is typed meanwhile still counts

    # -- numbers -------------------------------------------------------------------------

    def number_boxes(self) -> list[Input]:
        return list(self.query(".number").results(Input))

    def _label_numbers(self) -> None:
        for i, label in enumerate(self.query(".number-label").results(Label)):
            label.update(t("form.main_number") if i == 0 else t("form.more_number_n", n=i + 1))

    def _focused_number(self) -> int | None:
        boxes = self.number_boxes()
        return boxes.index(self.focused) if self.focused in boxes else None

    async def action_add_number(self) -> None:
        row = self._number_row("")
        await self.query_one("#numbers", Vertical).mount(row)
        self._label_numbers()
        row.query_one(Input).focus()

    async def action_remove_number(self) -> None:
        index = self._focused_number()
        if index is None:
            return
        boxes = self.number_boxes()
        if len(boxes) == 1:
            boxes[0].value = ""
            return
        await boxes[index].parent.remove()
        self._label_numbers()
        self.number_boxes()[min(index, len(boxes) - 2)].focus()

    def action_primary_number(self) -> None:
        index = self._focused_number()
        if not index:
            return
        boxes = self.number_boxes()
        values = [box.value for box in boxes]
        values.insert(0, values.pop(index))
        for box, value in zip(boxes, values):
            box.value = value
        boxes[0].focus()

    # -- saving --------------------------------------------------------------------------

    def _read(self) -> CustomerDraft:
        numbers = tuple(box.value.strip() for box in self.number_boxes() if box.value.strip())
        values = {name: self.query_one(f"#f-{name}", Input).value for name in TEXT_FIELDS}
        tier = self.query_one("#f-tier", Select).value
        return CustomerDraft(customer_id=self.draft.customer_id, name=self.query_one("#f-name", Input).value,
                             number=numbers[0] if numbers else "", numbers=numbers,
                             tier=tier if isinstance(tier, str) else "", **values)

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
            self.post_message(SaveFailed(said(exc)))  # the store's reason, in the shop's language
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
