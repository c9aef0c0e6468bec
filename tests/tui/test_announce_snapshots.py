"""Pictures at 80x24, Chinese and English: the ring banner over other screens and a form, and a reply whose
recipient is pinned. Refresh with `--snapshot-update`, only after looking at the report."""

from __future__ import annotations

import pytest
from textual.widgets import Input, TextArea

from store.customers import add_customer
from tests.tui.conftest import settle
from tui.messages import CallRinging

CALLER = ("王八达", "+8613910000001", "金卡", "爱吃辣，坐靠窗")


def _ringing(*keys: str):
    """Press `keys`, then a known customer rings (the worker's card, as the line sends it)."""

    async def run_before(pilot) -> None:
        from store.lookup import caller_card

        app = pilot.app
        await settle(pilot, app)
        for key in keys:
            await pilot.press(key)
            await settle(pilot, app)
        app.post_message(CallRinging(1, CALLER[1], caller_card(CALLER[1])))
        await settle(pilot, app)
        await _still(pilot)

    return run_before


async def _still(pilot) -> None:
    for widget in pilot.app.screen.query("Input, TextArea"):
        if isinstance(widget, (Input, TextArea)):
            widget.cursor_blink = False
    await settle(pilot, pilot.app)


@pytest.fixture
def caller(book):
    add_customer(CALLER[0], [CALLER[1]], tier=CALLER[2], notes=CALLER[3])


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("where, keys", [("customers", ("f3",)), ("texts", ("f4",)), ("campaigns", ("f8",)),
                                         ("customer_form", ("f3", "ctrl+n", *"Li"))])
def test_ring_banner_over_80x24(snap_compare, make_app, caller, language, where, keys):
    assert snap_compare(make_app(language), terminal_size=(80, 24), run_before=_ringing(*keys))


@pytest.mark.parametrize("language", ["zh", "en"])
def test_reply_with_a_pinned_recipient_80x24(snap_compare, make_app, book, language):
    from datetime import timedelta

    from store.models import Message
    from tests.tui.conftest import NOW

    customer = add_customer(CALLER[0], [CALLER[1]], tier=CALLER[2])
    Message.create(direction="in", number=CALLER[1], customer=customer.id, body="明天还有包间吗",
                   at=NOW - timedelta(minutes=1), status="received", is_read=False)

    async def run_before(pilot) -> None:
        app = pilot.app
        await settle(pilot, app)
        await pilot.press("f4")
        await settle(pilot, app)
        await pilot.press("r", *"hao")
        await settle(pilot, app)
        await _still(pilot)

    assert snap_compare(make_app(language), terminal_size=(80, 24), run_before=run_before)
