"""Cells as values: numbers Excel damaged, birthdays every way shops write them, the formula guard undone."""

from __future__ import annotations

import random

import pytest

from store.io import values
from store.io.cells import neutralise, restore
from store.io.phones import Numbers, national
from store.numbers import InvalidNumber, national_digits, normalize


@pytest.mark.parametrize("text, expected", [
    ("1990-05-01", values.Birthday(5, 1, 1990)),
    ("1990/5/1", values.Birthday(5, 1, 1990)),
    ("1990.05.01", values.Birthday(5, 1, 1990)),
    ("1990年5月1日", values.Birthday(5, 1, 1990)),
    ("19900501", values.Birthday(5, 1, 1990)),
    ("05-01", values.Birthday(5, 1)),
    ("5月1日", values.Birthday(5, 1)),
    ("--0501", values.Birthday(5, 1)),
    ("02-29", values.Birthday(2, 29)),
    ("32874", values.Birthday(1, 1, 1990)),  # an Excel date cell shown as General
    ("农历三月初八", values.Birthday(3, 8, None, True)),
    ("农历1990年腊月廿三", values.Birthday(12, 23, 1990, True)),
    ("阴历正月十五", values.Birthday(1, 15, None, True)),
    ("农历03-08", values.Birthday(3, 8, None, True)),
    ("", None),
])
def test_birthdays(text, expected):
    assert values.birthday(text) == expected


@pytest.mark.parametrize("text", ["1990-02-30", "abc", "13/45", "农历十三月初一", "2990-01-01", "1850-01-01"])
def test_bad_dates_say_so(text):
    with pytest.raises(values.BadValue, match="not a"):
        values.birthday(text)


def test_lunar_column_marks_a_plain_date_lunar():
    assert values.birthday("03-08", lunar=True) == values.Birthday(3, 8, None, True)


@pytest.mark.parametrize("cell, expected", [
    ("13800138000", ["13800138000"]),
    ("138 0013 8000", ["138 0013 8000"]),
    ("138-0013-8000", ["138-0013-8000"]),
    ("13800138000 13900139000", ["13800138000", "13900139000"]),
    ("13800138000;13900139000,13700137000/010-12345678、+86 136 0013 6000", [
        "13800138000", "13900139000", "13700137000", "010-12345678", "+86 136 0013 6000"]),
    ("13800138000.0", ["13800138000"]),
    ("1.3800138E+10", ["13800138000"]),
])
def test_phone_cells(cell, expected):
    assert values.phone_texts(cell) == expected


def test_scientific_notation_that_lost_digits_is_refused():
    with pytest.raises(values.BadValue, match="lost digits"):
        values.phone_texts("1.38E+10")


@pytest.mark.parametrize("cell", ["=cmd|' /C calc'!A0", "+1+1", "@SUM(1)", "-2+3", "\tx", "＝1+1"])
def test_the_export_guard_comes_off_on_import(cell):
    guarded = neutralise(cell)
    assert guarded == "'" + cell
    assert restore(guarded) == cell
    assert values.text(guarded, "notes") == cell.strip()


def test_a_number_guarded_by_an_older_export_still_imports_bare():
    assert neutralise("+8613800138000") == "+8613800138000"
    assert values.text("'+8613800138000", "phone") == "+8613800138000"


def test_a_real_apostrophe_stays():
    assert restore("'t Hooft") == "'t Hooft"
    assert neutralise("张三") == "张三"


def test_genders():
    assert [values.gender(g) for g in ("男", "F", "female", "先生", "", "保密")] == ["m", "f", "f", "m", "", ""]
    with pytest.raises(values.BadValue):
        values.gender("alien")


def test_bulk_numbers_agree_with_store_numbers():
    rng = random.Random(3)
    numbers = Numbers("CN")
    blocks = ["1" + "".join(rng.choice("0123456789") for _ in range(6)) for _ in range(300)]
    samples = [rng.choice(blocks) + "".join(rng.choice("0123456789") for _ in range(4)) for _ in range(3000)]
    samples += ["010-12345678", "+8613800138000", "008613800138000", "12345", "+14155552671"]
    for text in samples:
        try:
            expected = normalize(text, "CN")
        except InvalidNumber:
            with pytest.raises(InvalidNumber):
                numbers.e164(text)
            continue
        assert numbers.e164(text) == expected
        assert national(expected) == national_digits(expected)
