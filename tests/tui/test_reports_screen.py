"""The reports screen through Pilot: F10, picking a report and a period, charts, export, hostile names."""

from __future__ import annotations

import csv
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.widgets import DataTable, OptionList

from store import customers, visits
from store.models import Call
from tests.hostile import FORBIDDEN, HOSTILE, visible_marker
from tests.tui.conftest import NOW, screen_text, settle, steady
from tui.screens.reports import ReportLoaded, ReportsScreen
from tui.widgets.bar_chart import Bar, BarChart, bar, lines


def _reports_dir() -> Path:
    return Path(os.environ["XDG_DATA_HOME"]) / "guanjia" / "reports"


async def _open(pilot, app) -> ReportsScreen:
    await settle(pilot, app)
    await pilot.press("f10")
    await settle(pilot, app)
    assert isinstance(app.screen, ReportsScreen)
    return app.screen


async def test_f10_opens_calls_over_30_days(make_app):
    seen: list[ReportLoaded] = []
    app = make_app()
    async with app.run_test(size=(80, 24), message_hook=lambda m: seen.append(m)
                            if isinstance(m, ReportLoaded) else None) as pilot:
        screen = await _open(pilot, app)
        report = screen.report
        assert report.kind == "calls" and report.period.days == 30 and report.period.last.isoformat() == "2026-11-25"
        assert [(m.token, m.report.kind) for m in seen] == [(1, "calls")]
        table = screen.query_one("#report-table", DataTable)
        assert table.row_count == 31  # 30 days and the total
        assert [str(c.label) for c in table.columns.values()][:3] == ["日期", "来电", "接听"]
        text = screen_text(app)
        assert "报表 · 来电统计 · 2026-10-27 — 2026-11-25" in text and "图表：来电" in text
        assert table.get_row_at(table.row_count - 1)[0].plain == "合计"
        # 27 October 00:00 to 26 November 00:00 at the shop, in UTC
        start, end = datetime(2026, 10, 26, 16, tzinfo=timezone.utc), datetime(2026, 11, 25, 16, tzinfo=timezone.utc)
        incoming = Call.select().where((Call.direction == "in") & (Call.started_at >= start)
                                       & (Call.started_at < end)).count()
        assert incoming > 0 and sum(report.column("incoming")) == report.total[1] == incoming
        chart = screen.query_one("#report-bars", BarChart)
        assert [b.label for b in chart.bars][-1] == "2026-11-25"
        assert "█" in text or any(ch in text for ch in "▏▎▍▌▋▊▉")


async def test_switch_report_period_and_measure(make_app):
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot, app)
        await pilot.press("down")
        await settle(pilot, app)
        assert screen.report.kind == "hours" and len(screen.report.rows) == 24
        await pilot.press("5")
        await settle(pilot, app)
        assert screen.report.period.days > 300 and screen.report.period.first.isoformat() == "2025-12-01"
        assert "Reports · Calls by hour · 2025-12-01 — 2026-11-25" in screen_text(app)
        await pilot.press("1")
        await settle(pilot, app)
        assert screen.report.period.days == 1
        assert "Reports · Calls by hour · 2026-11-25 " in screen_text(app) and "Chart: Incoming" in screen_text(app)
        await pilot.press("3", "v")
        await settle(pilot, app)
        assert "Chart: Missed" in screen_text(app)
        kinds = screen.query_one("#report-kinds", OptionList)
        for _ in range(6):
            await pilot.press("down")
        await settle(pilot, app)
        assert screen.report.kind == "campaigns" and kinds.highlighted == 7
        assert screen.report.rows == () and "Nothing in this period" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot, app)
        assert not isinstance(app.screen, ReportsScreen)


async def _export(pilot, app, key: str, folder: str | None = None) -> str:
    """Press `key`, (re)write the folder if given, Enter; what the dialog showed."""
    from textual.widgets import Input

    from tui.screens.save_to import SaveTo

    from tui.i18n import t

    await pilot.press(key)
    await settle(pilot, app)
    assert isinstance(app.screen, SaveTo)
    for _ in range(100):  # the dialog is painted a frame after it is pushed
        shown = screen_text(app)
        if t("save_to.title") in shown:
            break
        await pilot.pause(0.02)
    shown += "\n" + app.screen.query_one("#folder", Input).value
    if folder is not None:
        app.screen.query_one("#folder", Input).value = folder
    await pilot.press("enter")
    await settle(pilot, app)
    return shown


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A home with a Documents folder, as a desktop has."""
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_DOCUMENTS_DIR", raising=False)
    return home


async def test_export_writes_a_readable_file_and_never_overwrites(make_app, home):
    app = make_app()
    folder = home / "Documents" / "guanjia"
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot, app)
        shown = await _export(pilot, app, "e")
        # the operator sees where it goes and may change it; the keys are in the dialog's footer
        assert "保存到哪个文件夹" in shown and str(folder) in shown and "calls-2026-10-27-2026-11-25.csv" in shown
        assert "从不覆盖" in shown and "^s" in shown and "esc" in shown
        await _export(pilot, app, "e")
        await _export(pilot, app, "x")
        names = sorted(p.name for p in folder.iterdir())
        assert names == ["calls-2026-10-27-2026-11-25-2.csv", "calls-2026-10-27-2026-11-25.csv",
                         "calls-2026-10-27-2026-11-25.xlsx"]
        assert not _reports_dir().exists()  # nothing in the hidden data dir
        with open(folder / names[1], encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))
        assert rows[0] == ["日期", "来电", "接听", "未接", "拒接", "接听率%", "去电", "通话分钟"]
        assert rows[1][0] == "2026-10-27" and rows[-1][0] == "合计" and len(rows) == 32
        assert int(rows[-1][1]) == screen.report.total[1]
        notes = [n.message for n in app._notifications]
        assert any(str(folder / names[1]) in n for n in notes)

        from openpyxl import load_workbook

        sheet = load_workbook(folder / names[2]).active
        assert [c.value for c in next(sheet.iter_rows())][:2] == ["日期", "来电"]


async def test_export_goes_where_the_operator_says_and_esc_saves_nothing(make_app, home, tmp_path):
    app = make_app("en")
    elsewhere = tmp_path / "shop" / "reports"
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, app)
        await _export(pilot, app, "e", str(elsewhere))
        assert [p.name for p in elsewhere.iterdir()] == ["calls-2026-10-27-2026-11-25.csv"]
        shown = await _export(pilot, app, "x")  # the next one starts in the folder just chosen
        assert str(elsewhere) in shown and "Save in which folder?" in shown
        await pilot.press("e")
        await settle(pilot, app)
        await pilot.press("escape")
        await settle(pilot, app)
        assert isinstance(app.screen, ReportsScreen)
        assert sorted(p.name for p in elsewhere.iterdir()) == ["calls-2026-10-27-2026-11-25.csv",
                                                               "calls-2026-10-27-2026-11-25.xlsx"]
        assert not (home / "Documents" / "guanjia").exists()


async def test_without_a_documents_folder_export_offers_the_current_one(make_app, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "bare-home"))
    monkeypatch.delenv("XDG_DOCUMENTS_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, app)
        await _export(pilot, app, "e")
        assert (tmp_path / "calls-2026-10-27-2026-11-25.csv").exists()


async def test_hostile_customer_names_render_literally(make_app):
    for i, name in enumerate(HOSTILE):
        person = customers.add_customer(name, [f"+86139{i:08d}"])
        visits.record_visit(person.id, at=NOW - timedelta(hours=1), amount_cents=1_000_000 + i)
    app = make_app()
    async with app.run_test(size=(120, 50)) as pilot:
        screen = await _open(pilot, app)
        await pilot.press("down", "down", "down", "down")
        await settle(pilot, app)
        assert screen.report.kind == "customers"
        shown = screen_text(app)
        assert not any(ch in shown for ch in FORBIDDEN)
        for name in HOSTILE[:8]:
            assert visible_marker(name) in shown, name
        assert app.is_running


def test_bars_align_by_cells_with_wide_labels():
    rows = lines([Bar("张三丰", 10, "10"), Bar("Li", 5, "5"), Bar("王", None, "—"), Bar("x" * 80, 0, "0")], 40)
    texts = [row.plain for row in rows]
    assert all(cell_len(t) == 40 for t in texts)
    starts = [cell_len(t[: t.index("█")]) for t in texts[:2]]
    assert texts[0].startswith("张三丰 ") and texts[1].startswith("Li     ")
    assert starts == [14, 14]  # the longest label is cut to a third of the width (13 cells), then a space
    assert bar(1, 2, 10) == "█████" and bar(1, 32, 1) == "" and bar(3, 16, 1) == "▎"
    assert bar(1, 8 * 10, 10) == "▏" and bar(0, 0, 10) == ""
    assert texts[0].rstrip().endswith("10") and "█" * 10 in texts[0]


async def test_the_screen_answers_keys_while_a_report_is_counted(make_app, monkeypatch):
    import threading

    from tui.screens import reports as screen_module

    held, real = threading.Event(), screen_module.read_report

    def slow_calls(kind, period_name, now):
        if kind == "calls":
            held.wait(30)  # a year on a big book: the worker waits, the screen must not
        return real(kind, period_name, now)

    monkeypatch.setattr(screen_module, "read_report", slow_calls)
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f10")
        for _ in range(50):
            await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReportsScreen) and screen.report is None
        assert "Counting…" in screen_text(app)
        await pilot.press("down")  # another report while the first is still being counted
        for _ in range(200):
            await pilot.pause(0.01)
            if screen.report is not None:
                break
        assert screen.report is not None and screen.report.kind == "hours"
        held.set()  # the late answer to the first question is dropped, not shown over the second
        await settle(pilot, app)
        assert screen.report.kind == "hours" and "Calls by hour" in screen_text(app)


async def _steady(pilot) -> None:
    await settle(pilot, pilot.app)
    await pilot.press("f10")
    await steady(pilot)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_reports_80x24(snap_compare, make_app, language):
    assert snap_compare(make_app(language), terminal_size=(80, 24), run_before=_steady)


def test_top_customers_80x24_zh(snap_compare, make_app):
    async def run_before(pilot) -> None:
        await _steady(pilot)
        await pilot.press("down", "down", "down", "down")
        await steady(pilot)

    assert snap_compare(make_app("zh"), terminal_size=(80, 24), run_before=run_before)
