"""From the customers screen: record a visit or a booking, and merge two customers."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from textual.widgets import Input

from store import care
from store.customers import add_customer
from store.models import Call, Customer, Message, Phone, Visit
from tests.hostile import FORBIDDEN, HOSTILE, visible_marker
from tests.tui.conftest import NOW, screen_text, settle
from tui.i18n import set_language
from tui.screens.customers import CustomersScreen
from tui.screens.history import HistoryScreen
from tui.screens.merge import MergeConfirm, MergePicker
from tui.screens.visit_form import Problem, VisitForm, amount_cents, clock_of, entry_of


async def _type(pilot, text: str) -> None:
    for ch in text:
        await pilot.press(ch)


async def _find(pilot, app, query: str) -> None:
    """Open the customers screen and search for `query`."""
    await settle(pilot, app)
    await pilot.press("f3")
    await settle(pilot, app)
    app.screen.query_one("#search", Input).value = query
    await settle(pilot, app)
    assert isinstance(app.screen, CustomersScreen) and app.screen.hits


@pytest.fixture
def english():
    """Problems in English for these checks; the next test starts in Chinese again."""
    set_language("en")
    yield
    set_language("zh")


def test_amounts_in_yuan_become_cents(english):
    assert amount_cents("128") == 12800
    assert amount_cents(" ¥1,280.5元 ") == 128050
    assert amount_cents("１２８．５") == 12850  # full-width, as a Chinese keyboard may type
    assert amount_cents("") == 0
    for bad in ("abc", "12.345", "-5", "NaN", "Infinity", "1e30", "12..5"):
        with pytest.raises(Problem):
            amount_cents(bad)
    assert clock_of("9:05").hour == 9
    with pytest.raises(Problem):
        clock_of("25:00")


@given(st.integers(min_value=0, max_value=1_000_000_000))
def test_any_bill_written_in_yuan_comes_back_to_the_fen(cents):
    yuan, fen = divmod(cents, 100)
    assert amount_cents(f"{yuan}.{fen:02d}") == cents
    assert amount_cents(f"¥{yuan:,}.{fen:02d}") == cents
    if fen == 0:
        assert amount_cents(str(yuan)) == cents


def test_a_booking_needs_a_time_and_a_day_not_past(english):
    today = date(2026, 11, 25)
    values = {"date": "2026-11-24", "time": "18:00", "party": "4", "room": "", "notes": ""}
    with pytest.raises(Problem, match="passed"):
        entry_of(1, values, booking=True, today=today)
    with pytest.raises(Problem, match="needs a time"):
        entry_of(1, {**values, "date": "2026-11-26", "time": ""}, booking=True, today=today)
    with pytest.raises(Problem, match="party"):
        entry_of(1, {**values, "date": "2026-11-26", "party": "0"}, booking=True, today=today)
    entry = entry_of(1, {**values, "date": "2026-11-26"}, booking=True, today=today)
    assert entry.booking and entry.party_size == 4 and entry.day == date(2026, 11, 26)


async def test_record_a_visit_and_see_it_in_history_and_on_the_card(make_app):
    customer = add_customer("黄飞鸿", ["+8613912345002"])
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _find(pilot, app, "黄飞鸿")
        await pilot.press("ctrl+o")
        await settle(pilot, app)
        form = app.screen
        assert isinstance(form, VisitForm)
        # Date and time default to now at the shop (Shanghai: UTC+8).
        assert form.query_one("#v-date", Input).value == "2026-11-25"
        assert form.query_one("#v-time", Input).value == "14:30"
        await _type(pilot, "256.5")  # the amount has the focus
        form.query_one("#v-items", Input).value = "佛跳墙、龙井"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, CustomersScreen)
        visit = Visit.get(Visit.customer == customer.id)
        assert visit.amount_cents == 25650 and visit.items == "佛跳墙、龙井"
        assert visit.at.replace(tzinfo=None) == NOW.replace(tzinfo=None)  # 14:30 at the shop, stored in UTC
        await pilot.press("ctrl+r")
        await settle(pilot, app)
        assert isinstance(app.screen, HistoryScreen)
        text = screen_text(app)
        assert "¥256.50" in text and "佛跳墙、龙井" in text and "2026-11-25 14:30" in text
        await pilot.press("f2")
        await settle(pilot, app)
        app.screen.load_card("+8613912345002")
        await settle(pilot, app)
        card = app.screen.card.card
        assert card.customer_id == customer.id and card.visits == 1
        assert "到店: 1 · " in screen_text(app)


async def test_a_bad_amount_is_refused_in_plain_words(make_app):
    customer = add_customer("Li Lei", ["+8613912345003"])
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await _find(pilot, app, "Li Lei")
        await pilot.press("ctrl+o")
        await settle(pilot, app)
        await _type(pilot, "12 yuan")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, VisitForm)
        assert "The amount should be a number of yuan" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot, app)
        await pilot.press("y")  # the amount typed is thrown away only once the operator says so
        await settle(pilot, app)
        assert isinstance(app.screen, CustomersScreen)
        assert not Visit.select().where(Visit.customer == customer.id).exists()


async def test_a_booking_queues_its_confirmation_when_the_rule_is_on(make_app):
    care.set_rule("booking_confirm", on=True, text="{name}您好，{booking}的座位已留好")
    customer = add_customer("梁宽", ["+8613912345004"])
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _find(pilot, app, "梁宽")
        await pilot.press("ctrl+y")
        await settle(pilot, app)
        form = app.screen
        assert isinstance(form, VisitForm) and form.booking
        form.query_one("#v-date", Input).value = "2026-11-27"
        await _type(pilot, "18:30")  # the time has the focus
        form.query_one("#v-party", Input).value = "6"
        form.query_one("#v-room", Input).value = "牡丹厅"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, CustomersScreen)
        booking = Visit.get(Visit.customer == customer.id)
        assert str(booking.booking_date) == "2026-11-27" and str(booking.booking_time)[:5] == "18:30"
        assert booking.party_size == 6 and booking.room == "牡丹厅"
        texts = list(Message.select().where((Message.number == "+8613912345004") & (Message.direction == "out")))
        assert [m.status for m in texts] == ["queued"]
        assert texts[0].body == "梁宽您好，11月27日 18:30的座位已留好"
        await pilot.press("ctrl+r")
        await settle(pilot, app)
        text = screen_text(app)
        assert "预订" in text and "2026-11-27 · 18:30 · 6人 · 牡丹厅" in text


async def test_a_booking_queues_nothing_when_the_rule_is_off(make_app):
    customer = add_customer("梁宽", ["+8613912345004"])
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _find(pilot, app, "梁宽")
        await pilot.press("ctrl+y")
        await settle(pilot, app)
        await _type(pilot, "19:00")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert Visit.select().where(Visit.customer == customer.id).count() == 1
        assert not Message.select().where(Message.number == "+8613912345004").exists()


async def test_merge_two_customers_keeps_every_number_and_call(make_app):
    keep = add_customer("陈真", ["+8613912345005"])
    drop = add_customer("陈真 (旧号)", ["+8613912345006"])
    Call.create(number="+8613912345006", customer=drop.id, started_at=NOW - timedelta(days=1), outcome="answered",
                duration_s=75)
    Visit.create(customer=drop.id, at=NOW - timedelta(days=2), amount_cents=8800, items="叉烧包")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _find(pilot, app, "13912345005")
        assert app.screen.selected.customer_id == keep.id
        await pilot.press("ctrl+g")
        await settle(pilot, app)
        picker = app.screen
        assert isinstance(picker, MergePicker)
        await _type(pilot, "陈真")
        await settle(pilot, app)
        assert [hit.customer_id for hit in picker.hits] == [drop.id]  # never the kept one
        await pilot.press("down", "enter")
        await settle(pilot, app)
        confirm = app.screen
        assert isinstance(confirm, MergeConfirm)
        text = screen_text(app)
        assert "陈真 (旧号)" in text and "139 1234 5005" in text and "139 1234 5006" in text
        await pilot.press("y")
        await settle(pilot, app)
        assert isinstance(app.screen, HistoryScreen)
        text = screen_text(app)
        assert "139 1234 5005" in text and "139 1234 5006" in text  # every number
        assert "1:15" in text and "叉烧包" in text  # the dropped customer's call and visit
        assert not Customer.select().where(Customer.id == drop.id).exists()
        assert Customer.select().where(Customer.name.startswith("陈真")).count() == 1
        assert {p.number for p in Phone.select().where(Phone.customer == keep.id)} == {"+8613912345005",
                                                                                     "+8613912345006"}
        assert Call.get(Call.number == "+8613912345006").customer_id == keep.id
        await pilot.press("escape")
        await settle(pilot, app)
        assert isinstance(app.screen, CustomersScreen)


async def test_merge_backs_out_with_escape_and_changes_nothing(make_app):
    keep = add_customer("霍元甲", ["+8613912345007"])
    drop = add_customer("霍元甲二", ["+8613912345008"])
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _find(pilot, app, "13912345007")
        await pilot.press("ctrl+g")
        await settle(pilot, app)
        await _type(pilot, "霍元甲")
        await settle(pilot, app)
        await pilot.press("down", "enter")
        await settle(pilot, app)
        assert isinstance(app.screen, MergeConfirm)
        await pilot.press("escape")
        await settle(pilot, app)
        assert isinstance(app.screen, CustomersScreen)
        assert Customer.select().where(Customer.id.in_([keep.id, drop.id])).count() == 2


async def test_hostile_names_in_the_merge_confirmation_render_literally(make_app):
    app = make_app()
    # Both sides hostile: the kept customer carries the entry before the dropped one's.
    ids = [add_customer(text, [f"+86139{i:08d}"]).id for i, text in enumerate(HOSTILE)]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        for i, text in enumerate(HOSTILE):
            app.push_screen(MergeConfirm(ids[i - 1], ids[i]))
            await settle(pilot, app)
            shown = screen_text(app)
            assert not any(ch in shown for ch in FORBIDDEN)
            assert visible_marker(text) in shown and visible_marker(HOSTILE[i - 1]) in shown, text
            assert f"{i:08d}"[-4:] in shown
            assert app.is_running
            await pilot.press("n")
            await settle(pilot, app)
        assert Customer.select().where(Customer.id.in_(ids)).count() == len(HOSTILE)


async def test_hostile_names_in_the_visit_form_and_merge_picker_titles(make_app):
    from datetime import datetime

    from tui.screens.views import CustomerHit

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        for text in HOSTILE:
            app.push_screen(VisitForm(1, text, datetime(2026, 11, 25, 14, 30), booking=True))
            await settle(pilot, app)
            shown = screen_text(app)
            assert not any(ch in shown for ch in FORBIDDEN)
            assert visible_marker(text) in shown, text
            await pilot.press("escape")
            await settle(pilot, app)
            app.push_screen(MergePicker(CustomerHit(1, text, "", "")))
            await settle(pilot, app)
            shown = screen_text(app)
            assert not any(ch in shown for ch in FORBIDDEN)
            assert visible_marker(text) in shown, text
            await pilot.press("escape")
            await settle(pilot, app)
            assert app.is_running


async def test_a_visit_with_its_time_left_empty_is_kept_at_the_start_of_its_day(make_app):
    customer = add_customer("方世玉", ["+8613912345004"])
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await _find(pilot, app, "方世玉")
        await pilot.press("ctrl+o")
        await settle(pilot, app)
        form = app.screen
        assert isinstance(form, VisitForm)
        form.query_one("#v-time", Input).value = ""
        await _type(pilot, "88")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, CustomersScreen), screen_text(app)
        visit = Visit.get(Visit.customer == customer.id)
        # Midnight at the shop (Shanghai) is 16:00 the day before in UTC.
        assert (visit.amount_cents, str(visit.at)[:16]) == (8800, "2026-11-24 16:00")
