"""Any text at all: keys, queries, numbers and templates never raise anything but InvalidNumber."""

from __future__ import annotations

from datetime import datetime, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from store import search, templates
from store.numbers import InvalidNumber, normalize
from store.search_keys import MAX_KEY, customer_keys

TEXT = st.text(max_size=200)


@settings(max_examples=300, deadline=None)
@given(TEXT, st.lists(st.text(max_size=20), max_size=3), st.lists(TEXT, max_size=3))
def test_keys_of_any_name_are_bounded(name, numbers, tags):
    for key, kind in customer_keys(name, numbers, tags):
        assert key[:2] in ("p:", "s:") and len(key) <= MAX_KEY + 2 and 1 <= kind <= 5


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_any_query_is_understood(query):
    assert isinstance(search.query_text(query), str)


@settings(max_examples=300, deadline=None)
@given(st.one_of(TEXT, st.from_regex(r"\+?[0-9 ()\-]{0,20}", fullmatch=True)))
def test_numbers_either_normalise_or_say_why(raw):
    try:
        out = normalize(raw)
    except InvalidNumber as exc:
        assert str(exc)
    else:
        assert out.startswith("+") and out[1:].isdigit()


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_any_template_renders(body):
    class Person:
        name, tier, company = "张三", "金卡", ""

    out = templates.render(body, Person(), shop="店", now=datetime(2025, 6, 1, tzinfo=timezone.utc))
    assert isinstance(out, str)
