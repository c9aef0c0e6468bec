"""The two dialogs of the care settings: one rule's text (and holiday tiers), and a holiday of the shop's own.

Each saves through the store on the book's thread; what the store refuses is
said in the dialog in plain words and nothing is saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, Select, SelectionList, Static, TextArea

from store.care import PLACEHOLDERS, CareProblem, Rule, example, unknown_placeholders
from store.festivals import Festival
from store.sms_parts import parts, units
from tui.i18n import TranslatedBindings, t
from tui.screens import care_book
from tui.screens.care_book import CareView
from tui.screens.fill_ins import fill_ins
from tui.screens.help import HELP_KEY
from tui.screens.leaving import AsksBeforeLeaving
from tui.text import clean, plain

DIALOG_CSS = """
#care-dialog { width: 72; max-width: 100%; height: auto; max-height: 100%; border: thick $accent;
               background: $surface; padding: 0 1; }
#care-dialog TextArea { height: 5; }
#care-dialog SelectionList { height: auto; max-height: 6; }
#care-dialog Input, #care-dialog Select { margin-bottom: 1; }
#care-dialog .hint { color: $text-muted; }
#care-dialog #problem { color: $error; }
"""


def problem_words(problem: CareProblem) -> str:
    """What the store refused, in the operator's language."""
    return t(f"care.bad.{problem.code}", **problem.values)


def placeholder_line(key: str) -> Content:
    """The fill-ins rule `key` can use, each with what it stands for (the one set, store/templates.py)."""
    return fill_ins(PLACEHOLDERS[key])


def parts_line(text: str) -> str:
    """How many SMS parts `text` goes in, and how long it is."""
    n, gsm = units(text)
    count = parts(text)
    each = (160 if gsm else 70) if count == 1 else (153 if gsm else 67)
    return t("care.parts", parts=count, units=n, each=each)


@dataclass
class Refused(Message):
    """The store said no: shown in the dialog, nothing saved."""

    words: str


class RuleForm(AsksBeforeLeaving, TranslatedBindings, ModalScreen[Rule | None]):
    """One rule's text, with the fill-ins, an example for a sample customer and the parts; holidays: tiers."""

    DEFAULT_CSS = DIALOG_CSS
    BINDINGS = [
        Binding("ctrl+s", "save", "key.save", tooltip="care.tip.save_rule", id="care_rule.save"),
        Binding("escape", "leave", "key.back", tooltip="tip.back", id="care_rule.back"),
        HELP_KEY,
    ]

    def __init__(self, rule: Rule, view: CareView, now: datetime) -> None:
        super().__init__()
        self.rule = rule
        self.view = view
        self.now = now

    def compose(self) -> ComposeResult:
        with Vertical(id="care-dialog") as dialog:
            dialog.border_title = t(f"care.rule.{self.rule.key}")
            yield Label(t("care.text_label"))
            yield TextArea(clean(self.rule.text, limit=2000, lines=True), id="rule-text", compact=True)
            yield Static(placeholder_line(self.rule.key), classes="hint")
            yield Static("", id="rule-example", markup=False)
            yield Static("", id="rule-parts", classes="hint", markup=False)
            if self.rule.key == "holiday":
                yield Label(t("care.tiers_label"))
                yield SelectionList(*[(plain(tier, limit=20), tier, tier in self.rule.tiers)
                                      for tier in self.view.tiers], id="rule-tiers", compact=True)
            yield Static("", id="problem", markup=False)
        yield Footer(show_command_palette=False, compact=True)  # the form's own keys: save, back, help

    def on_mount(self) -> None:
        self.query_one("#rule-text", TextArea).focus()
        self._show(self.query_one("#rule-text", TextArea).text)

    @on(TextArea.Changed, "#rule-text")
    def _changed(self, event: TextArea.Changed) -> None:
        self._show(event.text_area.text)

    def _show(self, text: str) -> None:
        """The example and the parts as the text now stands; unknown fill-ins said at once."""
        view = self.view
        sample = example(self.rule.key, text, shop=view.shop, time_zone=view.time_zone, footer=view.footer,
                         now=self.now)
        self.query_one("#rule-example", Static).update(
            Content.assemble((t("care.example"), "bold"), plain(sample, limit=600)))
        self.query_one("#rule-parts", Static).update(parts_line(sample))
        unknown = unknown_placeholders(self.rule.key, text)
        self.query_one("#problem", Static).update(
            plain(t("care.bad.unknown_placeholder", names=" ".join(unknown))) if unknown else "")

    def action_save(self) -> None:
        text = self.query_one("#rule-text", TextArea).text
        tiers = None
        if self.rule.key == "holiday":
            chosen = set(self.query_one("#rule-tiers", SelectionList).selected)
            tiers = tuple(tier for tier in self.view.tiers if tier in chosen)  # the shop's order, lowest first
        self._save(text, tiers)

    @work(thread=True, exclusive=True, group="care-rule", exit_on_error=False)
    def _save(self, text: str, tiers: tuple[str, ...] | None) -> None:
        try:
            saved = self.app.book.run(care_book.save_rule, self.rule.key, text, tiers)
        except CareProblem as problem:
            self.post_message(Refused(problem_words(problem)))
            return
        self.app.call_from_thread(self.dismiss, saved)

    @on(Refused)
    def _refused(self, event: Refused) -> None:
        self.query_one("#problem", Static).update(plain(event.words))


class HolidayForm(AsksBeforeLeaving, TranslatedBindings, ModalScreen[tuple[Festival, date] | None]):
    """A holiday of the shop's own: a name and a solar or lunar month/day."""

    DEFAULT_CSS = DIALOG_CSS
    BINDINGS = [
        Binding("ctrl+s", "save", "key.save", tooltip="care.tip.save_holiday", id="care_holiday.save"),
        Binding("escape", "leave", "key.back", tooltip="tip.back", id="care_holiday.back"),
        HELP_KEY,
    ]

    def __init__(self, today: date) -> None:
        super().__init__()
        self.today = today

    def compose(self) -> ComposeResult:
        with Vertical(id="care-dialog") as dialog:
            dialog.border_title = t("care.holiday_form")
            yield Label(t("care.holiday_name"))
            yield Input(id="holiday-name", compact=True, max_length=40)
            yield Label(t("care.calendar"))
            yield Select([(t("care.solar"), "solar"), (t("care.lunar"), "lunar")], value="solar",
                         id="holiday-calendar", allow_blank=False, compact=True)
            yield Label(t("care.month"))
            yield Input(id="holiday-month", compact=True, max_length=4)
            yield Label(t("care.day"))
            yield Input(id="holiday-day", compact=True, max_length=4)
            yield Static("", id="problem", markup=False)
        yield Footer(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        self.query_one("#holiday-name", Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        """Enter moves on to the next box; on the last one it saves."""
        if event.input.id == "holiday-day":
            self.action_save()
        else:
            self.focus_next()

    def action_save(self) -> None:
        self._save(self.query_one("#holiday-name", Input).value,
                   self.query_one("#holiday-month", Input).value,
                   self.query_one("#holiday-day", Input).value,
                   self.query_one("#holiday-calendar", Select).value == "lunar")

    @work(thread=True, exclusive=True, group="care-holiday", exit_on_error=False)
    def _save(self, name: str, month: str, day: str, lunar: bool) -> None:
        try:
            added = self.app.book.run(care_book.add_holiday, name, month, day, lunar, self.today)
        except CareProblem as problem:
            self.post_message(Refused(problem_words(problem)))
            return
        self.app.call_from_thread(self.dismiss, added)

    @on(Refused)
    def _refused(self, event: Refused) -> None:
        self.query_one("#problem", Static).update(plain(event.words))
