"""The customer book: adding, editing, numbers, tags, merging, flags, audit."""

from __future__ import annotations

from datetime import date

import pytest

from store import audit, customers
from store.models import Call, Customer, Phone, Visit
from store.numbers import InvalidNumber


def test_add_customer_keeps_numbers_in_e164_first_is_primary(book):
    c = customers.add_customer("张三", ["138 0013 8000", "010-12345678"], tier="金卡", tags=["vip"])
    phones = customers.numbers_of(c)
    assert [p.number for p in phones] == ["+8613800138000", "+861012345678"]
    assert [p.is_primary for p in phones] == [True, False]
    assert (c.pinyin, c.initials, c.tier, c.tag_list) == ("zhangsan", "zs", "金卡", ["vip"])


def test_polyphonic_surnames_read_as_surnames(book):
    assert customers.add_customer("单田芳").pinyin == "shantianfang"
    assert customers.add_customer("曾国藩").initials == "zgf"
    assert customers.add_customer("欧阳娜娜").pinyin == "ouyangnana"


def test_a_number_belongs_to_one_customer_only(book):
    first = customers.add_customer("张三", ["13800138000"])
    with pytest.raises(customers.NumberTaken, match="张三"):
        customers.add_customer("李四", ["+86 138 0013 8000"])
    with pytest.raises(customers.NumberTaken):
        customers.add_customer("王五", ["13900139000", "139-0013-9000"])
    assert Customer.select().count() == 1
    assert customers.customer_by_number("008613800138000").id == first.id


def test_add_many_is_all_or_nothing(book):
    customers.add_customer("张三", ["13800138000"])
    batch = [customers.NewCustomer("李四", ("13900139000",)), customers.NewCustomer("王五", ("13800138000",))]
    with pytest.raises(customers.NumberTaken):
        customers.add_many(batch)
    assert [c.name for c in Customer.select()] == ["张三"]
    with pytest.raises(InvalidNumber):
        customers.add_many([customers.NewCustomer("赵六", ("not a number",))])
    assert Customer.select().count() == 1


def test_update_is_audited_with_operator_and_terminal(book):
    c = customers.add_customer("张三", ["13800138000"])
    who = audit.Operator("小王", "counter-1")
    c = customers.update_customer(c, who, name="张叁", notes="喜欢靠窗", birthday=date(1990, 5, 1))
    assert (c.name, c.pinyin, c.notes, c.birthday) == ("张叁", "zhangsan", "喜欢靠窗", date(1990, 5, 1))
    rows = audit.history("customer", c.id)
    assert [r.action for r in rows] == ["add", "update"]
    assert (rows[1].operator, rows[1].terminal) == ("小王", "counter-1")
    assert "张叁" in rows[1].changes
    with pytest.raises(TypeError):
        customers.update_customer(c, who, id=5)


def test_numbers_add_remove_and_primary(book):
    c = customers.add_customer("张三", ["13800138000"])
    Call.create(number="+8613900139000", direction="in")
    customers.add_number(c, "139 0013 9000", label="work")
    assert Call.get().customer_id == c.id  # the unknown caller's history joins the customer
    customers.set_primary(c, "13900139000")
    assert customers.numbers_of(c)[0].number == "+8613900139000"
    customers.remove_number(c, "13900139000")
    assert [(p.number, p.is_primary) for p in customers.numbers_of(c)] == [("+8613800138000", True)]
    with pytest.raises(InvalidNumber):
        customers.remove_number(c, "13700137000")


def test_tags_block_and_opt_out(book):
    c = customers.add_customer("张三", tags=["vip", " 老客 ", "vip", "a|b"])
    assert c.tag_list == ["vip", "老客", "a b"]
    c = customers.add_tag(c, "生日")
    c = customers.remove_tag(c, "vip")
    assert c.tag_list == ["老客", "a b", "生日"]
    c = customers.block(c)
    assert c.blocked
    c = customers.opt_out(c, "回复 T")
    assert c.opted_out and c.opted_out_how == "回复 T" and c.opted_out_at is not None
    c = customers.opt_in(c)
    assert not c.opted_out and c.opted_out_at is None
    assert [r.action for r in audit.history("customer", c.id)][-3:] == ["block", "opt_out", "opt_in"]


def test_merge_keeps_all_history_and_numbers(book):
    a = customers.add_customer("张三", ["13800138000"], tags=["vip"], notes="老客")
    b = customers.add_customer("张三 (2)", ["13900139000"], tags=["生日"], notes="爱吃辣", company="某公司")
    Visit.create(customer=b.id, amount_cents=1000)
    Call.create(number="+8613900139000", customer=b.id)
    merged = customers.merge(a, b)
    assert customers.get_customer(b.id) is None
    assert sorted(p.number for p in customers.numbers_of(merged)) == ["+8613800138000", "+8613900139000"]
    assert Phone.select().where(Phone.customer == a.id, Phone.is_primary).count() == 1
    assert Visit.get().customer_id == a.id and Call.get().customer_id == a.id
    assert merged.tag_list == ["vip", "生日"] and merged.notes == "老客\n爱吃辣" and merged.company == "某公司"
    with pytest.raises(ValueError):
        customers.merge(a, a)


def test_hostile_names_are_stored_exactly_as_given(book):
    names = ["张三[/]", "a[/x", "[@click=app.quit]x", "\x1b[31mred\x1b[0m", "x\ry\x1a", "名" * 10_000, "'; DROP TABLE customer;--"]
    ids = [customers.add_customer(n).id for n in names]
    assert [customers.get_customer(i).name for i in ids] == names


def test_delete_keeps_calls_as_unknown(book):
    c = customers.add_customer("张三", ["13800138000"])
    Call.create(number="+8613800138000", customer=c.id)
    customers.delete_customer(c)
    assert Call.get().customer_id is None and Phone.select().count() == 0


def test_pinyin_quick_path_agrees_with_pypinyin_and_keeps_phrase_context():
    from pypinyin import Style, lazy_pinyin

    from store.search_keys import syllables

    for name in ("王建国", "李秀英", "陈子轩", "刘梦瑶", "赵一诺", "周晓东", "黄丽"):
        assert syllables(name) == lazy_pinyin(name, style=Style.NORMAL)
    assert syllables("张长乐") == ["zhang"] + lazy_pinyin("长乐", style=Style.NORMAL)  # polyphones: phrase reading
    assert syllables("曾乐") == ["zeng", "le"]


def test_remembered_readings_are_the_readings_and_cannot_be_changed_by_a_caller():
    from store.search_keys import CACHED_NAME, customer_keys, forget_names, syllables

    first = syllables("客户1")
    first.append("oops")  # a caller's list is its own: the remembered reading stays as it was
    assert syllables("客户2") == ["ke", "hu"] and syllables("客户1") == ["ke", "hu"]
    long_name = "欧阳" + "娜" * CACHED_NAME  # too long to remember: read afresh, alike
    keys = customer_keys(long_name, ["13800138000"], ["vip"])
    forget_names()
    assert syllables(long_name) == ["ou", "yang"] + ["na"] * CACHED_NAME
    assert customer_keys(long_name, ["13800138000"], ["vip"]) == keys
    assert ("p:ouyang" + "na" * CACHED_NAME, 2) in keys and ("p:oy" + "n" * CACHED_NAME, 3) in keys
