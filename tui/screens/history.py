"""One customer's history: calls, visits and texts, newest first."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from tui.i18n import TranslatedBindings, t
from tui.screens.views import HistoryLine
from tui.text import cell, plain

KINDS = {"call": "history.calls", "visit": "history.visits", "text": "history.texts"}


@dataclass
class HistoryLoaded(Message):
    lines: list[HistoryLine]


class HistoryScreen(TranslatedBindings, Screen):
    """Everything the shop did with one customer; Esc goes back."""

    NAME = "history"
    BINDINGS = [Binding("escape", "app.pop_screen", "key.back", tooltip="tip.back", id="history.back")]

    def __init__(self, customer_id: int, name: str) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.customer_name = name

    def compose(self) -> ComposeResult:
        title = Static(classes="screen-title")
        title.update(plain(t("history.title", name=self.customer_name), limit=80))
        yield title
        table = DataTable(id="history", cursor_type="row", zebra_stripes=True)
        table.add_column(t("col.time"))
        table.add_column("")
        table.add_column(t("col.body"))
        yield table
        yield Footer(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self._load()

    @work(thread=True, exclusive=True, group="history", exit_on_error=False)
    def _load(self) -> None:
        self.post_message(HistoryLoaded(self.app.book.history(self.customer_id)))

    @on(HistoryLoaded)
    def _loaded(self, event: HistoryLoaded) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for line in event.lines:
            table.add_row(cell(line.when), cell(t(KINDS.get(line.kind, "history.calls"))), cell(line.text, limit=200))
