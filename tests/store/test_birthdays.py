"""Whose birthday it is: several days read at once give exactly what asking day by day gives, awkward
birthdays included (29 February, lunar leap months, the 30th of a short lunar month)."""

from __future__ import annotations

from datetime import date, timedelta

from store import birthdays, customers

FIRST, LAST = date(2024, 1, 1), date(2027, 12, 31)


def _awkward_book() -> dict[str, int]:
    """A small book of birthdays that catch the edge cases, with what a greeting looks at varied too."""
    people = {
        "闰日": {"birthday": date(2000, 2, 29)},
        "二月廿八": {"birthday": date(1990, 2, 28)},
        "三月一": {"birthday": date(1991, 3, 1)},
        "元旦": {"birthday": date(1980, 1, 1)},
        "除夕生": {"birthday": date(1985, 12, 31)},
        "腊月三十": {"lunar_birthday": (12, 30)},  # lunar 2024's 12th month has 29 days: kept on 12/29
        "腊月廿九": {"lunar_birthday": (12, 29)},
        "正月三十": {"lunar_birthday": (1, 30)},
        "六月十五": {"lunar_birthday": (6, 15)},  # 2025 has a leap sixth month: only the ordinary one counts
        "六月三十": {"lunar_birthday": (6, 30)},
        "闰月初一": {"lunar_birthday": (6, 1)},
        "二月初一": {"lunar_birthday": (2, 1)},
        "中秋": {"lunar_birthday": (8, 15)},
        "同日两人": {"birthday": date(1970, 8, 8)},
        "没有生日": {},
    }
    ids = {}
    for n, (name, details) in enumerate(people.items()):
        ids[name] = customers.add_customer(name, [f"1380013{n:04d}"], tier="金卡", **details).id
    ids["没号码"] = customers.add_customer("没号码", [], lunar_birthday=(8, 15)).id
    customers.block(customers.add_customer("拉黑", ["13900139000"], birthday=date(1970, 8, 8)))
    customers.opt_out(customers.add_customer("退订", ["13900139001"], lunar_birthday=(12, 30)), "SMS: T")
    return ids


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def test_several_days_at_once_are_each_day_asked_alone(book):
    _awkward_book()
    every_day = _days(FIRST, LAST)
    one_by_one = {day: birthdays.on(day) for day in every_day}
    assert birthdays.on_days(every_day) == one_by_one  # four years in one read
    for start in range(0, len(every_day), 4):  # as the task list asks: four days at a time
        window = every_day[start:start + 4]
        assert birthdays.on_days(window) == {day: one_by_one[day] for day in window}
    assert birthdays.on_days(reversed(every_day[:10])) == {day: one_by_one[day] for day in reversed(every_day[:10])}
    assert birthdays.on_days([]) == {}


def test_the_awkward_days_fall_where_the_shop_keeps_them(book):
    ids = _awkward_book()

    def names(day: date) -> list[str]:
        return [p.name for p in birthdays.on_days([day])[day]]

    found = birthdays.on_days(_days(date(2025, 1, 1), date(2025, 12, 31)))
    days_of = {}
    for day, people in found.items():
        for person in people:
            days_of.setdefault(person.name, []).append(day)
    assert days_of["闰日"] == [date(2025, 2, 28)] and names(date(2024, 2, 29)) == ["闰日"]
    assert names(date(2024, 2, 28)) == ["二月廿八"] and names(date(2025, 2, 28)) == ["闰日", "二月廿八", "二月初一"]
    assert days_of["腊月三十"] == days_of["腊月廿九"] == [date(2025, 1, 28)]  # 除夕 of lunar 2024 is 12/29
    assert days_of["六月十五"] == [date(2025, 7, 9)]  # not 8 August, the 15th of the leap sixth month
    assert days_of["闰月初一"] == [date(2025, 6, 25)]  # not 25 July, the first of the leap month
    assert days_of["中秋"] == days_of["没号码"] == [date(2025, 10, 6)]
    assert "没有生日" not in days_of and all(len(days) == 1 for days in days_of.values())
    (blocked,) = [p for p in found[date(2025, 8, 8)] if p.blocked]
    assert blocked.name == "拉黑" and [p.customer_id for p in found[date(2025, 8, 8)]][0] == ids["同日两人"]
    (opted_out,) = [p for p in found[date(2025, 1, 28)] if p.opted_out]
    assert opted_out.name == "退订" and opted_out.lunar and opted_out.number == "+8613900139001"
    (no_number,) = [p for p in found[date(2025, 10, 6)] if p.name == "没号码"]
    assert no_number.number is None
