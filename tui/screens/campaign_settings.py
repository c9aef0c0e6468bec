"""How campaigns go out, for the whole shop: texts a minute, quiet hours, price per part, opt-out footer."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, Static

from tui.i18n import TranslatedBindings, t
from tui.problems import said
from tui.screens import campaign_book
from tui.screens.campaign_book import SendingSettings
from tui.screens.campaign_checks import Problem, sending_of
from tui.text import clean

FIELDS = ("rate", "quiet_start", "quiet_end", "price", "footer")


@dataclass
class SendingLoaded(Message):
    values: SendingSettings


@dataclass
class SendingFailed(Message):
    reason: str


class SendingSettingsDialog(TranslatedBindings, ModalScreen[bool]):
    """Ctrl+S checks and saves in the book (every terminal and the line worker read them there); Esc backs out."""

    BINDINGS = [
        Binding("ctrl+s", "save", "key.save", tooltip="tip.save", id="sending.save"),
        Binding("escape", "dismiss(False)", "key.back", tooltip="tip.back", id="sending.back"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = t("screen.sending")
            for name in FIELDS:
                yield Label(t(f"sending.{name}"))
                yield Input(id=f"s-{name}", compact=True, max_length=40)
            yield Static("", id="problem", markup=False)
        yield Footer(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        self.query_one("#s-rate", Input).focus()
        self._load()

    @work(thread=True, exclusive=True, group="sending", exit_on_error=False)
    def _load(self) -> None:
        self.post_message(SendingLoaded(self.app.book.run(campaign_book.sending_settings)))

    @on(SendingLoaded)
    def _loaded(self, event: SendingLoaded) -> None:
        v = event.values
        for name, value in (("rate", str(v.rate)), ("quiet_start", v.quiet_start), ("quiet_end", v.quiet_end),
                            ("price", f"{v.price:.2f}"), ("footer", v.footer)):
            self.query_one(f"#s-{name}", Input).value = clean(value, limit=40)

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        if event.input.id == f"s-{FIELDS[-1]}":
            self.action_save()
        else:
            self.focus_next()

    def action_save(self) -> None:
        try:
            values = sending_of({name: self.query_one(f"#s-{name}", Input).value for name in FIELDS})
        except Problem as problem:
            self.query_one("#problem", Static).update(str(problem))
            return
        self._save(values)

    @work(thread=True, exclusive=True, group="sending-save", exit_on_error=False)
    def _save(self, values: SendingSettings) -> None:
        try:
            self.app.book.run(campaign_book.save_sending_settings, values)
        except Exception as exc:  # a busy book: say so, keep what was typed
            self.post_message(SendingFailed(said(exc)))
            return
        self.app.call_from_thread(self._saved)

    @on(SendingFailed)
    def _failed(self, event: SendingFailed) -> None:
        self.query_one("#problem", Static).update(clean(event.reason, limit=200))

    def _saved(self) -> None:
        self.notify(t("sending.saved"), markup=False)
        self.dismiss(True)
