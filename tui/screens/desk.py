"""The desk (home screen): the live call log, the customer card and the SMS composer, with the status bar."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static

from tui.i18n import TranslatedBindings, t
from tui.screens.views import Recipient
from tui.widgets.call_log import CallLine, CallLog
from tui.widgets.card import CardView, CustomerCard
from tui.widgets.composer import Composer, TemplateChoice
from tui.widgets.status_bar import StatusBar

TASK_COUNT_EVERY_S = 60
COLLECT_EVERY_S = 30  # the cycle collector's full walk, run by the desk between calls (tui/heap.py)


@dataclass
class CardLoaded(Message):
    """A card fetched off the event loop; `ask` is the request it answers (only the latest is shown)."""

    card: CardView
    ask: int = 0


@dataclass
class RecipientLoaded(Message):
    """A draft's recipient by name, and the card its templates are filled from; `draft` says which draft."""

    recipient: Recipient
    card: CardView
    draft: int


@dataclass
class Caller:
    """The call the card is pinned to: ringing now, or just ended and not yet left by the operator."""

    number: str | None
    call_id: int | None = None
    ringing: bool = True
    outcome: str = ""
    card: CardView | None = field(default=None, compare=False)


@dataclass
class TemplatesLoaded(Message):
    templates: list[TemplateChoice]


@dataclass
class TextQueued(Message):
    """A text is in the outbox (row `message_id`), waiting for the line."""

    message_id: int
    number: str
    to: str = ""  # who, as the composer said it (name and number)


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

    def refresh_bindings(self) -> None:
        # The app asks for this when the line changes: the demo's ring key comes and goes with its phone,
        # and the status bar says how to ring now while it is there.
        super().refresh_bindings()
        if self.is_mounted:
            with contextlib.suppress(NoMatches):
                hint = t("status.demo_ring") if self.check_action("ring_now", ()) else ""
                if self.status_bar.status.hint != hint:
                    self.status_bar.change(hint=hint)

    def compose(self) -> ComposeResult:
        book = self.app.book
        # The ring banner is the app's, on every screen (tui/announce.py).
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
        # During a ring, and after it until the operator moves the cursor, the card and the keys are the
        # caller's, whatever row the cursor is on (DESIGN invariant 7).
        self.caller: Caller | None = None
        self._ask = 0  # the latest card request: older answers are not shown
        self._shown: tuple | None = None  # (call id, customer id) of the row whose card is shown
        self._draft = 0  # the latest draft started: its recipient's name completes only that one

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
        self.set_interval(COLLECT_EVERY_S, self._collect_when_idle)

    @work(thread=True, group="desk-origin", exit_on_error=False)
    def _prepare_origin(self) -> None:
        """Ready the number-origin table in the background (a child process extracts it on the first run),
        then settle the heap: what the desk holds from here on is kept out of the cycle collector's walks."""
        from tui.screens.origin import prepare

        try:
            prepare(self.app.book.region())
        finally:
            self.app.call_from_thread(self._settle_heap)

    def _settle_heap(self) -> None:
        from tui import heap

        if not self.caller or not self.caller.ringing:
            heap.settle()
        else:
            self.set_timer(COLLECT_EVERY_S, self._settle_heap)

    def on_unmount(self) -> None:
        from tui import heap

        heap.release()

    def _collect_when_idle(self) -> None:
        """The cycle collector's full walk, between calls (never while one rings)."""
        from tui import heap

        if self.caller is None or not self.caller.ringing:
            heap.collect_idle()

    def on_screen_resume(self) -> None:
        self._load_counts()
        self._load_templates()
        self._load_task_count()

    # -- store work, off the event loop -------------------------------------

    def load_card(self, number: str | None) -> None:
        """Fetch the caller card for `number` and show it (unless another is asked for meanwhile)."""
        self._ask += 1
        self._fetch_card(number, self._ask)

    @work(thread=True, exclusive=True, group="desk-card", exit_on_error=False)
    def _fetch_card(self, number: str | None, ask: int) -> None:
        self._post(lambda: CardLoaded(self.app.book.card(number), ask))

    @work(thread=True, exclusive=True, group="desk-recipient", exit_on_error=False)
    def _load_recipient(self, number: str, draft: int, card: CardView | None) -> None:
        book = self.app.book
        self._post(lambda: RecipientLoaded(book.recipient(number), card or book.card(number), draft))

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
    def _queue(self, number: str, body: str, to: str) -> None:
        self._post(lambda: TextQueued(self.app.book.queue_text(number, body), number, to))

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
        line = event.line
        if self.caller is not None:
            # The card stays the caller's through the ring, and after it until the operator moves.
            if self.caller.ringing or not event.by_operator:
                return
            self.caller = None
        elif (line.call_id, line.customer_id) == self._shown:
            return  # the same row after a reload: its card is on screen already
        self._shown = (line.call_id, line.customer_id)
        self.load_card(line.number)

    @on(CardLoaded)
    def _card_loaded(self, event: CardLoaded) -> None:
        if event.ask != self._ask:
            return  # the cursor (or a ring) asked for another card since
        if self.caller is not None:
            self.caller.card = event.card
        self.card.show(event.card, privacy=self.app.privacy)

    @on(RecipientLoaded)
    def _recipient_loaded(self, event: RecipientLoaded) -> None:
        composer = self.composer
        if event.draft != self._draft or composer.recipient is None:
            return
        if event.recipient.number != composer.recipient.number:
            return  # the number as typed did not normalise to the one pinned: keep the pinned one
        book, card = self.app.book, event.card
        composer.pin(event.recipient, fill=lambda body: book.fill(body, card))

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
        self.composer.show_status("queued", event.message_id, to=event.to)
        self.composer.clear()
        self.status_bar.change(outbox=self.status_bar.status.outbox + 1)

    @on(StoreFailed)
    def _failed(self, event: StoreFailed) -> None:
        self.notify(t("error.store", error=event.error), severity="error", markup=False)

    @on(Composer.SendRequested)
    def _send_requested(self, event: Composer.SendRequested) -> None:
        from tui.screens.confirm import ConfirmScreen

        number, body = event.number, event.body
        to = self.composer.recipient_words()  # fixed now: the dialog, the queue and the notice say the same
        question = t("composer.confirm", to=to, parts=event.parts)

        def answered(yes: bool | None) -> None:
            if yes:
                self._queue(number, body, to)

        self.app.push_screen(ConfirmScreen(question, body), answered)

    # -- actions -----------------------------------------------------------------

    def _target(self) -> tuple[str | None, int | None]:
        """The number and call the desk's keys act on: the pinned caller's, else the highlighted row's."""
        if self.caller is not None:
            return self.caller.number, self.caller.call_id
        line = self.call_log.current
        return (line.number, line.call_id) if line is not None else (None, None)

    def action_add_caller(self) -> None:
        card = self.card.card
        number, _ = self._target()
        # The card on screen, and only when it is the one the keys point at (a row's card may be on its way).
        if card is None or card.known or not card.number or card.number != number:
            return
        from tui.screens.customer_form import CustomerForm
        from tui.screens.views import CustomerDraft

        def saved(customer_id: int | None) -> None:
            if customer_id is not None:
                self.load_card(card.number)
                self.call_log.reload()

        self.app.push_screen(CustomerForm(CustomerDraft(number=card.number)), saved)

    def action_compose(self) -> None:
        """A text to the caller on the card, or the highlighted row's number; never to anyone else."""
        number, _ = self._target()
        if not number:
            # A withheld caller or no call at all: the operator writes the number in the box.
            self.composer.address(None)
            self.composer.query_one("#to").focus()
            return
        self.start_draft(number)
        self.composer.query_one("#template-filter").focus()

    def start_draft(self, number: str) -> None:
        """Fix the composer's recipient to `number` (the text written so far stays); its name follows."""
        composer = self.composer
        if composer.recipient is not None and composer.recipient.number == number:
            return
        book = self.app.book
        shown = self.card.card if self.card.card is not None and self.card.card.number == number else None
        name = shown.name if shown is not None and shown.known else ""
        display = book.display(number) or number
        card = shown or CardView(number=number, display=display)
        composer.pin(Recipient(number=number, name=name, display=display,
                               customer_id=shown.customer_id if shown is not None else None),
                     fill=lambda body: book.fill(body, card))
        self._draft += 1
        self._load_recipient(number, self._draft, shown)

    def action_called_back(self) -> None:
        caller = self.caller
        if caller is not None:
            if caller.ringing or caller.call_id is None:
                return
            line = self.call_log.line_for(caller.call_id)
            if line.callback_pending if line is not None else caller.outcome == "missed":
                self._called_back(caller.call_id)
            return
        line: CallLine | None = self.call_log.current
        if line is not None and line.callback_pending:
            self._called_back(line.call_id)

    def action_back(self) -> None:
        # Esc on the desk quiets the ring banner and returns the keyboard to the call log.
        self.app.announcer.hush()
        self.call_log.focus()

    # -- what the app forwards from the line worker ----------------------------

    def call_ringing(self, message) -> None:
        """Show the caller's card at once, whatever the cursor is on, without moving the keyboard focus
        (the app shows the banner, on every screen)."""
        card = message.card
        if card is not None and not isinstance(card, CardView) and getattr(card, "customer_id", None) is not None:
            card = self.app.book.card_view(card)  # the worker's card, shown without another round trip
        self.caller = Caller(message.number, message.call_id)
        self._ask += 1  # a row's card still on its way is not shown over the caller's
        if isinstance(card, CardView):
            self.caller.card = card
            self.card.show(card, privacy=self.app.privacy)
        else:
            # The number at once; where it is from follows (the origin table is read off the loop).
            number = message.number
            self.card.show(CardView(number=number, display=self.app.book.display(number) or ""),
                           privacy=self.app.privacy)
            if number:
                self.load_card(number)
        # No log reload here: the ring is told before its row is written (the card must not wait for a
        # write), so a reload now would only compete with the frame that shows the caller; the row's write
        # reaches the log through the change watcher (BookChanged) a moment later.

    def call_finished(self, message) -> None:
        """Hang-up: refresh the log (the app quiets the banner); the card and the keys stay on the caller, and
        the composer (unless a draft is under way) is addressed to them without taking the keyboard."""
        caller = self.caller
        if caller is None or caller.number != message.number:
            # A call that ended without this desk seeing it ring (the line was taken mid-call).
            self.caller = caller = Caller(message.number)
            if message.number:
                self.load_card(message.number)
        caller.ringing, caller.call_id, caller.outcome = False, message.call_id, message.outcome
        self.call_log.reload()
        self._load_counts()
        composer = self.composer
        drafting = composer.has_focus_within or bool(composer.body.strip())
        if message.number and self.app.config.auto_compose and not drafting:
            self.start_draft(message.number)

    def outbox_changed(self, message) -> None:
        self.status_bar.change(outbox=message.waiting)
        if message.message_id is not None and message.message_id == self.composer.message_id and message.status:
            self.composer.show_status(message.status)

    def book_changed(self, message) -> None:
        if message.calls or message.customers:
            self.call_log.reload()
        self._load_counts()
        self._load_task_count()

    def privacy_changed(self, privacy: bool) -> None:
        self.call_log.privacy = privacy
        self.call_log.refresh()
        self.card.show(self.card.card, privacy=privacy)
        self.composer.set_privacy(privacy)
        self.status_bar.change(privacy=privacy)
