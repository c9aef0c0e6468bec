"""The task list's small dialogs: why a task is dismissed, a new complaint, a text to the customer."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from tui.i18n import TranslatedBindings, t
from tui.problems import said
from tui.text import clean, mask_number, plain
from tui.widgets.composer import Composer, TemplateChoice


@dataclass
class Failed(Message):
    reason: str


class ReasonDialog(TranslatedBindings, ModalScreen[str | None]):
    """Ask why a task is dismissed; dismisses with the reason, or None when backed out."""

    BINDINGS = [Binding("escape", "dismiss(None)", "key.back", tooltip="tip.back", id="task_reason.back")]

    def __init__(self, about: str) -> None:
        super().__init__()
        self.about = about

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = t("tasks.dismiss.title")
            yield Static(plain(self.about, limit=120), id="about")
            yield Label(t("tasks.dismiss.reason"))
            yield Input(id="reason", compact=True, max_length=200)
            yield Static("", id="problem", markup=False)

    def on_mount(self) -> None:
        self.query_one("#reason", Input).focus()

    @on(Input.Submitted, "#reason")
    def _submitted(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            self.query_one("#problem", Static).update(t("tasks.dismiss.need_reason"))
            return
        self.dismiss(event.value.strip())


class ComplaintDialog(TranslatedBindings, ModalScreen[int | None]):
    """Record a complaint: who (a number) and what about; dismisses with the task's id, or None."""

    BINDINGS = [
        Binding("ctrl+s", "save", "key.save", tooltip="tip.save", id="task_complaint.save"),
        Binding("escape", "dismiss(None)", "key.back", tooltip="tip.back", id="task_complaint.back"),
    ]

    @dataclass
    class Saved(Message):
        task_id: int

    def __init__(self, number: str = "", privacy: bool = False) -> None:
        super().__init__()
        self.number = number
        self.locked = privacy and bool(number)  # in privacy mode the number given is shown masked, as in the composer

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = t("tasks.complaint.title")
            yield Label(t("tasks.complaint.number"))
            shown = mask_number(self.number) if self.locked else clean(self.number, limit=32)
            yield Input(shown, id="c-number", compact=True, max_length=32, restrict=r"[0-9+ \-()]*",
                        disabled=self.locked)
            yield Label(t("tasks.complaint.note"))
            yield Input(id="c-note", compact=True, max_length=500)
            yield Static("", id="problem", markup=False)

    def on_mount(self) -> None:
        self.query_one("#c-note" if self.number else "#c-number", Input).focus()

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        if event.input.id == "c-note":
            self.action_save()
        else:
            self.focus_next()

    def action_save(self) -> None:
        number = self.number if self.locked else self.query_one("#c-number", Input).value.strip()
        note = self.query_one("#c-note", Input).value.strip()
        if not number or not note:
            self.query_one("#problem", Static).update(t("tasks.complaint.need_both"))
            return
        self._save(number, note)

    @work(thread=True, exclusive=True, group="task-complaint", exit_on_error=False)
    def _save(self, number: str, note: str) -> None:
        from tui.screens import task_book

        try:
            self.post_message(self.Saved(self.app.book.run(task_book.add_complaint, number, note)))
        except Exception as exc:  # a number that is none, or the book is busy: say so, keep the dialog
            self.post_message(Failed(said(exc)))

    @on(Failed)
    def _failed(self, event: Failed) -> None:
        self.query_one("#problem", Static).update(clean(event.reason, limit=200))

    @on(Saved)
    def _saved(self, event: Saved) -> None:
        self.dismiss(event.task_id)


@dataclass
class _Ready(Message):
    templates: list[TemplateChoice]
    card: object


@dataclass
class _Queued(Message):
    message_id: int


class TextDialog(TranslatedBindings, ModalScreen[int | None]):
    """Write a text to one number (templates filled for that customer); dismisses with the queued text's id."""

    DEFAULT_CSS = "TextDialog #dialog Composer { height: 12; }"
    BINDINGS = [Binding("escape", "dismiss(None)", "key.back", tooltip="tip.back", id="task_text.back")]

    def __init__(self, number: str, about: str) -> None:
        super().__init__()
        self.number = number
        self.about = about

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = t("tasks.text.title")
            yield Static(plain(self.about, limit=120), id="about")
            yield Composer(self.app.book.measure, id="task-composer")

    def on_mount(self) -> None:
        composer = self.query_one(Composer)
        composer.set_privacy(self.app.privacy)
        composer.address(self.number)
        composer.query_one("#template-filter", Input).focus()
        self._load()

    @work(thread=True, exclusive=True, group="task-text-load", exit_on_error=False)
    def _load(self) -> None:
        book = self.app.book
        self.post_message(_Ready(book.template_choices(), book.card(self.number)))

    @on(_Ready)
    def _ready(self, event: _Ready) -> None:
        composer, book, card = self.query_one(Composer), self.app.book, event.card
        composer.set_templates(event.templates)
        composer.address(self.number, fill=lambda body: book.fill(body, card))

    @on(Composer.SendRequested)
    def _send_requested(self, event: Composer.SendRequested) -> None:
        from tui.screens.confirm import ConfirmScreen

        event.stop()
        number, body = event.number, event.body

        def answered(yes: bool | None) -> None:
            if yes:
                self._queue(number, body)

        self.app.push_screen(ConfirmScreen(t("composer.confirm", to=number, parts=event.parts), body), answered)

    @work(thread=True, group="task-text-send", exit_on_error=False)
    def _queue(self, number: str, body: str) -> None:
        try:
            self.post_message(_Queued(self.app.book.queue_text(number, body)))
        except Exception as exc:  # a bad number or a busy book: the text is not queued, the task stays open
            self.post_message(Failed(said(exc)))

    @on(Failed)
    def _failed(self, event: Failed) -> None:
        self.notify(t("error.store", error=clean(event.reason, limit=200)), severity="error", markup=False)

    @on(_Queued)
    def _queued(self, event: _Queued) -> None:
        self.app.poke_line()
        self.notify(t("composer.queued"), markup=False)
        self.dismiss(event.message_id)
