"""Automatic care: each rule, its guard, and running it twice queues nothing new."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from store import calls, campaigns, care, customers, festivals, visits
from store.models import Campaign, Message

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 9, 25, 10, 0, tzinfo=SH)  # Mid-Autumn 2026, 10:00 at the shop


def _out() -> list[Message]:
    return list(Message.select().where(Message.direction == "out").order_by(Message.id))


def _missed(number: str, at: datetime) -> None:
    row = calls.call_started(number, at=at)
    calls.call_ended(row.id, "missed", at=at + timedelta(seconds=20))


def test_every_rule_is_off_until_the_shop_turns_it_on(book):
    customers.add_customer("张三", ["13800138000"], birthday=date(1990, 9, 25))
    _missed("13800138000", NOW - timedelta(hours=1))
    assert care.due(NOW) == [] and care.apply(NOW) == 0 and _out() == []
    assert not care.rule("missed_call").on


def test_missed_call_reply_at_most_once_per_number_per_day(book):
    care.set_rule("missed_call", on=True, text="抱歉没接到您的电话，{shop}稍后回电")
    customers.add_customer("张三", ["13800138000"])
    out = customers.add_customer("李四", ["13900139000"])
    customers.opt_out(out, "SMS: T")
    _missed("13800138000", NOW - timedelta(hours=2))
    _missed("+86 138 0013 8000", NOW - timedelta(hours=1))
    _missed("13700137000", NOW - timedelta(minutes=5))  # a stranger: still owed an apology
    _missed("13900139000", NOW - timedelta(minutes=5))  # opted out of everything that is not a booking
    _missed("13600136000", NOW - timedelta(days=1))  # yesterday's: too late now
    due = care.due(NOW)
    assert sorted(d.number for d in due) == ["+8613700137000", "+8613800138000"]
    assert care.apply(NOW) == 2
    assert care.apply(NOW) == 0 and care.due(NOW) == []
    _missed("13800138000", NOW + timedelta(hours=3))
    assert care.apply(NOW + timedelta(hours=3, minutes=1)) == 0  # same number, same day
    tomorrow = NOW + timedelta(days=1)
    _missed("13800138000", tomorrow - timedelta(minutes=1))
    assert care.apply(tomorrow) == 1
    assert [m.number for m in _out()].count("+8613800138000") == 2
    assert _out()[0].body == "抱歉没接到您的电话，稍后回电"


def test_missed_call_returned_already_needs_no_apology(book):
    care.set_rule("missed_call", on=True)
    row = calls.call_started("13800138000", at=NOW - timedelta(hours=1))
    calls.call_ended(row.id, "missed", at=NOW - timedelta(hours=1))
    calls.mark_called_back(row.id)
    assert care.due(NOW) == []


def test_booking_confirmation_and_reminder_reach_opted_out_customers_too(book):
    care.set_rule("booking_confirm", on=True)
    care.set_rule("booking_reminder", on=True)
    c = customers.add_customer("王芳", ["13800138000"])
    customers.opt_out(c, "SMS: 退订")
    blocked = customers.add_customer("钱七", ["13900139000"])
    customers.block(blocked)
    visit = visits.record_visit(c.id, booking_date=date(2026, 9, 27), booking_time=time(18, 30), party_size=4)
    visits.record_visit(blocked.id, booking_date=date(2026, 9, 27))
    assert care.booking_recorded(visit.id, NOW) == 1
    assert care.booking_recorded(visit.id, NOW) == 0
    assert care.apply(NOW) == 0
    assert _out()[0].body == "王芳您好，您9月27日 18:30的预订已确认，恭候光临。"
    on_the_day = datetime(2026, 9, 27, 9, 0, tzinfo=SH)
    assert care.apply(on_the_day) == 1 and care.apply(on_the_day) == 0
    assert "提醒您今天9月27日 18:30" in _out()[-1].body
    assert all(m.number == "+8613800138000" for m in _out())


def test_birthday_greetings_solar_and_lunar_on_the_day(book):
    care.set_rule("birthday", on=True, text="{name}生日快乐")
    customers.add_customer("张三", ["13800138000"], birthday=date(1990, 9, 25))
    customers.add_customer("李四", ["13900139000"], lunar_birthday=(8, 15))  # Mid-Autumn: 2026-09-25
    customers.add_customer("王五", ["13700137000"], lunar_birthday=(8, 16))
    out = customers.add_customer("赵六", ["13600136000"], birthday=date(1980, 9, 25))
    customers.opt_out(out, "SMS: T")
    customers.add_customer("周九", [], birthday=date(1980, 9, 25))
    assert care.apply(NOW) == 2
    assert sorted(m.body for m in _out()) == ["张三生日快乐", "李四生日快乐"]
    assert care.apply(NOW) == 0
    assert care.apply(datetime(2027, 9, 15, 10, 0, tzinfo=SH)) == 1  # lunar 8/15 of 2027; 张三's is 9/25
    assert _out()[-1].body == "李四生日快乐"


def test_born_on_29_february_greeted_on_the_28th(book):
    care.set_rule("birthday", on=True, text="{name}生日快乐")
    customers.add_customer("闰年", ["13800138000"], birthday=date(2000, 2, 29))
    assert care.apply(datetime(2027, 2, 28, 10, 0, tzinfo=SH)) == 1
    assert care.apply(datetime(2028, 2, 28, 10, 0, tzinfo=SH)) == 0
    assert care.apply(datetime(2028, 2, 29, 10, 0, tzinfo=SH)) == 1


def test_holiday_greetings_go_as_one_paced_campaign(book):
    care.set_rule("holiday", on=True, text="{name}，{shop}祝您{festival}快乐", tiers=("金卡", "钻石"))
    customers.add_customer("张三", ["13800138000"], tier="金卡")
    customers.add_customer("李四", ["13900139000"], tier="普通")
    assert care.apply(datetime(2026, 9, 24, 10, 0, tzinfo=SH)) == 0 and Campaign.select().count() == 0
    care.apply(NOW)
    (campaign,) = Campaign.select()
    assert campaign.name == "中秋节 2026" and campaign.status == "running"
    assert campaigns.progress(campaign.id).total == 1
    care.apply(NOW + timedelta(hours=2))
    assert Campaign.select().count() == 1
    campaigns.top_up(5, NOW)
    assert _out()[0].body == "张三，祝您中秋节快乐 回T退订"
    # National Day and the shop's own festivals too.
    care.apply(datetime(2026, 10, 1, 10, 0, tzinfo=SH))
    assert [c.name for c in Campaign.select().order_by(Campaign.id)] == ["中秋节 2026", "国庆节 2026"]


def test_rules_keep_their_settings(book):
    r = care.set_rule("birthday", on=True, text="x")
    assert (r.on, r.text, r.transactional) == (True, "x", False)
    assert care.rule("booking_confirm").transactional
    care.set_rule("birthday", on=False)
    assert care.rule("birthday").text == "x" and not care.rule("birthday").on


# The settings screen's side: what a rule's text may say, the shop's own holidays ---------------

def test_a_text_with_a_placeholder_the_rule_cannot_fill_is_refused_and_nothing_saved(book):
    care.set_rule("birthday", text="{name}生日快乐")
    for text, code in [("{姓名}生日快乐", "unknown_placeholder"), ("{name}，{booking}见", "unknown_placeholder"),
                       ("  \n", "empty_text"), ("长" * (care.MAX_TEXT + 1), "long_text")]:
        with pytest.raises(care.CareProblem) as refused:
            care.set_rule("birthday", on=True, text=text)
        assert refused.value.code == code
        assert care.rule("birthday") == care.Rule("birthday", False, "{name}生日快乐")
    assert care.unknown_placeholders("birthday", "{x}{name}{x}{ 姓名 }") == ["{x}", "{ 姓名 }"]
    assert care.unknown_placeholders("holiday", "{festival}{number}") == []
    assert care.unknown_placeholders("booking_reminder", "{booking}{festival}") == ["{festival}"]
    with pytest.raises(care.CareProblem) as refused:
        care.set_rule("holiday", tiers=("金卡", "黑卡"))
    assert refused.value.code == "unknown_tier" and refused.value.values == {"tier": "黑卡"}
    assert care.set_rule("holiday", tiers=("金卡",)).tiers == ("金卡",)
    assert [r.key for r in care.rules()] == list(care.DEFAULTS)


def test_the_example_is_the_text_a_sample_customer_would_get():
    now = datetime(2026, 11, 25, 23, 30, tzinfo=ZoneInfo("UTC"))  # already the 26th in Shanghai
    said = care.example("booking_confirm", care.DEFAULTS["booking_confirm"][0], shop="老王家常菜",
                        time_zone="Asia/Shanghai", footer="回T退订", now=now)
    assert said == "张三您好，您11月27日 18:30的预订已确认，老王家常菜恭候光临。"
    assert care.example("holiday", "{surname}先生，{festival}快乐 {date}", shop="", time_zone="Asia/Shanghai",
                        footer="回T退订", now=now) == "张先生，中秋节快乐 11月26日 回T退订"
    # A placeholder the rule cannot fill stays as typed, so the operator sees it.
    assert care.example("birthday", "{festival}{number}", shop="", time_zone="Asia/Shanghai", footer="",
                        now=now) == "{festival}+8613800138000"


def test_a_missed_call_apology_can_say_the_number(book):
    care.set_rule("missed_call", on=True, text="{number}您好，刚才没接到")
    _missed("13800138000", NOW - timedelta(hours=1))
    assert care.apply(NOW) == 1 and _out()[0].body == "+8613800138000您好，刚才没接到"


def test_the_shops_own_holidays_are_checked_added_and_removed(book):
    for name, month, day, lunar, code in [("", 6, 18, False, "holiday_name"), ("店" * 21, 6, 18, False,
                                                                               "holiday_name_long"),
                                          ("店\n庆", 6, 18, False, "holiday_name_long"),
                                          ("店庆", "六", 18, False, "holiday_month"),
                                          ("店庆", 13, 18, False, "holiday_month"),
                                          ("店庆", 2, 30, False, "holiday_day"), ("店庆", 4, 31, False, "holiday_day"),
                                          ("店庆", 8, 31, True, "holiday_day"), ("店庆", 8, "x", True, "holiday_day"),
                                          ("中秋节", 8, 15, True, "holiday_taken")]:
        with pytest.raises(care.CareProblem) as refused:
            care.add_holiday(name, month, day, lunar)
        assert refused.value.code == code, (name, month, day)
    assert care.holidays() == ()
    anniversary = care.add_holiday(" 店庆 ", "6", " 18", lunar=False)
    founder = care.add_holiday("老板生日", 8, 30, lunar=True)
    assert (anniversary.name, anniversary.month, anniversary.day, anniversary.lunar) == ("店庆", 6, 18, False)
    assert care.holidays() == (anniversary, founder)
    with pytest.raises(care.CareProblem) as refused:
        care.add_holiday("店庆", 7, 1)
    assert refused.value.code == "holiday_taken" and refused.value.values == {"name": "店庆"}
    assert care.add_holiday("闰日", 2, 29).day == 29  # greeted in leap years only
    care.remove_holiday("店庆")
    care.remove_holiday("没有这个")
    assert [h.name for h in care.holidays()] == ["老板生日", "闰日"]


def test_the_shops_lunar_holiday_is_greeted_on_its_computed_day(book):
    care.set_rule("holiday", on=True, text="{festival}快乐")
    customers.add_customer("张三", ["13800138000"])
    care.add_holiday("店庆", 8, 8, lunar=True)  # lunar 8/8 of 2026 is 18 September
    day = festivals.next_date(care.holidays()[0], date(2026, 9, 1))
    assert day == date(2026, 9, 18)
    care.apply(datetime.combine(day, time(10, 0), tzinfo=SH))
    assert [c.name for c in Campaign.select()] == ["店庆 2026"]


@pytest.mark.parametrize("holiday", [*festivals.CHINESE,
                                     festivals.Festival("shop:a", "腊月三十", "", 12, 30, lunar=True),
                                     festivals.Festival("shop:b", "冬月三十", "", 11, 30, lunar=True),
                                     festivals.Festival("shop:c", "闰日", "", 2, 29)])
def test_next_date_is_the_day_the_greetings_go_out(holiday):
    # Walked day by day through three years: next_date must name exactly the days `on` greets.
    day, end = date(2026, 1, 1), date(2029, 1, 1)
    greeted = []
    while day < end:
        if holiday.key in {f.key for f in festivals.on(day, [holiday])}:
            greeted.append(day)
        day += timedelta(days=1)
    assert greeted
    for start in [date(2026, 1, 1), *greeted, *(g + timedelta(days=1) for g in greeted[:-1])]:
        assert festivals.next_date(holiday, start) == next(g for g in greeted if g >= start)


def test_a_booking_confirmation_says_the_bookings_date_and_today_is_today(book):
    care.set_rule("booking_confirm", on=True, text="{name}您好，{date}的座位已留好（{today}确认）")
    care.set_rule("birthday", on=True, text="{name}，{date}生日快乐")  # an old text: {date} was today
    c = customers.add_customer("王芳", ["13800138000"], birthday=date(1990, 9, 25))
    visit = visits.record_visit(c.id, booking_date=date(2026, 9, 27), booking_time=time(18, 30))
    assert care.booking_recorded(visit.id, NOW) == 1
    assert _out()[0].body == "王芳您好，9月27日的座位已留好（9月25日确认）"
    assert care.apply(NOW) == 1 and _out()[-1].body == "王芳，9月25日生日快乐"


def test_care_rules_and_templates_share_one_set_of_placeholders(book):
    from store import templates

    for key in ("missed_call", "birthday"):
        assert care.PLACEHOLDERS[key] == templates.EVERYWHERE
    assert care.PLACEHOLDERS["booking_confirm"] == templates.valid(booking=True)
    assert care.PLACEHOLDERS["holiday"] == templates.valid(festival=True)
    with pytest.raises(care.CareProblem):
        care.set_rule("birthday", text="{nmae}生日快乐")
    assert care.unknown_placeholders("birthday", "{name}{today}{date}{booking}") == ["{booking}"]
    sample = care.example("booking_confirm", "{date}·{today}", shop="店", time_zone="Asia/Shanghai", footer="",
                          now=NOW)
    assert sample == "9月26日·9月25日"  # the sample booking is tomorrow
