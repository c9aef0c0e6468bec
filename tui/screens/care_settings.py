"""Care and schedules (from settings, or the palette): the automatic care rules, the shop's own holidays beside
the computed Chinese festivals, and the task list's days per tier, complaint hours and tasks a day.

Rules are switched with space and edited with Enter; holidays added with a and
removed with d; the schedule is saved with Ctrl+S. Everything is checked by the
store (store.care, store.schedules), which says what it refuses; nothing
half-right is saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Label, Static, TabbedContent, TabPane

from store import lunar
from store.care import CareProblem, Rule, example
from store.festivals import Festival
from store.sms_parts import parts
from store.task_picks import CAPPED
from tui.i18n import TranslatedBindings, current_language, t
from tui.screens import care_book
from tui.screens.care_book import CareView
from tui.screens.help import HELP_KEY
from tui.screens.leaving import AsksBeforeLeaving
from tui.screens.care_forms import HolidayForm, RuleForm, placeholder_line, problem_words
from tui.text import cell, clean, plain
from tui.widgets.table import Table

LUNAR_MONTHS = "正二三四五六七八九十冬腊"
WEEKDAYS_ZH = "一二三四五六日"
TEXT_WIDTH = {"zh": 44, "en": 34}  # cells of a rule's text in the list: the whole row fits 80 columns


def lunar_words(month: int, day: int) -> str:
    """A lunar month/day as the shop says it: 八月十五, 正月初一, 腊月廿九 (8/15 in English)."""
    if current_language() == "en":
        return f"{month}/{day}"
    tens = "初" if day <= 10 else ("十" if day < 20 else ("廿" if day < 30 else "三"))
    name = {10: "初十", 20: "二十", 30: "三十"}.get(day, tens + "十一二三四五六七八九"[day % 10])
    return f"{LUNAR_MONTHS[month - 1]}月{name}"


def day_words(day: date) -> str:
    """A date with its weekday: 2026-02-17 周二 / 2026-02-17 Tue."""
    if current_language() == "en":
        return day.strftime("%Y-%m-%d %a")
    return f"{day.isoformat()} 周{WEEKDAYS_ZH[day.weekday()]}"


def holiday_words(holiday: Festival) -> str:
    """When a holiday of the shop's own falls: 公历6月18日 / 农历八月十八."""
    if holiday.lunar:
        return t("care.lunar_day", day=lunar_words(holiday.month, holiday.day))
    return t("care.solar_day", month=holiday.month, day=holiday.day)


@dataclass
class CareLoaded(Message):
    view: CareView
    fill_schedule: bool  # only on opening and after saving it: a reload must not wipe days being typed


@dataclass
class ScheduleRefused(Message):
    words: str


class CareSettingsScreen(AsksBeforeLeaving, TranslatedBindings, Screen):
    """Rules, holidays, schedules: one tab each; Ctrl+→ / Ctrl+← switch them (shown in the footer)."""

    NAME = "care_settings"

    DEFAULT_CSS = """
    CareSettingsScreen #care-rules { height: auto; max-height: 8; }
    CareSettingsScreen #rule-detail { height: auto; padding: 1 1 0 1; }
    CareSettingsScreen #own-pane { width: 1fr; }
    CareSettingsScreen #festivals-pane { width: 40; }
    CareSettingsScreen #own-holidays, CareSettingsScreen #festivals { height: 1fr; }
    CareSettingsScreen .pane-title { text-style: bold; padding: 0 1; }
    CareSettingsScreen #schedule-form { padding: 0 1; }
    CareSettingsScreen #tier-rows { height: auto; }
    CareSettingsScreen .schedule-row { height: 1; }
    CareSettingsScreen #complaint-row { margin-top: 1; }
    CareSettingsScreen #drifting-per-day-row { margin-bottom: 1; }
    CareSettingsScreen .schedule-row Label { width: 16; }
    CareSettingsScreen .schedule-row Input { width: 22; margin-right: 2; }
    CareSettingsScreen .schedule-head Label { width: 22; margin-right: 2; color: $text-muted; }
    CareSettingsScreen .schedule-head Label.tier { width: 16; margin-right: 0; }
    CareSettingsScreen .limit-row Label { width: 34; }
    CareSettingsScreen .limit-row Input { width: 10; }
    CareSettingsScreen .hint { color: $text-muted; padding: 0 1; }
    CareSettingsScreen #schedule-problem { color: $error; }
    """

    BINDINGS = [
        Binding("escape", "leave", "key.back", tooltip="tip.back", id="care.back"),
        Binding("space", "toggle", "care.key.toggle", tooltip="care.tip.toggle", id="care.toggle"),
        Binding("e", "edit", "key.edit", tooltip="care.tip.edit", id="care.edit"),
        Binding("a", "add_holiday", "care.key.add", tooltip="care.tip.add", id="care.add_holiday"),
        Binding("d,delete", "remove_holiday", "care.key.remove", tooltip="care.tip.remove", id="care.remove_holiday"),
        Binding("ctrl+s", "save_schedule", "key.save", tooltip="care.tip.save", id="care.save"),
        # The tabs, from wherever the focus is (the schedule's boxes too): priority, before a box's word jumps.
        Binding("ctrl+right", "next_tab(1)", "key.next_tab", tooltip="tip.next_tab", id="care.next_tab",
                priority=True),
        Binding("ctrl+left", "next_tab(-1)", "key.prev_tab", tooltip="tip.prev_tab", id="care.prev_tab",
                priority=True),
        HELP_KEY,
    ]

    # Which tab each key works on; elsewhere it is hidden from the footer and help.
    _TAB_OF = {"toggle": "rules", "edit": "rules", "add_holiday": "holidays", "remove_holiday": "holidays",
               "save_schedule": "schedule"}

    def __init__(self) -> None:
        super().__init__()
        self.view: CareView | None = None
        self.tier_rows: tuple[str, ...] = ()

    def compose(self) -> ComposeResult:
        yield Static(t("screen.care_settings"), classes="screen-title", markup=False)
        with TabbedContent(id="care-tabs"):
            with TabPane(t("care.tab.rules"), id="rules"):
                rules = Table(id="care-rules", cursor_type="row")
                rules.add_column(t("care.col.state"), key="state")
                rules.add_column(t("care.col.rule"), key="rule")
                rules.add_column(t("care.col.parts"), key="parts")
                rules.add_column(t("care.col.text"), key="text", width=TEXT_WIDTH[current_language()])
                yield rules
                yield Static("", id="rule-detail")
            with TabPane(t("care.tab.holidays"), id="holidays"):
                with Horizontal():
                    with Vertical(id="own-pane"):
                        yield Label(t("care.own"), classes="pane-title")
                        own = Table(id="own-holidays", cursor_type="row")
                        own.add_column(t("care.col.name"))
                        own.add_column(t("care.col.when"))
                        own.add_column(t("care.col.next"))
                        yield own
                        yield Static(t("care.none_own"), id="none-own", classes="hint", markup=False)
                    with Vertical(id="festivals-pane"):
                        yield Label("", id="festivals-title", classes="pane-title")
                        festivals = Table(id="festivals", cursor_type="row")
                        festivals.add_column(t("care.col.date"))
                        festivals.add_column(t("care.col.festival"))
                        festivals.add_column(t("care.col.lunar"))
                        yield festivals
            with TabPane(t("care.tab.schedule"), id="schedule"):
                with VerticalScroll(id="schedule-form", can_focus=False):
                    with Horizontal(classes="schedule-row schedule-head"):
                        yield Label(t("care.col.tier"), classes="tier")
                        yield Label(t("care.contact_days"))
                        yield Label(t("care.drifting_days"))
                    yield Vertical(id="tier-rows")
                    with Horizontal(classes="schedule-row limit-row", id="complaint-row"):
                        yield Label(t("care.complaint_hours"))
                        yield Input(id="complaint-hours", compact=True, max_length=8)
                    for kind in CAPPED:
                        with Horizontal(classes="schedule-row limit-row", id=f"{kind}-per-day-row"):
                            yield Label(t(f"care.{kind}_per_day"))
                            yield Input(id=f"{kind}-per-day", compact=True, max_length=4)
                    yield Static(t("care.schedule_hint"), classes="hint", markup=False)
                    yield Static("", id="schedule-problem", markup=False)
        yield Footer(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        self.query_one("#care-rules", DataTable).focus()
        self._load(fill_schedule=True)

    # -- loading -------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="care-settings", exit_on_error=False)
    def _load(self, fill_schedule: bool = False) -> None:
        self.post_message(CareLoaded(self.app.book.run(care_book.load, self.app.clock()), fill_schedule))

    @on(CareLoaded)
    async def _loaded(self, event: CareLoaded) -> None:
        self.view = event.view
        self._show_rules(event.view)
        self._show_holidays(event.view)
        if event.fill_schedule:
            await self._show_schedule(event.view)
            self.mark_saved()  # the schedule as the book holds it: Esc asks only about what is typed since

    def _example(self, rule: Rule) -> str:
        view = self.view
        return example(rule.key, rule.text, shop=view.shop, time_zone=view.time_zone, footer=view.footer,
                       now=self.app.clock())

    def _show_rules(self, view: CareView) -> None:
        table = self.query_one("#care-rules", DataTable)
        row = table.cursor_row
        table.clear()
        for rule in view.rules:
            state = cell(f"● {t('care.on')}", style="bold green") if rule.on else cell(f"○ {t('care.off')}",
                                                                                      style="dim")
            text = cell(rule.text)
            text.truncate(TEXT_WIDTH[current_language()], overflow="ellipsis")
            table.add_row(state, t(f"care.rule.{rule.key}"), str(parts(self._example(rule))), text, key=rule.key)
        table.move_cursor(row=max(0, min(row, len(view.rules) - 1)))
        self._show_detail()

    @property
    def selected_rule(self) -> Rule | None:
        if self.view is None:
            return None
        row = self.query_one("#care-rules", DataTable).cursor_row
        return self.view.rules[row] if 0 <= row < len(self.view.rules) else None

    @on(DataTable.RowHighlighted, "#care-rules")
    def _show_detail(self, event: DataTable.RowHighlighted | None = None) -> None:
        rule = self.selected_rule
        if rule is None:
            return
        lines = [Content.assemble((t("care.example"), "bold"), plain(self._example(rule), limit=300))]
        if rule.key == "holiday":
            tiers = "、".join(rule.tiers) if rule.tiers else t("care.all_tiers")
            lines.append(Content.assemble((t("care.to_tiers"), "bold"), plain(tiers, limit=120)))
        if rule.transactional:
            lines.append(Content(t("care.transactional")).stylize("$text-muted"))
        lines.append(placeholder_line(rule.key).stylize("$text-muted"))
        lines.append(Content(t("care.off_hint")).stylize("$text-muted"))
        self.query_one("#rule-detail", Static).update(Content("\n").join(lines))

    def _show_holidays(self, view: CareView) -> None:
        own = self.query_one("#own-holidays", DataTable)
        row = own.cursor_row
        own.clear()
        for holiday, next_day in view.own:
            own.add_row(cell(holiday.name, limit=20), holiday_words(holiday),
                        next_day.isoformat() if next_day else "—")
        own.display = bool(view.own)
        self.query_one("#none-own", Static).display = not view.own
        own.move_cursor(row=max(0, min(row, len(view.own) - 1)))
        festivals = self.query_one("#festivals", DataTable)
        festivals.clear()
        english = current_language() == "en"
        upcoming = None
        for index, (day, festival) in enumerate(view.festivals):
            past = day < view.today
            if not past and upcoming is None:
                upcoming = index
            found = lunar.from_solar(day)
            festivals.add_row(cell(day_words(day), style="dim" if past else ""),
                              cell(festival.name_en if english else festival.name, style="dim" if past else ""),
                              cell(lunar_words(found.month, found.day), style="dim" if past else ""))
        self.query_one("#festivals-title", Label).update(
            t("care.festivals", first=view.today.year, last=view.today.year + 1))
        festivals.move_cursor(row=upcoming or 0, scroll=True)

    async def _show_schedule(self, view: CareView) -> None:
        if view.tiers != self.tier_rows:
            rows = self.query_one("#tier-rows", Vertical)
            await rows.remove_children()
            await rows.mount_all(
                Horizontal(Label(plain(tier, limit=14)), Input(id=f"contact-{i}", compact=True, max_length=5),
                           Input(id=f"drifting-{i}", compact=True, max_length=5), classes="schedule-row")
                for i, tier in enumerate(view.tiers))
            self.tier_rows = view.tiers
        for i, tier in enumerate(view.tiers):
            contact, drifting = view.contact_every.get(tier), view.drifting.get(tier)
            self.query_one(f"#contact-{i}", Input).value = str(contact) if contact else ""
            self.query_one(f"#drifting-{i}", Input).value = str(drifting) if drifting else ""
        hours = view.complaint_hours
        self.query_one("#complaint-hours", Input).value = str(int(hours)) if hours == int(hours) else str(hours)
        for kind in CAPPED:
            self.query_one(f"#{kind}-per-day", Input).value = str(view.per_day[kind])
        self.query_one("#schedule-problem", Static).update("")

    # -- which keys work where -----------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        tab = self._TAB_OF.get(action)
        if tab is None:
            return True
        tabs = self.query(TabbedContent)
        return bool(tabs) and tabs.first().active == tab

    TABS = ("rules", "holidays", "schedule")

    def action_next_tab(self, step: int) -> None:
        """Show the next (step 1) or previous (-1) tab and put the focus in it."""
        tabs = self.query_one(TabbedContent)
        tab = self.TABS[(self.TABS.index(tabs.active) + step) % len(self.TABS)]
        # Nothing keeps the focus in the pane being hidden: Textual would hand it to a sibling box there,
        # and a box focused in a pane makes that pane the active one again.
        self.set_focus(None)
        tabs.active = tab
        first = {"rules": "#care-rules", "holidays": "#own-holidays", "schedule": "#schedule-form Input"}

        def focus() -> None:
            # Only if still on that tab: focusing into a pane makes it the active one, so a late focus
            # after a quick second press would pull the operator back.
            if tabs.active == tab:
                self.query(first[tab]).first().focus()

        self.call_after_refresh(focus)

    @on(TabbedContent.TabActivated)
    def _tab_changed(self, event: TabbedContent.TabActivated) -> None:
        self.refresh_bindings()

    # -- rules ---------------------------------------------------------------------------

    def action_toggle(self) -> None:
        rule = self.selected_rule
        if rule is not None:
            self._switch(rule.key, not rule.on)

    @work(thread=True, exclusive=True, group="care-switch", exit_on_error=False)
    def _switch(self, key: str, on: bool) -> None:
        self.app.book.run(care_book.switch, key, on)
        self.app.call_from_thread(self.notify, t("care.turned_on" if on else "care.turned_off",
                                                 rule=t(f"care.rule.{key}")), markup=False)
        self.app.call_from_thread(self._load)

    def action_edit(self) -> None:
        rule = self.selected_rule
        if rule is not None and self.view is not None:
            self.app.push_screen(RuleForm(rule, self.view, self.app.clock()), self._rule_saved)

    @on(DataTable.RowSelected, "#care-rules")
    def _rule_chosen(self, event: DataTable.RowSelected) -> None:
        self.action_edit()

    def _rule_saved(self, rule: Rule | None) -> None:
        if rule is not None:
            self.notify(t("care.saved_rule", rule=t(f"care.rule.{rule.key}")), markup=False)
            self._load()

    # -- holidays ------------------------------------------------------------------------

    def action_add_holiday(self) -> None:
        if self.view is not None:
            self.app.push_screen(HolidayForm(self.view.today), self._holiday_added)

    def _holiday_added(self, added: tuple[Festival, date] | None) -> None:
        if added is not None:
            holiday, next_day = added
            self.notify(clean(t("care.holiday_added", name=holiday.name, next=next_day.isoformat())), markup=False)
            self._load()

    @property
    def selected_holiday(self) -> Festival | None:
        if self.view is None or not self.view.own:
            return None
        row = self.query_one("#own-holidays", DataTable).cursor_row
        return self.view.own[row][0] if 0 <= row < len(self.view.own) else None

    def action_remove_holiday(self) -> None:
        from tui.screens.confirm import ConfirmScreen

        holiday = self.selected_holiday
        if holiday is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._remove(holiday.name)

        self.app.push_screen(ConfirmScreen(t("care.remove_question"), holiday.name), answered)

    @work(thread=True, exclusive=True, group="care-holiday", exit_on_error=False)
    def _remove(self, name: str) -> None:
        self.app.book.run(care_book.remove_holiday, name)
        self.app.call_from_thread(self.notify, clean(t("care.holiday_removed", name=name)), markup=False)
        self.app.call_from_thread(self._load)

    # -- schedule ------------------------------------------------------------------------

    def action_save_schedule(self) -> None:
        tiers = self.tier_rows
        contact = {tier: self.query_one(f"#contact-{i}", Input).value for i, tier in enumerate(tiers)}
        drifting = {tier: self.query_one(f"#drifting-{i}", Input).value for i, tier in enumerate(tiers)}
        per_day = {kind: self.query_one(f"#{kind}-per-day", Input).value for kind in CAPPED}
        self._save_schedule(contact, drifting, self.query_one("#complaint-hours", Input).value, per_day)

    @work(thread=True, exclusive=True, group="care-schedule", exit_on_error=False)
    def _save_schedule(self, contact: dict[str, str], drifting: dict[str, str], hours: str,
                       per_day: dict[str, str]) -> None:
        try:
            self.app.book.run(care_book.save_schedule, contact, drifting, hours, per_day)
        except CareProblem as problem:
            self.post_message(ScheduleRefused(problem_words(problem)))
            return
        self.app.call_from_thread(self.notify, t("care.schedule_saved"), markup=False)
        self.app.call_from_thread(self._load, True)

    @on(ScheduleRefused)
    def _schedule_refused(self, event: ScheduleRefused) -> None:
        self.query_one("#schedule-problem", Static).update(plain(event.words))
