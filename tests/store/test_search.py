"""Search as you type: names, pinyin, initials, number parts, 尾号, tags; ranking; the plans it relies on."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from store import customers, search
from store.models import Customer


def _book():
    t0 = datetime(2024, 1, 1, tzinfo=timezone.utc)
    made = {}
    for i, (name, numbers, tags) in enumerate([
        ("张三", ["13800138000"], ["vip"]),
        ("张三丰", ["13912341234"], []),
        ("李张伟", ["13700001111"], ["老客"]),
        ("单田芳", ["010-61234567"], []),
        ("Tom Li", ["+1 202 555 0143"], ["foreign"]),
        ("王五", ["15000005678"], []),
    ]):
        c = customers.add_customer(name, numbers, tags=tags)
        Customer.update(seen_at=t0 + timedelta(days=i)).where(Customer.id == c.id).execute()
        made[name] = c.id
    return made


def names(hits):
    return [h.name for h in hits]


def test_name_substring_pinyin_and_initials(book):
    _book()
    assert names(search.search("张")) == ["张三丰", "张三", "李张伟"]  # prefix before substring, recent first
    assert names(search.search("三")) == ["张三", "张三丰"]  # ending before substring
    assert names(search.search("zs")) == ["张三", "张三丰"]  # exact initials first
    assert names(search.search("zhangs")) == ["张三丰", "张三"]
    assert names(search.search("ZhangSanFeng")) == ["张三丰"]
    assert names(search.search("sanfeng")) == ["张三丰"]
    assert names(search.search("stf")) == ["单田芳"]  # 单 read as a surname: shan
    assert names(search.search("shantian")) == ["单田芳"]
    assert names(search.search("tom")) == ["Tom Li"]
    assert names(search.search("li")) == ["李张伟", "Tom Li"]  # pinyin prefix before a later word


def test_numbers_exact_prefix_tail_and_any_part(book):
    _book()
    hit = search.search("+86 138 0013 8000")
    assert names(hit) == ["张三"] and hit[0].why == "number exact" and hit[0].primary_number == "+8613800138000"
    assert names(search.search("008613800138000")) == ["张三"]
    assert names(search.search("1380")) == ["张三"]
    assert search.search("1380")[0].why == "number prefix"
    tail = search.search("尾号 5678")
    assert names(tail) == ["王五"] and tail[0].why == "number ending"
    assert names(search.search("1234")) == ["张三丰", "单田芳"]  # ending (listed once), then 010-61234567
    assert names(search.search("0000")) == ["王五", "李张伟"]
    assert names(search.search("61234")) == ["单田芳"]
    assert names(search.search("010 6123")) == ["单田芳"]
    assert names(search.search("202555")) == ["Tom Li"]


def test_tags_and_nothing_found(book):
    _book()
    assert names(search.search("vip")) == ["张三"]
    assert names(search.search("老客")) == ["李张伟"]
    assert search.search("") == [] and search.search("   ") == []
    assert search.search("不存在的人") == []
    assert search.search("[/]") == []
    long_name = "长" * 200
    customers.add_customer(long_name)
    assert names(search.search(long_name)) == [long_name]


def test_edits_are_searchable_at_once(book):
    made = _book()
    customers.update_customer(made["王五"], name="赵六")
    assert search.search("王五") == [] and names(search.search("zl")) == ["赵六"]
    customers.add_number(made["赵六"] if "赵六" in made else made["王五"], "13655556666")
    assert names(search.search("5555")) == ["赵六"]


def test_many_matches_take_the_dense_path_and_stay_ranked(book, monkeypatch):
    _book()
    monkeypatch.setattr(search, "CAP", 2)  # force the newest-first walk over a set, with a tiny book
    assert names(search.search("张")) == ["张三丰", "张三", "李张伟"]
    assert names(search.search("张", limit=2)) == ["张三丰", "张三"]
    assert names(search.search("0", limit=3)) == ["单田芳", "王五", "Tom Li"]  # prefix, then newest substrings
    monkeypatch.setattr(search, "SET_CAP", 2)  # and the probe of each newest customer
    assert names(search.search("张")) == ["张三丰", "张三", "李张伟"]
    assert names(search.search("0", limit=3)) == ["单田芳", "王五", "Tom Li"]



def test_limit_and_query_text():
    assert search.query_text(" 138-0013 ") == "1380013"
    assert search.query_text("+86 138 0013 8000") == "13800138000"
    assert search.query_text("尾号1234") == "1234"
    assert search.query_text("8613800138000") == "13800138000"
    assert search.query_text("0086 138 0013 8000") == "13800138000"
    assert search.query_text("001 202 555 0143") == "2025550143"
    assert search.search("\U0010ffff") == [] and search._after("a\U0010ffff") == "a\U0010ffff"
    assert search.query_text("ZS") == "zs"


def test_plans_use_the_indexes(sqlite_book):
    _book()
    plans = "\n".join(search.explain("zs"))
    assert "SEARCH k USING PRIMARY KEY (key>? AND key<?)" in plans, plans
    assert "SCAN k" not in plans and "SCAN search_key" not in plans, plans
    assert "SCAN c USING COVERING INDEX customer_seen" in plans, plans
    assert "LIST SUBQUERY" in plans and "CORRELATED SCALAR SUBQUERY" in plans, plans


def test_number_plans_use_the_indexes(sqlite_book):
    _book()
    for q in ("1380", "38001", "12"):  # the digit in front of a number part: ten more index ranges, no scan
        plans = "\n".join(search.explain(q))
        assert "MULTI-INDEX OR" in plans, plans
        assert "SCAN k" not in plans and "SCAN search_key" not in plans, plans
