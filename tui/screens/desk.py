"""The desk (home screen): the live call log, the customer card and the SMS composer, with the status bar."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static

from tui.i18n import TranslatedBindings, t
from tui.widgets.banner import RingBanner, ring_content
from tui.widgets.call_log import CallLine, CallLog
from tui.widgets.card import CardView, CustomerCard
from tui.widgets.composer import Composer, TemplateChoice
from tui.widgets.status_bar import StatusBar

TASK_COUNT_EVERY_S = 60


@dataclass
class CardLoaded(Message):
    """A card fetched off the event loop, for the number (and fill function) it belongs to."""

    card: CardView


@dataclass
class TemplatesLoaded(Message):
    templates: list[TemplateChoice]


@dataclass
class TextQueued(Message):
    """A text is in the outbox (row `message_id`), waiting for the line."""

    message_id: int
    number: str


@dataclass
class DeskCounts(Message):
    unread: int
    outbox: int
    calls_today: int
    missed_today: int


@dataclass
class TaskCount(Message):
    """How many tasks are open and due today, for the status bar."""

    open: int


@dataclass
class StoreFailed(Message):
    """A store call failed; tell the operator in plain words, keep running."""

    error: str


class DeskScreen(TranslatedBindings, Screen):
    """Three panes: calls on the left, the card and the composer on the right."""

    NAME = "desk"

    BINDINGS = [
        Binding("a", "add_caller", "key.add_caller", tooltip="tip.add_caller", id="desk.add_caller"),
        Binding("s", "compose", "key.compose", tooltip="tip.compose", id="desk.compose"),
        Binding("b", "called_back", "key.call_back", tooltip="tip.call_back", id="desk.called_back"),
        # The demo's ring, before the F-keys: at 80 columns the footer's last keys are cut.
        Binding("r", "ring_now", "key.ring_now", tooltip="tip.ring_now", id="desk.ring_now"),
        # The other screens again, shown in the desk's footer (the app's own keys stay out of other footers);
        # with the app's ids, so a keymap moves these along with them. Help first: at 80 columns the last are cut.
        Binding("f1", "app.open('help')", "key.help", tooltip="tip.help", id="help"),
        Binding("f3", "app.open('customers')", "key.customers", tooltip="tip.customers", id="customers"),
        Binding("f4", "app.open('messages')", "key.messages", tooltip="tip.messages", id="messages"),
        Binding("f5", "app.open('templates')", "key.templates", tooltip="tip.templates", id="templates"),
        Binding("f6", "app.open('settings')", "key.settings", tooltip="tip.settings", id="settings"),
        Binding("f7", "app.open('setup')", "key.setup", tooltip="tip.setup", id="setup"),
        Binding("f8", "app.open('campaigns')", "key.campaigns", tooltip="tip.campaigns", id="campaigns"),
        Binding("f9", "app.open('tasks')", "key.tasks", tooltip="tip.tasks", id="tasks"),
        Binding("f10", "app.open('reports')", "key.reports", tooltip="tip.reports", id="reports"),
        Binding("ctrl+t", "app.toggle_privacy", "key.privacy", tooltip="tip.privacy", id="desk.privacy",
                show=False),
        Binding("escape", "back", "key.back", tooltip="tip.back", id="desk.back", show=False),
    ]

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        # The demo's ring key exists only while the simulated demo phone is up.
        if action == "ring_now":
            live = getattr(self.app, "live", None)
            return bool(live is not None and getattr(live, "can_ring", lambda: False)())
        return True

    def action_ring_now(self) -> None:
        """Demo only: make the simulated phone ring now."""
        self.app.live.ring_now()

    def compose(self) -> ComposeResult:
        book = self.app.book
        yield RingBanner(id="banner")
        with Horizontal(id="panes"):
            with Vertical(id="calls-pane") as pane:
                pane.border_title = t("pane.calls")
                yield Static("", id="today", markup=False)
                yield CallLog(book.calls_count, book.call_lines, id="calls")
            with Vertical(id="right"):
                with VerticalScroll(id="card-pane") as pane:
                    pane.border_title = t("pane.card")
                    yield CustomerCard(id="card")
                composer = Composer(book.measure, id="composer")
                composer.border_title = t("pane.composer")
                yield composer
        yield StatusBar(lambda: book.shop_time(self.app.clock()), id="status")
        yield Footer(show_command_palette=False, compact=True)

    @property
    def status_bar(self) -> StatusBar:
        return self.query_one(StatusBar)

    @property
    def call_log(self) -> CallLog:
        return self.query_one(CallLog)

    @property
    def card(self) -> CustomerCard:
        return self.query_one(CustomerCard)

    @property
    def composer(self) -> Composer:
        return self.query_one(Composer)

    def __init__(self) -> None:
        super().__init__()
        self._address_next: str | None = None  # the caller who just hung up: the composer is theirs

    def on_mount(self) -> None:
        self.call_log.privacy = self.card.privacy = self.app.privacy
        self.composer.set_privacy(self.app.privacy)
        self.status_bar.change(privacy=self.app.privacy, state=getattr(self.app, "line_state", "none"))
        self.call_log.focus()
        # Templates and counts: on_screen_resume, which Textual sends on this first push too (loading them here
        # as well did the work twice on the book's one thread, ahead of the first card).
        # Not at once: loading it competes with the first paint, and the first caller rarely comes that fast.
        self.set_timer(3.0, self._prepare_origin)
        self.set_interval(TASK_COUNT_EVERY_S, self._load_task_count)

    @work(thread=True, group="desk-origin", exit_on_error=False)
    def _prepare_origin(self) -> None:
        """Ready the number-origin table in the background (a child process extracts it on the first run)."""
        from tui.screens.origin import prepare

        prepare(self.app.book.region())

    def on_screen_resume(self) -> None:
        self._load_counts()
        self._load_templates()
        self._load_task_count()

    # -- store work, off the event loop -------------------------------------

    @work(thread=True, exclusive=True, group="desk-card", exit_on_error=False)
    def load_card(self, number: str | None) -> None:
        """Fetch the caller card for `number` and show it."""
        self._post(lambda: CardLoaded(self.app.book.card(number)))

    @work(thread=True, exclusive=True, group="desk-templates", exit_on_error=False)
    def _load_templates(self) -> None:
        self._post(lambda: TemplatesLoaded(self.app.book.template_choices()))

    @work(thread=True, exclusive=True, group="desk-counts", exit_on_error=False)
    def _load_counts(self) -> None:
        def counts() -> DeskCounts:
            unread, outbox = self.app.book.counts()
            calls, missed = self.app.book.today_summary()
            return DeskCounts(unread, outbox, calls, missed)

        self._post(counts)

    @work(thread=True, exclusive=True, group="desk-tasks", exit_on_error=False)
    def _load_task_count(self) -> None:
        """The status bar's task count: one index range, asked on resume, on changes and every minute (the
        line worker adds tasks without touching the change cursor)."""
        from tui.screens import task_book

        self._post(lambda: TaskCount(self.app.book.run(task_book.open_count)))

    @work(thread=True, group="desk-send", exit_on_error=False)
    def _queue(self, number: str, body: str) -> None:
        self._post(lambda: TextQueued(self.app.book.queue_text(number, body), number))

    @work(thread=True, group="desk-callback", exit_on_error=False)
    def _called_back(self, call_id: int) -> None:
        self.app.book.mark_called_back(call_id)
        self.app.call_from_thread(self.call_log.reload)

    def _post(self, build) -> None:
        try:
            message = build()
        except Exception as exc:  # a store failure is a notice on screen, never a dead desk
            message = StoreFailed(str(exc))
        self.post_message(message)

    # -- replies ---------------------------------------------------------------

    @on(CallLog.Highlighted)
    def _call_highlighted(self, event: CallLog.Highlighted) -> None:
        self.load_card(event.line.number)

    @on(CardLoaded)
    def _card_loaded(self, event: CardLoaded) -> None:
        self.card.show(event.card, privacy=self.app.privacy)
        book, card = self.app.book, event.card
        forced = self._address_next is not None and self._address_next == card.number
        # A half-written text keeps its recipient: a new call in the log never readdresses it.
        busy = self.composer.has_focus_within or bool(self.composer.body.strip())
        if forced or not busy:
            self._address_next = None
            if forced or self.composer.number != (card.number or ""):
                self.composer.address(card.number, fill=lambda body: book.fill(body, card))

    @on(TemplatesLoaded)
    def _templates_loaded(self, event: TemplatesLoaded) -> None:
        self.composer.set_templates(event.templates)

    @on(DeskCounts)
    def _counts(self, event: DeskCounts) -> None:
        self.status_bar.change(unread=event.unread, outbox=event.outbox)
        self.query_one("#today", Static).update(t("call.today", calls=event.calls_today, missed=event.missed_today))

    @on(TaskCount)
    def _task_count(self, event: TaskCount) -> None:
        self.status_bar.change(tasks=event.open)

    @on(TextQueued)
    def _queued(self, event: TextQueued) -> None:
        self.app.poke_line()
        self.composer.show_status("queued", event.message_id)
        self.composer.clear()
        self.status_bar.change(outbox=self.status_bar.status.outbox + 1)

    @on(StoreFailed)
    def _failed(self, event: StoreFailed) -> None:
        self.notify(t("error.store", error=event.error), severity="error", markup=False)

    @on(Composer.SendRequested)
    def _send_requested(self, event: Composer.SendRequested) -> None:
        from tui.screens.confirm import ConfirmScreen

        number, body = event.number, event.body
        question = t("composer.confirm", to=number, parts=event.parts)

        def answered(yes: bool | None) -> None:
            if yes:
                self._queue(number, body)

        self.app.push_screen(ConfirmScreen(question, body), answered)

    # -- actions -----------------------------------------------------------------

    def action_add_caller(self) -> None:
        card = self.card.card
        if card is None or card.known or not card.number:
            return
        from tui.screens.customer_form import CustomerForm
        from tui.screens.views import CustomerDraft

        def saved(customer_id: int | None) -> None:
            if customer_id is not None:
                self.load_card(card.number)
                self.call_log.reload()

        self.app.push_screen(CustomerForm(CustomerDraft(number=card.number)), saved)

    def action_compose(self) -> None:
        self.composer.query_one("#template-filter").focus()

    def action_called_back(self) -> None:
        line: CallLine | None = self.call_log.current
        if line is not None and line.callback_pending:
            self._called_back(line.call_id)

    def action_back(self) -> None:
        # Esc on the desk quiets the ring banner and returns the keyboard to the call log.
        self.query_one(RingBanner).hush()
        self.call_log.focus()

    # -- what the app forwards from the line worker ----------------------------

    def call_ringing(self, message) -> None:
        """Show the banner and the caller's card at once, without moving the keyboard focus."""
        card = message.card
        if card is not None and not isinstance(card, CardView) and getattr(card, "customer_id", None) is not None:
            card = self.app.book.card_view(card)  # the worker's card, shown without another round trip
        banner = self.query_one(RingBanner)
        if isinstance(card, CardView):
            banner.ring(
                ring_content(card.number, card.name, card.tier, card.notes, blocked=card.blocked, where=card.where,
                             privacy=self.app.privacy),
                blocked=card.blocked,
            )
            self.card.show(card, privacy=self.app.privacy)
        else:
            banner.ring(ring_content(message.number, privacy=self.app.privacy))
            self.load_card(message.number)
        self.call_log.reload()

    def call_finished(self, message) -> None:
        """Hang-up: quiet the banner, refresh the log, and address the composer to the caller."""
        self.query_one(RingBanner).hush()
        self.call_log.reload()
        self._load_counts()
        if message.number and self.app.config.auto_compose and not self.composer.body.strip():
            self._address_next = message.number
            self.load_card(message.number)
            self.action_compose()

    def outbox_changed(self, message) -> None:
        self.status_bar.change(outbox=message.waiting)
        if message.message_id is not None and message.message_id == self.composer.message_id and message.status:
            self.composer.show_status(message.status)

    def book_changed(self, message) -> None:
        if message.calls:
            self.call_log.reload()
        self._load_counts()
        self._load_task_count()

    def privacy_changed(self, privacy: bool) -> None:
        self.call_log.privacy = privacy
        self.call_log.refresh()
        self.card.show(self.card.card, privacy=privacy)
        self.composer.set_privacy(privacy)
        self.status_bar.change(privacy=privacy)
