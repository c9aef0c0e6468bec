"""The desk screen: the call log paged from the book, the card, adding an unknown caller, composing a text."""

from __future__ import annotations

from datetime import timedelta

from store.models import Call, Customer, Message, Phone
from tests.tui.conftest import NOW, screen_text, settle
from tui.screens.customer_form import CustomerForm
from tui.screens.desk import DeskScreen
from tui.widgets.call_log import PAGE, CallLog
from tui.widgets.card import CustomerCard

UNKNOWN = "+8613012345678"  # a China Unicom number from Chongqing in phonenumbers' offline data


def _ring_unknown() -> Call:
    return Call.create(number=UNKNOWN, started_at=NOW - timedelta(minutes=1), outcome="missed", callback="pending")


async def test_the_log_shows_the_newest_calls_with_names_from_the_book(make_app):
    newest = Call.select().order_by(Call.id.desc()).first()
    name = Customer.get_by_id(newest.customer_id).name if newest.customer_id else newest.number
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        log = app.screen.query_one(CallLog)
        assert log.total == Call.select().count()
        assert log.current.call_id == newest.id
        assert name in screen_text(app)


async def test_the_log_pages_through_the_whole_history_without_loading_it(make_app):
    Call.insert_many([{"number": UNKNOWN, "started_at": NOW - timedelta(days=60 + i), "outcome": "answered",
                       "duration_s": 30} for i in range(3 * PAGE)]).execute()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        log = app.screen.query_one(CallLog)
        await pilot.press("end")
        await settle(pilot, app)
        oldest = Call.select().order_by(Call.id).first()
        assert log.cursor == log.total - 1
        assert log.current.call_id == oldest.id
        assert len(log._pages) <= 12  # a window, not the whole log
        await pilot.press("home")
        await settle(pilot, app)
        assert log.current.call_id == Call.select().order_by(Call.id.desc()).first().id


async def test_an_unknown_caller_shows_where_from_and_is_added_with_one_key(make_app):
    call = _ring_unknown()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        card = app.screen.query_one(CustomerCard)
        assert card.card.number == UNKNOWN and not card.card.known
        text = screen_text(app)
        assert "陌生号码" in text and "中国联通" in text
        await pilot.press("a")
        await settle(pilot, app)
        assert isinstance(app.screen, CustomerForm)
        for key in "Lucy":
            await pilot.press(key)
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, DeskScreen)
        customer = Customer.get(Customer.name == "Lucy")
        assert Phone.get(Phone.number == UNKNOWN).customer_id == customer.id
        assert Call.get_by_id(call.id).customer_id == customer.id  # the past call is now theirs
        assert card.card.known and card.card.name == "Lucy"
        assert "Lucy" in screen_text(app)


async def test_a_missed_call_is_marked_called_back(make_app):
    call = _ring_unknown()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("b")
        await settle(pilot, app)
        assert Call.get_by_id(call.id).callback == "done"


async def test_compose_from_a_template_and_queue_it_in_the_outbox(make_app):
    newest = Call.select().where(Call.customer.is_null(False)).order_by(Call.id.desc()).first()
    Call.update(started_at=NOW - timedelta(seconds=30)).where(Call.id == newest.id).execute()
    Call.create(number=newest.number, customer=newest.customer_id, started_at=NOW, outcome="answered", duration_s=60)
    name = Customer.get_by_id(newest.customer_id).name
    before = Message.select().where(Message.status == "queued").count()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("s")  # the template picker
        for key in "sr":  # 生日祝福 by its pinyin initials
            await pilot.press(key)
        await pilot.press("enter")
        await settle(pilot, app)
        composer = app.screen.composer
        assert composer.body.startswith(f"亲爱的{name}，")
        assert "UCS2" in screen_text(app) or "UCS2" in str(composer.query_one("#counter").render())
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        await pilot.press("y")
        await settle(pilot, app)
        queued = Message.select().where(Message.status == "queued").order_by(Message.id.desc()).first()
        assert Message.select().where(Message.status == "queued").count() == before + 1
        assert queued.number == newest.number and queued.body.startswith(f"亲爱的{name}")
        assert composer.message_id == queued.id
        assert "已放入发件箱" in screen_text(app)


async def test_sending_can_be_called_off(make_app):
    before = Message.select().count()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        app.screen.composer.address("+8613800138000")
        app.screen.composer.set_body("明天见")
        app.screen.composer.query_one("#body").focus()
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        await pilot.press("escape")
        await settle(pilot, app)
        assert isinstance(app.screen, DeskScreen)
        assert Message.select().count() == before


async def test_privacy_mode_masks_numbers_on_the_desk(make_app):
    _ring_unknown()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert "130 1234 5678" in screen_text(app)  # the card, as the shop reads numbers
        await pilot.press("ctrl+t")
        await settle(pilot, app)
        text = screen_text(app)
        assert "130****5678" in text and "13012345678" not in text and "130 1234 5678" not in text


async def test_tab_and_shift_tab_move_between_the_panes(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        screen = app.screen
        assert screen.focused is screen.call_log
        seen = []
        for _ in range(4):
            await pilot.press("tab")
            seen.append(screen.focused)
        assert screen.query_one("#card-pane") in seen
        assert screen.composer.query_one("#template-filter") in seen
        assert screen.composer.query_one("#body") in seen
        for _ in range(4):
            await pilot.press("shift+tab")
        assert screen.focused is screen.call_log
