"""Exports: exact columns, shop-zone times with their offset, E.164, formula cells that cannot run, paging, round trip."""

from __future__ import annotations

import codecs
import csv
import io
from datetime import date, datetime, timedelta, timezone

import pytest

from store.customers import NewCustomer, add_many
from store.io import export
from store.io.export import CannotExport, export_to, write_csv
from store.io.importer import import_file
from store.models import Call, Customer, Message, Phone
from tests.hostile import HOSTILE

FORMULAS = ["=cmd|' /C calc'!A0", "+1+1", "@SUM(1)", "-2+3", "\t=1", "\r=1", "＝1+1", "＋1", "－1", "＠A1"]


def parsed(kind, since=None):
    out = io.StringIO(newline="")
    count = write_csv(kind, out, since)
    rows = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert count == len(rows) - 1
    return rows


@pytest.fixture
def shop(book):
    ids = add_many([
        NewCustomer("张三", ("13800138000", "13900139000"), tier="金卡", birthday=date(1990, 5, 1),
                    tags=("老客户", "VIP"), notes="爱吃辣"),
        NewCustomer("=cmd|' /C calc'!A0", ("13700137000",), notes="+1+1", tags=("@SUM(1)",)),
    ])
    t0 = datetime(2026, 5, 1, 1, 30, tzinfo=timezone.utc)
    Call.create(number="+8613800138000", customer=ids[0], direction="in", started_at=t0, outcome="answered",
                duration_s=42)
    Call.create(number="+8613600136000", direction="in", started_at=t0 + timedelta(days=1), outcome="missed")
    Message.create(direction="in", number="+8613800138000", customer=ids[0], body="-2+3 到了吗？", status="received",
                   at=t0)
    return ids


def test_calls_csv_has_exactly_the_promised_columns(shop):
    assert parsed("calls") == [
        ["started_at", "number", "customer", "direction", "outcome", "duration_s"],
        ["2026-05-01T09:30:00+08:00", "+8613800138000", "张三", "in", "answered", "42"],
        ["2026-05-02T09:30:00+08:00", "+8613600136000", "", "in", "missed", "0"],
    ]


def test_messages_and_customers_columns(shop):
    assert parsed("messages") == [
        ["at", "direction", "number", "customer", "status", "body"],
        ["2026-05-01T09:30:00+08:00", "in", "+8613800138000", "张三", "received", "'-2+3 到了吗？"],
    ]
    assert parsed("customers") == [
        ["name", "phones", "tier", "birthday", "tags", "notes"],
        ["张三", "+8613800138000;+8613900139000", "金卡", "1990-05-01", "老客户;VIP", "爱吃辣"],
        ["'=cmd|' /C calc'!A0", "+8613700137000", "普通", "", "'@SUM(1)", "'+1+1"],
    ]


def test_since_keeps_later_rows_only(shop):
    since = datetime(2026, 5, 2, tzinfo=timezone.utc)
    assert [r[1] for r in parsed("calls", since)] == ["number", "+8613600136000"]


def test_paging_reads_every_row_once(shop, monkeypatch):
    monkeypatch.setattr(export, "PAGE", 1)
    assert len(parsed("calls")) == 3 and len(parsed("customers")) == 3


def test_every_formula_start_is_guarded_in_csv(book):
    add_many([NewCustomer(f"客户{i}", (f"1380013800{i}",), notes=f) for i, f in enumerate(FORMULAS)])
    notes = [r[5] for r in parsed("customers")[1:]]
    assert notes == ["'" + f for f in FORMULAS]


def test_csv_files_start_with_the_bom_and_are_owner_only(shop, tmp_path):
    path = tmp_path / "calls.csv"
    assert export_to("calls", "csv", path) == 2
    assert path.read_bytes().startswith(codecs.BOM_UTF8)
    assert path.stat().st_mode & 0o777 == 0o600
    assert not path.with_name("calls.csv.part").exists()


def test_xlsx_cells_are_strings_never_formulas(shop, tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "customers.xlsx"
    assert export_to("customers", "xlsx", path) == 2
    sheet = load_workbook(path).active
    rows = [[(c.value, c.data_type) for c in row] for row in sheet.iter_rows()]
    assert rows[2][0] == ("=cmd|' /C calc'!A0", "s")
    assert rows[2][5] == ("+1+1", "s")
    assert rows[1][1] == ("+8613800138000;+8613900139000", "s")
    calls = tmp_path / "calls.xlsx"
    export_to("calls", "xlsx", calls)
    assert [(c.value, c.data_type) for c in next(load_workbook(calls).active.iter_rows(min_row=2))][5] == (42, "n")


def test_vcards_only_for_customers(shop, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(CannotExport, match="only customers"):
        export_to("calls", "vcf", out / "x.vcf")
    with pytest.raises(CannotExport, match="not a format"):
        export_to("calls", "pdf", out / "x.pdf")
    assert not list(out.iterdir())


def _book_facts():
    facts = {}
    for c in Customer.select():
        numbers = tuple(p.number for p in Phone.select().where(Phone.customer == c.id)
                        .order_by(Phone.is_primary.desc(), Phone.id))
        facts[numbers] = (c.name, c.tier, c.birthday, c.birthday_lunar, c.lunar_month, c.lunar_day, c.tag_list,
                          c.notes)
    return facts


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "vcf"])
def test_round_trip_export_then_import_into_an_empty_book(book, tmp_path, fmt):
    from store.db import close_book, open_book, using

    customers = [
        NewCustomer("张三", ("13800138000", "13900139000"), tier="金卡", birthday=date(1990, 5, 1),
                    tags=("老客户", "VIP"), notes="爱吃辣\n第二行"),
        NewCustomer("李四", ("+8613700137000",), birthday=date(1904, 2, 29)),  # a birthday without a year
        NewCustomer("王五", ("01012345678",), lunar_birthday=(3, 8), tier="钻石"),
        NewCustomer("John Smith", ("+14155552671",), notes="+1+1", tags=("a b",)),
    ] + [NewCustomer(f"客户{i}", (f"1360013{i:04d}",), notes=f) for i, f in enumerate(FORMULAS + HOSTILE[:9])]
    add_many(customers)
    expected = _book_facts()
    path = tmp_path / f"book.{fmt}"
    export_to("customers", fmt, path)
    fresh = open_book(f"sqlite:///{tmp_path / 'fresh.db'}")
    with using(fresh):
        report = import_file(path, dry_run=False)
        assert report.invalid == () and report.duplicates == ()
        got = _book_facts()
    close_book(fresh)
    # Control characters and surrounding spaces are dropped on the way in; everything else comes back.
    from store.io.values import text

    for numbers, facts in expected.items():
        name, tier, birthday, lunar, month, day, tags, notes = facts
        assert got[numbers] == (text(name, "name"), tier, birthday, lunar, month, day, tags, text(notes, "notes"))
    assert len(got) == len(expected)


def test_times_are_in_the_shops_zone_with_its_offset(shop):
    from store import settings

    settings.set("time_zone", "Europe/London")  # BST in May: +01:00
    assert parsed("calls")[1][0] == "2026-05-01T02:30:00+01:00"
    # the same moment as the UTC it is stored in, to the second
    assert datetime.fromisoformat(parsed("messages")[1][0]) == datetime(2026, 5, 1, 1, 30, tzinfo=timezone.utc)


def test_a_bare_number_is_not_guarded_but_a_formula_starting_with_plus_is(book):
    from store.io.cells import neutralise

    assert neutralise("+8613800138000") == "+8613800138000"
    assert neutralise("+8613800138000;+14155552671") == "+8613800138000;+14155552671"
    assert neutralise("+1+1") == "'+1+1" and neutralise("+86138 cmd") == "'+86138 cmd"
    assert neutralise("+8613800138000;=1") == "'+8613800138000;=1"


def test_an_existing_file_is_never_replaced_unless_asked(shop, tmp_path):
    path = tmp_path / "calls.csv"
    path.write_text("the owner's own file", encoding="utf-8")
    with pytest.raises(CannotExport, match="already exists") as refused:
        export_to("calls", "csv", path)
    assert refused.value.code == "export.exists"
    assert path.read_text(encoding="utf-8") == "the owner's own file"
    assert not path.with_name("calls.csv.part").exists()
    assert export_to("calls", "csv", path, replace=True) == 2
    assert path.read_bytes().startswith(codecs.BOM_UTF8)
