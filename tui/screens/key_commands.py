"""The palette's part for one screen: that screen's own keys as commands (Ctrl+P, then type what to do).

A screen lists this provider in its COMMANDS; the palette then offers every key the
screen declares with words (its description, with the tooltip as help), and runs
the same action the key runs.
"""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Provider


class ScreenKeys(Provider):
    """The calling screen's own keys, by their words."""

    def _commands(self) -> list[tuple[str, str, object]]:
        screen = self.screen
        out, seen = [], set()
        for bindings in screen._bindings.key_to_bindings.values():
            for binding in bindings:
                # Only the screen's own worded keys; Esc (back) is the palette's own key there.
                if not binding.description or binding.action in seen or binding.key == "escape":
                    continue
                seen.add(binding.action)
                out.append((binding.description, binding.tooltip or "",
                            partial(screen.run_action, binding.action)))
        return out

    async def discover(self):
        for name, help_text, command in self._commands():
            yield DiscoveryHit(name, command, help=help_text)

    async def search(self, query: str):
        matcher = self.matcher(query)
        for name, help_text, command in self._commands():
            score = max(matcher.match(name), matcher.match(help_text))
            if score > 0:
                yield Hit(score, matcher.highlight(name), command, help=help_text)
