"""Merge two customers: find the other one with the customers search, confirm with both shown, fold it in."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Static

from tui.i18n import TranslatedBindings, t
from tui.messages import BookChanged
from tui.problems import said
from tui.screens.customers import CustomersScreen
from tui.screens.help import HELP_KEY
from tui.screens.history import numbers_words
from tui.screens.views import CustomerHit, CustomerSummary
from tui.text import clean, plain


class MergePicker(CustomersScreen, inherit_bindings=False):
    """The customers search, picking the customer to fold into `keep`; dismisses with the pick or None."""

    NAME = "merge-pick"
    BINDINGS = [
        Binding("escape", "back", "key.back", tooltip="tip.back", id="merge.back"),
        Binding("down", "to_table", show=False, id="merge.to_table"),
        Binding("ctrl+s", "choose", "key.pick", tooltip="tip.pick", id="merge.pick"),
    ]

    def __init__(self, keep: CustomerHit) -> None:
        super().__init__()
        self.keep = keep

    def title_words(self) -> str:
        return t("merge.title", name=clean(self.keep.name, limit=40))

    def matches(self, query: str) -> list[CustomerHit]:
        # A customer cannot be merged with themselves: the kept one is never offered.
        return [hit for hit in super().matches(query) if hit.customer_id != self.keep.customer_id]

    def choose(self) -> None:
        """Enter (in the list) or ctrl+s: this is the customer to fold in."""
        if self.selected is not None:
            self.dismiss(self.selected)

    def action_choose(self) -> None:
        self.choose()


@dataclass
class SidesLoaded(Message):
    keep: CustomerSummary
    drop: CustomerSummary


@dataclass
class MergeDone(Message):
    customer_id: int
    name: str


@dataclass
class MergeFailed(Message):
    reason: str


def side_words(label: str, side: CustomerSummary, privacy: bool) -> str:
    """One customer as the confirmation shows them: name, every number, how much history."""
    counts = t("merge.counts", calls=side.calls, visits=side.visits, texts=side.texts)
    return f"{label}{clean(side.name, limit=40)}\n  {numbers_words(side.numbers, privacy)}\n  {counts}"


class MergeConfirm(TranslatedBindings, ModalScreen[int | None]):
    """Both customers shown literally; y folds `drop` into `keep` and dismisses with `keep`, n or Esc backs out."""

    BINDINGS = [
        Binding("y", "merge", "yes", id="merge.yes"),
        Binding("n,escape", "dismiss(None)", "no", id="merge.no"),
        HELP_KEY,
    ]

    def __init__(self, keep_id: int, drop_id: int) -> None:
        super().__init__()
        self.keep_id = keep_id
        self.drop_id = drop_id
        self.sides: SidesLoaded | None = None
        self.merging = False

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = t("key.merge")
            yield Static("", id="question")
            yield Static("", id="keep")
            yield Static("", id="drop")
            yield Static("", id="problem", markup=False)
            with Horizontal(id="buttons"):
                yield Button(f"{t('yes')} (y)", id="yes", variant="primary", compact=True, disabled=True)
                yield Button(f"{t('no')} (n)", id="no", compact=True)
        yield Footer(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()
        self._load()

    @work(thread=True, exclusive=True, group="merge-load", exit_on_error=False)
    def _load(self) -> None:
        book = self.app.book
        try:
            self.post_message(SidesLoaded(book.customer_summary(self.keep_id), book.customer_summary(self.drop_id)))
        except Exception as exc:  # one of them was merged or removed at another terminal
            self.post_message(MergeFailed(said(exc)))

    @on(SidesLoaded)
    def _sides(self, event: SidesLoaded) -> None:
        self.sides = event
        keep, drop = clean(event.keep.name, limit=30), clean(event.drop.name, limit=30)
        privacy = self.app.privacy
        self.query_one("#question", Static).update(plain(t("merge.question", keep=keep, drop=drop)))
        self.query_one("#keep", Static).update(plain(side_words(t("merge.keep"), event.keep, privacy), lines=True))
        self.query_one("#drop", Static).update(plain(side_words(t("merge.drop"), event.drop, privacy), lines=True))
        yes = self.query_one("#yes", Button)
        yes.disabled = False
        yes.focus()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "merge":
            return self.sides is not None and not self.merging  # never on what has not been shown
        return True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "yes":
            self.action_merge()
        else:
            self.dismiss(None)

    def action_merge(self) -> None:
        if self.sides is None or self.merging:
            return
        self.merging = True
        self._merge(self.sides.keep.name)

    @work(thread=True, exclusive=True, group="merge", exit_on_error=False)
    def _merge(self, name: str) -> None:
        try:
            self.app.book.merge(self.keep_id, self.drop_id)
        except Exception as exc:  # say why, stay on the question
            self.post_message(MergeFailed(said(exc)))
            return
        self.post_message(MergeDone(self.keep_id, name))

    @on(MergeFailed)
    def _failed(self, event: MergeFailed) -> None:
        self.merging = False
        self.query_one("#problem", Static).update(clean(event.reason, limit=200))

    @on(MergeDone)
    def _done(self, event: MergeDone) -> None:
        self.app.notify(t("merge.done", name=clean(event.name, limit=60)), markup=False)
        # The call log shows names: the dropped customer's calls now carry the kept one's.
        self.app.post_message(BookChanged(calls=True, messages=True, customers=True))
        self.dismiss(event.customer_id)
