"""`guanjia campaign`: new, preview, start, pause, resume, cancel, status, list, and plain-words errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from store import customers, messages, templates
from store.db import close_book, open_book, using
from tui.cli import main

GUANJIA = str(Path(sys.executable).parent / "guanjia")


@pytest.fixture
def url(tmp_path):
    url = f"sqlite:///{tmp_path / 'book.db'}"
    db = open_book(url)
    with using(db):
        customers.add_customer("张三", ["13800138000"], tier="金卡", tags=["vip"])
        customers.add_customer("李四", ["13900139000"], tier="银卡")
        customers.add_customer("王五", ["13700137000"], tier="金卡")
        customers.opt_out(customers.customer_by_number("13700137000"), "SMS: T")
        customers.add_customer("坏\x1b[2J名[/]", ["13600136000"], tier="金卡")
        templates.add_template("五月", "{name}您好，五月全场8折", category="promotion")
    close_book(db)
    return url


def _run(capsys, *argv) -> tuple[int, str]:
    code = main(["campaign", *argv])
    return code, capsys.readouterr().out


def test_a_campaign_from_the_shell(url, capsys):
    code, out = _run(capsys, "new", "--db", url, "--name", "五月促销", "--template", "五月", "--tier", "金卡",
                     "--save-filter", "金卡客")
    assert code == 0 and "campaign #1 created (draft): 2 recipient(s); left out: 1 opted out" in out
    code, out = _run(capsys, "preview", "1", "--db", url, "--first", "1")
    assert code == 0
    assert "张三 (138 0013 8000), 1 part(s):\n  张三您好，五月全场8折 回T退订\n" in out
    assert "2 recipient(s); left out: 1 opted out" in out and "cost 0.20 at 0.10 a part" in out
    assert "\x1b" not in out
    code, out = _run(capsys, "--db", url, "start", "1")
    assert code == 0 and "running: 2 recipient(s)" in out
    code, out = _run(capsys, "pause", "1", "--db", url)
    assert (code, out) == (0, "campaign #1 paused\n")
    code, out = _run(capsys, "resume", "1", "--db", url)
    assert (code, out) == (0, "campaign #1 running\n")
    code, out = _run(capsys, "status", "1", "--db", url)
    assert code == 0 and "2 recipient(s): 0 sent (0 delivered)" in out and "2 waiting" in out
    assert "done by about" in out and "at 20 a minute, quiet 22:00-08:00" in out
    db = open_book(url)
    with using(db):
        from store import campaigns
        campaigns.top_up(5)
        while (m := messages.claim_next_queued("t")) is not None:
            messages.mark_sent(m, [m.id])
        campaigns.top_up(5)  # the worker's next round sees nothing left and closes it
        messages.apply_delivery_report(1, "13800138000", "delivered")
    close_book(db)
    code, out = _run(capsys, "status", "1", "--db", url)
    assert "finished" in out and "2 sent (1 delivered), 0 failed" in out
    code, out = _run(capsys, "list", "--db", url)
    assert out == "#1\tfinished\t五月促销\t2/2\n"
    # The saved filter makes the next one.
    code, out = _run(capsys, "new", "--db", url, "--name", "again", "--text", "hi {name}", "--filter", "金卡客")
    assert code == 0 and "2 recipient(s)" in out
    code, out = _run(capsys, "start", "2", "--db", url, "--at", "2099-01-01T09:00")
    assert code == 0 and "scheduled for 2099-01-01 09:00" in out
    code, out = _run(capsys, "cancel", "2", "--db", url)
    assert out == "campaign #2 cancelled\n"


def test_filters_from_the_shell(url, capsys):
    _, out = _run(capsys, "new", "--db", url, "--name", "vip", "--text", "x", "--tag", "vip")
    assert "1 recipient(s)" in out
    _, out = _run(capsys, "new", "--db", url, "--name", "svc", "--text", "x", "--not-marketing")
    assert "4 recipient(s)" in out  # a service text reaches the opted-out customer too
    _, out = _run(capsys, "new", "--db", url, "--name", "m", "--text", "x", "--birthday-month", "5",
                  "--not-seen-days", "30", "--min-spend", "10")
    assert "0 recipient(s)" in out


@pytest.mark.parametrize("argv, words", [
    (["start", "42"], "there is no campaign #42"),
    (["pause", "1"], "is draft: it cannot pause now"),
    (["new", "--name", "x", "--template", "nope"], "no template called 'nope'"),
    (["new", "--name", "x", "--text", "x", "--filter", "nope"], "no saved filter 'nope'"),
    (["new", "--name", "x", "--text", "x", "--tier", "黑卡"], "no tier called '黑卡'"),
    (["new", "--name", "x", "--text", "x", "--birthday-month", "13"], "1 to 12"),
    (["new", "--name", " ", "--text", "x"], "needs a name"),
    (["start", "1", "--at", "tomorrow-ish"], "is not a time"),
    (["new", "--name", "x", "--text", "您好 {nmae}"], "{nmae} cannot be filled in; use {name}"),
])
def test_plain_words_errors(url, capsys, argv, words):
    assert main(["campaign", "new", "--db", url, "--name", "first", "--text", "x"]) == 0
    capsys.readouterr()
    assert main(["campaign", *argv, "--db", url]) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err


def test_the_installed_program_exits_non_zero(url):
    run = subprocess.run([GUANJIA, "campaign", "cancel", "7", "--db", url], capture_output=True, text=True)
    assert run.returncode == 2 and "no campaign #7" in run.stderr and "Traceback" not in run.stderr
    run = subprocess.run([GUANJIA, "campaign"], capture_output=True, text=True)
    assert run.returncode != 0
