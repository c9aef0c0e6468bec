"""Block / unblock, opt out / back in, delete: one key each, acting on the customer the screen shows highlighted.

Shared by the customers screen (the highlighted row) and a customer's history
(the customer shown). Each screen says who that is with `acted_on()` and hears
what became of them in `customer_changed()`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual import work
from textual.binding import Binding
from textual.message import Message

from tui.i18n import t
from tui.messages import BookChanged
from tui.problems import said
from tui.screens import customer_book
from tui.text import clean


@dataclass(frozen=True, slots=True)
class Target:
    """The customer a key acts on, as the screen showed them when the key was pressed."""

    customer_id: int
    name: str
    blocked: bool
    opted_out: bool


@dataclass
class CustomerActed(Message):
    """A key's change is in the book (or failed: `problem`)."""

    target: Target
    notice: str
    deleted: bool = False
    problem: str = ""


# ctrl+d is the input box's "delete right": priority, so the key deletes the customer wherever the focus is.
BINDINGS = [
    Binding("ctrl+b", "block", "key.customer_block", tooltip="tip.customer_block", id="customer.block"),
    Binding("ctrl+t", "opt_out", "key.customer_opt_out", tooltip="tip.customer_opt_out", id="customer.opt_out"),
    Binding("ctrl+d", "delete", "key.customer_delete", tooltip="tip.customer_delete", id="customer.delete",
            priority=True),
]


class CustomerKeys:
    """Mixin for a screen that shows a customer (or a list of them, one highlighted).

    The screen defines `acted_on()`: the customer the keys act on now, or None (and a word to the
    operator) when none is chosen.
    """

    acted_on: Callable[[], Target | None]

    def customer_changed(self, event: CustomerActed) -> None:
        """Show what became of the customer."""

    def action_block(self) -> None:
        if target := self.acted_on():
            self._act(target, customer_book.set_blocked, not target.blocked,
                      "customers.now_unblocked" if target.blocked else "customers.now_blocked")

    def action_opt_out(self) -> None:
        if target := self.acted_on():
            self._act(target, customer_book.set_opted_out, not target.opted_out,
                      "customers.now_opted_in" if target.opted_out else "customers.now_opted_out")

    def action_delete(self) -> None:
        if target := self.acted_on():
            self._ask_delete(target)

    @work(thread=True, group="customer-keys", exit_on_error=False)
    def _ask_delete(self, target: Target) -> None:
        days = self.app.book.run(customer_book.keep_days)  # the shop's setting: the question says it exactly
        self.app.call_from_thread(self._confirm_delete, target, days)

    def _confirm_delete(self, target: Target, days: int) -> None:
        from tui.screens.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete(target)

        self.app.push_screen(ConfirmScreen(t("customers.delete_ask", days=days), target.name), answered)

    @work(thread=True, group="customer-keys", exit_on_error=False)
    def _act(self, target: Target, change, value: bool, notice: str) -> None:
        try:
            self.app.book.run(change, target.customer_id, value)
        except Exception as exc:  # gone meanwhile (merged, deleted at another terminal): say so
            self.post_message(CustomerActed(target, "", problem=said(exc)))
            return
        self.post_message(CustomerActed(target, t(notice, name=clean(target.name, limit=60))))

    @work(thread=True, group="customer-keys", exit_on_error=False)
    def _delete(self, target: Target) -> None:
        try:
            days = self.app.book.run(customer_book.remove, target.customer_id)
        except Exception as exc:
            self.post_message(CustomerActed(target, "", problem=said(exc)))
            return
        self.post_message(CustomerActed(target, t("customers.deleted", name=clean(target.name, limit=60), days=days),
                                        deleted=True))

    def on_customer_acted(self, event: CustomerActed) -> None:  # by name: @on does not reach into a mixin
        if event.problem:
            self.app.notify(t("customers.failed", reason=clean(event.problem, limit=120)), markup=False,
                            severity="warning")
            return
        self.app.notify(event.notice, markup=False)
        self.customer_changed(event)
        # Every screen showing this customer (the desk's card, another list) looks again.
        self.app.post_message(BookChanged(calls=False, messages=False, customers=True))
