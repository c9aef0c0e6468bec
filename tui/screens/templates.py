"""Templates: the shop's stock texts, added, edited and put in the order the picker shows them."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Input, Label, Select, Static, TextArea

from tui.i18n import TranslatedBindings, t
from tui.screens.confirm import ConfirmScreen
from tui.screens.fill_ins import fill_ins, problem
from tui.screens.views import TemplateDraft
from tui.text import cell, clean
from tui.widgets.table import Table


# The store's categories (store.models.TEMPLATE_CATEGORIES), named here so screens need no models.
CATEGORIES = ("care", "booking", "promotion", "missed_call", "holiday", "other")


@dataclass
class TemplatesLoaded(Message):
    templates: list[TemplateDraft]
    cursor: int = 0


class TemplateForm(TranslatedBindings, ModalScreen[TemplateDraft | None]):
    """Edit one template's name, category and body."""

    BINDINGS = [
        Binding("ctrl+s", "save", "key.save", tooltip="tip.save", id="template_form.save"),
        Binding("escape", "dismiss(None)", "key.back", tooltip="tip.back", id="template_form.back"),
    ]

    def __init__(self, draft: TemplateDraft) -> None:
        super().__init__()
        self.draft = draft

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = t("screen.templates")
            yield Label(t("templates.name"))
            yield Input(clean(self.draft.name, limit=100), id="t-name", compact=True)
            yield Label(t("templates.category"))
            choices = [(t(f"category.{c}"), c) for c in CATEGORIES]
            current = self.draft.category if self.draft.category in CATEGORIES else "other"
            yield Select(choices, value=current, id="t-category", allow_blank=False, compact=True)
            yield Label(t("templates.text"))
            yield Static(fill_ins(), id="t-fill-ins")
            yield TextArea(clean(self.draft.body, limit=2000, lines=True), id="t-body", compact=True)
            yield Static("", id="t-problem", markup=False)

    def action_save(self) -> None:
        name = self.query_one("#t-name", Input).value.strip()
        body = self.query_one("#t-body", TextArea).text
        if not name or not body.strip():
            self.query_one("#t-problem", Static).update(t("templates.need_both"))
            return
        # Checked here as the store checks it on saving: a fill-in nothing fills would be sent as typed.
        wrong = problem(body)
        if wrong:
            self.query_one("#t-problem", Static).update(wrong)
            return
        category = str(self.query_one("#t-category", Select).value)
        self.dismiss(TemplateDraft(self.draft.template_id, name, body, category))


def delete_template(book, template_id: int) -> None:
    """Forget a template (run on the book's thread)."""
    from store import templates

    templates.delete_template(template_id)


class TemplatesScreen(TranslatedBindings, Screen):
    """All templates in picker order."""

    NAME = "templates"

    BINDINGS = [
        Binding("escape", "app.pop_screen", "key.back", tooltip="tip.back", id="templates.back"),
        Binding("n", "new", "key.new", tooltip="tip.new", id="templates.new"),
        Binding("e", "edit", "key.edit", tooltip="tip.edit", id="templates.edit"),
        Binding("delete", "delete", "key.delete_template", tooltip="tip.delete_template", id="templates.delete"),
        Binding("ctrl+up,K", "move(-1)", "key.up", tooltip="tip.up", id="templates.up"),
        Binding("ctrl+down,J", "move(1)", "key.down", tooltip="tip.down", id="templates.down"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.templates: list[TemplateDraft] = []

    def compose(self) -> ComposeResult:
        yield Static(t("screen.templates"), classes="screen-title", markup=False)
        table = Table(id="templates", cursor_type="row", zebra_stripes=True)
        table.add_column(t("templates.name"))
        table.add_column(t("col.category"))
        table.add_column(t("col.body"))
        yield table
        yield Footer(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self._load()

    @work(thread=True, exclusive=True, group="templates", exit_on_error=False)
    def _load(self, cursor: int = 0) -> None:
        self.post_message(TemplatesLoaded(self.app.book.templates(), cursor))

    @work(thread=True, group="templates-save", exit_on_error=False)
    def _save(self, draft: TemplateDraft) -> None:
        self.app.book.save_template(draft)
        self._load(self.query_one(DataTable).cursor_row)

    @work(thread=True, group="templates-save", exit_on_error=False)
    def _move(self, template_id: int, step: int, cursor: int) -> None:
        self.app.book.move_template(template_id, step)
        self._load(cursor)

    @on(TemplatesLoaded)
    def _loaded(self, event: TemplatesLoaded) -> None:
        self.templates = event.templates
        table = self.query_one(DataTable)
        table.clear()
        for tpl in event.templates:
            table.add_row(cell(tpl.name, limit=30), cell(t(f"category.{tpl.category}") if tpl.category in CATEGORIES else tpl.category, limit=12), cell(tpl.body, limit=200))
        if not event.templates:
            table.add_row(cell(t("templates.none"), style="dim"), "", "")
        table.move_cursor(row=max(0, min(event.cursor, len(event.templates) - 1)))

    @property
    def selected(self) -> TemplateDraft | None:
        row = self.query_one(DataTable).cursor_row
        return self.templates[row] if self.templates and 0 <= row < len(self.templates) else None

    def action_new(self) -> None:
        self.app.push_screen(TemplateForm(TemplateDraft()), self._saved)

    def action_edit(self) -> None:
        if self.selected is not None:
            self.app.push_screen(TemplateForm(self.selected), self._saved)

    def action_delete(self) -> None:
        selected = self.selected
        if selected is None or selected.template_id is None:
            return
        row = self.query_one(DataTable).cursor_row

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete(selected.template_id, row)

        self.app.push_screen(ConfirmScreen(t("templates.confirm_delete"), f"{selected.name}\n{selected.body}"),
                             answered)

    @work(thread=True, group="templates-save", exit_on_error=False)
    def _delete(self, template_id: int, cursor: int) -> None:
        self.app.book.run(delete_template, template_id)
        self.app.call_from_thread(self.notify, t("templates.deleted"), markup=False)
        self._load(cursor)

    def _saved(self, draft: TemplateDraft | None) -> None:
        if draft is not None:
            self._save(draft)

    def action_move(self, step: int) -> None:
        selected = self.selected
        if selected is not None and selected.template_id is not None:
            row = self.query_one(DataTable).cursor_row
            self._move(selected.template_id, step, max(0, min(len(self.templates) - 1, row + step)))

    @on(DataTable.RowSelected)
    def _chosen(self, event: DataTable.RowSelected) -> None:
        self.action_edit()
