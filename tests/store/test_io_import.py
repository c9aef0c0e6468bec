"""Importing into a real book (SQLite and PostgreSQL): the report, the update rules, and all-or-nothing."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from datetime import date

import pytest

from store.customers import NewCustomer, add_many, customer_by_number
from store.io import apply
from store.io.importer import CannotImport, import_file
from store.models import MODELS, Customer, Phone, SearchKey

FILE = """姓名,手机,会员等级,生日,标签,备注,积分
张三,13800138000,金卡,1990-05-01,"老客户,VIP",爱吃辣,10
李四,139 0013 9000;13700137000,银卡,05-01,,,
王五,abc,,,,,
,,,,,,
赵六,13800138000,,,,,
张三,13900138000,,,,,
钱七,,,1990-02-30,,,
孙八,+86 136 0013 6000,,农历三月初八,,"=cmd|' /C calc'!A0",
,13500135000,,,,,
周九,,,,,只有名字,
"""


def counts() -> dict[str, int]:
    return {m._meta.table_name: m.select().count() for m in MODELS}


@pytest.fixture
def shop_file(tmp_path):
    path = tmp_path / "book.csv"
    path.write_text(FILE, encoding="utf-8-sig")
    return path


def test_the_report_says_what_each_row_does(book, shop_file):
    report = import_file(shop_file, dry_run=False)
    assert (report.rows, report.new, report.updated, report.unchanged) == (9, 6, 0, 0)  # the blank line is no row
    assert [(d.line, d.reason) for d in report.duplicates] == [
        (6, "+8613800138000 is already on line 2"),
        (7, "same name and a number ending like line 2 (张三)"),
    ]
    assert [i.line for i in report.invalid] == [4]
    assert "'abc' is not a phone number" in report.invalid[0].reason
    # 钱七's bad birthday is left out and said; 钱七 is imported.
    assert [(r.line, r.field, r.why.text) for r in report.remarks] == [(8, "birthday", "'1990-02-30' is not a date")]
    assert Customer.get(Customer.name == "钱七").birthday is None
    assert report.unused_columns == ("积分",) and report.written
    zhang = customer_by_number("13800138000")
    assert (zhang.name, zhang.tier, zhang.birthday, zhang.tag_list, zhang.notes) == (
        "张三", "金卡", date(1990, 5, 1), ["老客户", "VIP"], "爱吃辣")
    li = customer_by_number("13700137000")
    assert li.name == "李四" and li.birthday.strftime("%m-%d") == "05-01"
    assert [p.number for p in Phone.select().where(Phone.customer == li.id).order_by(Phone.id)] == [
        "+8613900139000", "+8613700137000"]
    sun = customer_by_number("+8613600136000")
    assert (sun.birthday, sun.birthday_lunar, sun.lunar_month, sun.lunar_day) == (None, True, 3, 8)
    assert sun.notes == "=cmd|' /C calc'!A0"  # data, kept as written
    assert customer_by_number("13500135000").name == ""
    assert Customer.get(Customer.name == "周九").notes == "只有名字"
    # Imported customers are found like any other: by pinyin initials and by the last 4 digits.
    assert SearchKey.select().where(SearchKey.key == "p:zs", SearchKey.customer == zhang.id).exists()
    assert SearchKey.select().where(SearchKey.key == "s:8000", SearchKey.customer == zhang.id).exists()


def test_a_dry_run_writes_nothing(book, shop_file):
    before = counts()
    report = import_file(shop_file, dry_run=True)
    assert report.new == 6 and not report.written
    assert counts() == before


def test_importing_the_same_file_twice_changes_nothing_the_second_time(book, shop_file):
    import_file(shop_file, dry_run=False)
    before = counts()
    again = import_file(shop_file, dry_run=False)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 4)
    assert counts() == before


def test_a_known_number_fills_empty_fields_merges_tags_and_keeps_the_rest(book, tmp_path):
    (cid,) = add_many([NewCustomer("张三", ("13800138000",), tier="金卡", tags=("老客户",), company="")])
    path = tmp_path / "update.csv"
    path.write_text("姓名,电话,等级,公司,标签,生日\n张三丰,13800138000;13900139000,银卡,饭店,VIP、老客户,1990-05-01\n",
                    encoding="utf-8")
    report = import_file(path, dry_run=False)
    assert (report.new, report.updated) == (0, 1)
    (update,) = report.updates
    assert update.customer_id == cid and update.add_phones == ("+8613900139000",) and update.add_tags == ("VIP",)
    assert update.kept == (("tier", "金卡", "银卡"),)
    row = Customer.get_by_id(cid)
    assert (row.name, row.tier, row.company, row.tag_list, row.birthday) == (
        "张三", "金卡", "饭店", ["老客户", "VIP"], date(1990, 5, 1))
    assert customer_by_number("13900139000").id == cid
    assert SearchKey.select().where(SearchKey.key == "p:13900139000", SearchKey.customer == cid).exists()


def test_duplicates_against_the_book_and_numbers_of_two_customers(book, tmp_path):
    add_many([NewCustomer("张三", ("13800138000",)), NewCustomer("李四", ("13900139000",))])
    path = tmp_path / "dups.csv"
    path.write_text("姓名,电话\n张三,13700138000\n王五,13800138000;13900139000\n李四,\n", encoding="utf-8")
    before = counts()
    report = import_file(path, dry_run=False)
    assert report.new == 0
    assert [(d.line, d.reason.split(":")[0]) for d in report.duplicates] == [
        (2, "looks like 张三 (#1) in the book"), (4, "李四 (#2) is already in the book and the row has no number")]
    assert [i.line for i in report.invalid] == [3]
    assert "belong to different customers" in report.invalid[0].reason
    assert counts() == before


def test_a_failure_mid_write_changes_nothing(book, shop_file, monkeypatch):
    add_many([NewCustomer("老客户", ("13100131000",))])
    before = counts()
    real = apply._insert

    def failing(db, table, columns, rows):
        real(db, table, columns, rows)
        if table == "search_key":  # customers and numbers are in by now
            raise RuntimeError("disk full")

    monkeypatch.setattr(apply, "_insert", failing)
    with pytest.raises(RuntimeError, match="disk full"):
        import_file(shop_file, dry_run=False)
    assert counts() == before


def test_ctrl_c_mid_write_changes_nothing(book, shop_file, monkeypatch):
    before = counts()

    def interrupted(db, table, columns, rows):
        raise KeyboardInterrupt

    monkeypatch.setattr(apply, "_insert_raw", interrupted)
    with pytest.raises(KeyboardInterrupt):
        import_file(shop_file, dry_run=False)
    assert counts() == before


def test_a_number_taken_meanwhile_is_a_clear_refusal(book, shop_file, monkeypatch):
    from store.io import plan as plan_module

    real = plan_module.make_plan

    def racing(rows, view, region="CN", tiers=None):
        planned = real(rows, view, region, tiers)
        # Another terminal adds one of the file's numbers after the plan was made.
        Phone.insert(customer=add_many([NewCustomer("别人")])[0], number="+8613600136000", national="13600136000").execute()
        return planned

    monkeypatch.setattr("store.io.importer.make_plan", racing)
    with pytest.raises(CannotImport, match="nothing was imported"):
        import_file(shop_file, dry_run=False)
    assert Customer.select().count() == 0


def test_the_process_dying_mid_write_leaves_the_book_as_it_was(tmp_path, shop_file):
    url = f"sqlite:///{tmp_path / 'book.db'}"
    script = textwrap.dedent(f"""
        import os
        from store.db import open_book, using
        from store.io import apply
        from store.io.importer import import_file
        real = apply._insert
        def dying(db, table, columns, rows):
            real(db, table, columns, rows)
            if table == "phone":
                os._exit(9)  # no rollback, no cleanup: the power went
        apply._insert = dying
        with using(open_book({url!r})):
            import_file({str(shop_file)!r}, dry_run=False)
    """)
    from store.db import close_book, open_book, using

    db = open_book(url)
    with using(db):
        add_many([NewCustomer("老客户", ("13100131000",))])
        before = counts()
    close_book(db)
    done = subprocess.run([sys.executable, "-c", script], cwd=os.getcwd(), capture_output=True, timeout=60)
    assert done.returncode == 9, done.stderr
    db = open_book(url)
    with using(db):
        assert counts() == before
        assert db.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
    close_book(db)


def test_unreadable_files_and_bad_mappings_raise_cannot_import(book, tmp_path):
    fake = tmp_path / "x.xlsx"
    fake.write_text("not a workbook", encoding="utf-8")
    with pytest.raises(CannotImport, match="not one"):
        import_file(fake)
    names = tmp_path / "names.csv"
    names.write_text("姓名\n张三\n", encoding="utf-8")
    with pytest.raises(CannotImport, match="no column 'a'"):
        import_file(names, mapping="a=phone")


def test_a_different_birthday_is_kept_and_reported_either_way(book, tmp_path):
    from store.customers import add_many as add

    solar, lunar = add([NewCustomer("甲", ("13800138000",), birthday=date(1990, 5, 1)),
                        NewCustomer("乙", ("13900139000",), lunar_birthday=(3, 8))])
    path = tmp_path / "b.csv"
    path.write_text("姓名,电话,生日\n甲,13800138000,农历三月初八\n乙,13900139000,1990-05-01\n", encoding="utf-8")
    report = import_file(path, dry_run=False)
    assert [u.kept for u in report.updates] == [(("birthday", "1990-05-01", "农历03-08"),),
                                                 (("birthday", "农历03-08", "1990-05-01"),)]
    assert Customer.get_by_id(solar).birthday == date(1990, 5, 1)
    assert Customer.get_by_id(lunar).lunar_month == 3 and Customer.get_by_id(lunar).birthday is None


def test_imported_keys_are_the_keys_the_store_gives_every_customer(book, tmp_path):
    from store.search_keys import customer_keys

    path = tmp_path / "keys.csv"
    path.write_text("姓名,手机,标签\n"
                    "单田芳,010-61234567;13800001234,说书\n"  # a landline and a mobile
                    "Tom Li,+1 202 555 0142,VIP;vip\n"  # a foreign number, tags folding alike
                    "欧阳 娜娜,13900001234;13700001234,\n"  # two numbers sharing their last eight digits
                    "无号,,\n", encoding="utf-8")
    report = import_file(path, dry_run=False)
    assert report.new == 4, report.invalid
    for c in Customer.select():
        nationals = [p.national for p in Phone.select().where(Phone.customer == c.id)]
        stored = {(k.key, k.kind) for k in SearchKey.select().where(SearchKey.customer == c.id)}
        assert stored == customer_keys(c.name, nationals, c.tag_list), c.name


def test_every_batch_gets_its_rows_keys_and_audit(book, shop_file, monkeypatch):
    from store.models import Audit
    from store.search_keys import customer_keys

    # six new customers: batches of 1, 2, 2 and 1, the next made while one is written
    monkeypatch.setattr(apply, "BATCH", 1)
    monkeypatch.setattr(apply, "MAX_BATCH", 2)
    report = import_file(shop_file, dry_run=False)
    assert report.new == 6
    imported = list(Customer.select().order_by(Customer.id))
    assert [c.name for c in imported] == ["张三", "李四", "钱七", "孙八", "", "周九"]
    for c in imported:
        nationals = [p.national for p in Phone.select().where(Phone.customer == c.id)]
        stored = {(k.key, k.kind) for k in SearchKey.select().where(SearchKey.customer == c.id)}
        assert stored == customer_keys(c.name, nationals, c.tag_list), c.name
        assert [(a.table, a.action, a.changes) for a in Audit.select().where(Audit.row_id == c.id)] == [
            ("customer", "import", '{"import": "book.csv"}')]


def test_batches_grow_from_the_first_to_the_largest_and_cover_every_row():
    assert list(apply._batch_bounds(0)) == []
    assert list(apply._batch_bounds(3)) == [(0, 3)]
    bounds = list(apply._batch_bounds(100_000))
    assert bounds[0] == (0, apply.BATCH)
    assert all(a[1] == b[0] for a, b in zip(bounds, bounds[1:])) and bounds[-1][1] == 100_000
    sizes = [end - start for start, end in bounds]
    assert max(sizes) == apply.MAX_BATCH and sizes == sorted(sizes[:-1]) + sizes[-1:]


def test_foreign_keys_are_checked_again_after_an_import(book, shop_file, monkeypatch):
    db = Customer._meta.database
    if db.param != "?":
        pytest.skip("SQLite only: PostgreSQL checks every reference throughout")
    real = apply._insert

    def failing(*args):
        raise RuntimeError("disk full")

    monkeypatch.setattr(apply, "_insert", failing)
    with pytest.raises(RuntimeError):
        import_file(shop_file, dry_run=False)
    assert db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    monkeypatch.setattr(apply, "_insert", real)
    assert import_file(shop_file, dry_run=False).new == 6
    assert db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1


def test_an_import_leaves_the_cycle_collector_as_it_found_it(book, shop_file):
    import gc

    assert gc.isenabled()
    import_file(shop_file, dry_run=False)
    assert gc.isenabled()
    gc.disable()
    try:
        import_file(shop_file)
        assert not gc.isenabled()  # a program that runs without the collector keeps running without it
    finally:
        gc.enable()


BAD_OPTIONAL = """姓名,电话,生日,性别,等级
测试甲,13800138001,1990-13-45,男,金卡
测试乙,13800138002,1990-05-01,外星人,VIP
测试丙,13800138003,农历十三月初一,,金卡会员
"""


def test_a_bad_optional_field_drops_the_field_not_the_customer(book, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(BAD_OPTIONAL, encoding="utf-8")
    report = import_file(path, dry_run=False)
    assert (report.new, len(report.invalid)) == (3, 0)
    assert [(r.line, r.field, r.why.code) for r in report.remarks] == [
        (2, "birthday", "value.date"),
        (3, "gender", "value.gender"), (3, "tier", "tier.unknown"),
        (4, "birthday", "value.date_spelling"), (4, "tier", "tier.mapped"),
    ]
    jia = customer_by_number("13800138001")
    assert (jia.name, jia.birthday, jia.gender, jia.tier) == ("测试甲", None, "m", "金卡")
    yi = customer_by_number("13800138002")
    assert (yi.name, yi.birthday, yi.gender, yi.tier) == ("测试乙", date(1990, 5, 1), "", "普通")
    assert customer_by_number("13800138003").tier == "金卡"  # 金卡会员: the closest tier the shop has


def test_the_operators_tier_map_wins_and_a_bad_one_refuses_the_import(book, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(BAD_OPTIONAL, encoding="utf-8")
    report = import_file(path, dry_run=True, tier_map="VIP=钻石，金卡会员=银卡")
    assert [(r.line, r.why.text) for r in report.remarks if r.field == "tier"] == [
        (3, "tier 'VIP' imported as '钻石'"), (4, "tier '金卡会员' imported as '银卡'")]
    with pytest.raises(CannotImport, match="no tier '黑卡'") as refused:
        import_file(path, dry_run=True, tier_map="VIP=黑卡")
    assert refused.value.code == "tier_map.unknown"
    with pytest.raises(CannotImport, match="is not FILE_TIER=SHOP_TIER"):
        import_file(path, dry_run=True, tier_map="VIP")
    assert Customer.select().count() == 0


def test_the_shops_tiers_are_the_tiers_setting_the_customer_form_offers(book):
    from store import settings
    from store.io.tiers import shop_tiers

    assert shop_tiers() == ["普通", "银卡", "金卡", "钻石"]  # no setting yet: the built-in tiers
    settings.set("tiers", ["散客", "会员", "VIP"])
    assert shop_tiers() == ["散客", "会员", "VIP"] == settings.tiers()


def test_an_excel_name_typed_as_a_formula_is_kept_as_written_and_said(book, tmp_path):
    from openpyxl import Workbook

    path = tmp_path / "公式.xlsx"
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["姓名", "电话", "备注"])
    sheet.append(["=张三", "13800138005", "=1+1"])  # openpyxl, like Excel, stores these as formulas
    sheet.append(["李四", "13800138006", ""])
    workbook.save(path)
    report = import_file(path, dry_run=False)
    assert report.new == 2
    assert [(r.line, r.field, r.why.values["formula"]) for r in report.remarks] == [
        (2, "name", "=张三"), (2, "notes", "=1+1")]
    zhang = customer_by_number("13800138005")
    assert (zhang.name, zhang.notes) == ("=张三", "=1+1")


def test_a_name_excel_could_not_compute_is_kept_and_said(book, tmp_path):
    path = tmp_path / "saved-from-excel.csv"  # =张三 typed in Excel, then saved as CSV: Excel writes #NAME?
    path.write_text("姓名,电话\n#NAME?,13800138007\n王五,13800138008\n", encoding="utf-8-sig")
    report = import_file(path, dry_run=False)
    assert report.new == 2
    assert [(r.line, r.field, r.why.code) for r in report.remarks] == [(2, "name", "formula_failed")]
    assert customer_by_number("13800138007").name == "#NAME?"
