"""Block / unblock, opt out / back in, delete and restore: one key each on F3 and in a customer's history."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from textual.command import CommandPalette
from textual.widgets import DataTable, Input, Switch

from store import audit, removed, settings
from store.customers import add_customer
from store.models import Call, Customer, Message, Phone, Visit
from tests.tui.conftest import NOW, screen_text, settle
from tests.tui.test_flow import _app, _line_up, _stop, _until, sim  # noqa: F401 - the simulated phone fixture
from tui.screens.confirm import ConfirmScreen
from tui.screens.customers import CustomersScreen
from tui.screens.help import HelpScreen
from tui.screens.history import HistoryScreen
from tui.screens.removed import RemovedPicker
from tui.widgets.banner import RingBanner


def _three():
    """Three customers one search finds, each with a call, a text and a visit."""
    people = [add_customer(name, [number], tier="金卡") for name, number in
              (("测试甲", "+8613911110001"), ("测试乙", "+8613911110002"), ("测试丙", "+8613911110003"))]
    for c in people:
        number = Phone.get(Phone.customer == c.id).number
        Call.create(number=number, customer=c.id, started_at=NOW - timedelta(days=1), outcome="answered",
                    duration_s=65)
        Message.create(direction="in", number=number, customer=c.id, body=f"你好{c.name}", at=NOW, status="received")
        Visit.create(customer=c.id, at=NOW - timedelta(days=2), amount_cents=12800, items="佛跳墙")
    return people


async def _search(pilot, app, query: str) -> None:
    await settle(pilot, app)
    await pilot.press("f3")
    await settle(pilot, app)
    app.screen.query_one("#search", Input).value = query
    await settle(pilot, app)
    assert isinstance(app.screen, CustomersScreen) and app.screen.hits


async def _to_row(pilot, app, row: int):
    """Into the list and down to `row`; the customer highlighted there."""
    await pilot.press("down")
    for _ in range(row):
        await pilot.press("down")
    await settle(pilot, app)
    table = app.screen.query_one("#hits", DataTable)
    assert table.has_focus and table.cursor_row == row
    return app.screen.hits[row]


async def test_block_and_opt_out_act_on_the_highlighted_customer_only(make_app):
    _three()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _search(pilot, app, "测试")
        hit = await _to_row(pilot, app, 2)
        others = [h.customer_id for h in app.screen.hits if h.customer_id != hit.customer_id]
        await pilot.press("ctrl+b")
        await settle(pilot, app)
        assert Customer.get_by_id(hit.customer_id).blocked
        assert not any(Customer.get_by_id(i).blocked for i in others)
        table = app.screen.query_one("#hits", DataTable)
        assert table.cursor_row == 2 and app.screen.selected.customer_id == hit.customer_id  # still on them
        assert "拉黑" in str(table.get_row_at(2)[2]) and "拉黑" not in str(table.get_row_at(0)[2])
        await pilot.press("ctrl+t")
        await settle(pilot, app)
        fresh = Customer.get_by_id(hit.customer_id)
        assert fresh.blocked and fresh.opted_out and not any(Customer.get_by_id(i).opted_out for i in others)
        assert "拉黑 退订" in screen_text(app)
        await pilot.press("ctrl+b")
        await settle(pilot, app)
        await pilot.press("ctrl+t")
        await settle(pilot, app)
        fresh = Customer.get_by_id(hit.customer_id)
        assert not fresh.blocked and not fresh.opted_out
        assert [r.action for r in audit.history("customer", hit.customer_id)][-4:] == [
            "block", "opt_out", "unblock", "opt_in"]


async def test_delete_asks_then_restore_brings_back_numbers_and_history(make_app):
    people = _three()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _search(pilot, app, "测试")
        hit = await _to_row(pilot, app, 1)
        gone = Customer.get_by_id(hit.customer_id)
        number = Phone.get(Phone.customer == gone.id).number
        await pilot.press("ctrl+d")
        await settle(pilot, app)
        assert isinstance(app.screen, ConfirmScreen) and hit.name in screen_text(app)
        await pilot.press("n")  # not yet: nothing changes
        await settle(pilot, app)
        assert Customer.get_by_id(gone.id).deleted_at is None
        await pilot.press("ctrl+d")
        await settle(pilot, app)
        await pilot.press("y")
        await settle(pilot, app)
        assert isinstance(app.screen, CustomersScreen)
        assert [h.customer_id for h in app.screen.hits] == [c.id for c in people
                                                            if c.id != gone.id][::-1] or len(app.screen.hits) == 2
        assert gone.id not in [h.customer_id for h in app.screen.hits]
        assert hit.name not in screen_text(app)
        assert all(Customer.get_by_id(c.id).deleted_at is None for c in people if c.id != gone.id)
        app.screen.query_one("#search", Input).value = number[-4:]
        await settle(pilot, app)
        assert gone.id not in [h.customer_id for h in app.screen.hits]
        app.screen.query_one("#search", Input).value = ""  # the recent list leaves them out too
        await settle(pilot, app)
        assert gone.id not in [h.customer_id for h in app.screen.hits]

        await pilot.press("ctrl+z")
        await settle(pilot, app)
        assert isinstance(app.screen, RemovedPicker) and hit.name in screen_text(app)
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, CustomersScreen)
        assert Customer.get_by_id(gone.id).deleted_at is None
        assert [p.number for p in Phone.select().where(Phone.customer == gone.id)] == [number]
        app.screen.query_one("#search", Input).value = number[-4:]
        await settle(pilot, app)
        assert app.screen.hits[0].customer_id == gone.id
        await pilot.press("ctrl+r")
        await settle(pilot, app)
        assert isinstance(app.screen, HistoryScreen)
        text = screen_text(app)
        assert "1:05" in text and "佛跳墙" in text and f"你好{hit.name}" in text and number[-4:] in text


async def test_the_history_screen_blocks_and_deletes_the_customer_it_shows(make_app):
    people = _three()
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await _search(pilot, app, "测试乙")
        await pilot.press("ctrl+r")
        await settle(pilot, app)
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("ctrl+b")
        await settle(pilot, app)
        assert Customer.get_by_id(people[1].id).blocked and not Customer.get_by_id(people[0].id).blocked
        assert "[blocked]" in screen_text(app)
        await pilot.press("ctrl+d")
        await settle(pilot, app)
        await pilot.press("y")
        await settle(pilot, app)
        assert isinstance(app.screen, CustomersScreen)
        assert Customer.get_by_id(people[1].id).deleted_at is not None
        assert people[1].id not in [h.customer_id for h in app.screen.hits]


async def test_the_keys_are_in_the_footer_the_help_and_the_palette(make_app):
    _three()
    app = make_app("en")
    async with app.run_test(size=(120, 30)) as pilot:
        await _search(pilot, app, "测试")
        footer = screen_text(app).splitlines()[-1]
        for word in ("Block", "Opt out", "Delete", "Restore"):
            assert word in footer, footer
        await pilot.press("f1")
        await settle(pilot, app)
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert "Block or unblock this customer" in text and "Delete this customer" in text
        assert "List deleted customers" in text
        await pilot.press("escape")
        await settle(pilot, app)
        hit = await _to_row(pilot, app, 1)
        await pilot.press("ctrl+p")
        await settle(pilot, app)
        assert isinstance(app.screen, CommandPalette)
        for ch in "block":
            await pilot.press(ch)
        await pilot.pause(0.5)
        await settle(pilot, app)
        assert "Block or unblock" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, CustomersScreen)
        assert Customer.get_by_id(hit.customer_id).blocked  # the highlighted one, and only them
        assert [c.blocked for c in Customer.select().where(Customer.name.startswith("测试"))].count(True) == 1


@pytest.mark.timeout(90)
async def test_a_blocked_customer_is_turned_away_and_a_deleted_one_rings_as_unknown(book, sim):  # noqa: F811
    people = _three()
    app = _app(sim, "zh")
    async with app.run_test(size=(80, 24)) as pilot:
        assert await _until(pilot, lambda: _line_up(app)), "the line never came up"
        await pilot.press("f6")  # the shop turns 自动挂断黑名单来电 on, as an operator would
        assert await _until(pilot, lambda: app.screen.query("#auto_reject_blocked"))
        assert await _until(pilot, lambda: app.screen.query_one("#shop", Input).value != "" or True)
        app.screen.query_one("#auto_reject_blocked", Switch).value = True
        await pilot.press("ctrl+s")
        assert await _until(pilot, lambda: settings.get("auto_reject_blocked") is True)
        await pilot.press("f3")
        assert await _until(pilot, lambda: isinstance(app.screen, CustomersScreen))
        app.screen.query_one("#search", Input).value = "测试甲"
        assert await _until(pilot, lambda: app.screen.hits and app.screen.hits[0].name == "测试甲")
        await pilot.press("ctrl+b")
        assert await _until(pilot, lambda: Customer.get_by_id(people[0].id).blocked)
        app.screen.query_one("#search", Input).value = "测试丙"
        assert await _until(pilot, lambda: app.screen.hits and app.screen.hits[0].name == "测试丙")
        await pilot.press("ctrl+d")
        assert await _until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        assert await _until(pilot, lambda: Customer.get_by_id(people[2].id).deleted_at is not None)
        await pilot.press("f2")

        await sim.ring("13911110001", rings=6, every=0.2)
        assert await _until(pilot, lambda: Call.get_or_none((Call.number == "+8613911110001")
                                                            & (Call.outcome == "rejected")) is not None)
        assert "AT+CHUP" in sim.commands

        ringing = asyncio.create_task(sim.ring("13911110003", rings=3, every=0.3))
        banner = app.screen.query_one(RingBanner)
        assert await _until(pilot, lambda: banner.has_class("ringing")), "no ring on screen"
        assert await _until(pilot, lambda: "139 1111 0003" in screen_text(app)), screen_text(app)
        assert "测试丙" not in str(banner.render())  # an unknown caller now
        await ringing
        newest = Call.select().where(Call.number == "+8613911110003").order_by(Call.id.desc()).first()
        assert newest.customer_id is None
        removed.restore_customer(people[2].id)  # and restored, the call that came meanwhile is theirs again
        assert Call.get_by_id(newest.id).customer_id == people[2].id
        await _stop(pilot, app)
