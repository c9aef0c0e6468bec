"""What the line worker tells the desk (tui.messages) shows up at once, wherever the operator is."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import Input

from store.customers import add_customer
from store.models import Call
from tests.tui.conftest import NOW, screen_text, settle
from tui.messages import (
    CallFinished,
    CallRinging,
    LineStateChanged,
    OutboxChanged,
    SignalChanged,
    TextArrived,
)
from tui.screens.customers import CustomersScreen
from tui.widgets.banner import RingBanner


async def test_a_ring_shows_the_banner_and_the_card_then_hang_up_addresses_the_composer(make_app):
    customer = add_customer("周杰", ["+8613912345999"], notes="要包间")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        call = Call.create(number="+8613912345999", customer=customer.id, started_at=NOW)
        app.post_message(CallRinging(1, "+8613912345999"))
        await settle(pilot, app)
        banner = app.screen.query_one(RingBanner)
        assert banner.has_class("ringing")
        text = screen_text(app)
        assert "周杰" in text and "要包间" in text
        assert app.screen.card.card.customer_id == customer.id
        Call.update(outcome="answered", duration_s=42).where(Call.id == call.id).execute()
        app.post_message(CallFinished(1, "+8613912345999", "answered", 42.0))
        await settle(pilot, app)
        assert not banner.has_class("ringing")
        assert app.screen.composer.number == "+8613912345999"
        assert "周杰 139 1234 5999" in screen_text(app)  # addressed by name and number
        assert app.screen.focused is app.screen.call_log  # addressed, not taking the keyboard


async def test_a_ring_does_not_take_the_keyboard_from_another_screen(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("f3")
        await settle(pilot, app)
        await pilot.press("w")
        app.post_message(CallRinging(2, "+8613012345678"))
        await settle(pilot, app)
        await pilot.press("a")
        await settle(pilot, app)
        assert isinstance(app.screen, CustomersScreen)
        assert app.screen.query_one("#search", Input).value == "wa"


async def test_line_signal_and_outbox_reach_the_status_bar_and_the_composer(make_app):
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        app.post_message(LineStateChanged("reconnecting", "cable out?", "CMCC"))
        for bars in (1, 2, 3, 4):
            app.post_message(SignalChanged(bars))
        app.screen.composer.show_status("queued", 77)
        app.post_message(OutboxChanged(3, 77, "delivered"))
        await settle(pilot, app)
        text = screen_text(app)
        assert "reconnecting" in text and "cable out?" in text and "CMCC" in text
        assert "▂▃▄▅·" in text and "outbox 3" in text
        assert "delivered" in text


def test_floods_coalesce_but_a_text_status_does_not():
    assert SignalChanged(3).can_replace(SignalChanged(2))
    assert LineStateChanged("up").can_replace(LineStateChanged("connecting"))
    assert OutboxChanged(2).can_replace(OutboxChanged(1))
    assert not OutboxChanged(2, 5, "sent").can_replace(OutboxChanged(1, 4, "queued"))


async def test_a_text_arriving_updates_the_unread_count(make_app):
    from store.models import Message

    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        before = Message.select().where(Message.direction == "in", Message.is_read == False).count()  # noqa: E712
        row = Message.create(direction="in", number="+8613912345000", body="hi", at=NOW - timedelta(seconds=1),
                             status="received", is_read=False)
        app.post_message(TextArrived(row.id, row.number, row.body))
        await settle(pilot, app)
        assert f"unread {before + 1}" in screen_text(app)


async def test_the_workers_card_shows_at_once_and_a_blocked_caller_is_a_clear_warning(make_app):
    from store.customers import block
    from store.lookup import caller_card

    customer = add_customer("骚扰电话", ["+8613912345888"])
    block(customer)
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        app.post_message(CallRinging(3, "+8613912345888", caller_card("+8613912345888")))
        await pilot.pause()  # no worker round trip: the card came with the ring
        banner = app.screen.query_one(RingBanner)
        assert banner.has_class("ringing") and banner.has_class("blocked")
        text = screen_text(app)
        assert "骚扰电话" in text and "BLOCKED" in text


async def test_the_card_says_a_birthday_is_near(make_app):
    from datetime import date

    from store.customers import update_customer

    customer = add_customer("寿星", ["+8613912345777"])
    update_customer(customer, birthday=date(1990, 11, 28))  # three days after NOW
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        app.screen.load_card("+8613912345777")
        await settle(pilot, app)
        assert app.screen.card.card.birthday_in_days == 3
        assert "3 天后" in screen_text(app)


class _Feed:
    """A live feed that says the line is up, and counts pokes (the real one is tui/live.py)."""

    def __init__(self, app) -> None:
        self.app, self.pokes, self.stopped = app, 0, False

    async def run(self) -> None:
        self.app.post_message(LineStateChanged("simulated", "", "SIM"))

    def poke(self) -> None:
        self.pokes += 1

    def stop(self) -> None:
        self.stopped = True


async def test_the_app_runs_its_live_feed_and_pokes_it_when_a_text_is_queued(book):
    from tests.tui.conftest import NOW
    from tui.app import GuanjiaApp
    from tui.screens.book import Book

    app = GuanjiaApp(Book(now=lambda: NOW), language="en", clock=lambda: NOW, live=_Feed)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert "simulated" in screen_text(app)
        app.screen.composer.address("+8613800138000")
        app.screen.composer.set_body("see you")
        app.screen.composer.query_one("#body").focus()
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        await pilot.press("y")
        await settle(pilot, app)
        assert app.live.pokes == 1
    assert app.live.stopped


async def test_a_new_call_never_readdresses_a_half_written_text(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        composer = app.screen.composer
        composer.address("+8613800138000")
        composer.query_one("#body").focus()
        for ch in "hello":
            await pilot.press(ch)
        Call.create(number="+8613012345678", started_at=NOW, outcome="missed", callback="pending")
        from tui.messages import BookChanged

        app.post_message(BookChanged(calls=True, messages=False))
        await settle(pilot, app)
        assert app.screen.call_log.line_at(0).number == "+8613012345678"  # the log shows the new call
        assert composer.number == "+8613800138000" and composer.body == "hello"  # the text stays put
