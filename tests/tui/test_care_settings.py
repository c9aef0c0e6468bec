"""Care and schedules, driven by keyboard on a real book: rules switched and edited, holidays added with their
computed day, days per tier and tasks a day saved, and what the store refuses said in plain words with nothing saved."""

from __future__ import annotations

import pytest
from textual.command import CommandPalette

from store import care, lunar, schedules, settings, task_picks
from tests.hostile import FORBIDDEN, HOSTILE, visible_marker
from tests.tui.conftest import screen_text, settle, steady
from tui.screens.care_forms import HolidayForm, RuleForm
from tui.screens.care_settings import CareSettingsScreen
from tui.screens.confirm import ConfirmScreen
from tui.i18n import TABLE
from tui.screens.settings import SettingsScreen


async def _open(pilot, app) -> CareSettingsScreen:
    await settle(pilot, app)
    await pilot.press("f6")
    await settle(pilot, app)
    await pilot.press("ctrl+r")
    await settle(pilot, app)
    assert isinstance(app.screen, CareSettingsScreen)
    return app.screen


async def _to_tab(pilot, app, steps: int) -> None:
    """From the rules list: shift+tab reaches the tabs, → moves along them, tab goes into the pane."""
    await pilot.press("shift+tab", *["right"] * steps, "tab")
    await settle(pilot, app)


async def _type(pilot, app, text: str) -> None:
    await pilot.press(*text)
    await settle(pilot, app)


async def test_settings_open_care_with_one_key_and_esc_comes_back(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, app)
        assert "预订确认" in screen_text(app) and "节日祝福" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot, app)
        assert isinstance(app.screen, SettingsScreen)


async def test_the_palette_opens_care_settings(make_app):
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("ctrl+p")
        await settle(pilot, app)
        assert isinstance(app.screen, CommandPalette)
        await _type(pilot, app, "care and")
        await pilot.pause(0.5)
        await settle(pilot, app)
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, CareSettingsScreen)


async def test_space_switches_a_rule_and_its_text_is_edited_with_a_live_example(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, app)
        assert not care.rule("booking_confirm").on
        await pilot.press("space")
        await settle(pilot, app)
        assert care.rule("booking_confirm").on and "● 开" in screen_text(app)
        await pilot.press("space")
        await settle(pilot, app)
        assert not care.rule("booking_confirm").on
        await pilot.press("down", "down", "down", "space", "enter")  # the birthday greeting: on, then edit
        await settle(pilot, app)
        assert isinstance(app.screen, RuleForm) and care.rule("birthday").on
        await pilot.press("home", "shift+end")
        await _type(pilot, app, "{surname}先生生日快乐 {shop}")
        shown = screen_text(app)
        assert "示例：张先生生日快乐 老王家常菜" in shown and "1 条短信" in shown
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, CareSettingsScreen)
        assert care.rule("birthday") == care.Rule("birthday", True, "{surname}先生生日快乐 {shop}")
        assert "张先生生日快乐 老王家常菜" in screen_text(app)


async def test_a_text_the_rule_cannot_fill_is_said_and_not_saved(make_app):
    before = care.rule("missed_call")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, app)
        await pilot.press("down", "down", "e")
        await settle(pilot, app)
        assert isinstance(app.screen, RuleForm)
        await pilot.press("home", "shift+end")
        await _type(pilot, app, "{姓名}您好，{festival}")
        assert "无法填写：{姓名} {festival}" in screen_text(app)  # said while typing
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, RuleForm) and "无法填写：{姓名} {festival}" in screen_text(app)
        await pilot.press("home", "shift+end", "delete")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, RuleForm) and "短信内容不能为空" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot, app)
        assert isinstance(app.screen, ConfirmScreen)  # the text was changed: leaving asks first
        await pilot.press("y")
        await settle(pilot, app)
        assert isinstance(app.screen, CareSettingsScreen)
    assert care.rule("missed_call") == before


async def test_holiday_greetings_go_to_the_tiers_ticked(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, app)
        await pilot.press("down", "down", "down", "down", "enter")
        await settle(pilot, app)
        assert isinstance(app.screen, RuleForm) and "节日祝福发给哪些等级" in screen_text(app)
        await pilot.press("tab", "down", "down", "space", "down", "space")  # 金卡 and 钻石
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, CareSettingsScreen)
        assert care.rule("holiday").tiers == ("金卡", "钻石")
        assert "发给：金卡、钻石" in screen_text(app)


async def test_a_lunar_holiday_of_the_shops_own_shows_its_computed_day(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, app)
        await _to_tab(pilot, app, 1)
        assert "春节" in screen_text(app) and "2027-02-06 周六" in screen_text(app)  # the festivals computed
        await pilot.press("a")
        await settle(pilot, app)
        assert isinstance(app.screen, HolidayForm)
        await _type(pilot, app, "店庆")
        await pilot.press("tab", "enter", "down", "enter")  # the calendar: lunar
        await settle(pilot, app)
        await pilot.press("tab")
        await _type(pilot, app, "8")
        await pilot.press("tab")
        await _type(pilot, app, "31")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, HolidayForm) and "日应为 1 到 30 的整数" in screen_text(app)
        assert care.holidays() == ()
        await pilot.press("backspace", "backspace")
        await _type(pilot, app, "8")
        await pilot.press("enter")  # on the last box, Enter saves too
        await settle(pilot, app)
        assert isinstance(app.screen, CareSettingsScreen)
        (holiday,) = care.holidays()
        assert (holiday.name, holiday.month, holiday.day, holiday.lunar) == ("店庆", 8, 8, True)
        next_day = lunar.to_solar(2027, 8, 8)  # 2026's lunar 8/8 (18 September) has gone by on 25 November
        assert "农历八月初八" in screen_text(app) and next_day.isoformat() in screen_text(app)
        await pilot.press("tab", "d")  # the form gave focus back to the tabs; the shop's own list is next
        await settle(pilot, app)
        assert "删除这个本店节日？" in screen_text(app)
        await pilot.press("y")
        await settle(pilot, app)
        assert care.holidays() == ()


async def test_days_per_tier_are_saved_and_a_wrong_day_is_said(make_app):
    before = schedules.schedule()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, app)
        await _to_tab(pilot, app, 2)
        await _type(pilot, app, "45")  # 普通: every 45 days
        await pilot.press("tab", "tab", "end", "ctrl+u")  # 银卡's contact days
        await _type(pilot, app, "abc")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert "银卡的联系间隔应为 1 到 3650 的整数天，或留空" in screen_text(app)
        assert schedules.schedule() == before
        await pilot.press("ctrl+u")
        await _type(pilot, app, "20")
        await pilot.press("tab", "ctrl+u")  # 银卡 no longer drifts
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        plan = schedules.schedule()
        assert plan.contact_every == {**before.contact_every, "普通": 45, "银卡": 20}
        assert "银卡" not in plan.drifting and plan.drifting["金卡"] == before.drifting["金卡"]
        assert "提醒日程已保存" in [n.message for n in app._notifications]
        assert "银卡的联系间隔" not in screen_text(app)


async def test_tasks_a_day_are_checked_and_saved(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, app)
        await _to_tab(pilot, app, 2)
        shown = screen_text(app)
        assert "每天最多新增联系提醒（条）" in shown and "每天最多新增流失提醒（条）" in shown
        assert [app.screen.query_one(f"#{kind}-per-day").value for kind in ("contact", "drifting")] == ["20", "20"]
        await pilot.press(*["tab"] * 9, "end", "ctrl+u")  # past 4 tiers' two boxes and the complaint hours
        assert app.focused.id == "contact-per-day"
        await _type(pilot, app, "-1")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert "每天最多新增联系提醒应为 0 到 9999 的整数（0 为不提醒）" in screen_text(app)
        assert settings.get(task_picks.PER_DAY_KEY, "unset") == "unset"
        await pilot.press("ctrl+u")
        await _type(pilot, app, "5")
        await pilot.press("tab", "end", "ctrl+u")
        await _type(pilot, app, "x")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert "每天最多新增流失提醒应为 0 到 9999 的整数" in screen_text(app)
        assert settings.get(task_picks.PER_DAY_KEY, "unset") == "unset"
        await pilot.press("ctrl+u")
        await _type(pilot, app, "0")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert schedules.schedule().per_day == {"contact": 5, "drifting": 0}
        assert task_picks.per_day("contact") == 5 and task_picks.per_day("drifting") == 0
        assert "提醒日程已保存" in [n.message for n in app._notifications]
        assert "每天最多新增流失提醒应为" not in screen_text(app)
        assert app.screen.query_one("#drifting-per-day").value == "0"


async def test_complaint_hours_are_checked_and_saved(make_app):
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, app)
        app.screen.query_one("#complaint-hours").focus()
        await pilot.press("end", "ctrl+u")
        await _type(pilot, app, "0")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert "Complaint hours should be a number above 0" in screen_text(app)
        assert settings.get("complaint_reply_hours", "unset") == "unset"
        await pilot.press("ctrl+u")
        await _type(pilot, app, "4")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert schedules.schedule().complaint_hours == 4


async def test_keys_shown_are_the_ones_of_the_tab_in_view(make_app):
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot, app)
        assert screen.check_action("toggle", ()) and not screen.check_action("add_holiday", ())
        await _to_tab(pilot, app, 1)
        assert screen.check_action("add_holiday", ()) and not screen.check_action("toggle", ())
        assert "Add holiday" in screen_text(app) and "On/off" not in screen_text(app)


@pytest.mark.parametrize("screen", [CareSettingsScreen, RuleForm, HolidayForm])
def test_every_key_has_an_id_and_words_in_both_languages(screen):
    for binding in screen.BINDINGS:
        assert binding.id and binding.description in TABLE and binding.tooltip in TABLE, binding
    assert len({b.id for b in screen.BINDINGS}) == len(screen.BINDINGS)


def _hostile_settings(texts: list[str]) -> None:
    """Rule texts, the shop's holiday names and tier names from outside: another terminal or a hand edit."""
    settings.set(care.RULES_KEY, {key: {"on": True, "text": text, "tiers": [text]}
                                  for key, text in zip(care.DEFAULTS, texts)})
    settings.set(care.HOLIDAYS_KEY, [{"name": text, "month": 1 + i % 12, "day": 1} for i, text in enumerate(texts)])
    settings.set("tiers", ["普通", *texts[:3]])


@pytest.mark.parametrize("batch", range(0, len(HOSTILE), 5))
async def test_hostile_settings_render_literally(make_app, batch):
    texts = HOSTILE[batch:batch + 5]
    _hostile_settings(texts)
    app = make_app()
    async with app.run_test(size=(160, 50)) as pilot:
        await _open(pilot, app)
        seen = screen_text(app)
        for row in range(len(texts)):
            app.screen.query_one("#care-rules").move_cursor(row=row)
            await pilot.press("enter")
            await settle(pilot, app)
            assert isinstance(app.screen, RuleForm)
            seen += screen_text(app)
            await pilot.press("escape")
            await settle(pilot, app)
        for steps in (1, 2):
            await pilot.press("shift+tab", "right", "tab")
            await settle(pilot, app)
            seen += screen_text(app)
        assert app.is_running and isinstance(app.screen, CareSettingsScreen)
    assert not any(ch in seen for ch in FORBIDDEN)
    for text in texts:
        assert visible_marker(text) in seen, visible_marker(text)


def _steady(*keys: str):
    async def run_before(pilot) -> None:
        app = pilot.app
        await _open(pilot, app)
        for key in keys:
            await pilot.press(key)
            await settle(pilot, app)
        for widget in app.screen.query("Input, TextArea"):
            widget.cursor_blink = False  # a blinking cursor would make every other picture differ
        await steady(pilot)

    return run_before


@pytest.mark.parametrize("tab, keys", [("rules", ()), ("holidays", ("shift+tab", "right", "tab")),
                                       ("schedule", ("shift+tab", "right", "right", "tab"))])
def test_care_settings_80x24_zh(snap_compare, make_app, tab, keys):
    assert snap_compare(make_app("zh"), terminal_size=(80, 24), run_before=_steady(*keys))
