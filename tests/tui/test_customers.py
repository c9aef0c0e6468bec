"""The customers screen: search as you type (pinyin initials, last digits), add and edit a customer."""

from __future__ import annotations

from textual.widgets import DataTable, Input, Select

from store.customers import add_customer
from store.models import Customer, Phone
from tests.tui.conftest import screen_text, settle
from tui.screens.customer_form import CustomerForm
from tui.screens.customers import CustomersScreen


async def _type(pilot, text: str) -> None:
    for ch in text:
        await pilot.press(ch)


async def test_search_by_pinyin_initials_and_last_digits(make_app):
    add_customer("张三丰", ["+8613912340042"])
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("f3")
        await settle(pilot, app)
        assert isinstance(app.screen, CustomersScreen)
        await _type(pilot, "zsf")
        await settle(pilot, app)
        assert app.screen.hits and app.screen.hits[0].name == "张三丰"
        assert "张三丰" in screen_text(app)
        app.screen.query_one("#search", Input).value = ""
        await _type(pilot, "0042")
        await settle(pilot, app)
        assert any(hit.name == "张三丰" for hit in app.screen.hits)


async def test_add_a_customer_from_the_search_box(make_app):
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("f3")
        await settle(pilot, app)
        await _type(pilot, "13800138000")
        await pilot.press("ctrl+n")
        await settle(pilot, app)
        form = app.screen
        assert isinstance(form, CustomerForm)
        assert form.query_one("#f-number", Input).value == "13800138000"
        form.query_one("#f-name", Input).focus()
        await _type(pilot, "Wang Wu")
        form.query_one("#f-tags", Input).value = "常客, 包间"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, CustomersScreen)
        customer = Customer.get(Customer.name == "Wang Wu")
        assert Phone.get(Phone.customer == customer).number == "+8613800138000"
        assert customer.tag_list == ["常客", "包间"]


async def test_a_bad_number_keeps_the_form_open_with_the_reason(make_app):
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("f3")
        await settle(pilot, app)
        await pilot.press("ctrl+n")
        await settle(pilot, app)
        app.screen.query_one("#f-name", Input).value = "Nobody"
        app.screen.query_one("#f-number", Input).value = "12"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, CustomerForm)
        assert str(app.screen.query_one("#problem").render()).strip()
        assert not Customer.select().where(Customer.name == "Nobody").exists()


async def test_edit_a_customer_found_by_name(make_app):
    customer = add_customer("李小龙", ["+8613912345001"])
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("f3")
        await settle(pilot, app)
        await _type(pilot, "李小龙")
        await settle(pilot, app)
        await pilot.press("down")  # into the table
        await pilot.press("enter")
        await settle(pilot, app)
        form = app.screen
        assert isinstance(form, CustomerForm)
        assert form.query_one("#f-name", Input).value == "李小龙"
        form.query_one("#f-notes", Input).value = "喜欢功夫茶"
        form.query_one("#f-tier", Select).value = "金卡"  # picked from the shop's tiers
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        fresh = Customer.get_by_id(customer.id)
        assert fresh.notes == "喜欢功夫茶" and fresh.tier == "金卡"
        assert isinstance(app.screen, CustomersScreen)
        assert app.screen.query_one(DataTable).row_count >= 1


async def test_a_customers_history_lists_calls_visits_and_texts(make_app):
    from datetime import timedelta

    from store.models import Call, Message, Visit
    from tests.tui.conftest import NOW
    from tui.screens.history import HistoryScreen

    customer = add_customer("黄飞鸿", ["+8613912345002"])
    Call.create(number="+8613912345002", customer=customer.id, started_at=NOW - timedelta(days=1),
                outcome="answered", duration_s=65)
    Visit.create(customer=customer.id, at=NOW - timedelta(days=2), amount_cents=12800, items="佛跳墙")
    Message.create(direction="in", number="+8613912345002", customer=customer.id, body="谢谢款待",
                   at=NOW - timedelta(days=3), status="received")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("f3")
        await settle(pilot, app)
        await _type(pilot, "黄飞鸿")
        await settle(pilot, app)
        await pilot.press("ctrl+r")
        await settle(pilot, app)
        assert isinstance(app.screen, HistoryScreen)
        text = screen_text(app)
        assert "1:05" in text and "佛跳墙" in text and "谢谢款待" in text
        assert text.index("1:05") < text.index("佛跳墙") < text.index("谢谢款待")  # newest first
