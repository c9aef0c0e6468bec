"""`guanjia find`: the desk's search from the command line, with plain-words errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from store import customers
from store.db import close_book, open_book, using
from tui.cli import main

GUANJIA = str(Path(sys.executable).parent / "guanjia")  # the installed program, as a shop runs it


def _book(url: str) -> None:
    db = open_book(url)
    with using(db):
        customers.add_customer("张三", ["13800138000"], tier="金卡")
        customers.add_customer("张三丰", ["13912341234"])
        customers.add_customer("坏\x1b[2J名字[/]", ["13700001234"])
    close_book(db)


def test_find_prints_best_first(book_url, capsys):
    _book(book_url)
    assert main(["find", "--db", book_url, "zs"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == ["张三\t138 0013 8000\t金卡", "张三丰\t139 1234 1234\t普通"]
    assert main(["find", "--db", book_url, "尾号", "1234", "--why"]) == 0
    out = capsys.readouterr().out
    assert "number ending" in out and "\x1b" not in out and "坏 [2J名字[/]" not in out


def test_nothing_found_exits_1(book_url, capsys):
    _book(book_url)
    assert main(["find", "--db", book_url, "nobody-here"]) == 1
    assert capsys.readouterr().out == ""


def test_bad_db_is_a_plain_error(tmp_path):
    run = subprocess.run([GUANJIA, "find", "--db", "mysql://nope/x", "zs"],
                         capture_output=True, text=True)
    assert run.returncode == 2 and "not a database URL" in run.stderr and "Traceback" not in run.stderr
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not sqlite" * 10)
    run = subprocess.run([GUANJIA, "find", "--db", f"sqlite:///{junk}", "zs"],
                         capture_output=True, text=True)
    assert run.returncode == 2 and "not a guanjia book" in run.stderr
