"""A yes/no question over the current screen; Enter or y says yes, Esc or n says no."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from tui.i18n import TranslatedBindings, t
from tui.text import plain


class ConfirmScreen(TranslatedBindings, ModalScreen[bool]):
    """Ask `question` (our own words) about `detail` (outside data, shown literally)."""

    BINDINGS = [
        Binding("y", "answer(True)", "yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "no", id="confirm.no"),
    ]

    def __init__(self, question: str, detail: str = "") -> None:
        super().__init__()
        self.question = question
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(plain(self.question), id="question")
            if self.detail:
                yield Static(plain(self.detail, limit=400, lines=True), id="detail")
            with Horizontal(id="buttons"):
                yield Button(f"{t('yes')} (y)", id="yes", variant="primary", compact=True)
                yield Button(f"{t('no')} (n)", id="no", compact=True)

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
