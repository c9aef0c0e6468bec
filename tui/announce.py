"""What arrives while the operator works, told on whatever screen is up: a ring as a banner, a text as a notice.

The desk used to be the only screen that showed a ring, so a customer rang out unseen while the operator sat
on the customers screen. Every screen (forms and questions too) now gets the same banner the moment it is
shown; nothing here can take the keyboard: the banner cannot be focused and a text's notice is a toast.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, replace

from textual.css.query import NoMatches
from textual.screen import Screen

from tui.i18n import t
from tui.widgets.banner import RingBanner, ring_content
from tui.widgets.card import CardView
from tui.widgets.recipient import recipient_text

TEXT_NOTICE_S = 8  # long enough to read a name at a glance from across the counter


@dataclass(frozen=True, slots=True)
class Ring:
    """The call ringing now, in the words the banner shows."""

    number: str | None
    name: str = ""
    tier: str = ""
    notes: str = ""
    blocked: bool = False
    where: str = ""
    display: str = ""


class Announcer:
    """Keeps a banner on every screen of the app and says on it who is ringing; tells of new texts."""

    def __init__(self, app) -> None:
        self.app = app
        self.ring: Ring | None = None
        self.quiet = False  # the operator hushed this ring (Esc on the desk): not shown again until the next

    def start(self) -> None:
        """Follow the screens from now on (the app is running)."""
        # Immediate: the banner is in the new screen's first frame, not one message later.
        self.app.screen_change_signal.subscribe(self.app, self._screen_changed, immediate=True)
        self._screen_changed(self.app.screen)

    # -- rings -----------------------------------------------------------------------------------------------

    def ringing(self, message) -> None:
        """A call rings: say who on the screen that is up (and on every other, for when it comes up)."""
        card, book = message.card, self.app.book
        if card is not None and getattr(card, "customer_id", None) is not None:
            if not isinstance(card, CardView):  # the store's card from the worker: display terms, no query
                card = book.card_view(card)
            ring = Ring(card.number or message.number, card.name, card.tier, card.notes, card.blocked,
                        display=card.display or book.display(card.number) or "")
        else:
            number = getattr(card, "number", None) or message.number  # the store's card has it in E.164
            ring = Ring(number, display=(book.display(number) or "") if number else "")
        previous = self.ring
        if previous is not None and previous.number == ring.number:
            # The same call told again (a second +CLIP before its row was written): keep what was found
            # and whether the operator hushed it.
            self.ring = replace(ring, name=ring.name or previous.name, tier=ring.tier or previous.tier,
                                notes=ring.notes or previous.notes, where=ring.where or previous.where)
            self.show()
            return
        self.ring, self.quiet = ring, False
        self.show()
        if ring.number and card is None:
            self._look_up(ring.number)  # a ring told by another terminal: the card comes from the book
        elif ring.number and not ring.name:
            self._find_origin(ring.number)

    def finished(self, message) -> None:
        """The call ended (answered, missed or rejected): the banner goes from every screen."""
        # Not matched by number: the ring may carry the number as the phone sent it (national), the end
        # the book's (E.164); a desk holds one line, so the call that ended is the one that rang.
        self.ring = None
        self.show()

    def hush(self) -> None:
        """The operator has seen it: hide the banner for this ring."""
        self.quiet = True
        self.show()

    def show(self) -> None:
        """Put the ring (or nothing) on every screen's banner."""
        for screen in self.app.all_screens():
            banner = self._banner(screen)
            if banner is not None:
                self._paint(screen, banner)

    def _look_up(self, number: str) -> None:
        def work() -> None:
            card = self.app.book.card(number)
            self.app.call_from_thread(self._found, number, card)

        self.app.run_worker(work, thread=True, group="announce-card", exit_on_error=False)

    def _found(self, number: str, card) -> None:
        if self.ring is not None and self.ring.number == number:
            self.ring = replace(self.ring, name=card.name, tier=card.tier, notes=card.notes, blocked=card.blocked,
                                where=card.where, display=card.display or self.ring.display)
            self.show()

    def _find_origin(self, number: str) -> None:
        def work() -> None:
            where = self.app.book.origin(number)  # no database: the prefixes table only
            self.app.call_from_thread(self._origin_found, number, where)

        self.app.run_worker(work, thread=True, group="announce-origin", exit_on_error=False)

    def _origin_found(self, number: str, where: str) -> None:
        if self.ring is not None and self.ring.number == number and where:
            self.ring = replace(self.ring, where=where)
            self.show()

    # -- the banner on each screen ---------------------------------------------------------------------------

    def _screen_changed(self, screen: Screen) -> None:
        banner = self._banner(screen)
        if banner is None:
            banner = RingBanner(id="banner")
            with contextlib.suppress(Exception):  # a screen already on its way out: nothing to show it on
                screen.mount(banner)
        self._paint(screen, banner)

    @staticmethod
    def _banner(screen: Screen) -> RingBanner | None:
        try:
            return screen.query_one(RingBanner)
        except NoMatches:
            return None

    def _paint(self, screen: Screen, banner: RingBanner) -> None:
        ring = self.ring
        if ring is None or self.quiet:
            banner.hush()
            return
        # One line everywhere: it floats over the top border row only, so on the desk the card's own first
        # line (the caller's name and number) stays in view under it.
        banner.set_class(True, "one-line")
        key = self.app.caller_key() if self.app.can_go_to_caller(screen) else ""
        banner.ring(ring_content(ring.number, ring.name, ring.tier, ring.notes, blocked=ring.blocked,
                                 where=ring.where, privacy=self.app.privacy, display=ring.display, key=key,
                                 one_line=True), blocked=ring.blocked)

    # -- texts -----------------------------------------------------------------------------------------------

    def text_arrived(self, message) -> None:
        """A notice on whatever screen is up: who wrote (name, else number), never the keyboard.

        The line worker names the sender (one key read on its side), so no query is needed here.
        """
        card = message.card
        name = getattr(message, "name", "") or ""
        if not name and card is not None and getattr(card, "customer_id", None) is not None:
            name = getattr(card, "name", "")
        self._tell_text(name, message.number, self.app.book.display(message.number) or "")

    def _tell_text(self, name: str, number: str, display: str) -> None:
        who = recipient_text(name, number, display, privacy=self.app.privacy)
        self.app.notify(t("announce.text", who=who), markup=False, timeout=TEXT_NOTICE_S)
