"""The task list (F9): what the shop owes people today, complaints first, each done with one key."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from tui.i18n import TranslatedBindings, t
from tui.problems import said
from tui.screens.task_book import TaskLine, TaskList
from tui.text import cell, clean, mask_number
from tui.widgets.table import Table

OVERDUE = "bold red"


@dataclass
class TasksLoaded(Message):
    tasks: TaskList


@dataclass
class TaskFailed(Message):
    error: str


def task_cells(line: TaskLine, privacy: bool) -> tuple:
    """One task's cells: kind, when, who, number, what is owed; overdue ones stand out."""
    style = OVERDUE if line.overdue else ""
    number = mask_number(line.number) if privacy else line.shown_number
    return (cell(t(f"tasks.kind.{line.kind}"), style=style), cell(line.when, style=style),
            cell(line.name or "—", limit=20), cell(number, limit=20), cell(line.what, limit=200))


class TasksScreen(TranslatedBindings, Screen):
    """Open tasks due today; c called back, s text, d dismiss, n new complaint, Enter history."""

    NAME = "tasks"

    # The list fills the room between the title and the footer: left to its own height, a long list ran
    # under the footer, and the page keys put the cursor on a row hidden there.
    DEFAULT_CSS = "TasksScreen #tasks { height: 1fr; }"

    BINDINGS = [
        Binding("escape", "app.pop_screen", "key.back", tooltip="tip.back", id="tasks.back"),
        Binding("c", "called_back", "key.task_called", tooltip="tip.task_called", id="tasks.called_back"),
        Binding("s", "text", "key.task_text", tooltip="tip.task_text", id="tasks.text"),
        Binding("d", "dismiss_task", "key.task_dismiss", tooltip="tip.task_dismiss", id="tasks.dismiss"),
        Binding("n", "complaint", "key.complaint", tooltip="tip.complaint", id="tasks.complaint"),
        Binding("enter", "history", "key.history", tooltip="tip.history", id="tasks.history"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[TaskLine] = []
        self.total = 0

    def compose(self) -> ComposeResult:
        yield Static(t("screen.tasks"), id="tasks-title", classes="screen-title", markup=False)
        table = Table(id="tasks", cursor_type="row", zebra_stripes=True)
        for key in ("tasks.col.kind", "tasks.col.when", "col.name", "col.number", "tasks.col.what"):
            table.add_column(t(key))
        yield table
        yield Footer(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self.load()

    # -- store work, off the event loop -------------------------------------

    @work(thread=True, exclusive=True, group="tasks-load", exit_on_error=False)
    def load(self) -> None:
        """Bring the list up to date and show it."""
        from tui.screens import task_book

        try:
            self.post_message(TasksLoaded(self.app.book.run(task_book.task_list)))
        except Exception as exc:  # the book is busy or gone: a notice, the screen stays
            self.post_message(TaskFailed(said(exc)))

    @work(thread=True, group="tasks-close", exit_on_error=False)
    def _close(self, fn, *args) -> None:
        try:
            self.app.book.run(fn, *args)
        except Exception as exc:
            self.post_message(TaskFailed(said(exc)))
        self.app.call_from_thread(self.load)

    # -- replies ---------------------------------------------------------------

    @on(TasksLoaded)
    def _loaded(self, event: TasksLoaded) -> None:
        highlighted = self.current
        self.lines, self.total = list(event.tasks.lines), event.tasks.total
        self._show(highlighted.task_id if highlighted is not None else None)

    def _show(self, follow: int | None = None) -> None:
        """Draw the list; the cursor stays on task `follow` wherever it moved, else on the same row."""
        title = t("tasks.title", n=self.total)
        if self.total > len(self.lines):
            title += t("tasks.title_more", shown=len(self.lines))
        self.query_one("#tasks-title", Static).update(title)
        table = self.query_one(DataTable)
        row, top = table.cursor_row, table.scroll_y
        table.clear()
        for line in self.lines:
            table.add_row(*task_cells(line, self.app.privacy), key=str(line.task_id))
        if not self.lines:
            # In the last column: a column only ever widens, and the kind column would stay this wide.
            table.add_row("", "", "", "", cell(t("tasks.none"), style="dim"))
            return
        at = next((i for i, line in enumerate(self.lines) if line.task_id == follow), None)
        if at is None:  # that task is closed (or none was followed): the row that took its place
            at = min(row or 0, len(self.lines) - 1)
        table.move_cursor(row=at, scroll=False)
        # Clearing scrolled to the top: scroll back so the highlighted task stays where the operator's eyes
        # are (rows that came above it push the view down with it), then make sure it is on screen.
        shift = at - (row or 0)

        def keep_place() -> None:
            table.scroll_to(y=max(0, top + shift), animate=False, immediate=True)
            table.move_cursor(row=table.cursor_row, animate=False)

        table.call_after_refresh(keep_place)

    @on(TaskFailed)
    def _failed(self, event: TaskFailed) -> None:
        self.notify(t("error.store", error=clean(event.error, limit=200)), severity="error", markup=False)

    @on(DataTable.RowSelected, "#tasks")
    def _selected(self, event: DataTable.RowSelected) -> None:
        self.action_history()

    # -- actions -----------------------------------------------------------------

    @property
    def current(self) -> TaskLine | None:
        """The highlighted task, or None on an empty list."""
        table = self.query_one(DataTable)
        if not self.lines or table.cursor_row is None or table.cursor_row >= len(self.lines):
            return None
        return self.lines[table.cursor_row]

    def _target(self) -> TaskLine | None:
        """The task a key acts on: the highlighted one, if the operator can see it. One scrolled out of view
        (the mouse wheel) is brought back into view instead, and the key does nothing this time."""
        table = self.query_one(DataTable)
        line = self.current
        if line is not None and not table.cursor_in_view():
            table.show_cursor_row()
            return None
        return line

    def _forget(self, line: TaskLine) -> None:
        """A closed task leaves the list at once; the reload that follows confirms it."""
        self.lines = [x for x in self.lines if x.task_id != line.task_id]
        self.total = max(0, self.total - 1)
        self._show()

    def action_called_back(self) -> None:
        from tui.screens import task_book

        line = self._target()
        if line is not None:
            self._forget(line)
            self._close(task_book.mark_done, line.task_id, "called back")

    def action_text(self) -> None:
        from tui.screens import task_book
        from tui.screens.task_dialogs import TextDialog

        line = self._target()
        if line is None:
            return
        if not line.number:
            self.notify(t("tasks.no_number"), severity="warning", markup=False)
            return

        def sent(message_id: int | None) -> None:
            if message_id is not None:
                self._forget(line)
                self._close(task_book.mark_done, line.task_id, "texted")

        self.app.push_screen(TextDialog(line.number, self._about(line)), sent)

    def action_dismiss_task(self) -> None:
        from tui.screens import task_book
        from tui.screens.task_dialogs import ReasonDialog

        line = self._target()
        if line is None:
            return

        def answered(reason: str | None) -> None:
            if reason:
                self._forget(line)
                self._close(task_book.dismiss, line.task_id, reason)

        self.app.push_screen(ReasonDialog(self._about(line)), answered)

    def action_complaint(self) -> None:
        from tui.screens.task_dialogs import ComplaintDialog

        line = self.current if self.query_one(DataTable).cursor_in_view() else None  # never a hidden row's number

        def saved(task_id: int | None) -> None:
            if task_id is not None:
                self.notify(t("tasks.complaint.saved"), markup=False)
                self.load()

        self.app.push_screen(ComplaintDialog(line.number if line is not None else "", self.app.privacy), saved)

    def action_history(self) -> None:
        line = self._target()
        if line is not None and line.customer_id is not None:
            from tui.screens.history import HistoryScreen

            self.app.push_screen(HistoryScreen(line.customer_id, line.name))

    def _about(self, line: TaskLine) -> str:
        who = line.name or (mask_number(line.number) if self.app.privacy else line.shown_number)
        return f"{t(f'tasks.kind.{line.kind}')} · {clean(who, limit=40)} · {clean(line.what, limit=60)}"

    # -- what the app forwards ---------------------------------------------------

    def book_changed(self, message) -> None:
        if message.calls:  # a call-back returned from the desk, or a new missed call
            self.load()

    def privacy_changed(self, privacy: bool) -> None:
        line = self.current
        self._show(line.task_id if line is not None else None)

