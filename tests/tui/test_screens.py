"""Every screen is one key away and in the command palette; Esc always leads back to the desk."""

from __future__ import annotations

import pytest
from textual.command import CommandPalette

from store.customers import add_customer
from store.models import Message, Template
from tests.tui.conftest import screen_text, settle
from tui.i18n import TABLE
from tui.screens.campaigns import CampaignsScreen
from tui.screens.customers import CustomersScreen
from tui.screens.desk import DeskScreen
from tui.screens.help import HelpScreen
from tui.screens.messages import MessagesScreen
from tui.screens.reports import ReportsScreen
from tui.screens.settings import SettingsScreen
from tui.screens.tasks import TasksScreen
from tui.screens.templates import TemplatesScreen

SCREENS = [("f3", CustomersScreen), ("f4", MessagesScreen), ("f5", TemplatesScreen), ("f6", SettingsScreen),
           ("f8", CampaignsScreen), ("f9", TasksScreen), ("f10", ReportsScreen), ("f1", HelpScreen)]


@pytest.mark.parametrize("key, screen", SCREENS)
async def test_each_screen_is_one_key_away_and_esc_goes_back(make_app, key, screen):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press(key)
        await settle(pilot, app)
        assert isinstance(app.screen, screen)
        for _ in range(3):  # from a table or a box, Esc backs out a step at a time
            await pilot.press("escape")
            await settle(pilot, app)
        assert isinstance(app.screen, DeskScreen)


async def test_screens_switch_without_piling_up(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        for key in ("f3", "f4", "f5", "f3"):
            await pilot.press(key)
            await settle(pilot, app)
        # The pages' own stack (the desk keeps its own): its never-shown bottom and one page.
        assert len(app.screen_stack) == 2 and isinstance(app.screen, CustomersScreen)
        await pilot.press("f2")
        await settle(pilot, app)
        assert isinstance(app.screen, DeskScreen)


async def test_question_mark_lists_the_keys_with_their_words(make_app):
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("question_mark")
        await settle(pilot, app)
        text = screen_text(app)
        assert isinstance(app.screen, HelpScreen)
        assert "Add" in text and "Customers" in text and "Mark this missed call" in text


async def test_every_key_has_an_id_and_a_tooltip_from_the_table(make_app):
    words = {w for pair in TABLE.values() for w in pair}
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        for key, _ in SCREENS[:-1]:
            await pilot.press(key)
            await settle(pilot, app)
            for node in (app, app.screen, *app.screen.query("*")):
                for bindings in node._bindings.key_to_bindings.values():
                    for binding in bindings:
                        if binding.action in {b.action for b in _ours(node) if b.description}:
                            assert binding.id, binding
                            assert binding.tooltip in words, binding


def _ours(node) -> list:
    """The bindings our own classes declare (Textual's defaults, like tab, are not ours to word)."""
    return [b for cls in type(node).__mro__ if cls.__module__.startswith("tui.")
            for b in cls.__dict__.get("BINDINGS", [])]


async def _palette(pilot, app, query: str) -> None:
    await pilot.press("ctrl+p")
    await settle(pilot, app)
    assert isinstance(app.screen, CommandPalette)
    for ch in query:
        await pilot.press(ch)
    await pilot.pause(0.5)
    await settle(pilot, app)


@pytest.mark.parametrize("query, screen", [("templates", TemplatesScreen), ("campaigns", CampaignsScreen),
                                           ("tasks", TasksScreen), ("reports", ReportsScreen)])
async def test_the_palette_opens_screens(make_app, query, screen):
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await _palette(pilot, app, query)
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, screen)


async def test_the_palette_finds_customers_by_pinyin(make_app):
    add_customer("欧阳娜娜", ["+8613912340077"])
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await _palette(pilot, app, "oynn")
        assert "欧阳娜娜" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, CustomersScreen)
        assert app.screen.hits[0].name == "欧阳娜娜"


async def test_templates_are_added_and_reordered(make_app):
    first = Template.select().order_by(Template.sort_order).first()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("f5")
        await settle(pilot, app)
        await pilot.press("J")  # move the first template down one place
        await settle(pilot, app)
        assert Template.select().order_by(Template.sort_order).first().id != first.id
        await pilot.press("n")
        await settle(pilot, app)
        app.screen.query_one("#t-name").value = "开业酬宾"
        app.screen.query_one("#t-body").text = "{name}您好，{shop}开业酬宾八折。"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert Template.get(Template.name == "开业酬宾").body.startswith("{name}")
        assert isinstance(app.screen, TemplatesScreen)


async def test_messages_show_threads_and_a_reply_is_queued(make_app):
    thread = Message.select().where(Message.direction == "in", Message.is_read == False).first()  # noqa: E712
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await pilot.press("f4")
        await settle(pilot, app)
        screen = app.screen
        assert screen.threads[0].unread > 0  # unread first
        index = next(i for i, th in enumerate(screen.threads) if th.number == thread.number)
        screen.query_one("#threads").highlighted = index
        await settle(pilot, app)
        assert thread.body in screen_text(app)
        assert not Message.get_by_id(thread.id).is_read  # shown is not read: opened (Enter) or answered is
        await pilot.press("r")
        for ch in "ok":
            await pilot.press(ch)
        await pilot.press("enter")
        await settle(pilot, app)
        await pilot.press("y")
        await settle(pilot, app)
        reply = Message.select().order_by(Message.id.desc()).first()
        assert reply.direction == "out" and reply.body == "ok" and reply.number == thread.number
        assert reply.status == "queued"
        assert Message.get_by_id(thread.id).is_read  # answered


async def test_settings_are_saved_to_the_store_and_the_config(make_app, tmp_path):
    from store import settings
    from tui.config import load_config

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("f6")
        await settle(pilot, app)
        app.screen.query_one("#shop").value = "小李面馆"
        app.screen.query_one("#privacy").value = True
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, DeskScreen)
        assert settings.get("shop_name") == "小李面馆"
        assert load_config().privacy is True and app.privacy


def test_the_template_categories_are_the_stores():
    from store.models import TEMPLATE_CATEGORIES
    from tui.screens.templates import CATEGORIES

    assert CATEGORIES == TEMPLATE_CATEGORIES
    assert all(f"category.{c}" in TABLE for c in CATEGORIES)


async def test_a_keymap_from_the_config_moves_a_key(book):
    from tests.tui.conftest import NOW
    from tui.app import GuanjiaApp
    from tui.config import Config
    from tui.screens.book import Book

    app = GuanjiaApp(Book(now=lambda: NOW), Config(keymap={"messages": "f9"}), clock=lambda: NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("f9")
        await settle(pilot, app)
        assert isinstance(app.screen, MessagesScreen)


async def test_the_auto_reject_switch_saves_the_shop_setting(make_app):
    from store import settings

    assert settings.get("auto_reject_blocked") is False
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("f6")
        await settle(pilot, app)
        assert app.screen.query_one("#auto_reject_blocked").value is False
        app.screen.query_one("#auto_reject_blocked").value = True
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, DeskScreen)
        assert settings.get("auto_reject_blocked") is True
        await pilot.press("f6")
        await settle(pilot, app)
        assert app.screen.query_one("#auto_reject_blocked").value is True  # read back from the store
