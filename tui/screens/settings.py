"""Settings: the shop's (shared by every terminal, in the store) and this terminal's (in config.toml)."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, Select, Static, Switch

from tui.config import save_config, with_changes
from tui.i18n import TranslatedBindings, current_language, t
from tui.screens.help import HELP_KEY
from tui.screens.leaving import AsksBeforeLeaving
from tui.screens.views import ShopSettings
from tui.text import clean


@dataclass
class ShopLoaded(Message):
    shop: ShopSettings


@dataclass
class Saved(Message):
    pass


def tiers_of(text: str) -> tuple[str, ...]:
    """Tiers as typed: comma separated (either comma), trimmed, each once, in the order given."""
    names = (name.strip() for name in text.replace("，", ",").split(","))
    return tuple(dict.fromkeys(name for name in names if name))


def check(shop: ShopSettings) -> str | None:
    """What is wrong with the shop settings, in plain words, or None."""
    if not shop.tiers:
        return t("settings.bad_tiers")
    if len(shop.region) != 2 or not shop.region.isalpha():
        return t("settings.bad_region")
    try:
        ZoneInfo(shop.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return t("settings.bad_timezone", tz=shop.timezone)
    return None


class SettingsScreen(AsksBeforeLeaving, TranslatedBindings, Screen):
    """Ctrl+S saves; Esc backs out, asking first when something was changed."""

    NAME = "settings"

    BINDINGS = [
        Binding("escape", "leave", "key.back", tooltip="tip.back", id="settings.back"),
        Binding("ctrl+s", "save", "key.save", tooltip="tip.save", id="settings.save"),
        Binding("ctrl+r", "care", "care.key.open", tooltip="tip.care_settings", id="settings.care"),
        HELP_KEY,
    ]

    def compose(self) -> ComposeResult:
        config = self.app.config
        yield Static(t("screen.settings"), classes="screen-title", markup=False)
        with VerticalScroll(id="settings-form"):
            yield Label(t("settings.shop"))
            yield Input(id="shop", compact=True)
            yield Label(t("settings.region"))
            yield Input("CN", id="region", compact=True, max_length=2)
            yield Label(t("settings.timezone"))
            yield Input("Asia/Shanghai", id="timezone", compact=True)
            yield Label(t("settings.tiers"))
            yield Input(", ".join(ShopSettings().tiers), id="tiers", compact=True)
            yield Label(t("settings.language"))
            yield Select([("中文", "zh"), ("English", "en")], value=config.language or current_language(),
                         id="language", allow_blank=False, compact=True)
            with Horizontal(classes="switch-row"):
                yield Switch(config.auto_compose, id="auto_compose")
                yield Label(t("settings.auto_compose"))
            with Horizontal(classes="switch-row"):
                yield Switch(self.app.privacy, id="privacy")
                yield Label(t("settings.privacy"))
            with Horizontal(classes="switch-row"):
                yield Switch(False, id="auto_reject_blocked")
                yield Label(t("settings.auto_reject_blocked"))
            yield Static("", id="problem", markup=False)
        yield Footer(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        self.query_one("#shop", Input).focus()
        self._load()

    @work(thread=True, exclusive=True, group="settings", exit_on_error=False)
    def _load(self) -> None:
        self.post_message(ShopLoaded(self.app.book.shop_settings()))

    @on(ShopLoaded)
    def _loaded(self, event: ShopLoaded) -> None:
        self.query_one("#shop", Input).value = clean(event.shop.shop, limit=80)
        self.query_one("#region", Input).value = clean(event.shop.region, limit=2)
        self.query_one("#timezone", Input).value = clean(event.shop.timezone, limit=60)
        self.query_one("#auto_reject_blocked", Switch).value = event.shop.auto_reject_blocked
        self.query_one("#tiers", Input).value = clean(", ".join(event.shop.tiers), limit=400)
        self.mark_saved()  # what the book holds: only what the operator changes from here is asked about

    def action_care(self) -> None:
        """Care rules, holidays and schedules, over this screen: Esc comes back here."""
        self.app.push_screen(self.app.screen_named("care_settings"))

    def action_save(self) -> None:
        shop = ShopSettings(
            shop=self.query_one("#shop", Input).value.strip(),
            region=self.query_one("#region", Input).value.strip().upper(),
            timezone=self.query_one("#timezone", Input).value.strip(),
            auto_reject_blocked=self.query_one("#auto_reject_blocked", Switch).value,
            tiers=tiers_of(self.query_one("#tiers", Input).value),
        )
        problem = check(shop)
        if problem:
            self.query_one("#problem", Static).update(problem)
            return
        language = self.query_one("#language", Select).value
        config = with_changes(
            self.app.config,
            language=language,
            auto_compose=self.query_one("#auto_compose", Switch).value,
            privacy=self.query_one("#privacy", Switch).value,
        )
        self._save(shop, config)

    @work(thread=True, exclusive=True, group="settings-save", exit_on_error=False)
    def _save(self, shop: ShopSettings, config) -> None:
        self.app.book.save_shop_settings(shop)
        save_config(config)
        self.app.call_from_thread(self._apply, config)

    def _apply(self, config) -> None:
        if config.language != self.app.config.language:
            # Every word on screen was chosen at start-up; a restart is the honest way to change them all.
            self.notify(t("settings.restart"), markup=False)
        self.app.config = config
        if config.privacy != self.app.privacy:
            self.app.action_toggle_privacy()
        self.notify(t("settings.saved"), markup=False)
        self.app.pop_screen()
