"""The desk at the operator's seat: what the card, the log and the composer show while calls and texts arrive
in the middle of what the operator is doing, and what the keys then act on."""

from __future__ import annotations

from datetime import timedelta

from store.models import Call, Message
from store.sms_parts import parts
from tests.tui.conftest import NOW, settle
from tui.messages import BookChanged
from tui.screens.desk import DeskScreen

STRANGER = "+8613012345678"


# -- found in review -----------------------------------------------------------------------------------


async def test_a_burst_of_changes_refreshes_everything_any_of_them_named(make_app):
    """Coalesced BookChanged messages keep every flag: calls then customers still reloads the call log."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        log = app.screen.call_log
        call = Call.create(number=STRANGER, started_at=NOW - timedelta(seconds=5), outcome="missed",
                           callback="pending")
        # Both queued before the app reads either, as a burst from the change watcher and a form would be.
        app.post_message(BookChanged(calls=True, messages=False))
        app.post_message(BookChanged(calls=False, messages=False, customers=True))
        await settle(pilot, app)
        assert log.line_at(0) is not None and log.line_at(0).call_id == call.id


def test_a_coalesced_change_carries_the_flags_of_the_one_it_replaces():
    first, second = BookChanged(calls=True, messages=False), BookChanged(calls=False, messages=False, customers=True)
    assert first.can_replace(second)
    assert (second.calls, second.messages, second.customers) == (True, False, True)


async def test_a_long_text_from_the_desk_is_stored_with_its_parts(make_app):
    body = "您好，" + "包间已经为您留好了，周六晚上六点见，" * 8  # UCS-2, well past one part
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        composer = app.screen.composer
        composer.address("+8613800138000")
        composer.set_body(body)
        composer.query_one("#body").focus()
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        await pilot.press("y")
        await settle(pilot, app)
        assert isinstance(app.screen, DeskScreen)
        queued = Message.get_by_id(composer.message_id)
        assert queued.body == body
        assert queued.parts == parts(body) > 1
