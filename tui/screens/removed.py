"""Deleted customers, still restorable: the list, newest first; Enter brings the highlighted one back."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer

from tui.i18n import TranslatedBindings, t
from tui.messages import BookChanged
from tui.problems import said
from tui.screens import customer_book
from tui.screens.customer_book import RemovedLine
from tui.screens.help import HELP_KEY
from tui.text import cell, clean, mask_number


@dataclass
class RemovedLoaded(Message):
    lines: list[RemovedLine]


@dataclass
class Restored(Message):
    line: RemovedLine
    taken: tuple[str, ...] = ()
    problem: str = ""


class RemovedPicker(TranslatedBindings, ModalScreen[int | None]):
    """Dismisses with the restored customer's id, or None when backed out."""

    BINDINGS = [
        Binding("ctrl+s", "restore", "key.customer_restore", tooltip="tip.restore_pick", id="removed.restore"),
        Binding("escape", "dismiss(None)", "key.back", tooltip="tip.back", id="removed.back"),
        HELP_KEY,
    ]

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[RemovedLine] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = t("removed.title")
            table = DataTable(id="removed", cursor_type="row", zebra_stripes=True)
            for key in ("col.name", "col.number", "col.deleted_at", "col.purge_on"):
                table.add_column(t(key))
            yield table
        yield Footer(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self._load()

    @work(thread=True, exclusive=True, group="removed", exit_on_error=False)
    def _load(self) -> None:
        self.post_message(RemovedLoaded(self.app.book.run(customer_book.removed_lines)))

    @on(RemovedLoaded)
    def _loaded(self, event: RemovedLoaded) -> None:
        self.lines = event.lines
        table = self.query_one(DataTable)
        table.clear()
        privacy = self.app.privacy
        for line in event.lines:
            numbers = ", ".join(mask_number(n) for n in line.numbers.split(", ")) if privacy else line.numbers
            table.add_row(cell(line.name, limit=30), cell(numbers, limit=40), cell(line.deleted), cell(line.purge))
        if not event.lines:
            table.add_row(cell(t("removed.none"), style="dim"), "", "", "")

    @on(DataTable.RowSelected)
    def _chosen(self, event: DataTable.RowSelected) -> None:
        self.action_restore()

    def action_restore(self) -> None:
        table = self.query_one(DataTable)
        row = table.cursor_row
        if self.lines and row is not None and row < len(self.lines):
            self._restore(self.lines[row])

    @work(thread=True, exclusive=True, group="removed-restore", exit_on_error=False)
    def _restore(self, line: RemovedLine) -> None:
        try:
            taken = self.app.book.run(customer_book.restore, line.customer_id)
        except Exception as exc:  # restored or purged at another terminal meanwhile
            self.post_message(Restored(line, problem=said(exc)))
            return
        self.post_message(Restored(line, taken))

    @on(Restored)
    def _restored(self, event: Restored) -> None:
        if event.problem:
            self.app.notify(t("customers.failed", reason=clean(event.problem, limit=120)), markup=False,
                            severity="warning")
            self._load()
            return
        self.app.notify(t("customers.restored", name=clean(event.line.name, limit=60)), markup=False)
        if event.taken:
            self.app.notify(t("customers.restore_taken", numbers=", ".join(event.taken)), markup=False,
                            severity="warning")
        self.app.post_message(BookChanged(calls=False, messages=False, customers=True))
        self.dismiss(event.line.customer_id)
