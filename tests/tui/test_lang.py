"""Everything a Chinese shop reads at the desk is Chinese: match reasons, form errors, the palette's own commands."""

from __future__ import annotations

from textual.widgets import Input

from store.customers import add_customer
from tests.tui.conftest import screen_text, settle
from tui.screens.customer_form import CustomerForm
from tui.screens.customers import CustomersScreen


async def _type(pilot, text: str) -> None:
    for ch in text:
        await pilot.press(ch)


async def test_a_match_by_the_last_digits_says_why_in_chinese(make_app):
    add_customer("张三丰", ["+8613912345334"])
    app = make_app("zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("f3")
        await settle(pilot, app)
        await _type(pilot, "5334")
        await settle(pilot, app)
        assert isinstance(app.screen, CustomersScreen) and app.screen.hits[0].name == "张三丰"
        text = screen_text(app)
        assert "号码结尾" in text and "ending" not in text


async def test_a_match_reason_reads_in_english_too(make_app):
    add_customer("张三丰", ["+8613912345334"])
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("f3")
        await settle(pilot, app)
        await _type(pilot, "5334")
        await settle(pilot, app)
        assert "number ending" in screen_text(app)


async def test_a_bad_number_in_the_customer_form_is_said_in_chinese(make_app):
    app = make_app("zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("f3")
        await settle(pilot, app)
        await pilot.press("ctrl+n")
        await settle(pilot, app)
        app.screen.query_one("#f-name", Input).value = "无名"
        app.screen.query_one("#f-number", Input).value = "12"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, CustomerForm)
        problem = str(app.screen.query_one("#problem").render())
        assert "不是电话号码" in problem and "位数不对" in problem
        assert "is not a phone number" not in problem


async def test_a_number_someone_has_is_said_in_chinese_with_the_name(make_app):
    add_customer("李四", ["13900139000"])
    app = make_app("zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("f3")
        await settle(pilot, app)
        await pilot.press("ctrl+n")
        await settle(pilot, app)
        app.screen.query_one("#f-name", Input).value = "王五"
        app.screen.query_one("#f-number", Input).value = "13900139000"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        problem = str(app.screen.query_one("#problem").render())
        assert "已经是 李四" in problem and "already belongs" not in problem
