"""Task keys at the seat: a long list (a day's missed calls), the cursor moved by page and by Home/End,
a task arriving while the cursor is on a row, a complaint recorded late in the shop's day."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from textual.widgets import DataTable, Input

from store import calls, customers, settings, tasks
from store.models import Task
from tests.tui.conftest import NOW, screen_text, settle, steady
from tui.app import GuanjiaApp
from tui.config import Config
from tui.screens.book import Book
from tui.screens.task_dialogs import ComplaintDialog, TextDialog
from tui.screens.tasks import TasksScreen

MISSED = 300


def _missed_day(n: int = MISSED) -> None:
    """A busy day: `n` strangers rang and were missed, one a minute up to an hour ago."""
    settings.set("tasks_per_day", 0)
    for i in range(n):
        at = NOW - timedelta(hours=1, minutes=n - i)
        call = calls.call_started(f"1380000{i:04d}", at=at)
        calls.call_ended(call.id, "missed", at=at)
    tasks.refresh(NOW)


async def _until(pilot, app, condition) -> None:
    for _ in range(30):
        await settle(pilot, app)
        if condition():
            return


async def _to_tasks(pilot, app) -> TasksScreen:
    await settle(pilot, app)
    await pilot.press("f9")
    await _until(pilot, app, lambda: isinstance(app.screen, TasksScreen) and len(app.screen.lines) > 1)
    assert isinstance(app.screen, TasksScreen)
    return app.screen


def _visible_rows(table: DataTable) -> range:
    """The rows the operator can see: those between the header and the bottom of the table."""
    top = round(table.scroll_y)
    height = table.scrollable_content_region.height - (table.header_height if table.show_header else 0)
    return range(top, min(table.row_count, top + height))


def _highlighted_number(app, screen: TasksScreen) -> str:
    """The highlighted task's number as the screen shows it, checked to be on the screen."""
    table = screen.query_one(DataTable)
    assert table.cursor_row in _visible_rows(table), (table.cursor_row, _visible_rows(table))
    shown = str(table.get_row_at(table.cursor_row)[3])
    assert shown in screen_text(app)
    return shown


def _number_of(task_id: int) -> str:
    return Task.get_by_id(task_id).number


async def test_page_keys_home_and_end_keep_the_highlighted_task_on_screen_and_c_closes_that_one(make_app):
    _missed_day()
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _to_tasks(pilot, app)
        table = screen.query_one(DataTable)
        for _ in range(40):  # the cursor mid-list
            await pilot.press("down")
        await settle(pilot, app)
        closed = []
        for key, where in (("pagedown", None), ("pagedown", None), ("end", MISSED - 1 - len(closed)),
                           ("pageup", None), ("home", 0), ("pagedown", None)):
            await pilot.press(key)
            await settle(pilot, app)
            if where is not None:
                assert table.cursor_row == min(where, table.row_count - 1), key
            shown = _highlighted_number(app, screen)
            line = screen.current
            assert shown == line.shown_number
            await pilot.press("c")
            await _until(pilot, app, lambda: Task.get_by_id(line.task_id).done_at is not None)
            assert Task.get_by_id(line.task_id).done_how == "called back"
            closed.append(line.task_id)
            await _until(pilot, app, lambda: line.task_id not in [x.task_id for x in screen.lines])
            _highlighted_number(app, screen)  # after the list is drawn again, still on screen
        assert [t.id for t in Task.select().where(Task.done_at.is_null(False))] == sorted(closed)
        assert len(screen.lines) == MISSED - len(closed)


async def test_s_writes_to_the_highlighted_task_after_end_and_pageup(make_app):
    _missed_day()
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _to_tasks(pilot, app)
        table = screen.query_one(DataTable)
        for _ in range(10):
            await pilot.press("down")
        await pilot.press("pagedown")
        await settle(pilot, app)
        _highlighted_number(app, screen)
        await pilot.press("end")
        await settle(pilot, app)
        assert table.cursor_row == MISSED - 1
        await pilot.press("pageup")
        await settle(pilot, app)
        _highlighted_number(app, screen)
        line = screen.current
        await pilot.press("s")
        await _until(pilot, app, lambda: isinstance(app.screen, TextDialog))
        assert app.screen.query_one("#to", Input).value == line.number


async def test_the_highlighted_task_stays_the_same_task_when_new_ones_arrive_above_it(make_app):
    _missed_day(60)
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _to_tasks(pilot, app)
        for _ in range(30):
            await pilot.press("down")
        await settle(pilot, app)
        chosen = screen.current
        table = screen.query_one(DataTable)
        place = table.cursor_row - round(table.scroll_y)  # the screen line the operator's eyes are on
        # Another terminal records two complaints (they go first) and the line a new missed call.
        tasks.complaint("等太久", number="+8613900000001", at=NOW)
        tasks.complaint("菜凉了", number="+8613900000002", at=NOW)
        call = calls.call_started("13900000003", at=NOW)
        calls.call_ended(call.id, "missed", at=NOW)
        from tui.messages import BookChanged

        app.post_message(BookChanged(calls=True, messages=False))
        await _until(pilot, app, lambda: len(screen.lines) == 63)
        assert len(screen.lines) == 63
        assert screen.current.task_id == chosen.task_id
        assert _highlighted_number(app, screen) == chosen.shown_number
        assert table.cursor_row - round(table.scroll_y) == place  # the rows moved, the view with them
        await pilot.press("c")
        await _until(pilot, app, lambda: Task.get_by_id(chosen.task_id).done_at is not None)
        assert Task.get_by_id(chosen.task_id).done_how == "called back"
        assert Task.select().where(Task.done_at.is_null(False)).count() == 1


def _evening_app(language: str = "en") -> GuanjiaApp:
    evening = datetime(2026, 11, 25, 12, 30, tzinfo=timezone.utc)  # 20:30 at the shop in Shanghai
    return GuanjiaApp(Book(now=lambda: evening), Config(), language=language, clock=lambda: evening)


async def test_a_complaint_recorded_in_the_evening_is_in_the_list_with_its_deadline(book):
    settings.set("tasks_per_day", 0)
    customers.add_customer("王投诉", ["13900001111"], created_at=NOW)
    app = _evening_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("f9")
        await _until(pilot, app, lambda: isinstance(app.screen, TasksScreen))
        screen = app.screen
        await pilot.press("n")
        await _until(pilot, app, lambda: isinstance(app.screen, ComplaintDialog))
        for ch in "13900001111":
            await pilot.press(ch)
        await pilot.press("enter")
        for ch in "cold soup":
            await pilot.press("space" if ch == " " else ch)
        await pilot.press("enter")
        await _until(pilot, app, lambda: app.screen is screen and screen.lines)
        assert [(x.kind, x.name, x.what) for x in screen.lines] == [("complaint", "王投诉", "cold soup")]
        for _ in range(20):  # the columns widen for the new row once the table is idle, and are drawn after
            await steady(pilot)
            if "11-26 04:30" in screen_text(app):
                break
            await pilot.pause(0.1)
        text = screen_text(app)
        assert "cold soup" in text and "11-26 04:30" in text  # eight hours to answer: past midnight
        assert "Tasks · 1 today" in text
        await pilot.press("escape")
        await _until(pilot, app, lambda: not isinstance(app.screen, TasksScreen))
        assert app.screen.status_bar.status.tasks == 1


@pytest.mark.parametrize("key, table_id", [("f3", "#hits"), ("f5", "#templates"), ("f9", "#tasks"),
                                           ("f1", "#keys")])
async def test_home_and_end_go_to_the_first_and_last_row_in_every_table(make_app, key, table_id):
    _missed_day(40)
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press(key)
        await _until(pilot, app,
                     lambda: len(app.screen.query(table_id)) and app.screen.query_one(table_id).row_count > 3)
        table = app.screen.query_one(table_id, DataTable)
        table.focus()
        await pilot.press("down", "down")
        await pilot.press("end")
        await settle(pilot, app)
        assert table.cursor_row == table.row_count - 1
        assert table.cursor_row in _visible_rows(table)
        await pilot.press("home")
        await settle(pilot, app)
        assert table.cursor_row == 0 and table.scroll_y == 0


async def test_a_ring_while_the_complaint_form_is_open_leaves_the_form_alone_and_both_reach_the_list(sqlite_book):
    """The real line: a simulated phone on a pty rings (and is missed) while the complaint is half typed."""
    import asyncio

    from modem.phone import Phone
    from modem.sim import SimPhone
    from tui.live import Live

    settings.set("tasks_per_day", 0)
    # The shop's clock in the evening whatever the hour here, so the deadline runs past the shop's midnight.
    hour = datetime.now(timezone.utc).hour
    settings.set("time_zone", f"Etc/GMT{-(20 - hour) if 20 - hour <= 12 else 24 - (20 - hour):+d}")
    customers.add_customer("王投诉", ["13900001111"])

    def quick(url, **kwargs):
        return Phone(url, ring_timeout_s=0.8, call_poll_s=0.3, health_every_s=2.0, max_backoff_s=0.5, **kwargs)

    async with SimPhone() as sim:
        app = GuanjiaApp(Book(), language="en",
                         live=lambda a: Live(a.post_message, port=sim.path, name="counter", phone_factory=quick))
        async with app.run_test(size=(80, 24)) as pilot:
            async def until(check) -> bool:
                for _ in range(400):
                    if check():
                        return True
                    await pilot.pause(0.05)
                return False

            assert await until(lambda: app.live.worker.phone is not None and app.live.worker.phone.state == "up")
            await pilot.press("f9")
            assert await until(lambda: isinstance(app.screen, TasksScreen))
            screen = app.screen
            await pilot.press("n")
            assert await until(lambda: isinstance(app.screen, ComplaintDialog))
            dialog = app.screen
            assert dialog.focused is dialog.query_one("#c-number", Input)  # an empty list: no number to offer
            for ch in "13900001111":
                await pilot.press(ch)
            await pilot.press("enter")
            for ch in "cold":
                await pilot.press(ch)
            await sim.ring("13700001234", rings=2, every=0.3)  # nobody answers: a missed call
            assert await until(lambda: "+8613700001234" in [x.number for x in screen.lines]), "no call-back listed"
            assert app.screen is dialog and dialog.focused is dialog.query_one("#c-note", Input)
            assert dialog.query_one("#c-number", Input).value == "13900001111"
            for ch in " soup":
                await pilot.press("space" if ch == " " else ch)
            await pilot.press("enter")
            assert await until(lambda: app.screen is screen and "complaint" in [x.kind for x in screen.lines])
            assert [x.kind for x in screen.lines] == ["complaint", "callback"]
            assert screen.lines[0].what == "cold soup" and screen.lines[1].number == "+8613700001234"
            app.live.stop()
            await app.workers.wait_for_complete()
            await pilot.pause()


async def test_a_missed_call_on_the_real_line_lands_above_the_cursor_and_the_cursor_keeps_its_task(sqlite_book):
    """The simulated phone rings and nobody answers: its call-back goes in among the call-backs, above the
    birthday the operator has highlighted; the highlight stays on that birthday, and `c` closes it."""
    from datetime import date

    from modem.phone import Phone
    from modem.sim import SimPhone
    from tui.live import Live

    settings.set("tasks_per_day", 0)
    now = datetime.now(timezone.utc)
    for i in range(30):
        at = now - timedelta(hours=2, minutes=30 - i)
        call = calls.call_started(f"1380000{i:04d}", at=at)
        calls.call_ended(call.id, "missed", at=at)
    shop_today = tasks.local_day(now)
    for i in range(5):
        day = shop_today + timedelta(days=2)
        customers.add_customer(f"寿星{i}", [f"1390000{i:04d}"], birthday=date(1990, day.month, day.day))

    def quick(url, **kwargs):
        return Phone(url, ring_timeout_s=0.8, call_poll_s=0.3, health_every_s=2.0, max_backoff_s=0.5, **kwargs)

    async with SimPhone() as sim:
        app = GuanjiaApp(Book(), language="en",
                         live=lambda a: Live(a.post_message, port=sim.path, name="counter", phone_factory=quick))
        async with app.run_test(size=(80, 24)) as pilot:
            async def until(check) -> bool:
                for _ in range(400):
                    if check():
                        return True
                    await pilot.pause(0.05)
                return False

            assert await until(lambda: app.live.worker.phone is not None and app.live.worker.phone.state == "up")
            await pilot.press("f9")
            assert await until(lambda: isinstance(app.screen, TasksScreen) and len(app.screen.lines) == 35)
            screen = app.screen
            await pilot.press("end", "up", "up")  # the third birthday from the end
            assert await until(lambda: screen.current is not None and screen.current.kind == "birthday")
            chosen = screen.current
            await sim.ring("13700001234", rings=2, every=0.3)
            assert await until(lambda: len(screen.lines) == 36), "the missed call never reached the list"
            assert [x.kind for x in screen.lines].index("birthday") == 31  # the new call-back went in above
            assert screen.current.task_id == chosen.task_id
            table = screen.query_one(DataTable)
            assert await until(lambda: table.cursor_row in _visible_rows(table))  # scrolled to it once drawn
            assert _highlighted_number(app, screen) == chosen.shown_number
            await pilot.press("c")
            assert await until(lambda: Task.get_by_id(chosen.task_id).done_at is not None)
            assert Task.select().where(Task.done_at.is_null(False)).count() == 1
            app.live.stop()
            await app.workers.wait_for_complete()
            await pilot.pause()


async def test_a_key_on_a_row_scrolled_out_of_view_brings_it_back_and_acts_only_when_seen(make_app):
    _missed_day(120)
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _to_tasks(pilot, app)
        table = screen.query_one(DataTable)
        for _ in range(5):
            await pilot.press("down")
        await settle(pilot, app)
        line = screen.current
        table.scroll_relative(y=60, animate=False)  # the mouse wheel: the view moves, the cursor stays
        await settle(pilot, app)
        assert table.cursor_row not in _visible_rows(table)
        for key in ("c", "s", "d"):
            await pilot.press(key)
            await settle(pilot, app)
            assert app.screen is screen and Task.get_by_id(line.task_id).done_at is None, key
            assert _highlighted_number(app, screen) == line.shown_number  # brought back into view
            table.scroll_relative(y=60, animate=False)
            await settle(pilot, app)
        table.scroll_relative(y=-200, animate=False)
        await settle(pilot, app)
        await pilot.press("c")  # seen now: done
        await _until(pilot, app, lambda: Task.get_by_id(line.task_id).done_at is not None)
        assert Task.get_by_id(line.task_id).done_how == "called back"
