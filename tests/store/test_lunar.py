"""Lunar dates against the published Gregorian dates of festivals, 2024-2030, and lunar birthdays."""

from __future__ import annotations

from datetime import date

import pytest

from store import festivals, lunar

# Published dates (China's official holiday calendars and almanacs).
PUBLISHED = {
    "spring": ["2024-02-10", "2025-01-29", "2026-02-17", "2027-02-06", "2028-01-26", "2029-02-13", "2030-02-03"],
    "mid_autumn": ["2024-09-17", "2025-10-06", "2026-09-25", "2027-09-15", "2028-10-03", "2029-09-22",
                   "2030-09-12"],
    "dragon_boat": ["2024-06-10", "2025-05-31", "2026-06-19", "2027-06-09", "2028-05-28", "2029-06-16",
                    "2030-06-05"],
    "lantern": ["2024-02-24", "2025-02-12", "2026-03-03"],
    "qixi": ["2024-08-10", "2025-08-29", "2026-08-19"],
    "double_ninth": ["2024-10-11", "2025-10-29", "2026-10-18"],
    "new_years_eve": ["2024-02-09", "2025-01-28", "2026-02-16"],
}


@pytest.mark.parametrize("key", sorted(PUBLISHED))
def test_lunar_festivals_fall_on_the_published_days(key):
    for text in PUBLISHED[key]:
        day = date.fromisoformat(text)
        found = {(d, f.key) for d, f in festivals.in_year(day.year)}
        on_that_key = sorted(d for d, k in found if k == key)
        assert on_that_key == [day], (key, text, on_that_key)
        assert key in {f.key for f in festivals.on(day)}


def test_solar_festivals_and_the_shops_own():
    assert [f.key for f in festivals.on(date(2027, 10, 1))] == ["national_day"]
    assert [f.key for f in festivals.on(date(2028, 1, 1))] == ["new_year"]
    own = festivals.from_settings([{"name": "店庆", "month": 6, "day": 18},
                                   {"name": "老板生日", "month": 3, "day": 3, "lunar": True},
                                   {"name": "坏的", "month": "x"}, {"name": "", "month": 1, "day": 1}])
    assert [f.name for f in own] == ["店庆", "老板生日"]
    assert "店庆" in [f.name for f in festivals.on(date(2026, 6, 18), own)]
    assert "老板生日" in [f.name for f in festivals.on(date(2026, 4, 19), own)]  # lunar 3/3 of 2026
    assert festivals.on(date(2026, 6, 17), own) == []


def test_from_and_to_solar_round_trip():
    assert lunar.from_solar(date(2026, 2, 17)) == lunar.LunarDay(2026, 1, 1, False)
    assert lunar.to_solar(2025, 8, 15) == date(2025, 10, 6)
    assert lunar.from_solar(date(2023, 3, 22)) == lunar.LunarDay(2023, 2, 1, True)  # 闰二月 of 2023
    with pytest.raises(ValueError):
        lunar.to_solar(2025, 13, 1)


def test_a_lunar_birthday_moves_with_the_moon():
    # Born on lunar 8/15: their birthday is Mid-Autumn day every year.
    for text in PUBLISHED["mid_autumn"]:
        day = date.fromisoformat(text)
        assert (8, 15) in lunar.birthdays_on(day)
        assert lunar.next_birthday(8, 15, date(day.year, 1, 1), lunar=True) == day
    assert lunar.next_birthday(8, 15, date(2025, 10, 7), lunar=True) == date(2026, 9, 25)


def test_a_birthday_on_the_thirtieth_of_a_short_month_is_kept_on_the_29th():
    # The 12th month of lunar 2024 has 29 days: 除夕 is 2025-01-28, lunar 12/29.
    assert lunar.birthdays_on(date(2025, 1, 28)) == {(12, 29), (12, 30)}
    assert lunar.to_solar(2024, 12, 30) == date(2025, 1, 28)
    assert lunar.birthdays_on(date(2025, 1, 27)) == {(12, 28)}


def test_no_birthday_in_a_leap_month():
    assert lunar.birthdays_on(date(2023, 3, 22)) == frozenset()  # 闰二月初一
    assert lunar.birthdays_on(date(2023, 2, 20)) == {(2, 1)}  # the ordinary second month


def test_solar_birthday_on_29_february():
    assert lunar.next_birthday(2, 29, date(2027, 1, 1), lunar=False) == date(2027, 2, 28)
    assert lunar.next_birthday(2, 29, date(2028, 1, 1), lunar=False) == date(2028, 2, 29)


def test_birthdays_in_a_solar_month():
    pairs = lunar.birthdays_in_month(2026, 9)
    assert (8, 15) in pairs and (7, 20) in pairs  # 2026-09-01 is lunar 7/20
    assert (1, 1) not in pairs
    assert 29 <= len(pairs) <= 32
