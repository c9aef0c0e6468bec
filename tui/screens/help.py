"""Every key the operator can press here, with what it does (the `?` screen)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from tui.i18n import TranslatedBindings, t
from tui.text import cell
from tui.widgets.table import Table


# F1 in a modal form's own keys, so its footer shows it (the app's F1 works there too, as a priority key).
HELP_KEY = Binding("f1", "app.open('help')", "key.help", tooltip="tip.help", id="form.help")


def key_rows(app, screen) -> list[tuple[str, str, str]]:
    """(keys, description, tooltip) for the app's bindings and those of `screen` and its focused widgets."""
    rows: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    nodes = [app, screen]
    focused = screen.focused
    if focused is not None:
        nodes += list(reversed(focused.ancestors_with_self))
    modal = getattr(screen, "is_modal", False)
    for node in nodes:
        for binding in node._bindings.key_to_bindings.values():
            for item in binding:
                action = item.action.removeprefix("app.")  # the desk repeats some app keys for its footer
                if not item.id or not item.description or action in seen:
                    continue
                if modal and node is app and not item.priority:
                    continue  # over a modal form only its own keys (and the app's priority ones) work
                if node.check_action(action.split("(")[0], ()) is False:
                    continue  # a key that does nothing here now (the demo's ring outside the demo)
                seen.add(action)
                keys = ", ".join(app.get_key_display(Binding(k.strip(), "")) for k in item.key.split(","))
                rows.append((keys, item.description, item.tooltip or ""))
    return rows


class HelpScreen(TranslatedBindings, Screen):
    """Lists the keys of the screen it was opened from; Esc goes back."""

    NAME = "help"
    BINDINGS = [Binding("escape,q", "app.pop_screen", "key.back", tooltip="tip.back", id="help.back")]

    def compose(self) -> ComposeResult:
        yield Static(t("help.intro"), classes="screen-title", markup=False)
        yield Table(id="keys", cursor_type="row", zebra_stripes=True)
        yield Footer(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        under = self.app.screen_stack[-2] if len(self.app.screen_stack) > 1 else self
        table = self.query_one(DataTable)
        table.add_column(t("key.help"))
        table.add_column("")
        table.add_column("")
        for keys, description, tooltip in key_rows(self.app, under):
            table.add_row(cell(keys), cell(description), cell(tooltip))
        table.focus()
