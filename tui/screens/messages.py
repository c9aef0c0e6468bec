"""Messages: conversations per number, unread first; read one, reply to it."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from tui.i18n import TranslatedBindings, t
from tui.screens.views import Recipient, TextLine, ThreadLine
from tui.text import mask_number, plain
from tui.widgets.recipient import recipient_content, recipient_text


@dataclass
class ThreadsLoaded(Message):
    threads: list[ThreadLine]


@dataclass
class ThreadLoaded(Message):
    number: str
    texts: list[TextLine]


@dataclass
class ReplyQueued(Message):
    message_id: int
    recipient: Recipient


@dataclass
class RecipientFound(Message):
    """The book's word on a pinned recipient (its name as the customer list has it now)."""

    recipient: Recipient


def _same(thread: ThreadLine, number: str | None, customer_id: int | None) -> bool:
    """`thread` is the conversation (a customer's, across their numbers, or an unknown number's)."""
    if customer_id is not None:
        return thread.customer_id == customer_id
    return thread.customer_id is None and thread.number == number


def thread_option(thread: ThreadLine, privacy: bool, width: int = 28) -> Content:
    """One conversation in the list: unread count, who, when, and the start of the last text."""
    who = thread.name or (mask_number(thread.number) if privacy else thread.number)
    head = [Content.assemble((f"●{thread.unread} ", "bold $accent"))] if thread.unread else [Content("  ")]
    head += [plain(who, limit=30, style="bold" if thread.unread else ""), Content(" "),
             plain(thread.when, style="$text-muted")]
    # One line of the last text: the list stays a list at 80 columns.
    last = plain(thread.last_body, limit=200).truncate(width, ellipsis=True)
    return Content("\n").join([Content.assemble(*head), Content.assemble("  ", last)])


def text_content(text: TextLine) -> Content:
    """One text in a conversation, its body literal, with a status for the ones we sent."""
    arrow = ("← " if text.direction == "in" else "→ ", "bold $accent" if text.direction == "in" else "bold")
    status = f"  [{t('composer.' + text.status)}]" if text.direction == "out" and text.status else ""
    return Content.assemble(arrow, plain(text.when, style="$text-muted"), (status, "$text-muted"), "\n",
                            plain(text.body, limit=2000, lines=True))


class MessagesScreen(TranslatedBindings, Screen):
    """Threads on the left, the chosen conversation and a reply box on the right.

    Showing a thread reads nothing: a thread is read when the operator opens it (Enter) or answers it, and then
    only the texts that were on screen. The highlighted thread stays the same thread as rows reorder, and a
    reply's recipient is pinned when the reply starts, whatever arrives while it is typed.
    """

    NAME = "messages"

    BINDINGS = [
        Binding("escape", "back", "key.back", tooltip="tip.back", id="messages.back"),
        Binding("r", "reply", "key.reply", tooltip="tip.reply", id="messages.reply"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.threads: list[ThreadLine] = []
        self.number: str | None = None  # the highlighted thread
        self.customer_id: int | None = None
        self.seen_up_to: int | None = None  # the newest incoming text of the highlighted thread on screen
        self.recipient: Recipient | None = None  # the reply's, fixed when it starts
        self._replying_to: tuple[str, int | None, int | None] | None = None  # that thread, and what it showed

    def compose(self) -> ComposeResult:
        yield Static(t("screen.messages"), classes="screen-title", markup=False)
        with Horizontal():
            yield OptionList(id="threads", markup=False)
            with Vertical(id="thread-pane"):
                yield VerticalScroll(id="thread")
                yield Static(t("messages.reply_none"), id="reply-to", markup=False)
                yield Input(id="reply", placeholder=t("key.reply"), compact=True)
        yield Footer(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        self.query_one("#threads", OptionList).focus()
        self._load_threads()

    @work(thread=True, exclusive=True, group="threads", exit_on_error=False)
    def _load_threads(self) -> None:
        self.post_message(ThreadsLoaded(self.app.book.threads()))

    @work(thread=True, exclusive=True, group="thread", exit_on_error=False)
    def _load_thread(self, number: str, customer_id: int | None = None) -> None:
        self.post_message(ThreadLoaded(number, self.app.book.thread(number, customer_id)))

    @work(thread=True, group="read", exit_on_error=False)
    def _mark_read(self, number: str, customer_id: int | None, up_to: int | None) -> None:
        self.app.book.mark_read(number, customer_id, up_to)

    @work(thread=True, exclusive=True, group="recipient", exit_on_error=False)
    def _look_up_recipient(self, number: str) -> None:
        self.post_message(RecipientFound(self.app.book.recipient(number)))

    @work(thread=True, group="reply", exit_on_error=False)
    def _queue(self, recipient: Recipient, body: str) -> None:
        self.post_message(ReplyQueued(self.app.book.queue_text(recipient.number, body), recipient))

    @on(ThreadsLoaded)
    def _threads_loaded(self, event: ThreadsLoaded) -> None:
        self.threads = event.threads
        options = self.query_one("#threads", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        if not event.threads:
            options.add_option(Option(Content.assemble((t("messages.none"), "dim")), disabled=True))
            return
        width = max(10, options.size.width - 6)
        options.add_options(Option(thread_option(th, self.app.privacy, width)) for th in event.threads)
        # The same conversation stays highlighted wherever it moved (a new text puts another one first).
        same = next((i for i, th in enumerate(event.threads) if _same(th, self.number, self.customer_id)), None)
        options.highlighted = same if same is not None else min(highlighted or 0, len(event.threads) - 1)

    @on(OptionList.OptionHighlighted, "#threads")
    def _thread_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_index < len(self.threads):
            thread = self.threads[event.option_index]
            if not _same(thread, self.number, self.customer_id):
                self.seen_up_to = None
            self.number, self.customer_id = thread.number, thread.customer_id
            self._load_thread(self.number, self.customer_id)

    @on(OptionList.OptionSelected, "#threads")
    def _thread_selected(self, event: OptionList.OptionSelected) -> None:
        # Enter (or a click) opens the thread: what it shows is read now, and the reply is to it.
        if event.option_index < len(self.threads) and self.number:
            self._mark_read(self.number, self.customer_id, self.seen_up_to)
        self.action_reply()

    @on(ThreadLoaded)
    async def _thread_loaded(self, event: ThreadLoaded) -> None:
        if event.number != self.number:
            return
        incoming = [text.message_id for text in event.texts if text.direction == "in"]
        self.seen_up_to = max(incoming) if incoming else None
        pane = self.query_one("#thread", VerticalScroll)
        await pane.remove_children()
        await pane.mount_all(Static(text_content(text), classes=f"text {text.direction}") for text in event.texts)
        pane.scroll_end(animate=False)

    # -- the reply -------------------------------------------------------------------------------------------

    def action_reply(self) -> None:
        if not self.number:
            return
        box = self.query_one("#reply", Input)
        if self.recipient is None or not box.value.strip():
            self._pin(self.number, self.customer_id)
        box.focus()

    def on_descendant_focus(self, event) -> None:
        # Into the reply box by Tab or a click: the reply starts there, to the highlighted thread.
        if event.widget.id == "reply" and self.recipient is None and self.number:
            self._pin(self.number, self.customer_id)

    def _pin(self, number: str, customer_id: int | None) -> None:
        """The reply goes to this thread, whatever arrives while it is typed."""
        thread = next((th for th in self.threads if _same(th, number, customer_id)), None)
        name = thread.name if thread is not None else ""
        self.recipient = Recipient(number=number, name=name, display=self.app.book.display(number) or number,
                                   customer_id=customer_id)
        self._replying_to = (number, customer_id, self.seen_up_to)
        self._show_recipient()
        self._look_up_recipient(number)

    def _unpin(self) -> None:
        self.recipient = self._replying_to = None
        self._show_recipient()

    def _show_recipient(self) -> None:
        label = self.query_one("#reply-to", Static)
        if self.recipient is None:
            label.update(t("messages.reply_none"))
            return
        to = recipient_content(self.recipient.name, self.recipient.number, self.recipient.display,
                               privacy=self.app.privacy)
        label.update(Content.assemble((t("messages.reply_to", to=""), "bold"), to))

    @on(RecipientFound)
    def _recipient_found(self, event: RecipientFound) -> None:
        pinned = self.recipient
        if pinned is not None and pinned.number == event.recipient.number and event.recipient.name:
            # Only the words about the same number change (a stranger just added as a customer): never the number.
            self.recipient = Recipient(pinned.number, event.recipient.name, event.recipient.display or pinned.display,
                                       pinned.customer_id if pinned.customer_id is not None
                                       else event.recipient.customer_id)
            self._show_recipient()

    @on(Input.Submitted, "#reply")
    def _reply(self, event: Input.Submitted) -> None:
        body, recipient, thread = event.value, self.recipient, self._replying_to
        if not body.strip() or recipient is None:
            return
        from tui.screens.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                self._queue(recipient, body)
                event.input.value = ""
                if thread is not None:  # answering a thread reads what it showed
                    number, customer_id, up_to = thread
                    if (number, customer_id) == (self.number, self.customer_id):
                        up_to = self.seen_up_to  # still on screen: what it shows now
                    self._mark_read(number, customer_id, up_to)

        to = recipient_text(recipient.name, recipient.number, recipient.display, privacy=self.app.privacy)
        parts = self.app.book.measure(body).parts
        self.app.push_screen(ConfirmScreen(t("composer.confirm", to=to, parts=parts), body), answered)

    @on(ReplyQueued)
    def _replied(self, event: ReplyQueued) -> None:
        self.app.poke_line()
        recipient = event.recipient
        to = recipient_text(recipient.name, recipient.number, recipient.display, privacy=self.app.privacy)
        self.notify(t("messages.queued", to=to), markup=False)
        if self.number:
            self._load_thread(self.number, self.customer_id)

    def action_back(self) -> None:
        box = self.query_one("#reply", Input)
        if self.focused is box:
            if not box.value.strip():
                self._unpin()  # nothing written: the next reply is to whichever thread is chosen then
            self.query_one("#threads", OptionList).focus()
        else:
            self.app.pop_screen()

    def book_changed(self, message) -> None:
        if message.messages:
            self._load_threads()

    def privacy_changed(self, privacy: bool) -> None:
        self._load_threads()
        self._show_recipient()
