"""Campaigns: the shop's bulk texts, newest first, with the selected one's progress; new, start, pause, resume, cancel.

The screen only writes campaigns and moves their state; the line worker sends
(paced, never in quiet hours), so this works from any terminal.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from tui.i18n import TranslatedBindings, t
from tui.screens import campaign_book
from tui.screens.campaign_book import CampaignRow, PreviewView
from tui.screens.confirm import ConfirmScreen
from tui.text import cell, clean
from tui.widgets.campaign_progress import CampaignProgress, ProgressView
from tui.widgets.table import Table

REFRESH_S = 5.0  # delivery reports arrive as book changes; this catches what changed elsewhere
VERB_FROM = {"pause": ("running",), "resume": ("paused",), "cancel": ("draft", "scheduled", "running", "paused"),
             "start": ("draft", "scheduled")}


@dataclass
class CampaignsLoaded(Message):
    rows: list[CampaignRow]
    progress: ProgressView | None


@dataclass
class ProgressLoaded(Message):
    progress: ProgressView


@dataclass
class CampaignRefused(Message):
    reason: str


class CampaignsScreen(TranslatedBindings, Screen):
    """The list above, the selected campaign's progress bar below."""

    NAME = "campaigns"

    BINDINGS = [
        Binding("escape", "app.pop_screen", "key.back", tooltip="tip.back", id="campaigns.back"),
        Binding("n", "new", "key.new", tooltip="tip.new_campaign", id="campaigns.new"),
        Binding("s", "start", "key.start", tooltip="tip.start", id="campaigns.start"),
        Binding("p", "pause", "key.pause", tooltip="tip.pause", id="campaigns.pause"),
        Binding("r", "resume", "key.resume", tooltip="tip.resume", id="campaigns.resume"),
        Binding("x", "cancel", "key.stop", tooltip="tip.stop", id="campaigns.cancel"),
        Binding("o", "sending", "key.sending", tooltip="tip.sending", id="campaigns.sending"),
    ]

    DEFAULT_CSS = """
    #campaign-list { height: 1fr; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[CampaignRow] = []
        self.selected_id: int | None = None

    def compose(self) -> ComposeResult:
        yield Static(t("screen.campaigns"), classes="screen-title", markup=False)
        table = Table(id="campaign-list", cursor_type="row", zebra_stripes=True)
        table.add_column("#")
        table.add_column(t("col.campaign"))
        table.add_column(t("col.state"))
        table.add_column(t("col.when"))
        yield table
        yield CampaignProgress(id="progress")
        yield Footer(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self._load()
        self.set_interval(REFRESH_S, self._load)

    def book_changed(self, message) -> None:
        """Texts moved (sent, delivered, failed) or another terminal changed a campaign: show it."""
        self._load()

    # Loading --------------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="campaigns", exit_on_error=False)
    def _load(self) -> None:
        selected = self.selected_id

        def read(book):
            rows = campaign_book.rows(book)
            chosen = selected if any(r.campaign_id == selected for r in rows) else (
                rows[0].campaign_id if rows else None)
            return rows, campaign_book.progress(book, chosen) if chosen is not None else None

        rows, progress = campaign_book.own_connection(read, self.app.book)
        self.post_message(CampaignsLoaded(rows, progress))

    @work(thread=True, exclusive=True, group="campaign-progress", exit_on_error=False)
    def _load_progress(self, campaign_id: int) -> None:
        book = self.app.book
        self.post_message(ProgressLoaded(campaign_book.own_connection(campaign_book.progress, book, campaign_id)))

    @on(CampaignsLoaded)
    def _loaded(self, event: CampaignsLoaded) -> None:
        table = self.query_one(DataTable)
        keep = event.progress.campaign_id if event.progress is not None else None
        self.rows = event.rows
        self.selected_id = keep
        with self.prevent(DataTable.RowHighlighted):
            table.clear()
            for row in event.rows:
                table.add_row(f"{row.campaign_id}", cell(row.name, limit=40), cell(self._state(row.status)),
                              cell(row.when), key=str(row.campaign_id))
            if not event.rows:
                table.add_row("", cell(t("campaigns.none"), style="dim"), "", "")
            index = next((i for i, r in enumerate(event.rows) if r.campaign_id == keep), 0)
            table.move_cursor(row=index, animate=False)
        self.query_one(CampaignProgress).show(event.progress)
        self.refresh_bindings()

    @on(ProgressLoaded)
    def _progress_loaded(self, event: ProgressLoaded) -> None:
        if event.progress.campaign_id == self.selected_id:
            self.query_one(CampaignProgress).show(event.progress)

    @on(DataTable.RowHighlighted, "#campaign-list")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if 0 <= event.cursor_row < len(self.rows):
            row = self.rows[event.cursor_row]
            if row.campaign_id != self.selected_id:
                self.selected_id = row.campaign_id
                self._load_progress(row.campaign_id)
                self.refresh_bindings()

    @staticmethod
    def _state(status: str) -> str:
        return t(f"campaign.{status}")

    @property
    def selected(self) -> CampaignRow | None:
        return next((r for r in self.rows if r.campaign_id == self.selected_id), None)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        # Pause, resume, cancel and start only for a campaign in a state that allows it: dimmed otherwise.
        if action in VERB_FROM:
            row = self.selected
            return True if row is not None and row.status in VERB_FROM[action] else None
        return True

    # Keys --------------------------------------------------------------------------------------------

    def action_new(self) -> None:
        from tui.screens.campaign_form import CampaignForm

        self.app.push_screen(CampaignForm(), self._created)

    def _created(self, campaign_id: int | None) -> None:
        if campaign_id is not None:
            self.selected_id = campaign_id
        self._load()

    def action_sending(self) -> None:
        from tui.screens.campaign_settings import SendingSettingsDialog

        self.app.push_screen(SendingSettingsDialog(), lambda saved: self._load() if saved else None)

    def action_pause(self) -> None:
        if self.selected is not None:
            self._move(self.selected.campaign_id, "pause")

    def action_resume(self) -> None:
        if self.selected is not None:
            self._move(self.selected.campaign_id, "resume")

    def action_cancel(self) -> None:
        row = self.selected
        if row is None:
            return
        progress = self.query_one(CampaignProgress).view
        left = progress.waiting if progress is not None and progress.total else None
        question = t("campaigns.confirm_stop", id=row.campaign_id)
        detail = clean(row.name, limit=60) + ("\n" + t("campaigns.stop_left", n=left) if left is not None else "")

        def answered(yes: bool | None) -> None:
            if yes:
                self._move(row.campaign_id, "cancel")

        self.app.push_screen(ConfirmScreen(question, detail), answered)

    def action_start(self) -> None:
        row = self.selected
        if row is not None and row.status in VERB_FROM["start"]:
            self._ask_start(row.campaign_id)

    @work(thread=True, exclusive=True, group="campaign-move", exit_on_error=False)
    def _ask_start(self, campaign_id: int) -> None:
        _, preview = campaign_book.own_connection(campaign_book.draft_of, self.app.book, campaign_id)
        self.app.call_from_thread(self._confirm_start, campaign_id, preview)

    def _confirm_start(self, campaign_id: int, p: PreviewView) -> None:
        if not p.recipients:
            self.notify(t("campaign_form.nobody"), markup=False, severity="warning")
            return
        question = t("campaign_form.confirm_now", n=p.recipients)
        detail = t("campaign_form.confirm_detail", name=f"#{campaign_id}", parts=p.total_parts, cost=f"{p.cost:.2f}")

        def answered(yes: bool | None) -> None:
            if yes:
                self._move(campaign_id, "start")

        self.app.push_screen(ConfirmScreen(question, detail), answered)

    @work(thread=True, exclusive=True, group="campaign-move", exit_on_error=False)
    def _move(self, campaign_id: int, verb: str) -> None:
        fn = campaign_book.start if verb == "start" else campaign_book.move
        args = (campaign_id,) if verb == "start" else (campaign_id, verb)
        try:
            status = campaign_book.own_connection(fn, self.app.book, *args)
        except Exception as exc:  # a busy or unreachable book: say so, change nothing
            self.post_message(CampaignRefused(clean(f"{type(exc).__name__}: {exc}", limit=200)))
        else:
            if status is None:  # another terminal moved it first (or it finished): say so and show where it stands
                self.post_message(CampaignRefused(t("campaigns.refused", id=campaign_id)))
            else:
                self.app.call_from_thread(self._moved, campaign_id, status)
        self._load()

    def _moved(self, campaign_id: int, status: str) -> None:
        self.notify(t("campaigns.moved", id=campaign_id, state=self._state(status)), markup=False)
        self.app.poke_line()

    @on(CampaignRefused)
    def _refused(self, event: CampaignRefused) -> None:
        self.notify(event.reason, markup=False, severity="warning")
