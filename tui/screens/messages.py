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
from tui.screens.views import TextLine, ThreadLine
from tui.text import mask_number, plain


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
    """Threads on the left, the chosen conversation and a reply box on the right."""

    NAME = "messages"

    BINDINGS = [
        Binding("escape", "back", "key.back", tooltip="tip.back", id="messages.back"),
        Binding("r", "reply", "key.reply", tooltip="tip.reply", id="messages.reply"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.threads: list[ThreadLine] = []
        self.number: str | None = None
        self.customer_id: int | None = None

    def compose(self) -> ComposeResult:
        yield Static(t("screen.messages"), classes="screen-title", markup=False)
        with Horizontal():
            yield OptionList(id="threads", markup=False)
            with Vertical(id="thread-pane"):
                yield VerticalScroll(id="thread")
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
        texts = self.app.book.thread(number, customer_id)
        self.app.book.mark_read(number, customer_id)
        self.post_message(ThreadLoaded(number, texts))

    @work(thread=True, group="reply", exit_on_error=False)
    def _queue(self, number: str, body: str) -> None:
        self.post_message(ReplyQueued(self.app.book.queue_text(number, body)))

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
        options.highlighted = min(highlighted or 0, len(event.threads) - 1)

    @on(OptionList.OptionHighlighted, "#threads")
    def _thread_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_index < len(self.threads):
            thread = self.threads[event.option_index]
            self.number, self.customer_id = thread.number, thread.customer_id
            self._load_thread(self.number, self.customer_id)

    @on(OptionList.OptionSelected, "#threads")
    def _thread_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_reply()

    @on(ThreadLoaded)
    async def _thread_loaded(self, event: ThreadLoaded) -> None:
        if event.number != self.number:
            return
        pane = self.query_one("#thread", VerticalScroll)
        await pane.remove_children()
        await pane.mount_all(Static(text_content(text), classes=f"text {text.direction}") for text in event.texts)
        pane.scroll_end(animate=False)

    def action_reply(self) -> None:
        if self.number:
            self.query_one("#reply", Input).focus()

    @on(Input.Submitted, "#reply")
    def _reply(self, event: Input.Submitted) -> None:
        body, number = event.value, self.number
        if not body.strip() or not number:
            return
        from tui.screens.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                self._queue(number, body)
                event.input.value = ""

        parts = self.app.book.measure(body).parts
        self.app.push_screen(ConfirmScreen(t("composer.confirm", to=number, parts=parts), body), answered)

    @on(ReplyQueued)
    def _replied(self, event: ReplyQueued) -> None:
        self.app.poke_line()
        self.notify(t("composer.queued"), markup=False)
        if self.number:
            self._load_thread(self.number, self.customer_id)

    def action_back(self) -> None:
        if self.focused is self.query_one("#reply", Input):
            self.query_one("#threads", OptionList).focus()
        else:
            self.app.pop_screen()

    def book_changed(self, message) -> None:
        if message.messages:
            self._load_threads()

    def privacy_changed(self, privacy: bool) -> None:
        self._load_threads()
