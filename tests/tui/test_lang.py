"""Everything a Chinese shop reads at the desk is Chinese: match reasons, form errors, the palette's own commands."""

from __future__ import annotations

from textual.widgets import Input

from store.customers import add_customer
from tests.tui.conftest import screen_text, settle
from tui.screens.customer_form import CustomerForm
from tui.palette import ShopPalette
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


async def _palette(pilot, app, query: str = "") -> str:
    """Open the palette and search for `query` (typed into its input, as an IME would put Chinese there)."""
    from textual.command import CommandInput

    if not isinstance(app.screen, ShopPalette):
        await pilot.press("ctrl+p")
        await settle(pilot, app)
    app.screen.query_one(CommandInput).value = query
    await pilot.pause(0.3)
    await settle(pilot, app)
    return screen_text(app)


async def test_the_palettes_own_commands_and_prompt_are_chinese(make_app):
    app = make_app("zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        text = await _palette(pilot, app)
        assert isinstance(app.screen, ShopPalette)
        assert "搜索命令、页面或客户" in text and "Search for commands" not in text
        for query, words in (("配色", "换一种界面配色"), ("退出", "马上退出管家"), ("按键", "所有按键和它们做什么"),
                             ("截屏", "存成 SVG 图片")):
            text = await _palette(pilot, app, query)
            assert words in text, query
        for english in ("Theme", "Quit", "Keys", "Screenshot"):
            text = await _palette(pilot, app, english.lower())
            assert english not in text and "Change the current theme" not in text


async def test_no_matches_is_said_in_chinese(make_app):
    app = make_app("zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await _palette(pilot, app, "qqqqxz")
        await until_shown(pilot, app, "没有找到")
        assert "No matches" not in screen_text(app)


async def until_shown(pilot, app, words: str) -> None:
    """Wait (on the app's own ticks, up to 5 s) until `words` are on screen."""
    for _ in range(100):
        if words in screen_text(app):
            return
        await pilot.pause(0.05)
    raise AssertionError(f"{words!r} never shown:\n{screen_text(app)}")


async def test_the_theme_picker_asks_in_chinese(make_app):
    app = make_app("zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        app.search_themes()
        await settle(pilot, app)
        text = screen_text(app)
        assert "搜索配色" in text and "Search for themes" not in text


async def test_the_palette_reads_in_english_too(make_app):
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert "Search for commands, screens or customers" in await _palette(pilot, app)
        assert "Change the current theme" in await _palette(pilot, app, "theme")


async def test_keys_in_the_palette_opens_our_help_not_textuals_english_key_panel(make_app):
    from tui.screens.help import HelpScreen

    app = make_app("zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        text = await _palette(pilot, app, "按键")
        assert "同 F1" in text
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, HelpScreen)
        assert "Focus Next" not in screen_text(app) and not app.screen.query("HelpPanel")
