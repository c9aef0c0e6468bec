"""The SMS composer: recipient, a template picker that filters as you type, the text and a live part counter.

It only shows and asks: filling placeholders, counting parts and queueing the
text are done by callables and handlers the screen provides.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from tui.i18n import TranslatedBindings, t
from tui.text import clean, mask_number, plain
from tui.widgets.recipient import recipient_content, recipient_text


@dataclass(frozen=True, slots=True)
class TemplateChoice:
    """A template as the picker lists it."""

    template_id: int
    name: str
    body: str
    category: str = ""


@lru_cache(maxsize=512)
def _initials(name: str) -> str:
    from pypinyin import Style, lazy_pinyin

    return "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")).lower()


def matches(choice: TemplateChoice, query: str) -> bool:
    """Whether the typed filter picks this template: by name, category, body or pinyin initials."""
    query = query.strip().lower()
    if not query:
        return True
    return any(query in field.lower() for field in (choice.name, choice.category, choice.body)) or query in _initials(
        choice.name
    )


STATUS_STYLE = {
    "queued": "$warning",
    "sending": "$warning",
    "sent": "$success",
    "delivered": "bold $success",
    "failed": "bold $error",
    "unknown": "bold $error",
}


class Composer(TranslatedBindings, Vertical):
    """Write one text; Ctrl+S asks the screen to send it (after a confirmation)."""

    BINDINGS = [
        Binding("ctrl+s", "send", "key.send", tooltip="tip.send", id="composer.send"),
    ]

    DEFAULT_CSS = """
    Composer { height: auto; }
    Composer Horizontal { height: 1; }
    Composer .label { width: auto; padding-right: 1; color: $text-muted; }
    Composer #to { width: 1fr; }
    Composer #recipient { width: 1fr; height: 1; display: none; }
    Composer.pinned #to { display: none; }
    Composer.pinned #recipient { display: block; }
    Composer #templates { height: auto; max-height: 4; display: none; }
    Composer #templates.open { display: block; }
    Composer #body { height: 1fr; min-height: 3; }
    Composer #counter { height: 1; color: $text-muted; }
    Composer #status { height: 1; }
    """

    class SendRequested(Message):
        """The operator asked to send `body` to `number` (`recipient`: the draft's pinned one, if any)."""

        def __init__(self, number: str, body: str, parts: int, recipient=None) -> None:
            super().__init__()
            self.number, self.body, self.parts, self.recipient = number, body, parts, recipient

    def __init__(
        self,
        measure: Callable[[str], object],
        fill: Callable[[str], str] = lambda body: body,
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self._measure = measure
        self._fill = fill
        self._templates: list[TemplateChoice] = []
        self._shown: list[TemplateChoice] = []
        self.message_id: int | None = None
        self._to = ""  # the real recipient; the box shows it masked in privacy mode
        self.privacy = False
        # The draft's recipient when the screen fixed it (tui.screens.views.Recipient: number, name,
        # display): shown by name and number, and nothing but the screen's pin() changes it.
        self.recipient = None
        self._status_to = ""  # who the text whose status is shown went to

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Label(t("composer.to"), classes="label")
            yield Input(id="to", compact=True, restrict=r"[0-9+ \-()]*", max_length=32)
            yield Static("", id="recipient")
        yield Input(id="template-filter", placeholder=t("composer.template"), compact=True)
        yield OptionList(id="templates", markup=False, compact=True)
        yield TextArea(id="body", compact=True, soft_wrap=True, placeholder=t("composer.body"))
        yield Static("", id="counter", markup=False)
        yield Static("", id="status", markup=False)

    def on_mount(self) -> None:
        self._count()

    # -- what the screen calls ------------------------------------------------

    def address(self, number: str | None, fill: Callable[[str], str] | None = None) -> None:
        """Write to `number` (the box stays editable); `fill` fills template placeholders for this recipient."""
        self.recipient = None
        self.remove_class("pinned")
        self._to = clean(number or "", limit=32)
        self._show_to()
        if fill is not None:
            self._fill = fill
        self.message_id = None
        self.show_status(None)

    def pin(self, recipient, fill: Callable[[str], str] | None = None) -> None:
        """Write to `recipient` (a Recipient: number, name, display), fixed for this draft: shown by name
        and number, never edited in the box, changed only by the next pin() or address()."""
        same = self.recipient is not None and self.recipient.number == recipient.number
        self.recipient = recipient
        self._to = recipient.number
        self.add_class("pinned")
        self._show_to()
        if fill is not None:
            self._fill = fill
        if not same:  # a new draft: the last text's status was about someone else
            self.message_id = None
            self.show_status(None)

    def recipient_words(self) -> str:
        """Who the draft goes to, as our sentences say it (王八达 139 1000 0001)."""
        if self.recipient is not None:
            r = self.recipient
            return recipient_text(r.name, r.number, r.display, privacy=self.privacy)
        return mask_number(self.number) if self.privacy and self.number else self.number

    def set_privacy(self, privacy: bool) -> None:
        """Mask the recipient's middle digits (and lock the box) while privacy mode is on."""
        if not privacy:
            self._to = self.number
        self.privacy = privacy
        self._show_to()

    def _show_to(self) -> None:
        box = self.query_one("#to", Input)
        box.value = mask_number(self._to) if self.privacy and self._to else self._to
        box.disabled = (self.privacy and bool(self._to)) or self.recipient is not None
        r = self.recipient
        self.query_one("#recipient", Static).update(
            recipient_content(r.name, r.number, r.display, privacy=self.privacy) if r is not None else "")

    def set_templates(self, templates: list[TemplateChoice]) -> None:
        """The templates the picker offers, in their saved order."""
        self._templates = list(templates)
        self._filter(self.query_one("#template-filter", Input).value)

    def set_body(self, body: str) -> None:
        """Replace the text being written."""
        self.query_one("#body", TextArea).text = clean(body, limit=2000, lines=True)
        self._count()

    def show_status(self, status: str | None, message_id: int | None = None, to: str | None = None) -> None:
        """Show where the last text is (queued → sending → sent → delivered), in place, and who it went to
        (`to`, said once when it is queued; later statuses of the same text keep it)."""
        if message_id is not None:
            self.message_id = message_id
        if to is not None:
            self._status_to = to
        widget = self.query_one("#status", Static)
        if status is None:
            self._status_to = ""
            widget.update("")
            return
        label = t(f"composer.{status}") if f"composer.{status}" in _STATUS_KEYS else clean(status, limit=40)
        style = STATUS_STYLE.get(status, "")
        parts = [("● ", style), (label, style)]
        if self._status_to:
            parts.append((" · ", style))
        widget.update(Content.assemble(*parts, plain(self._status_to, limit=60)))

    def clear(self) -> None:
        """Empty the text (after it was queued)."""
        self.query_one("#body", TextArea).text = ""
        self._count()

    @property
    def number(self) -> str:
        if self.recipient is not None:
            return self.recipient.number
        if self.privacy and self._to:
            return self._to
        return self.query_one("#to", Input).value.strip()

    @property
    def body(self) -> str:
        return self.query_one("#body", TextArea).text

    # -- reacting ---------------------------------------------------------------

    @on(Input.Changed, "#template-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._filter(event.value)
        box = self.query_one("#template-filter", Input)
        self.query_one("#templates", OptionList).set_class(bool(self._shown) and box.has_focus, "open")

    @on(Input.Submitted, "#template-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.query_one("#templates", OptionList)
        index = options.highlighted if options.highlighted is not None else 0
        if self._shown:
            self._pick(self._shown[min(index, len(self._shown) - 1)])

    def on_key(self, event) -> None:
        # Up/Down in the filter box move through the matches without leaving it.
        if self.screen.focused is not self.query_one("#template-filter", Input):
            return
        options = self.query_one("#templates", OptionList)
        if event.key in ("down", "up") and self._shown:
            options.add_class("open")
            options.action_cursor_down() if event.key == "down" else options.action_cursor_up()
            event.stop()
            event.prevent_default()

    @on(OptionList.OptionSelected, "#templates")
    def _option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._pick(self._shown[event.option_index])

    @on(TextArea.Changed, "#body")
    def _body_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self._count()

    def _filter(self, query: str) -> None:
        self._shown = [choice for choice in self._templates if matches(choice, query)]
        options = self.query_one("#templates", OptionList)
        options.clear_options()
        options.add_options(
            Option(Content.assemble(plain(choice.name, limit=40, style="bold"), "  ", plain(choice.body, limit=60)))
            for choice in self._shown
        )
        if self._shown:
            options.highlighted = 0

    def _pick(self, choice: TemplateChoice) -> None:
        self.set_body(self._fill(choice.body))
        self.query_one("#template-filter", Input).value = ""
        self.query_one("#templates", OptionList).remove_class("open")
        self.query_one("#body", TextArea).focus()

    def _count(self) -> None:
        body = self.body
        counter = self.query_one("#counter", Static)
        if not body:
            counter.update("")
            return
        try:
            seg = self._measure(body)
        except ValueError as exc:  # too long for any phone to send: say why instead of a count
            counter.update(plain(str(exc), limit=80))
            return
        encoding = "GSM7" if seg.encoding == "gsm7" else "UCS2"
        counter.update(
            Content(
                t("composer.counter", chars=len(body), parts=seg.parts, encoding=encoding, remaining=seg.remaining)
            )
        )

    def action_send(self) -> None:
        body, number = self.body, self.number
        if not body.strip() or not number:
            self.notify(t("composer.empty"), severity="warning", markup=False)
            return
        try:
            parts = self._measure(body).parts
        except ValueError as exc:
            self.notify(clean(exc, limit=200), severity="error", markup=False)
            return
        self.post_message(self.SendRequested(number, body, parts, self.recipient))


_STATUS_KEYS = {f"composer.{s}" for s in STATUS_STYLE}
