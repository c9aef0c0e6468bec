"""Reading shops' files: encodings, dialects, Excel's habits, and files that are not what they claim."""

from __future__ import annotations

import codecs
import zipfile
from datetime import datetime

import pytest

from store.io.columns import BadMapping, map_columns, parse_mapping
from store.io.encoding import UnreadableFile, decode
from store.io.read import read_file

BOOK = "姓名,手机,会员等级,生日,标签,备注\n张三,13800138000,金卡,1990-05-01,老客户、VIP,爱吃辣\n李四,139 0013 9000;13700137000,银卡,05-01,,\n"


def customers(path, mapping=None):
    return list(read_file(path, mapping).customers)


@pytest.mark.parametrize("encoding, expected", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030"), ("gb18030", "gb18030"), ("utf-16", "utf-16"),
])
def test_every_encoding_excel_writes_reads_the_same(tmp_path, encoding, expected):
    path = tmp_path / "book.csv"
    text = BOOK.replace(",", "\t") if encoding == "utf-16" else BOOK  # Excel's "Unicode text" is tab-separated
    path.write_bytes(text.encode(encoding))
    source = read_file(path)
    rows = list(source.customers)
    assert source.encoding == expected
    assert [r.name for r in rows] == ["张三", "李四"]
    assert rows[0].phones == ("13800138000",)
    assert rows[1].phones == ("139 0013 9000", "13700137000")
    assert rows[0].values["tags"] == "老客户、VIP"


def test_a_gbk_file_claiming_utf8_is_refused_with_the_line(tmp_path):
    path = tmp_path / "claims.csv"
    path.write_bytes(codecs.BOM_UTF8 + b"name,phone\n" + "张三,13800138000\n".encode("gbk"))
    with pytest.raises(UnreadableFile, match="line 2 is not UTF-8"):
        read_file(path)


def test_a_file_mixing_utf8_and_gbk_is_refused(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_bytes("姓名,电话\n张三,13800138000\n".encode() + "李四,13900139000\n".encode("gbk"))
    with pytest.raises(UnreadableFile, match="mixes encodings: line 1 is UTF-8 but line 3"):
        read_file(path)


def test_binary_junk_is_refused_not_guessed():
    with pytest.raises(UnreadableFile, match="cannot tell which text encoding"):
        decode(bytes(range(256)) * 40)


@pytest.mark.parametrize("content, reason", [
    (b"", "empty"),
    (b"   \n\n", "empty"),
    ("姓名,电话\n张三,\"13800138000\n李四,1\n".encode(), "line 2: a quote"),
    ("积分,余额\n1,2\n".encode(), "no column is a name or a phone"),
])
def test_files_that_cannot_be_a_book_say_why(tmp_path, content, reason):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises((UnreadableFile, BadMapping), match=reason):
        customers(path)


def test_only_a_header_is_an_empty_book(tmp_path):
    path = tmp_path / "header.csv"
    path.write_text("姓名,电话\n", encoding="utf-8")
    assert customers(path) == []


def test_ragged_rows_nul_bytes_and_blank_lines(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_bytes("姓名,电话,备注\n张\x00三,13800138000\n\n李四,13900139000,好,多出来的,格\n王五,13700137000,x,,\n".encode())
    rows = customers(path)
    assert [r.line for r in rows] == [2, 4, 5]
    assert rows[0].name == "张三" and rows[0].values == {}  # short row padded, NUL made harmless
    assert "5 cells but the header has 3" in rows[1].problem.text
    assert rows[2].problem is None and rows[2].values == {"notes": "x"}  # empty extras are no harm


def test_a_10_mb_cell_is_left_out_of_its_row_not_a_crash(tmp_path):
    path = tmp_path / "huge.csv"
    path.write_text("姓名,电话,备注\n张三,13800138000," + "x" * 10_000_000 + "\n李四,13900139000,ok\n", encoding="utf-8")
    rows = customers(path)
    # notes is optional: the customer is kept without it, and the reason goes with the row
    assert rows[0].problem is None and rows[0].name == "张三" and rows[0].values == {}
    assert [(f, r.text) for f, r in rows[0].remarks] == [
        ("notes", "notes is 10,000,000 characters long (at most 10,000)")]
    assert rows[1].name == "李四"


def test_a_cell_past_16_mb_refuses_the_file(tmp_path):
    path = tmp_path / "huger.csv"
    path.write_text("姓名,备注\n张三,\"" + "x" * (17 * 2**20) + "\"\n", encoding="utf-8")
    with pytest.raises(UnreadableFile, match="larger than 16 MB"):
        customers(path)


def test_semicolon_separated_csv_from_european_excel(tmp_path):
    path = tmp_path / "semi.csv"
    path.write_text("Name;Mobile;Notes\nAnna;13800138000;a, b\n", encoding="utf-8")
    (row,) = customers(path)
    assert (row.name, row.phones, row.values["notes"]) == ("Anna", ("13800138000",), "a, b")


def test_headers_in_chinese_english_with_decorations_and_several_phone_columns():
    cols = map_columns(["客户名称*", "手机号码(必填)", "电话2", "Phone 2 - Value", "Level", "农历生日", "积分"])
    assert cols.fields == ((0, "name"), (1, "phone"), (2, "phone"), (3, "phone"), (4, "tier"), (5, "lunar_birthday"))
    assert cols.unused == ("积分",)


def test_mapping_overrides_and_skips():
    cols = map_columns(["客户", "号", "备注"], parse_mapping("号=phone,备注=skip"))
    assert cols.fields == ((0, "name"), (1, "phone"))
    with pytest.raises(BadMapping, match="no column '手机'"):
        map_columns(["客户"], parse_mapping("手机=phone"))
    with pytest.raises(BadMapping, match="'colour' is not a field"):
        parse_mapping("x=colour")


def test_surname_and_given_name_columns_join(tmp_path):
    path = tmp_path / "split.csv"
    path.write_text("Last Name,First Name,Phone\n张,三,13800138000\nSmith,John,13900139000\n", encoding="utf-8")
    assert [r.name for r in customers(path)] == ["张三", "John Smith"]


def _workbook(path, rows):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)


def test_xlsx_numbers_as_floats_dates_as_dates(tmp_path):
    path = tmp_path / "book.xlsx"
    _workbook(path, [["姓名", "手机", "生日", "备注"],
                     ["张三", 13800138000.0, datetime(1990, 5, 1), "=SUM(1)"],
                     ["李四", "1.3900139E+10", "1990/5/1", None],
                     [None, None, None, None],
                     ["王五", 13700137000, 32874, 42]])
    source = read_file(path)
    rows = list(source.customers)
    assert source.kind == "xlsx"
    assert [r.line for r in rows] == [2, 3, 5]
    assert rows[0].phones == ("13800138000",) and rows[0].values["birthday"] == datetime(1990, 5, 1)
    assert rows[1].phones == ("13900139000",)
    assert rows[2].phones == ("13700137000",) and rows[2].values == {"birthday": 32874, "notes": "42"}


def test_xlsx_scientific_notation_that_lost_digits_is_a_row_problem(tmp_path):
    path = tmp_path / "lost.xlsx"
    _workbook(path, [["姓名", "手机"], ["张三", "1.38E+10"]])
    (row,) = customers(path)
    assert "lost digits" in row.problem.text and row.problem.code == "value.scientific"


@pytest.mark.parametrize("content, reason", [
    (b"name,phone\n", "named like an Excel workbook but is not one"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old Excel file"),
])
def test_files_named_xlsx_that_are_not_workbooks(tmp_path, content, reason):
    path = tmp_path / "book.xlsx"
    path.write_bytes(content)
    with pytest.raises(UnreadableFile, match=reason):
        read_file(path)


def test_a_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "book.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    with pytest.raises(UnreadableFile, match="not a readable Excel workbook|damaged Excel workbook"):
        read_file(path)


def test_a_truncated_workbook(tmp_path):
    path = tmp_path / "cut.xlsx"
    _workbook(path, [["姓名", "手机"]] + [[f"客户{i}", 13800138000 + i] for i in range(2000)])
    path.write_bytes(path.read_bytes()[:3000])
    with pytest.raises(UnreadableFile):
        customers(path)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(UnreadableFile, match="there is no file"):
        read_file(tmp_path / "nope.csv")
    with pytest.raises(UnreadableFile, match="is a folder"):
        read_file(tmp_path)


def test_a_10_mb_cell_in_a_workbook_is_left_out_of_its_row(tmp_path):
    path = tmp_path / "huge.xlsx"
    _workbook(path, [["姓名", "手机", "备注"], ["张三", "13800138000", "x" * 10_000_000], ["李四", "13900139000", "ok"]])
    first, second = customers(path)
    (field, why), = first.remarks
    assert field == "notes" and "characters long (at most 10,000)" in why.text  # openpyxl keeps Excel's 32,767
    assert first.name == "张三" and first.problem is None
    assert second.name == "李四" and second.problem is None


def test_a_title_row_above_the_header_is_passed_over(tmp_path):
    path = tmp_path / "titled.xlsx"
    _workbook(path, [["2025年会员名单", None], [None, None], ["姓名", "手机"], ["张三", "13800138000"]])
    source = read_file(path)
    assert [(r.line, r.name) for r in source.customers] == [(4, "张三")]
    csv_path = tmp_path / "titled.csv"
    csv_path.write_text("会员名单,,\n导出时间 2025-01-01,,\n姓名,手机,备注\n李四,13900139000,\n", encoding="utf-8")
    assert [(r.line, r.name) for r in customers(csv_path)] == [(4, "李四")]
