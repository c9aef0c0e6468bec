"""A new campaign: who gets it, what it says, a live preview of the exact texts and cost, then send now or at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Checkbox, Footer, Input, Label, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from store.templates import EVERYWHERE
from tui.i18n import TranslatedBindings, t
from tui.problems import said
from tui.screens import campaign_book
from tui.screens.campaign_book import CampaignDraft, PreviewView
from tui.screens.campaign_checks import Problem, draft_of, ready, when_of
from tui.screens.confirm import ConfirmScreen
from tui.text import cell, clean, plain
from tui.widgets.composer import TemplateChoice, matches

DEBOUNCE_S = 0.3  # a pause in typing; the preview of a big audience takes about a second
AUDIENCE_FIELDS = ("tiers", "tags", "not_seen", "spend", "birthday")
FIELDS = ("name", *AUDIENCE_FIELDS, "when")


@dataclass
class FormLoaded(Message):
    tiers: list[str]
    filters: list[str]
    templates: list[tuple[str, str]]
    now: datetime


@dataclass
class PreviewReady(Message):
    draft: CampaignDraft
    preview: PreviewView


@dataclass
class FilterLoaded(Message):
    draft: CampaignDraft


@dataclass
class FormFailed(Message):
    reason: str


def preview_text(draft: CampaignDraft, p: PreviewView) -> Text:
    """The preview as the operator reads it: count, who is left out, parts and cost, then the first texts."""
    out = Text(no_wrap=False)
    out.append(t("preview.recipients", n=p.recipients), style="bold")
    if p.left_out:
        out.append("\n" + t("preview.left_out", why=" · ".join(t(f"skip.{r}", n=n) for r, n in p.left_out)),
                   style="dim")
    out.append("\n" + t("preview.parts", parts=p.total_parts, most=p.max_parts))
    out.append("\n" + t("preview.cost", price=f"{p.price:.2f}", cost=f"{p.cost:.2f}"), style="bold")
    if p.eta:
        out.append("\n" + t("preview.eta", at=p.eta, quiet=p.quiet), style="dim")
    if not draft.body.strip():
        out.append("\n\n" + t("preview.no_body"), style="dim")
        return out
    if p.unknown:
        out.append("\n" + t("preview.unknown", fields=" ".join(p.unknown)), style="bold red")
    for line in p.texts:
        out.append("\n\n")
        out.append(clean(line.name, limit=20), style="bold")
        out.append(f" {clean(line.number, limit=24)} · " + t("preview.text_parts", n=line.parts), style="dim")
        out.append("\n" + clean(line.text, limit=1000))  # the exact text: nothing is cut short
    return out


class CampaignForm(TranslatedBindings, Screen[int | None]):
    """Dismisses with the new campaign's id, or None when backed out."""

    NAME = "campaign_form"

    BINDINGS = [
        Binding("ctrl+s", "launch", "key.launch", tooltip="tip.launch", id="campaign_form.launch"),
        Binding("escape", "dismiss(None)", "key.back", tooltip="tip.back", id="campaign_form.back"),
    ]

    DEFAULT_CSS = """
    #cf-body-row { height: 1fr; }
    #cf-fields { width: 46; padding: 0 1; }
    #cf-fields .row { height: auto; }
    #cf-fields .row > Label { width: 12; }
    #cf-fields .row > Input, #cf-fields .row > Select { width: 1fr; }
    #cf-templates { height: 4; }
    #cf-text { height: 4; }
    #cf-body-label { width: 100%; }
    #cf-preview-pane { width: 1fr; border-left: solid $primary 60%; padding: 0 1; }
    #cf-problem { color: $error; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.tiers: list[str] = []
        self.templates: list[tuple[str, str]] = []
        self.shown: list[tuple[str, str]] = []  # the templates the filter lets through
        self.now: datetime | None = None  # the shop's clock when the form opened
        self.preview: tuple[CampaignDraft, PreviewView] | None = None
        self._timer = None
        self._ready = False  # fields filled by the first load: changes before it are ours, not the operator's

    def compose(self) -> ComposeResult:
        yield Static(t("screen.campaign_form"), classes="screen-title", markup=False)
        with Horizontal(id="cf-body-row"):
            with VerticalScroll(id="cf-fields"):
                yield from self._row("name", Input(id="cf-name", compact=True, max_length=60))
                yield from self._row("filter", Select([], id="cf-filter", compact=True,
                                                      prompt=t("campaign_form.no_filter")))
                for name in AUDIENCE_FIELDS:
                    yield from self._row(name, Input(id=f"cf-{name}", compact=True,
                                                     placeholder=t(f"campaign_form.hint.{name}")))
                yield from self._row("save_as", Input(id="cf-save_as", compact=True, max_length=30,
                                                      placeholder=t("campaign_form.hint.save_as")))
                yield from self._row("template", Input(id="cf-template", compact=True,
                                                       placeholder=t("campaign_form.hint.template")))
                yield OptionList(id="cf-templates", compact=True)
                yield Label(t("campaign_form.body", names=" ".join(f"{{{p}}}" for p in EVERYWHERE)), id="cf-body-label")
                yield TextArea(id="cf-text", compact=True)
                yield Checkbox(t("campaign_form.marketing"), True, id="cf-marketing", compact=True)
                yield from self._row("when", Input(id="cf-when", compact=True,
                                                   placeholder=t("campaign_form.hint.when")))
                yield Static("", id="cf-problem", markup=False)
            with VerticalScroll(id="cf-preview-pane"):
                yield Static(t("preview.waiting"), id="cf-preview", markup=False)
        yield Footer(show_command_palette=False, compact=True)

    @staticmethod
    def _row(name: str, widget) -> ComposeResult:
        with Horizontal(classes="row"):
            yield Label(t(f"campaign_form.{name}"))
            yield widget

    def on_mount(self) -> None:
        self.query_one("#cf-name", Input).focus()
        self._load()

    # Loading ------------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="campaign-form-load", exit_on_error=False)
    def _load(self) -> None:
        book = self.app.book
        loaded = book.run(lambda b: FormLoaded(campaign_book.tiers(b), campaign_book.filter_names(b),
                                               campaign_book.templates(b), b.shop_now()))
        self.post_message(loaded)

    @on(FormLoaded)
    def _loaded(self, event: FormLoaded) -> None:
        self.tiers, self.templates, self.now = event.tiers, event.templates, event.now
        self.query_one("#cf-tiers", Input).placeholder = "、".join(clean(x, limit=10) for x in event.tiers)
        self._set_filters(event.filters)
        self._filter_templates("")
        self._ready = True
        self._changed()

    def _set_filters(self, names: list[str]) -> None:
        select = self.query_one("#cf-filter", Select)
        select.set_options([(plain(name, limit=30), name) for name in names])

    # The template picker --------------------------------------------------------------------------

    def _filter_templates(self, typed: str) -> None:
        # The desk composer's matcher: name, body or pinyin initials (xctj finds 新菜推荐).
        self.shown = [(n, b) for n, b in self.templates if matches(TemplateChoice(0, n, b), typed)]
        options = self.query_one("#cf-templates", OptionList)
        options.set_options([Option(cell(name, limit=40)) for name, _ in self.shown])
        if self.shown:
            options.highlighted = 0

    def _pick(self, index: int | None) -> None:
        if index is None or not 0 <= index < len(self.shown):
            return
        self.query_one("#cf-text", TextArea).text = clean(self.shown[index][1], limit=2000, lines=True)
        self.query_one("#cf-text", TextArea).focus()

    @on(OptionList.OptionSelected, "#cf-templates")
    def _template_chosen(self, event: OptionList.OptionSelected) -> None:
        self._pick(event.option_index)

    # Changes: every field feeds the preview, after a pause in typing --------------------------------

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "cf-template":
            self._filter_templates(event.value)
        elif event.input.id not in ("cf-save_as", "cf-when"):
            self._changed()

    @on(TextArea.Changed)
    def _other_changed(self) -> None:
        self._changed()

    @on(Checkbox.Changed, "#cf-marketing")
    def _marketing_changed(self, event: Checkbox.Changed) -> None:
        # The box's mark alone looks much the same on and off: its words say which.
        event.checkbox.label = t("campaign_form.marketing" if event.value else "campaign_form.notice")
        self._changed()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "cf-template":
            self._pick(self.query_one("#cf-templates", OptionList).highlighted)
        elif event.input.id == "cf-save_as":
            self._save_filter()
        elif event.input.id == "cf-when":
            self.action_launch()
        else:
            self.focus_next()

    def on_key(self, event) -> None:
        # Down from the template filter walks the list it filters.
        if event.key == "down" and self.focused is self.query_one("#cf-template", Input):
            self.query_one("#cf-templates", OptionList).focus()
            event.stop()

    def values(self) -> dict[str, str]:
        """What is typed in each field."""
        out = {name: self.query_one(f"#cf-{name}", Input).value for name in FIELDS}
        out["body"] = self.query_one("#cf-text", TextArea).text
        return out

    def draft(self) -> CampaignDraft:
        """The form as a draft; raises Problem with plain words."""
        return draft_of(self.values(), self.tiers, self.query_one("#cf-marketing", Checkbox).value)

    def _say(self, problem: str) -> None:
        self.query_one("#cf-problem", Static).update(problem)

    def _changed(self) -> None:
        if not self._ready:
            return
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE_S, self._ask_preview)

    def _ask_preview(self) -> None:
        self._timer = None
        try:
            draft = self.draft()
        except Problem as problem:
            self._say(str(problem))
            return
        self._say("")
        if self.preview is not None and self.preview[0] == draft:
            return
        self._preview(draft)

    @work(thread=True, exclusive=True, group="campaign-preview", exit_on_error=False)
    def _preview(self, draft: CampaignDraft) -> None:
        try:
            result = campaign_book.own_connection(campaign_book.preview, self.app.book, draft)
        except Exception as exc:  # the book is busy or gone: say so, keep the form
            self.post_message(FormFailed(said(exc)))
            return
        if not get_current_worker().is_cancelled:  # a newer preview was asked for meanwhile
            self.post_message(PreviewReady(draft, result))

    @on(PreviewReady)
    def _previewed(self, event: PreviewReady) -> None:
        self.preview = (event.draft, event.preview)
        self.query_one("#cf-preview", Static).update(preview_text(event.draft, event.preview))

    @on(FormFailed)
    def _failed(self, event: FormFailed) -> None:
        self._say(clean(event.reason, limit=200))

    # Saved filters ------------------------------------------------------------------------------------

    @on(Select.Changed, "#cf-filter")
    def _filter_chosen(self, event: Select.Changed) -> None:
        if event.value is not Select.NULL:
            self._load_filter(str(event.value))

    @work(thread=True, exclusive=True, group="campaign-filter", exit_on_error=False)
    def _load_filter(self, name: str) -> None:
        try:
            self.post_message(FilterLoaded(self.app.book.run(campaign_book.saved_filter, name)))
        except KeyError:
            self.post_message(FormFailed(t("campaign_form.filter_gone", name=clean(name, limit=30))))

    @on(FilterLoaded)
    def _filter_loaded(self, event: FilterLoaded) -> None:
        d = event.draft
        spend = "" if d.min_spend_cents is None else f"{d.min_spend_cents / 100:g}"
        for name, value in (("tiers", "、".join(d.tiers)), ("tags", "、".join(d.tags)),
                            ("not_seen", "" if d.not_seen_days is None else str(d.not_seen_days)),
                            ("spend", spend), ("birthday", "" if d.birthday_month is None else str(d.birthday_month))):
            self.query_one(f"#cf-{name}", Input).value = clean(value, limit=200)

    def _save_filter(self) -> None:
        name = " ".join(self.query_one("#cf-save_as", Input).value.split())
        if not name:
            self._say(t("campaign_form.need_filter_name"))
            return
        try:
            draft = self.draft()
        except Problem as problem:
            self._say(str(problem))
            return
        self._store_filter(name, draft)

    @work(thread=True, group="campaign-filter-save", exit_on_error=False)
    def _store_filter(self, name: str, draft: CampaignDraft) -> None:
        def save(book):
            campaign_book.save_filter(book, name, draft)
            return campaign_book.filter_names(book)

        names = self.app.book.run(save)
        self.app.call_from_thread(self._filter_saved, name, names)

    def _filter_saved(self, name: str, names: list[str]) -> None:
        self._set_filters(names)
        self.query_one("#cf-save_as", Input).value = ""
        self.notify(t("campaign_form.filter_saved", name=clean(name, limit=30)), markup=False)

    # Send now or at a time ----------------------------------------------------------------------------

    def action_launch(self) -> None:
        if self.now is None:
            return  # still loading the shop's clock
        try:
            draft = self.draft()
            ready(draft)
            at = when_of(self.query_one("#cf-when", Input).value, self._shop_now())
        except Problem as problem:
            self._say(str(problem))
            return
        self._say("")
        self._prepare(draft, at)

    def _shop_now(self) -> datetime:
        # The clock read at load time, moved on by the app's clock (frozen in tests).
        app_now = self.app.clock()
        return app_now.astimezone(self.now.tzinfo)

    @work(thread=True, exclusive=True, group="campaign-prepare", exit_on_error=False)
    def _prepare(self, draft: CampaignDraft, at: datetime | None) -> None:
        """A fresh count and cost for the question (the audience may have changed since the last preview)."""
        try:
            result = campaign_book.own_connection(campaign_book.preview, self.app.book, draft)
        except Exception as exc:
            self.post_message(FormFailed(said(exc)))
            return
        self.post_message(PreviewReady(draft, result))
        self.app.call_from_thread(self._confirm, draft, at, result)

    def _confirm(self, draft: CampaignDraft, at: datetime | None, p: PreviewView) -> None:
        if not p.recipients:
            self._say(t("campaign_form.nobody"))
            return
        question = (t("campaign_form.confirm_now", n=p.recipients) if at is None
                    else t("campaign_form.confirm_at", n=p.recipients, at=at.strftime("%Y-%m-%d %H:%M")))
        detail = t("campaign_form.confirm_detail", name=clean(draft.name, limit=40), parts=p.total_parts,
                   cost=f"{p.cost:.2f}")

        def answered(yes: bool | None) -> None:
            if yes:
                self._launch(draft, at)

        self.app.push_screen(ConfirmScreen(question, detail), answered)

    @work(thread=True, exclusive=True, group="campaign-launch", exit_on_error=False)
    def _launch(self, draft: CampaignDraft, at: datetime | None) -> None:
        try:
            campaign_id, status = campaign_book.own_connection(campaign_book.launch, self.app.book, draft, at)
        except Exception as exc:  # a name or a text the store refuses, a busy book: say so, keep the form
            self.post_message(FormFailed(said(exc)))
            return
        self.app.call_from_thread(self._launched, campaign_id, status)

    def _launched(self, campaign_id: int, status: str) -> None:
        self.notify(t(f"campaign_form.launched_{status}", id=campaign_id), markup=False)
        self.app.poke_line()
        self.dismiss(campaign_id)
