"""Leaving a changed form or a draft asks first: Esc on every form, F-keys away from one, Ctrl+Q with work unsaved."""

from __future__ import annotations

import asyncio

import pytest
from textual.widgets import Input, TextArea

from store import settings
from store.customers import add_customer
from store.models import Customer
from tests.tui.conftest import screen_text, settle
from tests.tui.test_flow import _app, _line_up, _stop, _until, sim  # noqa: F401 - the simulated phone fixture
from tui.screens.care_settings import CareSettingsScreen
from tui.screens.confirm import ConfirmScreen
from tui.screens.customer_form import CustomerForm
from tui.screens.customers import CustomersScreen
from tui.screens.desk import DeskScreen
from tui.screens.leaving import QuitQuestion
from tui.screens.messages import MessagesScreen
from tui.screens.settings import SettingsScreen
from tui.screens.setup import SetupScreen
from tui.screens.visit_form import VisitForm
from tui.widgets.banner import RingBanner


async def _type(pilot, text: str) -> None:
    for ch in text:
        await pilot.press(ch)


async def test_esc_in_settings_asks_before_throwing_edits_away(make_app):
    settings.set("shop_name", "老店")
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("f6")
        await settle(pilot, app)
        await pilot.press("escape")  # nothing changed: straight back
        await settle(pilot, app)
        assert isinstance(app.screen, DeskScreen)
        await pilot.press("f6")
        await settle(pilot, app)
        assert app.screen.query_one("#shop", Input).value == "老店"
        await pilot.press("end")
        await _type(pilot, "新")
        await pilot.press("escape")
        await settle(pilot, app)
        assert isinstance(app.screen, ConfirmScreen) and "unsaved changes" in screen_text(app)
        await pilot.press("n")
        await settle(pilot, app)
        assert isinstance(app.screen, SettingsScreen) and app.screen.query_one("#shop", Input).value == "老店新"
        await pilot.press("escape")
        await settle(pilot, app)
        await pilot.press("y")
        await settle(pilot, app)
        assert isinstance(app.screen, DeskScreen) and settings.get("shop_name") == "老店"


async def test_an_f_key_away_from_changed_settings_asks_and_no_keeps_them(make_app):
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("f6")
        await settle(pilot, app)
        app.screen.query_one("#timezone", Input).value = "Asia/Tokyo"
        await pilot.press("f3")
        await settle(pilot, app)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot, app)
        assert isinstance(app.screen, SettingsScreen)
        assert app.screen.query_one("#timezone", Input).value == "Asia/Tokyo"
        await pilot.press("f3")
        await settle(pilot, app)
        await pilot.press("y")
        await settle(pilot, app)
        assert isinstance(app.screen, CustomersScreen) and settings.get("time_zone") == "Asia/Shanghai"


async def test_esc_on_a_changed_visit_form_asks(make_app):
    add_customer("黄飞鸿", ["+8613912345002"])
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("f3")
        await settle(pilot, app)
        app.screen.query_one("#search", Input).value = "黄飞鸿"
        await settle(pilot, app)
        await pilot.press("ctrl+o")
        await settle(pilot, app)
        assert isinstance(app.screen, VisitForm)
        await _type(pilot, "88")
        await pilot.press("escape")
        await settle(pilot, app)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot, app)
        assert isinstance(app.screen, VisitForm) and app.screen.query_one("#v-amount", Input).value == "88"
        await pilot.press("escape")
        await settle(pilot, app)
        await pilot.press("y")
        await settle(pilot, app)
        assert isinstance(app.screen, CustomersScreen)


async def test_the_line_setup_and_the_care_schedule_ask_too(make_app):
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("f7")
        await settle(pilot, app)
        assert isinstance(app.screen, SetupScreen)
        app.screen.query_one("#baud", Input).value = "9600"
        await pilot.press("escape")
        await settle(pilot, app)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot, app)
        await pilot.press("f6")
        await settle(pilot, app)
        await pilot.press("ctrl+r")
        await settle(pilot, app)
        assert isinstance(app.screen, CareSettingsScreen)
        await pilot.press("escape")  # nothing typed: back to settings at once
        await settle(pilot, app)
        assert isinstance(app.screen, SettingsScreen)
        await pilot.press("ctrl+r")
        await settle(pilot, app)
        app.screen.query_one("#complaint-hours", Input).value = "12"
        await pilot.press("escape")
        await settle(pilot, app)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot, app)
        assert isinstance(app.screen, CareSettingsScreen)
        assert app.screen.query_one("#complaint-hours", Input).value == "12"


async def test_ctrl_q_with_a_draft_in_the_composer_asks_and_quits_only_on_yes(make_app):
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        body = app.screen.query_one("#body", TextArea)
        body.focus()
        await _type(pilot, "see you")
        await pilot.press("ctrl+q")
        await settle(pilot, app)
        assert isinstance(app.screen, QuitQuestion) and "a text not sent" in screen_text(app)
        await pilot.press("n")
        await settle(pilot, app)
        assert isinstance(app.screen, DeskScreen) and body.text == "see you" and app.return_code is None
        await pilot.press("ctrl+q")
        await settle(pilot, app)
        await pilot.press("ctrl+q")  # twice is yes
        await pilot.pause()
        assert app.return_code == 0


async def test_ctrl_q_with_a_reply_half_typed_asks(make_app):
    from store.messages import save_text

    from tests.tui.conftest import NOW

    save_text("k1", "+8613912345002", "在吗", NOW, 1, "CN")
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("f4")
        await settle(pilot, app)
        assert isinstance(app.screen, MessagesScreen)
        app.screen.query_one("#reply", Input).focus()
        await _type(pilot, "在的")
        await pilot.press("ctrl+q")
        await settle(pilot, app)
        assert isinstance(app.screen, QuitQuestion)
        await pilot.press("n")
        await settle(pilot, app)
        assert app.screen.query_one("#reply", Input).value == "在的" and app.return_code is None


async def test_ctrl_q_with_nothing_unsaved_quits_at_once(make_app):
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("f3")
        await settle(pilot, app)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.return_code == 0


@pytest.mark.timeout(90)
async def test_a_ring_while_the_customer_form_is_open_loses_nothing_typed(book, sim):  # noqa: F811
    add_customer("周杰伦", ["+8613912345999"])
    app = _app(sim, "zh")
    async with app.run_test(size=(80, 24)) as pilot:
        assert await _until(pilot, lambda: _line_up(app)), "the line never came up"
        await pilot.press("f3")
        assert await _until(pilot, lambda: isinstance(app.screen, CustomersScreen))
        await pilot.press("ctrl+n")
        assert await _until(pilot, lambda: isinstance(app.screen, CustomerForm))
        form = app.screen
        await _type(pilot, "王小")
        ringing = asyncio.create_task(sim.ring("13912345999", rings=2, every=0.3))
        desk = app.screen_stack[1]
        assert await _until(pilot, lambda: desk.query_one(RingBanner).has_class("ringing")), "no ring"
        await _type(pilot, "二")  # typing goes on into the same field
        await ringing
        assert app.screen is form
        assert form.query_one("#f-name", Input).value == "王小二" and form.focused.id == "f-name"
        await pilot.press("escape")
        assert await _until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")
        assert await _until(pilot, lambda: app.screen is form)
        await pilot.press("ctrl+s")
        assert await _until(pilot, lambda: Customer.get_or_none(Customer.name == "王小二") is not None)
        await _stop(pilot, app)
