"""The customer form: tier picked from the shop's tiers, every number shown and edited, a digits search fills
the number."""

from __future__ import annotations

from textual.widgets import Input, Select

from store import settings
from store.customers import add_customer, numbers_of
from store.models import Customer
from tests.tui.conftest import screen_text, settle
from tui.screens.customer_form import CustomerForm
from tui.screens.customers import CustomersScreen
from tui.screens.settings import SettingsScreen


async def _type(pilot, text: str) -> None:
    for ch in text:
        await pilot.press(ch)


async def _search(pilot, app, query: str) -> None:
    await settle(pilot, app)
    if not isinstance(app.screen, CustomersScreen):
        await pilot.press("f3")
        await settle(pilot, app)
    app.screen.query_one("#search", Input).value = query
    await settle(pilot, app)


async def test_ctrl_n_after_a_digits_search_fills_the_number_and_a_name_search_the_name(make_app):
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await _search(pilot, app, "5334")
        await pilot.press("ctrl+n")
        await settle(pilot, app)
        form = app.screen
        assert isinstance(form, CustomerForm)
        assert form.query_one("#f-number", Input).value == "5334" and form.query_one("#f-name", Input).value == ""
        assert form.focused is form.query_one("#f-name", Input)  # the name is what is left to type
        await pilot.press("escape")
        await settle(pilot, app)
        await _search(pilot, app, "王大锤")
        await pilot.press("ctrl+n")
        await settle(pilot, app)
        assert app.screen.query_one("#f-name", Input).value == "王大锤"
        assert app.screen.query_one("#f-number", Input).value == ""


async def test_the_tier_is_picked_from_the_tiers_the_shop_keeps_in_settings(make_app):
    old = add_customer("老顾客", ["+8613912340001"], tier="VIP")  # imported long ago, a tier nobody lists
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("f6")
        await settle(pilot, app)
        assert isinstance(app.screen, SettingsScreen)
        box = app.screen.query_one("#tiers", Input)
        assert box.value == "普通, 银卡, 金卡, 钻石"
        box.value = "普通，金卡, 黑金, 金卡"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert settings.tiers() == ["普通", "金卡", "黑金"]

        await _search(pilot, app, "")
        await pilot.press("ctrl+n")
        await settle(pilot, app)
        form = app.screen
        tier = form.query_one("#f-tier", Select)
        assert [value for _, value in tier._options] == ["普通", "金卡", "黑金"] and tier.value == "普通"
        form.query_one("#f-name", Input).value = "钱多多"
        tier.focus()
        await pilot.press("enter", "down", "down", "enter")  # open the list, two down, pick
        await settle(pilot, app)
        assert tier.value == "黑金"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert Customer.get(Customer.name == "钱多多").tier == "黑金"

        await _search(pilot, app, "老顾客")
        await pilot.press("down", "enter")
        await settle(pilot, app)
        form = app.screen
        assert isinstance(form, CustomerForm) and form.query_one("#f-tier", Select).value == "VIP"
        form.query_one("#f-notes", Input).value = "还是老样子"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        fresh = Customer.get_by_id(old.id)
        assert (fresh.tier, fresh.notes) == ("VIP", "还是老样子")  # not silently turned into another tier


async def test_the_edit_form_shows_every_number_and_adds_removes_and_makes_one_main(make_app):
    c = add_customer("多号码", ["+8613912340001", "+8613912340002", "+8613912340003"])
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await _search(pilot, app, "多号码")
        await pilot.press("down", "enter")
        await settle(pilot, app)
        form = app.screen
        assert isinstance(form, CustomerForm)
        boxes = form.number_boxes()
        assert [b.value for b in boxes] == ["139 1234 0001", "139 1234 0002", "139 1234 0003"]
        assert "139 1234 0003" in screen_text(app) and "Main" in screen_text(app)
        boxes[1].focus()
        await pilot.press("ctrl+r")  # the second goes
        await settle(pilot, app)
        assert [b.value for b in form.number_boxes()] == ["139 1234 0001", "139 1234 0003"]
        await pilot.press("ctrl+n")
        await settle(pilot, app)
        assert form.focused is form.number_boxes()[-1]
        await _type(pilot, "13800138000")
        await pilot.press("ctrl+t")  # the new one becomes the main number
        await settle(pilot, app)
        assert [b.value for b in form.number_boxes()] == ["13800138000", "139 1234 0001", "139 1234 0003"]
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, CustomersScreen)
    phones = numbers_of(c.id)
    assert [(p.number, p.is_primary) for p in phones] == [
        ("+8613800138000", True), ("+8613912340001", False), ("+8613912340003", False)]
