"""Templates: CRUD, ordering, placeholders that never break on a user's bad template; settings."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from store import customers, settings, templates

NOW = datetime(2025, 6, 1, 1, 30, tzinfo=timezone.utc)  # 09:30 on 6月1日 in Shanghai


def test_crud_and_order(book):
    a = templates.add_template("未接来电", "抱歉刚才没接到", "missed_call")
    b = templates.add_template("生日", "生日快乐", "care")
    c = templates.add_template("预订", "已为您预订", "booking")
    assert [t.name for t in templates.templates()] == ["未接来电", "生日", "预订"]
    assert [t.name for t in templates.move(c.id, -2)] == ["预订", "未接来电", "生日"]
    assert [t.name for t in templates.templates("care")] == ["生日"]
    templates.update_template(b.id, body="{surname}先生/女士，生日快乐！")
    templates.delete_template(a.id)
    assert [t.name for t in templates.templates()] == ["预订", "生日"]
    with pytest.raises(ValueError):
        templates.add_template("x", "y", "spam")
    with pytest.raises(TypeError):
        templates.update_template(b.id, id=3)


def test_render_fills_known_placeholders_and_leaves_others(book):
    c = customers.add_customer("欧阳娜娜", tier="金卡")
    body = "{surname}{name}（{tier}）：{shop} {date} {time} 见 {unknown} {0} {{x}} {name"
    out = templates.render(body, c, shop="老王饭店", now=NOW)
    assert out == "欧阳欧阳娜娜（金卡）：老王饭店 6月1日 09:30 见 {unknown} {0} {{x}} {name"
    assert templates.render("{name}", None) == ""
    assert templates.surname_of("Tom Li") == "Li" and templates.surname_of("张三") == "张"


def test_settings_typed_and_shared(book):
    assert settings.get("home_region") == "CN" and settings.tiers() == ["普通", "银卡", "金卡", "钻石"]
    settings.set("shop_name", "老王饭店")
    settings.set("tiers", ["普通", "会员"])
    settings.set("price_per_part", 0.08)
    settings.set("shop_name", "老王饭店二店")
    assert settings.get("shop_name") == "老王饭店二店" and settings.tiers() == ["普通", "会员"]
    assert settings.all_settings()["price_per_part"] == 0.08
    assert (settings.shop_name(), settings.price_per_part(), settings.time_zone()) == ("老王饭店二店", 0.08, "Asia/Shanghai")


# One set of placeholders everywhere, checked on save --------------------------------------

def test_an_unknown_placeholder_is_refused_on_save_with_the_valid_ones_named(book):
    with pytest.raises(templates.PlaceholderProblem) as caught:
        templates.add_template("问候", "{nmae}您好，{shop}欢迎您", "care")
    assert caught.value.unknown == ("{nmae}",)
    assert caught.value.valid == templates.EVERYWHERE and "{name}" in str(caught.value)
    assert not templates.templates()  # nothing saved
    kept = templates.add_template("问候", "{name}您好，{today}{shop}欢迎您", "care")
    with pytest.raises(templates.PlaceholderProblem):
        templates.update_template(kept.id, body="{姓名}您好")  # anything in braces would go out as typed
    assert templates.templates()[0].body == "{name}您好，{today}{shop}欢迎您"


def test_the_one_set_is_what_every_text_may_say():
    assert set(templates.EVERYWHERE) <= set(templates.PLACEHOLDERS)
    assert "today" in templates.EVERYWHERE and "date" in templates.FOR_BOOKING
    assert templates.valid(booking=True) == (*templates.EVERYWHERE, *templates.FOR_BOOKING)
    assert templates.valid(festival=True) == (*templates.EVERYWHERE, *templates.FOR_FESTIVAL)
    assert templates.unknown("{name}{booking}{festival}{nmae}") == ("{booking}", "{festival}", "{nmae}")
    assert templates.unknown("{name}{booking}", booking=True) == ()


def test_date_is_the_bookings_day_in_a_booking_text_and_today_elsewhere(book):
    from datetime import date

    c = customers.add_customer("张三", tier="金卡")
    booking = "{name}您好，已为您预订{date}的座位（今天是{today}）"
    out = templates.render(booking, c, now=NOW, booking_date=date(2025, 6, 8))
    assert out == "张三您好，已为您预订6月8日的座位（今天是6月1日）"
    # A template stored before {today} existed says {date} for today: it still does.
    old = templates.add_template("老模板", "{name}，{date}店庆", "promotion")
    assert templates.render(old.body, c, now=NOW) == "张三，6月1日店庆"
