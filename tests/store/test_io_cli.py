"""`guanjia import / export / backup` as an operator runs them."""

from __future__ import annotations

import codecs

import pytest

from store.db import close_book, open_book, using
from store.models import Customer
from tui.cli import main

FILE = "姓名,电话,备注\n张三,13800138000,=1+1\n李四,abc,\n"


@pytest.fixture
def url(tmp_path):
    return f"sqlite:///{tmp_path / 'book.db'}"


@pytest.fixture
def shop_file(tmp_path):
    path = tmp_path / "book.csv"
    path.write_text(FILE, encoding="gbk")
    return path


def customers(url):
    db = open_book(url)
    with using(db):
        names = [c.name for c in Customer.select().order_by(Customer.id)]
    close_book(db)
    return names


def test_dry_run_shows_the_report_and_writes_nothing(url, shop_file, capsys):
    assert main(["import", str(shop_file), "--dry-run", "--db", url]) == 0
    out = capsys.readouterr().out
    assert "csv (gb18030), 2 rows" in out and "new customers:      1" in out
    assert "line 3: 'abc' is not a phone number" in out
    assert customers(url) == []


def test_without_yes_and_without_a_terminal_it_refuses(url, shop_file, capsys):
    assert main(["import", str(shop_file), "--db", url]) == 2
    assert "add --yes" in capsys.readouterr().err
    assert customers(url) == []


def test_yes_imports_and_export_prints_guarded_csv(url, shop_file, capsys, tmp_path):
    assert main(["import", str(shop_file), "--yes", "--db", url]) == 0
    assert "Imported: 1 new, 0 updated" in capsys.readouterr().out
    assert customers(url) == ["张三"]
    assert main(["export", "customers", "--db", url]) == 0
    assert capsys.readouterr().out.splitlines()[1] == "张三,+8613800138000,普通,,,'=1+1"  # a bare number: no quote
    out = tmp_path / "c.csv"
    assert main(["export", "customers", "--db", url, "--output", str(out)]) == 0
    assert out.read_bytes().startswith(codecs.BOM_UTF8)


def test_plain_errors_for_operators(url, tmp_path, capsys):
    assert main(["import", str(tmp_path / "missing.csv"), "--db", url]) == 2
    assert "there is no file" in capsys.readouterr().err
    assert main(["export", "calls", "--format", "xlsx", "--db", url]) == 2
    assert "needs a file name" in capsys.readouterr().err
    assert main(["export", "calls", "--since", "yesterday", "--db", url]) == 2
    assert "is not a date" in capsys.readouterr().err
    assert main(["import", str(tmp_path), "--mapping", "x", "--db", url]) == 2
    assert "is not column=field" in capsys.readouterr().err


def test_backup_prints_size_and_rows_and_guides_postgres(url, shop_file, tmp_path, capsys):
    main(["import", str(shop_file), "--yes", "--db", url])
    capsys.readouterr()
    target = tmp_path / "backup.db"
    assert main(["backup", str(target), "--db", url]) == 0
    out = capsys.readouterr().out
    assert "integrity ok" in out and "customer: 1 rows" in out
    assert main(["backup", str(target), "--db", url]) == 2
    assert "add --force" in capsys.readouterr().err
    assert main(["backup", str(tmp_path / "x.dump"), "--db", "postgresql://me:pw@db:6543/shop"]) == 0
    out = capsys.readouterr().out
    assert "pg_dump --format=custom" in out and "--port=6543" in out and "pw" not in out.replace("PGPASSWORD", "")


def test_hostile_names_never_reach_the_terminal_as_control_codes(url, tmp_path, capsys):
    from tests.hostile import FORBIDDEN, HOSTILE

    path = tmp_path / "hostile.csv"
    rows = "".join(f'"{h.replace(chr(34), chr(34) * 2)}",{1380013800 + i}{i % 10}\n' for i, h in enumerate(HOSTILE))
    path.write_text("姓名,电话\n" + rows + '"\x1b[31m坏\x07","\x1b[31m138\x1b]0;x\x07"\n', encoding="utf-8")
    assert main(["import", str(path), "--dry-run", "--db", url]) == 0
    out = capsys.readouterr().out
    assert "'[31m138]0' is not a phone number" in out  # the file's text, shown without its escape codes
    for bad in FORBIDDEN:
        assert bad not in out
