"""The command palette: the desk's screens and actions, and customers found by name, pinyin or number.

Textual's fuzzy matcher compares characters, so `zs` never finds 张三; customers
come from the store's own search instead. Customer data goes into the hit's
prompt as Content only: the palette parses a plain-string prompt or help as markup.
"""

from __future__ import annotations

import asyncio
from functools import partial

from textual.command import CommandPalette, DiscoveryHit, Hit, Provider
from textual.content import Content

from tui.i18n import t
from tui.text import mask_number, plain

SCREENS = ("desk", "customers", "messages", "templates", "campaigns", "tasks", "reports", "settings", "care_settings",
           "setup", "help")


class DeskCommands(Provider):
    """Screens, actions and customers."""

    def _commands(self) -> list[tuple[str, str, object]]:
        app = self.app
        commands = [(t(f"screen.{name}"), t(f"tip.{name}"), partial(app.action_open, name)) for name in SCREENS]
        commands.append((t("key.privacy"), t("tip.privacy"), app.action_toggle_privacy))
        commands.append((t("form.new"), t("tip.new"), self._new_customer))
        if app.announcer.ring is not None:  # a call rings: the desk on the caller, what is open kept
            commands.append((t("key.to_caller"), t("tip.to_caller"), app.action_to_caller))
        return commands + self._screen_commands()

    def _screen_commands(self) -> list[tuple[str, str, object]]:
        """The keys of the screen the palette was opened over (block, delete, restore on the customers screen…),
        so every key the footer offers can also be found by name."""
        screen = self.screen
        commands = []
        seen: set[str] = set()
        for bindings in screen._bindings.key_to_bindings.values():
            for binding in bindings:
                action = binding.action
                if (not binding.id or not binding.description or action in seen or "escape" in binding.key
                        or action.startswith("app.") or screen.check_action(action.split("(")[0], ()) is False):
                    continue
                seen.add(action)
                commands.append((binding.description, binding.tooltip or "", partial(screen.run_action, action)))
        return commands

    def _new_customer(self) -> None:
        from tui.screens.customer_form import CustomerForm
        from tui.screens.views import CustomerDraft

        self.app.push_screen(CustomerForm(CustomerDraft()))

    def _open_customer(self, query: str) -> None:
        from tui.screens.customers import CustomersScreen

        self.app.open_page(CustomersScreen(query))

    async def discover(self):
        for name, help_text, command in self._commands():
            yield DiscoveryHit(name, command, help=help_text)

    async def search(self, query: str):
        matcher = self.matcher(query)
        for name, help_text, command in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), command, help=help_text)
        if not query.strip():
            return
        hits = await asyncio.to_thread(self.app.book.search, query, 8)
        privacy = self.app.privacy
        for rank, hit in enumerate(hits):
            number = mask_number(hit.number) if privacy else hit.number
            prompt = Content.assemble(
                (f"{t('palette.customer')}  ", "$text-muted"),
                plain(hit.name, limit=40, style="bold"),
                "  ",
                plain(number, limit=24),
                "  ",
                plain(hit.tier, limit=12, style="$text-muted"),
            )
            # The hit's text is what the palette sorts and compares; keep it literal and short.
            yield Hit(0.9 - rank * 0.01, prompt, partial(self._open_customer, hit.number or hit.name),
                      text=prompt.plain)


# Textual's built-in commands, by the English title and help Textual gives them, and our words for them.
_BUILT_IN = {
    "Theme": ("palette.builtin.theme", "palette.builtin.theme.help"),
    "Quit": ("palette.builtin.quit", "palette.builtin.quit.help"),
    "Maximize": ("palette.builtin.maximize", "palette.builtin.maximize.help"),
    "Minimize": ("palette.builtin.minimize", "palette.builtin.minimize.help"),
    "Screenshot": ("palette.builtin.screenshot", "palette.builtin.screenshot.help"),
}


def system_commands(app, commands):
    """Textual's built-in commands (App.get_system_commands) with their words in the shop's language.

    "Keys" opens our help (F1) instead of Textual's key panel, which lists Textual's own keys in English.
    """
    for command in commands:
        if command.title == "Keys":
            yield command._replace(title=t("palette.builtin.keys"), help=t("palette.builtin.keys.show"),
                                   callback=partial(app.action_open, "help"))
            continue
        title, help_key = _BUILT_IN.get(command.title, (None, None))
        yield command._replace(title=t(title), help=t(help_key)) if title else command


class ShopPalette(CommandPalette):
    """Textual's command palette with its prompts in the shop's language."""

    def __init__(self, *args, placeholder: str | None = None, **kwargs) -> None:
        super().__init__(*args, placeholder=placeholder or t("palette.placeholder"), **kwargs)

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Textual writes "No matches found" itself, in English; the words are swapped once it has.
        super()._start_no_matches_countdown(search_value)
        timer = self._no_matches_timer
        if timer is not None:
            callback = timer._callback

            def then_in_our_words() -> None:
                callback()  # Textual's timer callbacks are queued (call_next): ours goes in line after it
                self.call_next(self._no_matches_in_our_words)

            timer._callback = then_in_our_words

    def _no_matches_in_our_words(self) -> None:
        from rich.align import Align
        from rich.text import Text
        from textual.command import CommandList

        command_list = self.query_one(CommandList)
        try:
            index = command_list.get_option_index(self._NO_MATCHES)
        except Exception:  # noqa: BLE001 - nothing was added: nothing to say
            return
        command_list.replace_option_prompt_at_index(index, Align.center(Text(t("palette.no_matches"),
                                                                             style="not bold")))
