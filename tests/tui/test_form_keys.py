"""Every screen and modal shows its own keys in a footer, F1 works over a modal, the care tabs have keys."""

from __future__ import annotations

from textual.widgets import Input, TabbedContent

from store.customers import add_customer
from tests.tui.conftest import screen_text, settle
from tui.screens.care_settings import CareSettingsScreen
from tui.screens.customer_form import CustomerForm
from tui.screens.help import HelpScreen
from tui.screens.settings import SettingsScreen
from tui.screens.visit_form import VisitForm


def _footer(app) -> str:
    return screen_text(app).splitlines()[-1]


async def _type(pilot, text: str) -> None:
    for ch in text:
        await pilot.press(ch)


async def test_settings_has_a_footer_with_save_back_and_care(make_app):
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("f6")
        await settle(pilot, app)
        assert isinstance(app.screen, SettingsScreen)
        footer = _footer(app)
        assert "^s Save" in footer and "esc Back" in footer and "f1 Help" in footer, footer


async def test_a_modal_form_shows_its_own_keys_and_f1_lists_them_over_it(make_app):
    add_customer("黄飞鸿", ["+8613912345002"])
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("f3")
        await settle(pilot, app)
        await pilot.press("ctrl+n")
        await settle(pilot, app)
        form = app.screen
        assert isinstance(form, CustomerForm)
        footer = _footer(app)
        assert "^s Save" in footer and "esc Back" in footer and "Merge" not in footer, footer
        form.query_one("#f-name", Input).focus()
        await _type(pilot, "王五")
        await pilot.press("f1")
        await settle(pilot, app)
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert "Save the changes" in text and "Close this page" in text
        assert "Merge" not in text and "Campaigns" not in text  # keys that do nothing over the form are not listed
        await pilot.press("escape")
        await settle(pilot, app)
        assert app.screen is form and form.query_one("#f-name", Input).value == "王五"

        await pilot.press("escape", "y")
        await settle(pilot, app)
        app.screen.query_one("#search", Input).value = "黄飞鸿"
        await settle(pilot, app)
        await pilot.press("ctrl+o")
        await settle(pilot, app)
        assert isinstance(app.screen, VisitForm)
        await pilot.press("f1")
        await settle(pilot, app)
        assert isinstance(app.screen, HelpScreen) and "Save the changes" in screen_text(app)


async def test_the_care_tabs_switch_with_keys_the_footer_shows(make_app):
    app = make_app("en")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await pilot.press("f6")
        await settle(pilot, app)
        await pilot.press("ctrl+r")
        await settle(pilot, app)
        assert isinstance(app.screen, CareSettingsScreen)
        assert "Next tab" in _footer(app), _footer(app)
        tabs = app.screen.query_one(TabbedContent)
        await pilot.press("ctrl+right")
        await settle(pilot, app)
        assert tabs.active == "holidays" and "Add holiday" in _footer(app)
        await pilot.press("ctrl+right")
        await settle(pilot, app)
        assert tabs.active == "schedule" and isinstance(app.screen.focused, Input)
        await pilot.press("ctrl+left")  # from inside a box too
        await settle(pilot, app)
        assert tabs.active == "holidays"


async def test_the_desk_footer_names_f7_to_f10(make_app):
    app = make_app("en")
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(pilot, app)
        footer = _footer(app)
        for words in ("f7 Line", "f8 Campaigns", "f9 Tasks", "f10 Reports"):
            assert words in footer, footer
