"""The desk at the operator's seat: what the card, the log and the composer show while calls and texts arrive
in the middle of what the operator is doing, and what the keys then act on."""

from __future__ import annotations

from datetime import timedelta

from store.models import Call, Customer, Message
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


# -- at the seat, on the real live feed and a simulated phone on a pty ------------------------------------

import asyncio  # noqa: E402

import pytest  # noqa: E402

from modem.phone import Phone  # noqa: E402
from modem.sim import SimPhone  # noqa: E402
from store.customers import add_customer  # noqa: E402
from tests.tui.conftest import screen_text  # noqa: E402
from tui.app import GuanjiaApp  # noqa: E402
from tui.live import Live  # noqa: E402
from tui.screens.book import Book  # noqa: E402
from tui.screens.confirm import ConfirmScreen  # noqa: E402
from tui.widgets.banner import RingBanner  # noqa: E402
from tui.widgets.card import CustomerCard  # noqa: E402

CALLER = "13910000001"  # 王八达, a customer
CALLER_E164 = "+86" + CALLER


def _quick_phone(url, **kwargs):
    return Phone(url, ring_timeout_s=0.8, call_poll_s=0.3, health_every_s=2.0, max_backoff_s=0.5, **kwargs)


@pytest.fixture
async def sim():
    async with SimPhone() as phone:
        yield phone


async def _gives_up(sim: SimPhone, ringing: asyncio.Task) -> None:
    """The caller of a long ring gives up now (the network's NO CARRIER): a missed call."""
    ringing.cancel()
    await asyncio.gather(ringing, return_exceptions=True)
    sim.call = None
    sim.urc("NO CARRIER")


def _live_app(sim: SimPhone) -> GuanjiaApp:
    def live(app):
        return Live(app.post_message, port=sim.path, name="counter", phone_factory=_quick_phone)

    return GuanjiaApp(Book(), language="zh", live=live)


async def _until(pilot, predicate, tries: int = 400) -> bool:
    for _ in range(tries):
        if predicate():
            return True
        await pilot.pause(0.05)
    return False


def top(app, field: str):
    """A field of the newest call in the log, None while its page is on its way."""
    line = app.screen.call_log.line_at(0)
    return getattr(line, field) if line is not None else None


def card_text(app) -> str:
    """What the card pane shows on screen now, cut from the rendered terminal by the card's region."""
    region = app.screen.query_one("#card-pane").region
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.crop(region.x, region.right).text for strip in strips[region.y:region.bottom])


def row_text(app, index: int) -> str:
    """The call log's row `index` (0 the newest) as the screen shows it."""
    log = app.screen.call_log
    region = log.region
    strips = app.screen._compositor.render_strips()
    return strips[region.y + index - int(log.scroll_y)].crop(region.x, region.right).text


async def _desk_with_cursor_down(pilot, app, rows: int = 4):
    """The line up, the operator's cursor `rows` rows down the log, the card showing that row's caller."""
    assert await _until(pilot, lambda: app.live.worker.phone is not None and app.live.worker.phone.state == "up")
    log = app.screen.call_log
    assert await _until(pilot, lambda: log.current is not None)
    for _ in range(rows):
        await pilot.press("down")
    chosen = log.current
    assert chosen is not None and log.cursor == rows
    assert await _until(pilot, lambda: app.screen.card.card is not None
                        and app.screen.card.card.number == chosen.number)
    return chosen


@pytest.mark.timeout(90)
async def test_a_known_caller_rings_with_the_cursor_elsewhere_and_the_card_is_theirs(book, sim):
    add_customer("王八达", [CALLER], tier="金卡", notes="爱吃辣")
    app = _live_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        chosen = await _desk_with_cursor_down(pilot, app)
        ringing = asyncio.create_task(sim.ring(CALLER, rings=200, every=0.5))
        banner = app.screen.query_one(RingBanner)
        assert await _until(pilot, lambda: banner.has_class("ringing"))
        # The card's own lines (the banner, docked over the top, has the name too): the caller's number
        # and notes, not the row under the cursor.
        assert await _until(pilot, lambda: "139 1000 0001" in card_text(app)), card_text(app)
        assert "爱吃辣" in card_text(app) and app.screen.card.card.name == "王八达"
        assert app.screen.call_log.current.call_id == chosen.call_id
        if chosen.display:
            assert chosen.display not in card_text(app)
        # The log reloads with the ringing call on top; the card stays the caller's all through the ring,
        # even when the operator moves the cursor meanwhile.
        assert await _until(pilot, lambda: top(app, 'number') == CALLER_E164)
        await pilot.press("down")
        await pilot.pause(0.3)
        assert "139 1000 0001" in card_text(app) and "爱吃辣" in card_text(app)
        assert banner.has_class("ringing")  # it was all during the ring
        await _gives_up(sim, ringing)
        assert await _until(pilot, lambda: not banner.has_class("ringing"))
        assert await _until(pilot, lambda: top(app, 'outcome') == "missed")
        await pilot.pause(0.3)
        assert "王八达" in card_text(app)  # after the call: still the caller, until the operator moves
        await pilot.press("down")
        row = app.screen.call_log.current
        assert await _until(pilot, lambda: app.screen.card.card.number == row.number)
        app.live.stop()
        await app.workers.wait_for_complete()


@pytest.mark.timeout(90)
async def test_an_unknown_caller_rings_with_the_cursor_elsewhere_and_the_card_says_so(book, sim):
    app = _live_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await _desk_with_cursor_down(pilot, app)
        ringing = asyncio.create_task(sim.ring(STRANGER, rings=200, every=0.5))
        assert await _until(pilot, lambda: "中国联通" in card_text(app)), card_text(app)
        text = card_text(app)
        assert "陌生号码" in text and "130 1234 5678" in text and "按 a 添加为客户" in text
        assert app.screen.query_one(RingBanner).has_class("ringing")
        await _gives_up(sim, ringing)
        assert await _until(pilot, lambda: not app.screen.query_one(RingBanner).has_class("ringing"))
        # After the hang-up `a` adds the caller who just rang, not the row the cursor was on.
        await pilot.press("a")
        from tui.screens.customer_form import CustomerForm

        assert await _until(pilot, lambda: isinstance(app.screen, CustomerForm))
        assert "130 1234 5678" in screen_text(app) or STRANGER in screen_text(app) or "13012345678" in screen_text(app)
        await pilot.press("escape")
        app.live.stop()
        await app.workers.wait_for_complete()


@pytest.mark.timeout(90)
async def test_the_highlighted_call_stays_the_same_call_as_calls_arrive(book, sim):
    app = _live_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        chosen = await _desk_with_cursor_down(pilot, app)
        shown = row_text(app, 4)
        for number in ("13012345601", "13012345602"):
            await sim.ring(number, rings=1, every=0.2)
            assert await _until(pilot, lambda n=number: top(app, "number") == "+86" + n
                                and top(app, "outcome") == "missed")
        log = app.screen.call_log
        assert log.current.call_id == chosen.call_id and log.cursor == 6
        assert row_text(app, 6) == shown  # the same row on screen, two rows further down
        # The keys were the last caller's (just rang); the operator steps off and back onto the chosen row.
        await pilot.press("up", "down")
        assert log.current.call_id == chosen.call_id
        # Another counter's line takes a call meanwhile: it comes through the book, and pushes rows again.
        from store.calls import call_ended, call_started

        def other_terminal():
            call_ended(call_started("13012345603").id, "missed")

        await asyncio.get_running_loop().run_in_executor(None, other_terminal)
        assert await _until(pilot, lambda: top(app, "number") == "+8613012345603")
        assert log.current.call_id == chosen.call_id and log.cursor == 7
        # `b` and `s` act on that call, the one the operator chose.
        if chosen.callback_pending:
            await pilot.press("b")
            assert await _until(pilot, lambda: Call.get_by_id(chosen.call_id).callback == "done")
        await pilot.press("s")
        assert await _until(pilot, lambda: app.screen.composer.number == chosen.number)
        app.live.stop()
        await app.workers.wait_for_complete()


@pytest.mark.timeout(90)
async def test_s_addresses_the_highlighted_row_and_a_ring_never_changes_the_draft(book, sim):
    add_customer("王八达", [CALLER], tier="金卡")
    app = _live_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        chosen = await _desk_with_cursor_down(pilot, app)
        await pilot.press("s")
        composer = app.screen.composer
        assert await _until(pilot, lambda: composer.number == chosen.number)
        want = app.app.book.display(chosen.number)
        assert await _until(pilot, lambda: want in screen_text(app))
        await pilot.press("escape")  # back to the log: the draft stays addressed
        composer.query_one("#body").focus()
        for key in "see you":
            await pilot.press(key if key != " " else "space")
        # A call rings, ends, and another row comes to the top while the text is half written.
        await sim.ring(CALLER, rings=2, every=0.3)
        assert await _until(pilot, lambda: top(app, 'outcome') == "missed")
        await pilot.pause(0.3)
        assert composer.number == chosen.number and composer.body == "see you"
        await pilot.press("ctrl+s")
        assert await _until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        question = screen_text(app)
        assert want in question and "王八达" not in question.split("发送给")[1].splitlines()[0]
        await pilot.press("y")
        assert await _until(pilot, lambda: composer.message_id is not None)
        assert Message.get_by_id(composer.message_id).number == chosen.number
        assert await _until(pilot, lambda: want in str(composer.query_one("#status").render()))
        app.live.stop()
        await app.workers.wait_for_complete()


@pytest.mark.timeout(90)
async def test_after_a_hang_up_the_keys_are_the_desks_and_act_on_that_call(book, sim):
    app = _live_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await _desk_with_cursor_down(pilot, app)
        await sim.ring(STRANGER, rings=2, every=0.3)
        assert await _until(pilot, lambda: top(app, 'number') == STRANGER
                            and top(app, 'outcome') == "missed")
        composer = app.screen.composer
        assert await _until(pilot, lambda: composer.number == STRANGER)  # addressed to the caller
        assert app.screen.focused is app.screen.call_log  # but the keyboard stays with the desk
        # Help open, keys pressed there, help closed: nothing lands in the template filter.
        await pilot.press("f1")
        await pilot.pause(0.2)
        await pilot.press("x", "y", "z")
        await pilot.press("escape")
        await pilot.pause(0.2)
        assert composer.query_one("#template-filter").value == ""
        assert composer.body == ""
        # `b` marks the call that just ended as called back, though the cursor is on another row.
        await pilot.press("b")
        new = app.screen.call_log.line_at(0)
        assert await _until(pilot, lambda: Call.get_by_id(new.call_id).callback == "done")
        await pilot.press("a")
        from tui.screens.customer_form import CustomerForm

        assert await _until(pilot, lambda: isinstance(app.screen, CustomerForm))
        assert composer.query_one("#template-filter").value == ""
        await pilot.press("escape")
        app.live.stop()
        await app.workers.wait_for_complete()


@pytest.mark.timeout(90)
async def test_the_demo_says_how_to_ring_and_its_ring_never_moves_the_keyboard(book):
    def live(app):
        return Live(app.post_message, port="sim://", name="demo", demo=True)

    app = GuanjiaApp(Book(), language="en", live=live)
    async with app.run_test(size=(80, 24)) as pilot:
        assert await _until(pilot, app.live.can_ring), "the demo phone never came up"
        assert await _until(pilot, lambda: "demo: r rings" in screen_text(app)), screen_text(app)
        desk = app.screen
        await pilot.press("down", "down")
        await pilot.press("r")
        banner = desk.query_one(RingBanner)
        assert await _until(pilot, lambda: banner.has_class("ringing")), "no ring on screen"
        assert desk.focused is desk.call_log
        assert await _until(pilot, lambda: not banner.has_class("ringing"), tries=600), "the ring never ended"
        await pilot.pause(0.3)
        assert desk.focused is desk.call_log  # the demo's hang-up addresses the composer, nothing more
        app.live.stop()
        await app.workers.wait_for_complete()


# -- pictures ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["zh", "en"])
def test_desk_composer_with_a_pinned_recipient_80x24(snap_compare, make_app, language):
    """`s` on a customer's row: the composer says who by name and number (139 1000 0001), a text begun."""
    from tests.tui.test_snapshots import _steady

    add_customer("王八达", [CALLER], tier="金卡", notes="爱吃辣")
    Call.create(number=CALLER_E164, customer=Customer.get(Customer.name == "王八达").id,
                started_at=NOW - timedelta(seconds=20), outcome="missed", callback="pending")
    assert snap_compare(make_app(language), terminal_size=(80, 24),
                        run_before=_steady("s", "tab", *"see you at six"))


def test_the_heap_is_settled_for_the_desk_and_given_back_after():
    import gc

    from tui import heap

    before = gc.get_threshold()
    heap.settle()
    try:
        assert gc.get_threshold()[2] == heap.FULL_NEVER and gc.get_freeze_count() > 0
        assert gc.get_threshold()[:2] == before[:2]
    finally:
        heap.release()
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
