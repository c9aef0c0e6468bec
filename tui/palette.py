"""The command palette: the desk's screens and actions, and customers found by name, pinyin or number.

Textual's fuzzy matcher compares characters, so `zs` never finds 张三; customers
come from the store's own search instead. Customer data goes into the hit's
prompt as Content only: the palette parses a plain-string prompt or help as markup.
"""

from __future__ import annotations

import asyncio
from functools import partial

from textual.command import DiscoveryHit, Hit, Provider
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

        self.app.action_open("desk")
        self.app.push_screen(CustomersScreen(query))

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
