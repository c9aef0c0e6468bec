"""The task list (F9) on a real book: each key closes its task, the status bar counts what is left."""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.widgets import Input, TextArea

from store import calls, customers, settings, tasks
from store.models import Message, Task
from tests.tui.conftest import NOW, screen_text, settle, steady
from tui.config import Config
from tui.screens.confirm import ConfirmScreen
from tui.screens.desk import DeskScreen
from tui.screens.history import HistoryScreen
from tui.screens.task_dialogs import ComplaintDialog, ReasonDialog, TextDialog
from tui.screens.tasks import TasksScreen

HOSTILE = "[bold]坏[/]张\x1b[31m"


def _owed() -> tuple[int, int]:
    """A late complaint from a known customer and a missed call from a stranger; the demo's contacts stay off."""
    settings.set("tasks_per_day", 0)
    customer = customers.add_customer("王投诉", ["13900001111"], created_at=NOW)
    complaint = tasks.complaint("汤是凉的", customer_id=customer.id, at=NOW - timedelta(hours=9))
    call = calls.call_started("13800002222", at=NOW - timedelta(hours=1))
    calls.call_ended(call.id, "missed", at=NOW - timedelta(hours=1))
    tasks.refresh(NOW)
    return complaint.id, customer.id


def _open_tasks() -> list[Task]:
    return list(Task.select().where(Task.done_at.is_null()))


async def _until(pilot, app, condition) -> None:
    """Settle until `condition()` holds (a worker's reply may start another worker on a loaded machine)."""
    for _ in range(20):
        await settle(pilot, app)
        if condition():
            return


async def _to_tasks(pilot, app) -> TasksScreen:
    await settle(pilot, app)
    await pilot.press("f9")
    await _until(pilot, app, lambda: isinstance(app.screen, TasksScreen) and app.screen.query_one("#tasks").row_count)
    assert isinstance(app.screen, TasksScreen)
    return app.screen


async def test_f9_lists_complaints_first_and_called_back_closes_one(make_app):
    _owed()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert "待办 2" in screen_text(app)  # the desk's status bar
        screen = await _to_tasks(pilot, app)
        assert [line.kind for line in screen.lines] == ["complaint", "callback"]
        assert screen.lines[0].overdue  # eight hours to answer, nine gone
        text = screen_text(app)
        assert "投诉" in text and "王投诉" in text and "汤是凉的" in text and "回电" in text
        await pilot.press("down")
        await pilot.press("c")
        await _until(pilot, app, lambda: len(_open_tasks()) == 1)
        assert [line.kind for line in screen.lines] == ["complaint"]
        assert [t.kind for t in _open_tasks()] == ["complaint"]
        assert not calls.pending_callbacks()  # the call-back is noted on the call too
        await pilot.press("escape")
        await _until(pilot, app, lambda: isinstance(app.screen, DeskScreen) and app.screen.status_bar.status.tasks == 1)
        assert isinstance(app.screen, DeskScreen)
        assert app.screen.status_bar.status.tasks == 1 and "待办 1" in screen_text(app)


async def test_dismiss_asks_why_and_keeps_the_reason(make_app):
    complaint_id, _ = _owed()
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _to_tasks(pilot, app)
        await pilot.press("d")
        await settle(pilot, app)
        assert isinstance(app.screen, ReasonDialog)
        await pilot.press("enter")  # no reason: the dialog stays and says so
        await settle(pilot, app)
        assert isinstance(app.screen, ReasonDialog) and "Say why" in screen_text(app)
        for ch in "sorted on the phone":
            await pilot.press("space" if ch == " " else ch)
        await pilot.press("enter")
        await settle(pilot, app)
        assert app.screen is screen and [line.kind for line in screen.lines] == ["callback"]
        row = Task.get_by_id(complaint_id)
        assert (row.done_how, row.reason) == ("dismissed", "sorted on the phone")
        await pilot.press("d")
        await settle(pilot, app)
        await pilot.press("escape")  # backed out: nothing closed
        await settle(pilot, app)
        assert app.screen is screen and len(_open_tasks()) == 1


async def test_text_key_writes_to_the_customer_and_closes_the_task_once_queued(make_app):
    complaint_id, _ = _owed()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _to_tasks(pilot, app)
        await pilot.press("s")
        await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, TextDialog)
        assert dialog.query_one("#to", Input).value == "+8613900001111"
        dialog.query_one("#body", TextArea).focus()
        dialog.query_one("#body", TextArea).text = "抱歉，汤凉了，下次送您甜品"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot, app)
        assert isinstance(app.screen, TasksScreen)
        text = Message.get(Message.number == "+8613900001111")
        assert text.status == "queued" and text.body == "抱歉，汤凉了，下次送您甜品"
        assert Task.get_by_id(complaint_id).done_how == "texted"
        assert [line.kind for line in app.screen.lines] == ["callback"]


async def test_backing_out_of_the_text_leaves_the_task_open(make_app):
    _owed()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _to_tasks(pilot, app)
        await pilot.press("s")
        await settle(pilot, app)
        await pilot.press("escape")
        await settle(pilot, app)
        assert app.screen is screen and len(screen.lines) == 2 and len(_open_tasks()) == 2
        assert not Message.select().where(Message.number == "+8613900001111").exists()


async def test_new_complaint_key_records_one_for_the_number(make_app):
    _owed()
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _to_tasks(pilot, app)
        await pilot.press("n")
        await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, ComplaintDialog)
        assert dialog.query_one("#c-number", Input).value == "+8613900001111"  # the highlighted task's
        dialog.query_one("#c-number", Input).value = "12"
        dialog.query_one("#c-note", Input).value = "waited an hour"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, ComplaintDialog) and "not a phone number" in screen_text(app)
        dialog.query_one("#c-number", Input).value = "139 0000 1111"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is screen
        notes = [line.what for line in screen.lines if line.kind == "complaint"]
        assert "waited an hour" in notes
        new = Task.get(Task.title == "waited an hour")
        assert new.customer.name == "王投诉" and new.number == "+8613900001111"


async def test_enter_shows_the_customers_history(make_app):
    _, customer_id = _owed()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _to_tasks(pilot, app)
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, HistoryScreen) and app.screen.customer_id == customer_id
        await pilot.press("escape")
        await settle(pilot, app)
        assert isinstance(app.screen, TasksScreen)


async def test_hostile_names_and_notes_render_literally(make_app):
    settings.set("tasks_per_day", 0)
    customer = customers.add_customer(HOSTILE, ["13900003333"], created_at=NOW)
    tasks.complaint("[/]菜里有[red]头发[/red]", customer_id=customer.id, at=NOW)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _to_tasks(pilot, app)
        text = screen_text(app)
        assert "[bold]坏[/]张" in text and "\x1b" not in text
        assert "[/]菜里有[red]头发[/red]" in text
        await pilot.press("d")
        await settle(pilot, app)
        assert "[bold]坏[/]张" in screen_text(app)  # the dialog names it literally too


async def test_privacy_mode_masks_numbers_in_the_list(make_app):
    _owed()
    app = make_app(config=Config(privacy=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await _to_tasks(pilot, app)
        text = screen_text(app)
        assert "138****2222" in text and "13800002222" not in text and "138 0000 2222" not in text


async def test_an_empty_list_says_so_and_keys_do_nothing(make_app):
    settings.set("tasks_per_day", 0)
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _to_tasks(pilot, app)
        assert "Nothing owed today" in screen_text(app)
        for key in ("c", "s", "d", "enter"):
            await pilot.press(key)
            await settle(pilot, app)
            assert app.screen is screen


@pytest.mark.parametrize("language", ["zh", "en"])
def test_tasks_80x24(snap_compare, make_app, language):
    settings.set("tasks_per_day", 5)  # a list well short of the screen: no scroll bar to come and go
    customer = customers.add_customer("王投诉", ["13900001111"], created_at=NOW)
    tasks.complaint("汤是凉的，等了四十分钟", customer_id=customer.id, at=NOW - timedelta(hours=9))
    call = calls.call_started("13800002222", at=NOW - timedelta(hours=1))
    calls.call_ended(call.id, "missed", at=NOW - timedelta(hours=1))

    async def run_before(pilot) -> None:
        await _to_tasks(pilot, pilot.app)
        await steady(pilot)

    assert snap_compare(make_app(language), terminal_size=(80, 24), run_before=run_before)


def test_the_status_bar_counts_tasks_and_stops_at_999():
    from tui.widgets.status_bar import LineStatus, status_content

    assert "待办 3" in status_content(LineStatus(tasks=3), "14:30").plain
    assert "待办 999+" in status_content(LineStatus(tasks=1000), "14:30").plain
    assert "待办" not in status_content(LineStatus(tasks=0), "14:30").plain


async def test_privacy_mode_masks_the_number_given_to_a_new_complaint(make_app):
    _owed()
    app = make_app(config=Config(privacy=True))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _to_tasks(pilot, app)
        await pilot.press("n")
        await settle(pilot, app)
        box = app.screen.query_one("#c-number", Input)
        assert box.value == "139****1111" and box.disabled and "13900001111" not in screen_text(app)
        app.screen.query_one("#c-note", Input).value = "又等了很久"
        await pilot.press("ctrl+s")
        await _until(pilot, app, lambda: app.screen is screen)
        assert Task.get(Task.title == "又等了很久").number == "+8613900001111"

