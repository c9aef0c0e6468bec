"""The command line speaks the shop's language: LANG decides, `--lang zh|en` overrides on every subcommand.

Each test runs the real `guanjia` program in a subprocess, as an operator does.
"""

from __future__ import annotations

import csv
import io
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from store.customers import add_customer
from store.db import close_book, open_book, using
from store.models import Call, Customer

GUANJIA = str(Path(sys.executable).parent / "guanjia")
ZH, EN = "zh_CN.UTF-8", "C.UTF-8"
BAD_ROWS = "姓名,电话,生日,等级\n测试甲,13800138001,1990-13-45,VIP\n测试乙,13800138002,,金卡会员\n坏号,12,,\n"


def guanjia(*argv: str, lang: str = ZH, stdin=subprocess.DEVNULL, columns: int = 80) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LC_")}
    env.update(LANG=lang, COLUMNS=str(columns))
    return subprocess.run([GUANJIA, *argv], capture_output=True, text=True, env=env, stdin=stdin, timeout=60)


@pytest.fixture
def url(tmp_path):
    return f"sqlite:///{tmp_path / 'book.db'}"


@pytest.fixture
def bad_file(tmp_path):
    path = tmp_path / "客户.csv"
    path.write_text(BAD_ROWS, encoding="utf-8")
    return path


@pytest.mark.parametrize("argv", [["--help"], ["import", "--help"], ["export", "--help"], ["campaign", "new", "--help"]])
def test_help_is_chinese_under_a_chinese_lang_and_english_under_c(argv):
    zh, en = guanjia(*argv, lang=ZH), guanjia(*argv, lang=EN)
    assert zh.returncode == en.returncode == 0
    assert zh.stdout.startswith("用法：") and "显示这段帮助并退出" in zh.stdout
    assert "usage:" not in zh.stdout and "show this help" not in zh.stdout
    assert en.stdout.startswith("usage:") and "show this help message and exit" in en.stdout
    assert "用法" not in en.stdout


def test_lang_overrides_lang_on_any_subcommand_before_or_after_it():
    assert guanjia("--lang", "en", "import", "--help", lang=ZH).stdout.startswith("usage:")
    assert guanjia("import", "--help", "--lang=zh", lang=EN).stdout.startswith("用法：")
    assert guanjia("campaign", "list", "--help", "--lang", "zh", lang=EN).stdout.startswith("用法：")


def test_chinese_help_fits_an_80_column_terminal():
    from rich.cells import cell_len

    for argv in (["--help"], ["import", "--help"], ["export", "--help"], ["report", "--help"]):
        widest = {lang: max(cell_len(line) for line in guanjia(*argv, lang=lang, columns=80).stdout.splitlines())
                  for lang in (ZH, EN)}
        # no wider than 80, or than English where argparse cannot break a line ({calls,hours,...})
        assert widest[ZH] <= max(80, widest[EN]), argv


def test_argparse_errors_are_chinese():
    run = guanjia("export", "bogus")
    assert run.returncode == 2
    assert "出错" in run.stderr and "没有 'bogus' 这个选项" in run.stderr and "invalid choice" not in run.stderr
    run = guanjia("import")
    assert run.returncode == 2 and "缺少这些参数" in run.stderr


def test_plain_errors_are_chinese(url, tmp_path):
    run = guanjia("import", str(tmp_path / "没有.csv"), "--db", url)
    assert run.returncode == 2 and "没有文件" in run.stderr and "there is no file" not in run.stderr
    run = guanjia("export", "calls", "--format", "xlsx", "--db", url)
    assert run.returncode == 2 and "需要文件名" in run.stderr
    run = guanjia("import", str(tmp_path), "--mapping", "x", "--db", url)
    assert run.returncode == 2 and "“x”不是“列=字段”的写法" in run.stderr
    english = guanjia("import", str(tmp_path / "none.csv"), "--db", url, lang=EN)
    assert "there is no file" in english.stderr


def test_the_import_report_is_chinese_and_keeps_the_customer_with_a_bad_birthday(url, bad_file):
    run = guanjia("import", str(bad_file), "--dry-run", "--db", url)
    assert run.returncode == 0, run.stderr
    out = run.stdout
    assert "新客户：        2" in out and "无效（跳过）：  1" in out
    assert "第 2 行：生日：“1990-13-45”不是日期" in out
    assert "第 2 行：等级：本店没有“VIP”这个等级，按“普通”导入" in out
    assert "第 3 行：等级：等级“金卡会员”按“金卡”导入" in out
    assert "第 4 行：“12”不是电话号码" in out
    assert "line" not in out and "new customers" not in out


def test_the_import_report_in_english(url, bad_file):
    out = guanjia("import", str(bad_file), "--dry-run", "--db", url, lang=EN).stdout
    assert "new customers:      2" in out
    assert "line 2: birthday: '1990-13-45' is not a date" in out
    assert "line 2: tier: the shop has no tier 'VIP'; imported as '普通'" in out


def test_the_question_is_asked_in_chinese_and_answered_with_shi(url, bad_file):
    master, slave = pty.openpty()
    try:
        os.write(master, "是\n".encode())
        run = guanjia("import", str(bad_file), "--tier-map", "VIP=金卡", "--db", url, stdin=slave)
    finally:
        os.close(slave)
        os.close(master)
    assert run.returncode == 0, run.stderr
    assert "导入 2 位新客户并更新 0 位客户吗？[是/否，y/N]" in run.stdout and "[y/N] " not in run.stdout.replace(
        "[是/否，y/N]", "")
    assert "已导入：新增 2 位，更新 0 位" in run.stdout
    db = open_book(url)
    with using(db):
        kept = {c.name: (c.tier, c.birthday) for c in Customer.select()}
    close_book(db)
    assert kept == {"测试甲": ("金卡", None), "测试乙": ("金卡", None)}


def test_find_says_why_in_chinese(url):
    db = open_book(url)
    with using(db):
        add_customer("张三丰", ["13912345334"])
    close_book(db)
    run = guanjia("find", "5334", "--why", "--db", url)
    assert run.returncode == 0 and run.stdout.strip().endswith("号码结尾")
    assert guanjia("find", "5334", "--why", "--db", url, lang=EN).stdout.strip().endswith("number ending")


def _with_a_call(url):
    from datetime import datetime, timezone

    db = open_book(url)
    with using(db):
        customer = add_customer("张三", ["13800138000"])
        Call.create(number="+8613800138000", customer=customer.id, direction="in", outcome="answered",
                    started_at=datetime(2026, 5, 1, 1, 30, tzinfo=timezone.utc), duration_s=42)
    close_book(db)


def test_export_keeps_its_columns_with_shop_times_and_bare_numbers(url):
    _with_a_call(url)
    for lang in (ZH, EN):
        run = guanjia("export", "calls", "--db", url, lang=lang)
        assert run.returncode == 0, run.stderr
        rows = list(csv.reader(io.StringIO(run.stdout.lstrip("\ufeff"))))
        assert rows == [["started_at", "number", "customer", "direction", "outcome", "duration_s"],
                        ["2026-05-01T09:30:00+08:00", "+8613800138000", "张三", "in", "answered", "42"]]


def test_export_never_overwrites_a_file_without_force(url, tmp_path):
    _with_a_call(url)
    out = tmp_path / "calls.csv"
    out.write_text("老板的表", encoding="utf-8")
    run = guanjia("export", "calls", "--db", url, "-o", str(out))
    assert run.returncode == 2 and "已存在" in run.stderr and "--force" in run.stderr
    assert out.read_text(encoding="utf-8") == "老板的表"
    run = guanjia("export", "calls", "--db", url, "-o", str(out), "--force")
    assert run.returncode == 0 and "1 条通话已写入" in run.stderr
    assert "+8613800138000" in out.read_text(encoding="utf-8-sig")
    english = guanjia("export", "calls", "--db", url, "-o", str(out), lang=EN)
    assert english.returncode == 2 and "already exists" in english.stderr


def test_a_book_that_cannot_be_opened_is_said_in_chinese(tmp_path):
    run = guanjia("find", "zs", "--db", f"sqlite:///{tmp_path}")
    assert run.returncode == 2 and "是文件夹，不是数据库文件" in run.stderr and "is a folder" not in run.stderr
    run = guanjia("find", "zs", "--db", "mysql://x")
    assert run.returncode == 2 and "不是数据库地址" in run.stderr


def test_campaign_refusals_are_chinese(url):
    run = guanjia("campaign", "pause", "7", "--db", url)
    assert run.returncode == 2 and "没有活动 #7" in run.stderr
    new = guanjia("campaign", "new", "--db", url, "--name", "五月", "--text", "你好")
    assert new.returncode == 0 and "活动 #1 已建好（草稿）" in new.stdout
    run = guanjia("campaign", "resume", "1", "--db", url)
    assert run.returncode == 2 and "活动 #1 现在是“草稿”，不能继续" in run.stderr


def test_the_configs_language_is_the_shops_when_no_lang_is_given(tmp_path):
    config = Path(os.environ["XDG_CONFIG_HOME"]) / "guanjia" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('[desk]\nlanguage = "en"\n', encoding="utf-8")
    assert guanjia("--help", lang=ZH).stdout.startswith("usage:")
    assert guanjia("--help", "--lang", "zh", lang=ZH).stdout.startswith("用法：")


@pytest.mark.parametrize("argv, lang, expected", [
    (["--lang", "en"], ZH, "en"), ([], ZH, "zh"), ([], EN, "en"), (["--lang", "zh"], EN, "zh")])
def test_the_desk_speaks_the_language_asked_for(argv, lang, expected, url, monkeypatch):
    from tui.cli import main

    opened = []

    class Desk:  # the desk app, recorded instead of run
        def __init__(self, book, config, *, language, live):
            opened.append(language)
            self.return_code = 0

        def run(self):
            pass

    monkeypatch.setenv("LANG", lang)
    monkeypatch.setattr("tui.app.GuanjiaApp", Desk)
    assert main([*argv, "--db", url, "--port", "sim://"]) == 0
    assert opened == [expected]
