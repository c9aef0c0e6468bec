"""Rings and texts told on every screen while the operator works, through the real app, live feed and phone.

The simulated phone on a real pty rings and texts in the middle of what the operator is doing: a customer
form half filled on F3, a reply half typed on F4, a form open over campaigns. What is checked is what the
operator sees (the banner's words, the notice) and that the keyboard stays where it was.
"""

from __future__ import annotations

import asyncio

import pytest
from textual.widgets import Input, OptionList

from modem.sim import SimPhone
from store.customers import add_customer
from tests.tui.conftest import screen_text
from tests.tui.test_flow import _app, _line_up, _until
from tui.screens.customer_form import CustomerForm
from tui.screens.customers import CustomersScreen
from tui.screens.desk import DeskScreen
from tui.widgets.banner import RingBanner

pytestmark = pytest.mark.timeout(120)

WANG = ("王八达", "+8613910000001", "金卡", "139 1000 0001")


@pytest.fixture
async def sim():
    async with SimPhone() as phone:
        yield phone


def _banner(app) -> RingBanner:
    return app.screen.query_one(RingBanner)


async def _up(pilot, app) -> None:
    assert await _until(pilot, lambda: _line_up(app)), "the line never came up"


async def _stop(pilot, app) -> None:
    """Stop the live feed and let its last messages land while the app is whole. Only the feed is waited
    for: a screen's exclusive worker replaced meanwhile (a newer card load) is no failure of the app."""
    app.live.stop()
    await app.workers.wait_for_complete([w for w in app.workers if w.group == "live"])
    await pilot.pause()


async def _ring_until_ended(task) -> None:
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


async def test_a_ring_while_a_customer_form_is_half_filled_on_f3_keeps_it_and_f2_goes_to_the_caller(book, sim):
    name, number, tier, shown = WANG
    add_customer(name, [number], tier=tier, notes="爱吃辣，坐靠窗")
    app = _app(sim, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        await _up(pilot, app)
        await pilot.press("f3")
        assert await _until(pilot, lambda: isinstance(app.screen, CustomersScreen))
        await pilot.press("ctrl+n")
        assert await _until(pilot, lambda: isinstance(app.screen, CustomerForm))
        form = app.screen
        field = form.focused
        assert isinstance(field, Input)
        await pilot.press(*"Li Lei")
        ringing = asyncio.create_task(sim.ring(number, rings=40, every=0.3))
        assert await _until(pilot, lambda: f"☎ {name}" in screen_text(app)), "no ring over the form"
        text = screen_text(app)
        assert f"☎ {name} {tier} {shown}" in text and "to desk" in text
        # The keyboard is still in the form's field, and what the operator types goes on landing there.
        assert app.screen is form and form.focused is field and field.value == "Li Lei"
        await pilot.press(*" Jr")
        assert field.value == "Li Lei Jr"

        await pilot.press("f2")  # the one key to the caller
        assert await _until(pilot, lambda: isinstance(app.screen, DeskScreen)), "F2 did not go to the desk"
        desk = app.screen
        assert await _until(pilot, lambda: desk.card.card is not None and desk.card.card.number == number)
        assert await _until(pilot, lambda: "爱吃辣，坐靠窗" in screen_text(app)), "the desk is not on the caller"

        await pilot.press("f3")  # back where the operator was: the form, with what was typed
        assert await _until(pilot, lambda: app.screen is form), "the form was lost"
        assert form.focused is field and field.value == "Li Lei Jr"
        await _ring_until_ended(ringing)
        await _stop(pilot, app)


SCREEN_KEYS = ["f3", "f4", "f5", "f6", "f7", "f8", "f9", "f10", "f1"]


async def test_a_ring_is_announced_on_every_screen_and_over_a_modal_without_moving_the_keyboard(book, sim):
    callers = [(f"来电{i}", f"+86139200000{i:02d}") for i in range(len(SCREEN_KEYS) + 1)]
    for name, number in callers:
        add_customer(name, [number], tier="银卡")
    app = _app(sim, "zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await _up(pilot, app)
        places = [(key, None) for key in SCREEN_KEYS] + [("f8", "n")]  # the last: the campaign form, a modal
        for (key, then), (name, number) in zip(places, callers):
            await pilot.press("f2")
            assert await _until(pilot, lambda: isinstance(app.screen, DeskScreen))
            await pilot.press(key)
            assert await _until(pilot, lambda: not isinstance(app.screen, DeskScreen)), key
            if then:
                before = app.screen
                await pilot.press(then)
                assert await _until(pilot, lambda: app.screen is not before), then
            await pilot.pause(0.3)
            screen, focused = app.screen, app.screen.focused
            ringing = asyncio.create_task(sim.ring(number, rings=1, every=0.2))
            assert await _until(pilot, lambda: f"☎ {name}" in screen_text(app)), f"no ring shown on {key} {then or ''}"
            assert "银卡" in screen_text(app) and "去前台" in screen_text(app)
            assert app.screen is screen and app.screen.focused is focused, f"the ring moved the keyboard on {key}"
            await ringing  # rings out: missed
            assert await _until(pilot, lambda: f"☎ {name}" not in screen_text(app)), f"banner stayed on {key}"
            assert not _banner(app).has_class("ringing")
        await _stop(pilot, app)


async def test_a_text_arriving_is_a_notice_on_any_screen_and_never_takes_the_keyboard(book, sim):
    name, number, tier, shown = WANG
    add_customer(name, [number], tier=tier)
    app = _app(sim, "en")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await _up(pilot, app)
        await pilot.press("f3")
        assert await _until(pilot, lambda: isinstance(app.screen, CustomersScreen))
        search = app.screen.query_one("#search", Input)
        await pilot.press(*"zh")
        await sim.deliver_sms(number, "今晚 7 点订位 [b]两位[/b]")
        assert await _until(pilot, lambda: f"New text: {name} {shown}" in screen_text(app)), "no notice"
        assert app.screen.focused is search and search.value == "zh"
        await pilot.press("a")
        assert search.value == "zha"
        await _stop(pilot, app)


# -- the texts screen (F4) -------------------------------------------------------------------------------------


def _unread(number: str) -> int:
    from store.models import Message

    return Message.select().where((Message.number == number) & (Message.direction == "in")
                                  & (Message.is_read == False)).count()  # noqa: E712


def _threads(app) -> OptionList:
    return app.screen.query_one("#threads", OptionList)


def _highlighted_number(app) -> str | None:
    screen = app.screen
    index = _threads(app).highlighted
    return screen.threads[index].number if index is not None and index < len(screen.threads) else None


async def test_opening_the_texts_screen_marks_nothing_read_and_a_new_text_takes_no_selection(book, sim):
    from store.messages import unread_count
    from tui.screens.messages import ThreadLoaded

    people = [("甲一", "+8613930000001"), ("乙二", "+8613930000002"), ("丙三", "+8613930000003")]
    for name, number in people:
        add_customer(name, [number])
    shown: list[str] = []  # the conversations the texts screen has put on screen, in order

    def hook(message) -> None:
        if isinstance(message, ThreadLoaded):
            shown.append(message.number)

    app = _app(sim, "en")
    async with app.run_test(size=(80, 24), message_hook=hook) as pilot:
        await _up(pilot, app)
        for name, number in people[:2]:
            await sim.deliver_sms(number, f"hello from {name}")
            assert await _until(pilot, lambda: _unread(number) == 1)
        before = unread_count()
        assert await _until(pilot, lambda: f"unread {before}" in screen_text(app))
        await pilot.press("f4")
        assert await _until(pilot, lambda: "甲一" in screen_text(app) and "乙二" in screen_text(app))
        await pilot.press("down")  # the operator looks at the second thread
        chosen = await _wait_highlight(pilot, app)
        # Its texts on screen: by then a screen that marks what it shows has written it.
        assert await _until(pilot, lambda: chosen in shown)
        assert unread_count() == before, "showing F4 marked texts read"

        newcomer = people[2][1]
        await sim.deliver_sms(newcomer, "a new one")
        assert await _until(pilot, lambda: any(th.number == newcomer for th in app.screen.threads)), "not listed"
        seen = len(shown)
        assert await _until(pilot, lambda: len(shown) > seen), "the list's reload showed no conversation"
        assert _highlighted_number(app) == chosen, "the new text took the selection"
        assert shown[-1] == chosen
        assert _unread(newcomer) == 1, "the new text was marked read while nobody opened it"
        assert unread_count() == before + 1

        await pilot.press("enter")  # the operator opens the chosen thread: that one, and only it, is read
        assert await _until(pilot, lambda: _unread(chosen) == 0), "opening a thread did not mark it read"
        assert _unread(newcomer) == 1
        assert unread_count() == before  # one of the two earlier read, the newcomer unread
        await pilot.press("escape", "escape")
        assert await _until(pilot, lambda: isinstance(app.screen, DeskScreen))
        assert await _until(pilot, lambda: f"unread {before}" in screen_text(app)), "the desk's count is wrong"
        await _stop(pilot, app)


async def _wait_highlight(pilot, app) -> str:
    assert await _until(pilot, lambda: _highlighted_number(app) is not None)
    return _highlighted_number(app)


async def test_a_reply_keeps_its_recipient_when_another_customers_text_arrives(book, sim):
    from store.models import Message

    name, number, tier, shown = WANG
    add_customer(name, [number], tier=tier)
    add_customer("赵四", ["+8613940000004"])
    app = _app(sim, "en")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await _up(pilot, app)
        await sim.deliver_sms(number, "明天还有包间吗")
        assert await _until(pilot, lambda: _unread(number) == 1)
        await pilot.press("f4")
        assert await _until(pilot, lambda: _highlighted_number(app) == number)
        await pilot.press("r")
        reply = app.screen.query_one("#reply", Input)
        assert await _until(pilot, lambda: reply.has_focus)
        assert await _until(pilot, lambda: f"Reply to {name} {shown}" in screen_text(app)), screen_text(app)
        await pilot.press(*"You are welcome")
        await sim.deliver_sms("+8613940000004", "我也要订")  # another customer writes meanwhile
        assert await _until(pilot, lambda: any(th.name == "赵四" for th in app.screen.threads))
        assert await _until(pilot, lambda: "New text: 赵四" in screen_text(app))
        assert reply.has_focus and reply.value == "You are welcome"
        assert f"Reply to {name} {shown}" in screen_text(app)
        await pilot.press("enter")
        assert await _until(pilot, lambda: "Send to" in screen_text(app)), "no confirmation"
        assert f"Send to {name} {shown}?" in screen_text(app)
        await pilot.press("y")
        assert await _until(pilot, lambda: f"Queued for {name} {shown}" in screen_text(app))
        sent = Message.get(Message.direction == "out", Message.body == "You are welcome")
        assert sent.number == number
        assert _unread(number) == 0  # answering a thread reads it
        await _stop(pilot, app)


async def test_an_unknown_caller_is_announced_by_number_and_origin_on_another_screen(book, sim):
    from tui.screens.origin import where_from

    number = "+8613800138000"
    where = where_from(number, "CN", "zh")
    assert where  # the prefixes table knows this one (a Beijing mobile number)
    app = _app(sim, "zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await _up(pilot, app)
        await pilot.press("f8")
        assert await _until(pilot, lambda: not isinstance(app.screen, DeskScreen))
        # As phones often send it: the national number (the book keeps it as +86...).
        ringing = asyncio.create_task(sim.ring("13800138000", rings=4, every=0.3))
        assert await _until(pilot, lambda: "☎ 陌生号码 138 0013 8000" in screen_text(app)), screen_text(app)
        assert await _until(pilot, lambda: where in screen_text(app)), "the number's origin is not said"
        await ringing  # rings out, missed: the banner goes
        assert await _until(pilot, lambda: "☎" not in screen_text(app)), "the banner stayed after the call"
        await _stop(pilot, app)


async def test_the_key_to_the_caller_is_in_the_footer_while_ringing_in_the_help_and_in_the_palette(make_app):
    from store.lookup import caller_card
    from tests.tui.conftest import settle
    from tests.tui.test_screens import _palette
    from tui.messages import CallFinished, CallRinging
    from tui.screens.help import HelpScreen

    name, number, tier, _ = WANG
    add_customer(name, [number], tier=tier)
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("f9")
        await settle(pilot, app)
        footer = lambda: screen_text(app).splitlines()[-1]  # noqa: E731
        assert "To caller" not in footer()
        app.post_message(CallRinging(None, number, caller_card(number)))
        await settle(pilot, app)
        assert "f2 To caller" in footer()
        await pilot.press("f1")
        await settle(pilot, app)
        assert isinstance(app.screen, HelpScreen) and "To caller" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot, app)
        await _palette(pilot, app, "caller")
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, DeskScreen), "the palette's To caller did not go to the desk"
        app.post_message(CallFinished(1, number, "missed"))
        await settle(pilot, app)
        await pilot.press("f9")  # back to the tasks page, left for the desk
        await settle(pilot, app)
        assert "To caller" not in footer() and "☎" not in screen_text(app)
