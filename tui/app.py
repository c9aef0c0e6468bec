"""The desk application: which screens exist, the keys that reach them, and the command palette."""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from textual.app import App
from textual.binding import Binding
from textual.css.query import NoMatches

from tui.config import Config
from tui.i18n import TranslatedBindings, set_language
from tui.messages import BookChanged


def _now() -> datetime:
    return datetime.now(timezone.utc)


class GuanjiaApp(TranslatedBindings, App):
    """One terminal of the shop's desk, reading and writing the book through `book`."""

    CSS_PATH = Path(__file__).with_name("app.tcss")
    TITLE = "guanjia"
    NOTIFICATION_TIMEOUT = 4
    export_folder: Path | None = None  # where this session's last desk export was saved (tui/screens/save_to.py)

    def __init__(self, book, config: Config | None = None, *, language: str = "zh",
                 clock: Callable[[], datetime] = _now, live: Callable[["GuanjiaApp"], object] | None = None) -> None:
        set_language(language)
        super().__init__()
        # Ours replaces Textual's own palette key, which has English words and no id.
        palette = self._bindings.key_to_bindings.get(self.COMMAND_PALETTE_BINDING, [])
        self._bindings.key_to_bindings[self.COMMAND_PALETTE_BINDING] = [b for b in palette if b.id]
        self.book = book
        self.config = config or Config()
        self.clock = clock
        self.privacy = self.config.privacy
        self.line_state = "none"
        # The live feed (line worker and change watcher): built with this app, so it can post to it.
        self.live = live(self) if live is not None else None
        from tui.palette import DeskCommands

        self.COMMANDS = App.COMMANDS | {DeskCommands}

    # Descriptions and tooltips are translation keys, put into words when the app starts.
    BINDINGS = [
        Binding("f2", "open('desk')", "key.desk", tooltip="tip.desk", id="desk", show=False),
        Binding("f3", "open('customers')", "key.customers", tooltip="tip.customers", id="customers", show=False),
        Binding("f4", "open('messages')", "key.messages", tooltip="tip.messages", id="messages", show=False),
        Binding("f5", "open('templates')", "key.templates", tooltip="tip.templates", id="templates", show=False),
        Binding("f6", "open('settings')", "key.settings", tooltip="tip.settings", id="settings", show=False),
        Binding("f7", "open('setup')", "key.setup", tooltip="tip.setup", id="setup", show=False),
        Binding("f8", "open('campaigns')", "key.campaigns", tooltip="tip.campaigns", id="campaigns", show=False),
        Binding("f9", "open('tasks')", "key.tasks", tooltip="tip.tasks", id="tasks", show=False),
        Binding("f10", "open('reports')", "key.reports", tooltip="tip.reports", id="reports", show=False),
        Binding("f1,question_mark", "open('help')", "key.help", tooltip="tip.help", id="help"),
        Binding("ctrl+p", "command_palette", "key.palette", tooltip="tip.palette", id="palette", show=False,
                priority=True),
        Binding("ctrl+q", "quit", "key.quit", tooltip="tip.quit", id="quit", show=False, priority=True),
    ]

    def on_mount(self) -> None:
        from tui.screens.desk import DeskScreen

        if self.config.keymap:
            self.set_keymap(self.config.keymap)
        if self.config.theme in self.available_themes:
            self.theme = self.config.theme
        self.push_screen(DeskScreen())
        if self.live is not None:
            self.run_worker(self.live.run(), name="live", group="live", exit_on_error=False)

    def on_unmount(self) -> None:
        if self.live is not None:
            self.live.stop()
        if hasattr(self.book, "close"):
            self.book.close()

    def poke_line(self) -> None:
        """A text was queued here: let the line worker look at the outbox now."""
        if self.live is not None and hasattr(self.live, "poke"):
            self.live.poke()

    # name → module under tui.screens and the screen class in it; a screen comes into the app by one line here.
    SCREENS_BY_NAME = {
        "customers": ("customers", "CustomersScreen"),
        "messages": ("messages", "MessagesScreen"),
        "templates": ("templates", "TemplatesScreen"),
        "settings": ("settings", "SettingsScreen"),
        "care_settings": ("care_settings", "CareSettingsScreen"),
        "setup": ("setup", "SetupScreen"),
        "campaigns": ("campaigns", "CampaignsScreen"),
        "reports": ("reports", "ReportsScreen"),
        "tasks": ("tasks", "TasksScreen"),
        "help": ("help", "HelpScreen"),
    }

    def screen_named(self, name: str):
        """A fresh screen for `name` (imported on first use, so start-up stays quick)."""
        module, cls = self.SCREENS_BY_NAME[name]
        return getattr(importlib.import_module(f"tui.screens.{module}"), cls)()

    def action_open(self, name: str) -> None:
        """Show the screen `name`, one level above the desk, so Esc always leads home."""
        if getattr(self.screen, "NAME", None) == name:
            return
        if name == "help":
            self.push_screen(self.screen_named("help"))
            return
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if name != "desk":
            self.push_screen(self.screen_named(name))

    # The command palette and Textual's built-in commands in the shop's words (tui/palette.py).
    def get_system_commands(self, screen):
        from tui.palette import system_commands

        return system_commands(self, super().get_system_commands(screen))

    def action_command_palette(self) -> None:
        from tui.palette import ShopPalette

        if self.use_command_palette and not ShopPalette.is_open(self):
            self.push_screen(ShopPalette(id="--command-palette"))

    def search_themes(self) -> None:
        from textual.theme import ThemeProvider

        from tui.i18n import t
        from tui.palette import ShopPalette

        self.push_screen(ShopPalette(providers=[ThemeProvider], placeholder=t("palette.themes")))

    def action_toggle_privacy(self) -> None:
        """Mask or show the middle digits of numbers on every screen."""
        self.privacy = not self.privacy
        for screen in self.screen_stack:
            if hasattr(screen, "privacy_changed"):
                screen.privacy_changed(self.privacy)

    def on_call_ringing(self, message) -> None:
        self._on_desk(lambda desk: desk.call_ringing(message))

    def on_call_finished(self, message) -> None:
        self._on_desk(lambda desk: desk.call_finished(message))

    def on_book_changed(self, message) -> None:
        for screen in self.screen_stack:
            if hasattr(screen, "book_changed") and screen.is_mounted:
                with contextlib.suppress(NoMatches):
                    screen.book_changed(message)

    def on_line_state_changed(self, message) -> None:
        self.line_state = message.state

        def show(desk) -> None:
            desk.status_bar.change(state=message.state, detail=message.detail, operator=message.operator)
            desk.refresh_bindings()  # keys that depend on the line (the demo's ring) come and go

        self._on_desk(show)

    def on_signal_changed(self, message) -> None:
        self._on_desk(lambda desk: desk.status_bar.change(bars=message.bars))

    def on_outbox_changed(self, message) -> None:
        self._on_desk(lambda desk: desk.outbox_changed(message))

    def on_unread_changed(self, message) -> None:
        self._on_desk(lambda desk: desk.status_bar.change(unread=message.unread))

    def on_text_arrived(self, message) -> None:
        self.on_book_changed(BookChanged(calls=False, messages=True))

    def _on_desk(self, act) -> None:
        """Do `act` to the desk if it is up. The live feed may speak before the desk is built or while it is
        torn down at quit (its widgets already gone): then there is nothing to show it on."""
        desk = self._desk()
        if desk is not None:
            with contextlib.suppress(NoMatches):
                act(desk)

    def _desk(self):
        """The desk screen, or None before it is up (the worker may speak first)."""
        from tui.screens.desk import DeskScreen

        # Mounted only: a message may arrive while the desk is still being built or already torn down.
        return next((s for s in self.screen_stack if isinstance(s, DeskScreen) and s.is_mounted), None)
