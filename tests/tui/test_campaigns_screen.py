"""The campaigns screen (F8) and its form, driven by the keyboard on a real demo book."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from textual.widgets import Input, Select

from store import audience, campaigns, settings
from store.audience import Audience
from store.customers import block, opt_out
from store.models import Campaign, CampaignRecipient, Customer, Phone, Template
from tests.hostile import FORBIDDEN, HOSTILE, visible_marker
from tests.tui.conftest import NOW, screen_text, settle, steady
from tui.i18n import set_language
from tui.screens.campaign_checks import Problem, draft_of, sending_of, when_of
from tui.screens.campaign_form import CampaignForm
from tui.screens.campaign_settings import SendingSettingsDialog
from tui.screens.campaigns import CampaignsScreen
from tui.screens.confirm import ConfirmScreen
from tui.widgets.campaign_progress import CampaignProgress, bar_cells

SIZE = (120, 40)
SHANGHAI = ZoneInfo("Asia/Shanghai")
LOCAL_NOW = NOW.astimezone(SHANGHAI)  # 14:30 at the shop
# 3 + 70 characters and the footer: two UCS-2 parts for every name in the demo book.
LONG_BODY = "{name}您好，" + "周末全场八折欢迎光临" * 7


@pytest.fixture
def english():
    set_language("en")
    yield
    set_language("zh")


async def _until(pilot, app, check, tries: int = 60) -> None:
    """Let workers and timers run until `check()` holds (the preview waits for a pause in typing)."""
    for _ in range(tries):
        await settle(pilot, app)
        if check():
            return
        await pilot.pause(0.1)
    raise AssertionError(f"never happened; the screen shows:\n{screen_text(app)}")


async def _type(pilot, text: str) -> None:
    for ch in text:
        await pilot.press(ch)


async def _tab_to(pilot, app, widget_id: str) -> None:
    for _ in range(20):
        if app.focused is not None and app.focused.id == widget_id:
            return
        await pilot.press("tab")
    raise AssertionError(f"tab never reached #{widget_id}")


async def _open_form(pilot, app) -> CampaignForm:
    await settle(pilot, app)
    await pilot.press("f8")
    await settle(pilot, app)
    assert isinstance(app.screen, CampaignsScreen)
    await pilot.press("n")
    await _until(pilot, app, lambda: isinstance(app.screen, CampaignForm) and app.screen.now is not None)
    return app.screen


def _expected(tier: str) -> tuple[int, int, int]:
    """(texted, blocked, opted out) among the tier's customers, counted plainly from the rows."""
    with_number = {p.customer_id for p in Phone.select().where(Phone.is_primary)}
    going = blocked = opted = 0
    for c in Customer.select().where(Customer.tier == tier):
        if c.blocked:
            blocked += 1
        elif c.opted_out:
            opted += 1
        elif c.id in with_number:
            going += 1
    return going, blocked, opted


# Pure checks -----------------------------------------------------------------------------------------

def test_send_times_are_checked_in_plain_words(english):
    assert when_of("", LOCAL_NOW) is None
    assert when_of("15:00", LOCAL_NOW) == LOCAL_NOW.replace(hour=15, minute=0)
    assert when_of("１４：００", LOCAL_NOW) == LOCAL_NOW.replace(hour=14, minute=0) + timedelta(days=1)  # full-width
    assert when_of("2026-12-01 09:30", LOCAL_NOW) == datetime(2026, 12, 1, 9, 30, tzinfo=SHANGHAI)
    with pytest.raises(Problem, match="already passed"):
        when_of("2026-11-25 14:00", LOCAL_NOW)
    for bad in ("25:00", "9", "abc", "2026-13-01 09:00", "2026-12-01 9", "12:5"):
        with pytest.raises(Problem, match="not a time"):
            when_of(bad, LOCAL_NOW)


def test_audience_fields_and_sending_settings_are_checked(english):
    tiers = ["普通", "银卡", "金卡"]
    draft = draft_of({"name": " 五月 ", "body": "x", "tiers": "金卡、银卡,金卡", "tags": "常客 包间", "not_seen": "６０",
                      "spend": "¥1,280.5", "birthday": "5"}, tiers, marketing=True)
    assert (draft.name, draft.tiers, draft.tags) == ("五月", ("金卡", "银卡"), ("常客", "包间"))
    assert (draft.not_seen_days, draft.min_spend_cents, draft.birthday_month) == (60, 128050, 5)
    for field, value, words in (("tiers", "铂金", "no tier"), ("birthday", "13", "1 to 12"),
                                ("not_seen", "-3", "whole number"), ("spend", "lots", "number")):
        with pytest.raises(Problem, match=words):
            draft_of({field: value}, tiers, marketing=True)
    good = {"rate": "30", "quiet_start": "21:30", "quiet_end": "9:00", "price": "0.08", "footer": " 拒收请回复R "}
    values = sending_of(good)
    assert (values.rate, values.quiet_start, values.quiet_end, values.price, values.footer) == (
        30, "21:30", "09:00", 0.08, "拒收请回复R")
    for field, value, words in (("rate", "0", "1 to 600"), ("rate", "fast", "1 to 600"),
                                ("quiet_start", "22", "not a time"), ("price", "-1", "price"),
                                ("footer", "  ", "opt out"), ("footer", "退" * 31, "at most")):
        with pytest.raises(Problem, match=words):
            sending_of({**good, field: value})


@given(st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=6), st.integers(1, 200))
def test_the_bar_always_fills_its_width(counts, width):
    cells = bar_cells(counts, width)
    assert sum(cells) == (width if sum(counts) else 0)
    assert all(c == 0 for c, n in zip(cells, counts) if n == 0)


# The form ------------------------------------------------------------------------------------------------

async def test_new_campaign_preview_counts_cost_and_start(make_app):
    tier = "普通"
    members = list(Customer.select().where(Customer.tier == tier).order_by(Customer.id))
    assert len(members) >= 4
    block(members[1].id)
    opt_out(members[2].id, "test")
    going, blocked, opted = _expected(tier)
    assert blocked and opted
    Template.create(name="周末八折", body=LONG_BODY, category="promotion", sort_order=99)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await _open_form(pilot, app)
        await _type(pilot, "周末八折")
        await _tab_to(pilot, app, "cf-tiers")
        await _type(pilot, tier)
        await _tab_to(pilot, app, "cf-template")
        await _type(pilot, "八折")
        await pilot.press("enter")
        await settle(pilot, app)
        assert form.query_one("#cf-text").text == LONG_BODY
        await _until(pilot, app, lambda: form.preview is not None and form.preview[0].body == LONG_BODY
                     and form.preview[0].tiers == (tier,))
        p = form.preview[1]
        first = members[0]
        assert p.recipients == going and p.total_parts == 2 * going and p.max_parts == 2
        assert p.texts[0].name == first.name and p.texts[0].parts == 2
        assert p.texts[0].text == LONG_BODY.replace("{name}", first.name) + " 回T退订"  # the footer, once
        shown = screen_text(app)
        assert f"将发给 {going} 人" in shown
        assert f"已拉黑 {blocked}" in shown and f"已退订 {opted}" in shown
        assert f"费用 ¥{2 * going * 0.10:.2f}" in shown
        await pilot.press("ctrl+s")
        await _until(pilot, app, lambda: isinstance(app.screen, ConfirmScreen))
        assert f"现在发给 {going} 人" in screen_text(app) and f"¥{2 * going * 0.10:.2f}" in screen_text(app)
        await pilot.press("y")
        await _until(pilot, app, lambda: isinstance(app.screen, CampaignsScreen) and app.screen.rows)
        campaign = Campaign.get()
        assert (campaign.name, campaign.status, campaign.body) == ("周末八折", "running", LONG_BODY)
        assert CampaignRecipient.select().where(CampaignRecipient.campaign == campaign.id).count() == going
        await _until(pilot, app, lambda: app.screen.query_one(CampaignProgress).view is not None)
        shown = screen_text(app)
        assert "周末八折" in shown and "发送中" in shown and f"待发 {going}" in shown


async def test_a_past_or_malformed_time_is_refused_and_a_time_to_come_schedules(make_app):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        form = await _open_form(pilot, app)
        await _type(pilot, "Dinner")
        await _tab_to(pilot, app, "cf-text")
        await _type(pilot, "See you {name}")
        await _tab_to(pilot, app, "cf-when")
        for typed, words in (("2026-11-25 09:00", "has already passed"), ("7pm", "is not a time")):
            form.query_one("#cf-when", Input).value = ""
            await _type(pilot, typed)
            await pilot.press("enter")
            await settle(pilot, app)
            assert words in screen_text(app) and isinstance(app.screen, CampaignForm)
        assert not Campaign.select().exists()
        form.query_one("#cf-when", Input).value = ""
        await _type(pilot, "16:45")
        await pilot.press("ctrl+s")
        await _until(pilot, app, lambda: isinstance(app.screen, ConfirmScreen))
        assert "at 2026-11-25 16:45" in screen_text(app)
        await pilot.press("y")
        await _until(pilot, app, lambda: isinstance(app.screen, CampaignsScreen) and app.screen.rows)
        campaign = Campaign.get()
        assert campaign.status == "scheduled"
        assert campaign.scheduled_at == datetime(2026, 11, 25, 8, 45, tzinfo=timezone.utc)
        assert not CampaignRecipient.select().exists()  # written only when it starts


async def test_a_filter_saved_in_the_form_comes_back_in_the_next(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await _open_form(pilot, app)
        await _tab_to(pilot, app, "cf-tiers")
        await _type(pilot, "金卡")
        await _tab_to(pilot, app, "cf-not_seen")
        await _type(pilot, "60")
        await _tab_to(pilot, app, "cf-save_as")
        await _type(pilot, "久未到店金卡")
        await pilot.press("enter")
        await _until(pilot, app, lambda: "久未到店金卡" in audience.filter_names())
        assert audience.saved_filter("久未到店金卡") == Audience(tiers=("金卡",), not_seen_days=60)
        await pilot.press("escape")
        form = await _open_form(pilot, app)
        await _tab_to(pilot, app, "cf-filter")
        await pilot.press("enter", "down", "enter")
        await _until(pilot, app, lambda: form.query_one("#cf-not_seen", Input).value == "60")
        assert form.query_one("#cf-tiers", Input).value == "金卡"


# The list -------------------------------------------------------------------------------------------------

def _running(name: str = "五月促销", body: str = "五一快乐 {name}") -> int:
    c = campaigns.create(name, body, Audience(tiers=("普通",)))
    return campaigns.start(c.id, now=NOW).id


async def test_pause_resume_and_cancel_move_the_state_in_the_book(make_app):
    campaign_id = _running()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f8")
        await _until(pilot, app, lambda: app.screen.query_one(CampaignProgress).view is not None)
        await pilot.press("p")
        await _until(pilot, app, lambda: Campaign.get_by_id(campaign_id).status == "paused")
        await _until(pilot, app, lambda: "按 r 继续" in screen_text(app))
        await pilot.press("p")  # not running: the key does nothing
        await pilot.press("r")
        await _until(pilot, app, lambda: Campaign.get_by_id(campaign_id).status == "running")
        await pilot.press("x")
        await _until(pilot, app, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")
        await settle(pilot, app)
        assert Campaign.get_by_id(campaign_id).status == "running"
        await pilot.press("x")
        await _until(pilot, app, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await _until(pilot, app, lambda: Campaign.get_by_id(campaign_id).status == "cancelled")
        await _until(pilot, app, lambda: "已终止" in screen_text(app))
        progress = campaigns.progress(campaign_id)
        assert progress.pending == 0 and progress.skipped == progress.total


async def test_a_draft_starts_from_the_list_after_confirming(make_app):
    draft = campaigns.create("草稿一号", "周末见", Audience(tiers=("银卡",)))
    going, _, _ = _expected("银卡")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f8")
        await _until(pilot, app, lambda: f"将发给 {going} 人" in screen_text(app))
        await pilot.press("s")
        await _until(pilot, app, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await _until(pilot, app, lambda: Campaign.get_by_id(draft.id).status == "running")
        assert campaigns.progress(draft.id).total == going


async def test_sending_settings_are_checked_and_kept_in_the_book(make_app):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f8")
        await settle(pilot, app)
        await pilot.press("o")
        await _until(pilot, app, lambda: isinstance(app.screen, SendingSettingsDialog)
                     and app.screen.query_one("#s-rate", Input).value == "20")
        dialog = app.screen
        assert dialog.query_one("#s-price", Input).value == "0.10"
        dialog.query_one("#s-rate", Input).value = ""
        await _type(pilot, "many")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert "whole number from 1 to 600" in screen_text(app) and settings.get("texts_per_minute") is None
        dialog.query_one("#s-rate", Input).value = ""
        await _type(pilot, "30")
        await _tab_to(pilot, app, "s-quiet_start")
        dialog.query_one("#s-quiet_start", Input).value = ""
        await _type(pilot, "21:00")
        await _tab_to(pilot, app, "s-price")
        dialog.query_one("#s-price", Input).value = ""
        await _type(pilot, "0.05")
        await pilot.press("ctrl+s")
        await _until(pilot, app, lambda: isinstance(app.screen, CampaignsScreen))
        assert (settings.get("texts_per_minute"), settings.get("quiet_start"), settings.get("quiet_end"),
                settings.price_per_part(), settings.get("opt_out_footer")) == (30, "21:00", "08:00", 0.05, "回T退订")


# Hostile text ------------------------------------------------------------------------------------------------

def _assert_literal(app) -> None:
    shown = screen_text(app)
    assert not any(ch in shown for ch in FORBIDDEN)
    assert app.is_running


async def test_hostile_names_and_bodies_render_literally(make_app):
    ids = [campaigns.create(text[:60], text, Audience(tiers=("普通",))).id for text in HOSTILE]
    first = Customer.select().where(Customer.tier == "普通").order_by(Customer.id).first()
    Template.delete().execute()
    for i, text in enumerate(HOSTILE):
        Template.create(name=f"#{i:02d}", body=text + " {name}", category="promotion", sort_order=i)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f8")
        await _until(pilot, app, lambda: app.screen.query_one(CampaignProgress).view is not None)
        for text, campaign_id in sorted(zip(HOSTILE, ids), key=lambda pair: -pair[1]):
            # Newest first: each row in turn, its name in the list and in the progress pane.
            await _until(pilot, app, lambda: app.screen.query_one(CampaignProgress).view.campaign_id == campaign_id)
            _assert_literal(app)
            assert visible_marker(text) in screen_text(app)
            await pilot.press("down")
        form = await _open_form(pilot, app)
        await _tab_to(pilot, app, "cf-tiers")
        await _type(pilot, "普通")
        for i, text in enumerate(HOSTILE):
            # The customer's name and the template's text both hostile; the template is picked by typing.
            Customer.update(name=text).where(Customer.id == first.id).execute()
            form.query_one("#cf-template", Input).value = ""
            form.query_one("#cf-template", Input).focus()
            await _type(pilot, f"{i:02d}")
            await pilot.press("enter")
            await settle(pilot, app)
            body = form.query_one("#cf-text").text
            assert body.strip()
            await _until(pilot, app, lambda: form.preview is not None and form.preview[0].tiers == ("普通",)
                         and form.preview[0].body == body)
            _assert_literal(app)
            assert visible_marker(text) in screen_text(app)


# Pictures at 80x24 in Chinese ------------------------------------------------------------------------------

def _still(app) -> None:
    # A blinking cursor would make every other picture differ.
    for widget in app.screen.query("Input, TextArea"):
        widget.cursor_blink = False


def test_campaigns_80x24(snap_compare, make_app):
    _running()

    async def run_before(pilot) -> None:
        await settle(pilot, pilot.app)
        await pilot.press("f8")
        await _until(pilot, pilot.app, lambda: pilot.app.screen.query_one(CampaignProgress).view is not None)
        await steady(pilot)  # the footer redraws the keys this campaign's state allows

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)


def test_campaign_form_80x24(snap_compare, make_app):
    async def run_before(pilot) -> None:
        app = pilot.app
        form = await _open_form(pilot, app)
        await _type(pilot, "新菜上市")
        await _tab_to(pilot, app, "cf-tiers")
        await _type(pilot, "金卡")
        await _tab_to(pilot, app, "cf-template")
        await _type(pilot, "新菜")
        await pilot.press("enter")
        await _until(pilot, app, lambda: form.preview is not None and form.preview[0].body)
        await _tab_to(pilot, app, "cf-when")  # the text area's cursor blinks whatever it is told
        _still(app)
        await steady(pilot)

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)


async def test_progress_follows_the_book_as_texts_go_out(make_app):
    from store.models import Message
    from tui.messages import BookChanged

    campaign_id = _running()
    total = campaigns.progress(campaign_id).total
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f8")
        await _until(pilot, app, lambda: f"waiting {total}" in screen_text(app))
        # What the line worker does: three texts into the outbox, then their fates come back.
        campaigns.top_up(3, now=NOW)
        texts = [m.id for m in Message.select().where(Message.campaign_id == campaign_id)]
        Message.update(status="delivered").where(Message.id == texts[0]).execute()
        Message.update(status="sent").where(Message.id == texts[1]).execute()
        Message.update(status="failed").where(Message.id == texts[2]).execute()
        app.post_message(BookChanged(calls=False, messages=True))
        await _until(pilot, app, lambda: "delivered 1 · sent 1 · failed 1" in screen_text(app))
        assert f"waiting {total - 3}" in screen_text(app)
        view = app.screen.query_one(CampaignProgress).view
        assert (view.delivered, view.sent, view.failed, view.waiting) == (1, 1, 1, total - 3)


async def test_a_campaign_moved_elsewhere_meanwhile_is_said_plainly(make_app):
    campaign_id = _running()
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f8")
        await _until(pilot, app, lambda: app.screen.query_one(CampaignProgress).view is not None)
        campaigns.pause(campaign_id)  # another terminal, before this one has refreshed
        await pilot.press("p")
        said = f"Campaign #{campaign_id} has moved on meanwhile; nothing changed"
        await _until(pilot, app, lambda: said in [n.message for n in app._notifications])
        assert Campaign.get_by_id(campaign_id).status == "paused"


async def test_a_misspelt_placeholder_is_pointed_out(make_app):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        form = await _open_form(pilot, app)
        await _tab_to(pilot, app, "cf-text")
        await _type(pilot, "Hi {nmae}, see you {name}")
        await _until(pilot, app, lambda: form.preview is not None and form.preview[0].body.endswith("{name}"))
        assert form.preview[1].unknown == ("{nmae}",)
        assert "Nothing fills {nmae}" in screen_text(app)


# The template filter, the marketing box, the fill-ins ------------------------------------------------------

async def test_the_template_filter_matches_pinyin_initials_as_the_composer_does(make_app):
    from tui.widgets.composer import TemplateChoice, matches

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _open_form(pilot, app)
        await _tab_to(pilot, app, "cf-template")
        await _type(pilot, "xctj")  # 新菜推荐
        await settle(pilot, app)
        assert [name for name, _ in form.shown] == ["新菜推荐"]
        assert "新菜推荐" in screen_text(app)
        # The same matcher as the desk's composer, field for field.
        everyone = [TemplateChoice(0, name, body) for name, body in form.templates]
        for typed in ("xctj", "sr", "新菜", "光临", "zz"):
            await _tab_to(pilot, app, "cf-template")
            form.query_one("#cf-template", Input).value = typed
            await settle(pilot, app)
            assert [name for name, _ in form.shown] == [c.name for c in everyone if matches(c, typed)], typed
        await pilot.press("enter")
        await settle(pilot, app)


@pytest.mark.parametrize("language", ["zh", "en"])
async def test_the_marketing_box_says_whether_it_is_on(make_app, language):
    from textual.widgets import Checkbox

    app = make_app(language)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _open_form(pilot, app)
        box = form.query_one("#cf-marketing", Checkbox)
        on_words = "营销短信：是" if language == "zh" else "Marketing: ON"
        off_words = "营销短信：否" if language == "zh" else "Marketing: OFF"
        box.focus()  # the fields scroll to it at 80x24
        await steady(pilot)
        assert box.value and on_words in screen_text(app) and off_words not in screen_text(app)
        await pilot.press("space")
        await steady(pilot)
        assert not box.value and off_words in screen_text(app) and on_words not in screen_text(app)
        await _until(pilot, app, lambda: form.preview is not None and not form.preview[0].marketing)


async def test_an_unknown_fill_in_stops_the_campaign_and_names_the_valid_ones(make_app):
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _open_form(pilot, app)
        count = Campaign.select().count()
        await _type(pilot, "May")
        form.query_one("#cf-text").text = "{nmae}, 20% off at {shop}"
        await _until(pilot, app, lambda: form.preview is not None and form.preview[0].body.startswith("{nmae}"))
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert not isinstance(app.screen, ConfirmScreen)
        problem = str(form.query_one("#cf-problem").render())
        assert "{nmae}" in problem and "{name}" in problem and "{today}" in problem
        assert Campaign.select().count() == count
        # The label over the text lists the same set the store checks.
        from store.templates import EVERYWHERE

        shown = screen_text(app)
        assert all(f"{{{p}}}" in shown for p in EVERYWHERE[:4])
