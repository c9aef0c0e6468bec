"""The desk application: which screens exist, the keys that reach them, and the command palette."""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

from textual.app import App
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.screen import ModalScreen, Screen

from tui.announce import Announcer
from tui.config import Config
from tui.i18n import TranslatedBindings, set_language
from tui.messages import BookChanged


def _now() -> datetime:
    return datetime.now(timezone.utc)


# The desk keeps a screen stack of its own (Textual's default mode) and every other page opens in a second one,
# "pages": going to the desk then only switches stacks, so a customer form or a half-written reply is still
# there, as it was, when the operator comes back (the page's key brings it back).
DESK_MODE = "desk"
PAGES_MODE = "pages"


class PagesBase(Screen):
    """The bottom of the pages' stack, never seen: leaving the last page goes back to the desk instead."""


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
        self.announcer = Announcer(self)
        from tui.palette import DeskCommands

        self.COMMANDS = App.COMMANDS | {DeskCommands}

    # Descriptions and tooltips are translation keys, put into words when the app starts.
    BINDINGS = [
        # Works in every form (so priority); in the footer only while a call rings (see _show_caller_key).
        Binding("f2", "to_caller", "key.to_caller", tooltip="tip.to_caller", id="to_caller", show=False,
                priority=True),
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
        # F1 over a modal form too: a modal hears only its own keys and the app's priority ones.
        Binding("f1", "open('help')", "key.help", tooltip="tip.help", id="help.anywhere", priority=True),
        Binding("ctrl+p", "command_palette", "key.palette", tooltip="tip.palette", id="palette", show=False,
                priority=True),
        Binding("ctrl+q", "quit", "key.quit", tooltip="tip.quit", id="quit", show=False, priority=True),
    ]

    # The desk's stack starts as Textual's default one did: a blank screen with the desk pushed on it.
    MODES = {DESK_MODE: Screen, PAGES_MODE: PagesBase}
    DEFAULT_MODE = DESK_MODE

    def on_mount(self) -> None:
        from tui.screens.desk import DeskScreen

        if self.config.keymap:
            self.set_keymap(self.config.keymap)
        if self.config.theme in self.available_themes:
            self.theme = self.config.theme
        self.push_screen(DeskScreen())
        self.announcer.start()
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
        if name == "desk":
            self._show_desk()
            return
        pages = self._stack(PAGES_MODE)
        if self.current_mode == DESK_MODE and len(pages) > 1 and getattr(pages[1], "NAME", None) == name:
            self.switch_mode(PAGES_MODE)  # back to where the operator was, a form or a draft as it was left
            return
        from tui.screens.leaving import ask_before_leaving

        # Another page closes the page open now: a changed form or a draft on it asks first.
        ask_before_leaving(self, pages[1:], lambda: self.open_page(self.screen_named(name)))

    def open_page(self, screen: Screen) -> None:
        """Show `screen` as the one page above the desk (in place of any page open or left for the desk)."""
        if self.current_mode != PAGES_MODE:
            self.switch_mode(PAGES_MODE)
        while len(self._screen_stack) > 1:
            App.pop_screen(self)  # ours would go to the desk on the last one
        self.push_screen(screen)

    def pop_screen(self):
        """As Textual's; leaving the last page shows the desk (the pages' own bottom is never shown)."""
        popped = super().pop_screen()
        if self.current_mode == PAGES_MODE and len(self._screen_stack) == 1:
            self.switch_mode(DESK_MODE)
        return popped

    def _show_desk(self) -> None:
        """The desk, keeping the page (and any form over it) open for the operator's return."""
        from tui.screens.help import HelpScreen

        if self.current_mode == PAGES_MODE:
            if isinstance(self.screen, HelpScreen) and len(self._screen_stack) > 2:
                App.pop_screen(self)  # the key list is only a glance: no need to keep it
            self.switch_mode(DESK_MODE)
            return
        from tui.screens.leaving import ask_before_leaving

        # Over the desk itself (its own forms): closing them asks first when they hold changes.
        ask_before_leaving(self, self._screen_stack[2:], self._close_over_desk)

    def _close_over_desk(self) -> None:
        while len(self._screen_stack) > 2:
            self.pop_screen()

    def _stack(self, mode: str) -> list[Screen]:
        try:
            return self.get_screen_stack(mode)
        except KeyError:  # the pages' stack is made on the first page
            return []

    def all_screens(self) -> list[Screen]:
        """Every screen of both stacks, the desk's first (mounted or still being built)."""
        return self._stack(DESK_MODE) + self._stack(PAGES_MODE)

    # -- the ring, on every screen ---------------------------------------------------------------------------

    def can_go_to_caller(self, screen: Screen | None = None) -> bool:
        """From `screen` (the one up, by default) the desk is one switch away without closing anything."""
        screen = self.screen if screen is None else screen
        if getattr(screen, "NAME", None) == "desk":
            return False
        if screen in self._stack(PAGES_MODE):
            return True
        # Over the desk itself: only the key list, never one of the desk's own forms or questions.
        return not isinstance(screen, ModalScreen) and not isinstance(screen, PagesBase)

    def caller_key(self) -> str:
        """The key that goes to the caller, as the keyboard names it (the shop's keymap may move it)."""
        key = (self.config.keymap or {}).get("to_caller", "f2").split(",")[0].strip()
        return self.get_key_display(Binding(key, ""))

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "to_caller":
            return self.can_go_to_caller()  # else F2 is the plain desk key (or, on the desk, nothing)
        return True

    def action_to_caller(self) -> None:
        """The desk, on the caller (its card follows the ring), leaving what was open as it was."""
        if self.can_go_to_caller():
            self._show_desk()

    def _show_caller_key(self, show: bool) -> None:
        """The key to the caller in every footer while a call rings, out of them otherwise."""
        bindings = self._bindings.key_to_bindings
        for key, items in bindings.items():
            bindings[key] = [replace(b, show=show) if b.id == "to_caller" else b for b in items]
        if self.can_go_to_caller():
            # A footer is rebuilt whole; on the desk the key is never offered, so its footer is left alone
            # (rebuilt there, it competed with the ringing frame). Other screens pick the flag up when shown.
            self.refresh_bindings()

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

    async def action_quit(self) -> None:
        """Ctrl+Q: quit, asking first while a form or a draft holds unsaved work (tui/screens/leaving.py)."""
        from tui.screens.leaving import quit_asking

        quit_asking(self)

    def action_toggle_privacy(self) -> None:
        """Mask or show the middle digits of numbers on every screen."""
        self.privacy = not self.privacy
        for screen in self.all_screens():
            if hasattr(screen, "privacy_changed"):
                screen.privacy_changed(self.privacy)
        self.announcer.show()

    def on_call_ringing(self, message) -> None:
        self.announcer.ringing(message)  # first: the banner is what the operator sees on any screen
        self._for_desk(lambda desk: desk.call_ringing(message))
        # The footer's new key after the banner's frame: a footer is rebuilt whole, and the name comes first.
        self.call_after_refresh(self._show_caller_key, True)

    def on_call_finished(self, message) -> None:
        self.announcer.finished(message)
        self._for_desk(lambda desk: desk.call_finished(message))
        self.call_after_refresh(lambda: self._show_caller_key(self.announcer.ring is not None))

    def _for_desk(self, act) -> None:
        """`act` on the desk now if it is what the operator sees; else just after the banner's frame is painted,
        so a ring on another screen is on the glass before the desk's own work (its card, its log)."""
        if getattr(self.screen, "NAME", None) == "desk":
            self._on_desk(act)
        else:
            self.call_after_refresh(self._on_desk, act)

    def on_book_changed(self, message) -> None:
        for screen in self.all_screens():
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
        self.announcer.text_arrived(message)
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
        return next((s for s in self._stack(DESK_MODE) if isinstance(s, DeskScreen) and s.is_mounted), None)
