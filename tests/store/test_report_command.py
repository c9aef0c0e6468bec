"""`guanjia report` as an operator or a script runs it."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from store import calls, customers, visits
from store.db import close_book, open_book, using
from store.reports import KINDS
from tui.cli import main
from tui.commands import report as command

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def url(tmp_path):
    url = f"sqlite:///{tmp_path / 'book.db'}"
    db = open_book(url)
    with using(db):
        for at, outcome in ((datetime(2026, 5, 1, 0, 0, tzinfo=SHANGHAI), "answered"),
                            (datetime(2026, 5, 2, 23, 59, tzinfo=SHANGHAI), "missed"),
                            (datetime(2026, 5, 3, 0, 0, tzinfo=SHANGHAI), "missed")):
            row = calls.call_started("13800138001", at=at)
            calls.call_ended(row.id, outcome, duration_s=0, at=at)
        odd = customers.add_customer("=1+2 张三", ["13800138002"], tier="金卡")
        visits.record_visit(odd.id, at=datetime(2026, 5, 2, 12, 0, tzinfo=SHANGHAI), amount_cents=12_345)
    close_book(db)
    return url


def test_the_kinds_match_the_store():
    assert command.KINDS == KINDS


def test_table_on_screen(url, capsys):
    assert main(["report", "calls", "--from", "2026-05-01", "--to", "2026-05-03", "--db", url]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["day", "incoming", "answered", "missed", "rejected", "answer_rate", "outgoing",
                                "talk_minutes"]
    assert lines[1].split() == ["2026-05-01", "1", "1", "0", "0", "100.0", "0", "0"]
    assert lines[2].split() == ["2026-05-02", "1", "0", "1", "0", "0.0", "0", "0"]
    assert lines[4].split() == ["total", "3", "1", "2", "0", "33.3", "0", "0"]


def test_the_table_speaks_chinese_under_lang_zh(url, capsys):
    assert main(["report", "calls", "--from", "2026-05-01", "--to", "2026-05-03", "--db", url, "--lang", "zh"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:2] == ["日期", "来电"] and lines[4].split()[0] == "合计"
    assert main(["report", "calls", "--from", "2026-05-03", "--to", "2026-05-01", "--db", url, "--lang", "zh"]) == 2
    assert "之前就结束了" in capsys.readouterr().err


def test_wide_names_line_up(url, capsys):
    assert main(["report", "customers", "--from", "2026-05-01", "--to", "2026-05-03", "--db", url]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1].startswith("=1+2 张三  金卡") and out[1].split()[-3:] == ["1", "123.45", "123.45"]
    from rich.cells import cell_len

    assert cell_len(out[0][: out[0].index("tier")]) == cell_len(out[1][: out[1].index("金卡")])


def test_csv_to_stdout_guards_formulas(url, capfdbinary):
    assert main(["report", "customers", "--from", "2026-05-01", "--to", "2026-05-03", "--format", "csv",
                 "--db", url]) == 0
    data = capfdbinary.readouterr().out
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["customer", "tier", "visits", "spend", "average"], ["'=1+2 张三", "金卡", "1", "123.45",
                                                                         "123.45"]]


def test_files_are_new_or_refused(url, tmp_path, capsys):
    out = tmp_path / "calls.xlsx"
    assert main(["report", "callbacks", "--from", "2026-05-01", "--to", "2026-05-03", "--out", str(out),
                 "--db", url]) == 0
    assert "4 rows written" in capsys.readouterr().err
    from openpyxl import load_workbook

    values = [[c.value for c in row] for row in load_workbook(out).active.iter_rows()]
    assert values[0] == ["day", "missed", "returned", "return_rate", "median_minutes", "pending"]
    assert values[2] == ["2026-05-02", 1, 0, 0, None, 1] and values[-1][0] == "total"
    before = out.read_bytes()
    assert main(["report", "calls", "--out", str(out), "--db", url]) == 2
    assert "already exists" in capsys.readouterr().err and out.read_bytes() == before


@pytest.mark.parametrize("argv, says", [
    (["--from", "May 1"], "is not a date"),
    (["--from", "2026-05-03", "--to", "2026-05-01"], "ends"),
    (["--format", "xlsx"], "needs a file name"),
])
def test_plain_words_errors(url, capsys, argv, says):
    assert main(["report", "calls", *argv, "--db", url]) == 2
    assert says in capsys.readouterr().err


def test_default_period_is_the_last_30_days(url, capsys):
    assert main(["report", "calls", "--db", url]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 + 30 + 1
    today = date.fromisoformat(lines[30].split()[0])
    assert (today - date.fromisoformat(lines[1].split()[0])).days == 29
