"""Untrusted text renders literally and harmlessly on every surface of the desk.

Names, notes, tags, SMS bodies and template texts carry the whole hostile corpus;
each surface must show the markers literally, never crash, never run an action,
and never pass a control code to the terminal.
"""

from __future__ import annotations

from datetime import timedelta

from store.customers import NewCustomer, add_many
from store.models import Call, Message, Template
from tests.hostile import FORBIDDEN, HOSTILE, visible_marker
from tests.tui.conftest import NOW, screen_text, settle
from tui.screens.customers import CustomersScreen
from tui.screens.history import HistoryScreen
from tui.widgets.card import CardView, CustomerCard
from tui.widgets.composer import Composer, TemplateChoice

SIZE = (120, 50)


def _hostile_book() -> list[int]:
    """A customer per corpus entry (name, notes and tags hostile), each with a call and a text, newest first."""
    ids = add_many([NewCustomer(name=text, numbers=(f"+86139{i:08d}",), notes=text, tags=(text[:50],))
                    for i, text in enumerate(HOSTILE)])
    for i, (cid, text) in enumerate(zip(ids, HOSTILE)):
        at = NOW - timedelta(seconds=len(HOSTILE) - i)
        Call.create(number=f"+86139{i:08d}", customer=cid, started_at=at, outcome="missed", callback="pending")
        Message.create(direction="in", number=f"+86139{i:08d}", customer=cid, body=text, at=at, status="received",
                       is_read=False)
        Template.create(name=text[:40], body=text, category="care", sort_order=100 + i)
    return ids


def _assert_literal(app, texts=HOSTILE) -> None:
    shown = screen_text(app)
    assert not any(ch in shown for ch in FORBIDDEN)
    for text in texts:
        assert visible_marker(text) in shown, visible_marker(text)
    assert app.is_running


async def test_call_log(make_app):
    _hostile_book()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        _assert_literal(app)


async def test_card_from_the_book(make_app):
    ids = _hostile_book()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        card = app.screen.query_one(CustomerCard)
        for i, text in enumerate(HOSTILE):
            app.screen.load_card(f"+86139{i:08d}")
            await settle(pilot, app)
            assert card.card.customer_id == ids[i]
            shown = screen_text(app)
            assert not any(ch in shown for ch in FORBIDDEN)
            assert visible_marker(text) in shown


async def test_card_widget_with_every_field_hostile(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        card = app.screen.query_one(CustomerCard)
        for text in HOSTILE:
            card.show(CardView(number="+8613912345678", customer_id=1, name=text, tier=text, notes=text,
                               tags=(text,), favourites=(text,), last_texts=(text,), birthday=text, where=text))
            await pilot.pause()
            _assert_literal(app, [text])
            card.show(CardView(number=text, where=text))
            await pilot.pause()
            assert not any(ch in screen_text(app) for ch in FORBIDDEN)


async def test_composer_picker_and_body(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        composer = app.screen.query_one(Composer)
        composer.set_templates([TemplateChoice(i, text, text) for i, text in enumerate(HOSTILE)])
        composer.query_one("#template-filter").focus()
        await pilot.press("[")
        await settle(pilot, app)
        shown = screen_text(app)
        assert not any(ch in shown for ch in FORBIDDEN)
        assert "[@click=app.quit]x" in shown
        for text in HOSTILE:
            composer.set_body(text)
            await pilot.pause()
            shown = screen_text(app)
            assert not any(ch in shown for ch in FORBIDDEN)
            assert visible_marker(text) in shown
        assert app.is_running


async def test_message_threads(make_app):
    _hostile_book()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f4")
        await settle(pilot, app)
        screen = app.screen
        assert not any(ch in screen_text(app) for ch in FORBIDDEN)
        for index, thread in enumerate(screen.threads):
            if thread.last_body not in HOSTILE:
                continue
            screen.query_one("#threads").highlighted = index
            await settle(pilot, app)
            shown = screen_text(app)
            assert not any(ch in shown for ch in FORBIDDEN)
            assert visible_marker(thread.last_body) in shown
        assert app.is_running


async def test_customers_search_results_and_history(make_app):
    ids = _hostile_book()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f3")
        await settle(pilot, app)
        for i, text in enumerate(HOSTILE[:8]):
            app.screen.query_one("#search").value = f"139{i:08d}"
            await settle(pilot, app)
            shown = screen_text(app)
            assert not any(ch in shown for ch in FORBIDDEN)
            assert visible_marker(text) in shown
        app.push_screen(HistoryScreen(ids[0], HOSTILE[0]))
        await settle(pilot, app)
        assert visible_marker(HOSTILE[0]) in screen_text(app)
        assert isinstance(app.screen_stack[-2], CustomersScreen)


async def test_notifications_and_the_confirm_dialog(make_app):
    from tui.screens.confirm import ConfirmScreen
    from tui.screens.customer_form import CustomerSaved

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        for text in HOSTILE[:8]:
            app.push_screen(ConfirmScreen("?", text))
            await settle(pilot, app)
            _assert_literal(app, [text])
            await pilot.press("n")
            await settle(pilot, app)
        from tui.screens.customer_form import CustomerForm
        from tui.screens.views import CustomerDraft

        for text in HOSTILE:
            form = CustomerForm(CustomerDraft(name=text, notes=text))
            app.push_screen(form)
            await settle(pilot, app)
            form.post_message(CustomerSaved(1, text))  # the "added" notification carries the name
            await settle(pilot, app)
            assert not any(ch in screen_text(app) for ch in FORBIDDEN)
        await pilot.pause(0.2)
        assert app.is_running


async def test_palette_customer_hits(make_app):
    from textual.widgets import Input

    _hostile_book()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("ctrl+p")
        await settle(pilot, app)
        box = app.screen.query_one(Input)
        for i, text in enumerate(HOSTILE[:8]):
            box.value = f"139{i:08d}"
            await pilot.pause(0.3)
            await settle(pilot, app)
            shown = screen_text(app)
            assert not any(ch in shown for ch in FORBIDDEN)
            assert visible_marker(text) in shown
        assert app.is_running


async def test_ring_banner(make_app):
    from tui.messages import CallRinging

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        for text in HOSTILE:
            app.post_message(CallRinging(1, "+8613912345678", CardView(number="+8613912345678", customer_id=1,
                                                                        name=text, tier=text, notes=text)))
            await settle(pilot, app)
            shown = screen_text(app)
            assert not any(ch in shown for ch in FORBIDDEN)
            assert visible_marker(text) in shown
        assert app.is_running
