"""The task list's schedule as the settings screen sets it: days per tier, complaint hours, tasks a day,
checked whole."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from store import customers, schedules, settings, task_picks, tasks
from store.care import CareProblem

NOW = datetime(2026, 5, 5, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_until_set_the_schedule_is_the_task_lists_own_defaults(book):
    plan = schedules.schedule()
    assert plan.contact_every == tasks.CONTACT_EVERY_DAYS and plan.drifting == tasks.DRIFTING_DAYS
    assert plan.complaint_hours == tasks.COMPLAINT_HOURS
    assert plan.per_day == {"contact": task_picks.PER_DAY, "drifting": task_picks.PER_DAY}


def test_days_per_tier_are_saved_and_the_task_list_follows_them(book):
    customers.add_customer("普通客", ["13800138004"], created_at=NOW - timedelta(days=50))
    assert [r.name for r in tasks.today(NOW) if r.kind == "contact"] == []  # 普通 is on no contact schedule
    plan = schedules.set_schedule({"普通": "45", "银卡": " 90 ", "金卡": "", "钻石": 30},
                                  {"普通": "", "银卡": "100", "金卡": None, "钻石": "60"}, "2.5")
    assert plan.contact_every == {"普通": 45, "银卡": 90, "钻石": 30}
    assert plan.drifting == {"银卡": 100, "钻石": 60}
    assert plan.complaint_hours == 2.5 and schedules.schedule() == plan
    assert [r.name for r in tasks.today(NOW) if r.kind == "contact"] == ["普通客"]
    complaint = tasks.complaint("菜凉了", number="13800138004", at=NOW)
    assert complaint.due - NOW == timedelta(hours=2.5)
    assert schedules.set_schedule({}, {}, "12").complaint_hours == 12 and settings.get("complaint_reply_hours") == 12


@pytest.mark.parametrize("contact, drifting, hours, code", [
    ({"金卡": "abc"}, {}, "8", "contact_days"),
    ({"金卡": "0"}, {}, "8", "contact_days"),
    ({"金卡": "-3"}, {}, "8", "contact_days"),
    ({"金卡": "1.5"}, {}, "8", "contact_days"),
    ({}, {"钻石": str(schedules.MOST_DAYS + 1)}, "8", "drifting_days"),
    ({"黑卡": "30"}, {}, "8", "unknown_tier"),
    ({}, {}, "0", "complaint_hours"),
    ({}, {}, "nan", "complaint_hours"),
    ({}, {}, "", "complaint_hours"),
    ({}, {}, str(schedules.MOST_HOURS + 1), "complaint_hours"),
])
def test_a_wrong_value_anywhere_saves_nothing(book, contact, drifting, hours, code):
    before = schedules.schedule()
    with pytest.raises(CareProblem) as refused:
        schedules.set_schedule({"普通": "7", **contact}, drifting, hours, {"contact": "5"})
    assert refused.value.code == code
    assert schedules.schedule() == before and settings.get("contact_every_days", "unset") == "unset"
    assert settings.get(task_picks.PER_DAY_KEY, "unset") == "unset"


def test_tasks_a_day_are_saved_and_the_task_list_opens_no_more(book):
    for n in range(8):
        customers.add_customer(f"客{n}", [f"1380013800{n}"], tier="钻石", created_at=NOW - timedelta(days=50))
    plan = schedules.set_schedule({"钻石": "30"}, {"钻石": "60"}, "8", {"contact": " 5 ", "drifting": "0"})
    assert plan.per_day == {"contact": 5, "drifting": 0} and schedules.schedule() == plan
    assert task_picks.per_day("contact") == 5 and task_picks.per_day("drifting") == 0
    kinds = [r.kind for r in tasks.today(NOW)]
    assert kinds.count("contact") == 5 and "drifting" not in kinds


def test_one_number_for_both_kinds_is_shown_as_each_and_a_kind_left_out_is_kept(book):
    settings.set(task_picks.PER_DAY_KEY, 7)  # as a hand edit or an older version left it
    assert schedules.schedule().per_day == {"contact": 7, "drifting": 7}
    assert schedules.set_schedule({}, {}, "8", {"drifting": 3}).per_day == {"contact": 7, "drifting": 3}
    assert schedules.set_schedule({}, {}, "8").per_day == {"contact": 7, "drifting": 3}


@pytest.mark.parametrize("per_day, code", [
    ({"contact": "-1"}, "contact_per_day"),
    ({"contact": "abc"}, "contact_per_day"),
    ({"contact": ""}, "contact_per_day"),
    ({"drifting": "2.5"}, "drifting_per_day"),
    ({"contact": "3", "drifting": str(schedules.MOST_PER_DAY + 1)}, "drifting_per_day"),
])
def test_a_wrong_number_a_day_saves_nothing(book, per_day, code):
    before = schedules.schedule()
    with pytest.raises(CareProblem) as refused:
        schedules.set_schedule({"普通": "7"}, {}, "4", per_day)
    assert refused.value.code == code and refused.value.values["most"] == schedules.MOST_PER_DAY
    assert schedules.schedule() == before and settings.get(task_picks.PER_DAY_KEY, "unset") == "unset"
    assert settings.get("contact_every_days", "unset") == "unset"
