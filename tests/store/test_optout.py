"""Opt-out replies in the forms people type them, and the texts that only look like one."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from store import customers
from store.optout import is_opt_out, record_opt_out

YES = ["T", "t", "TD", "td", "Td", "退订", "STOP", "stop", "Stop", "UNSUBSCRIBE", "unsubscribe", " stop! ",
       "STOP.", "退订。", "退订！", "【退订】", "“退订”", "ＴＤ", "ｔｄ", "Ｔ", "ＳＴＯＰ", "\u3000退订\u3000", "T\n",
       "\tTD ", "td~", "...stop...", "退订 ", "(T)", "stop 🙏"]
NO = ["T恤到货了吗", "don't stop", "Don't STOP", "stop it please", "TDD", "退订了吗？", "我不要退订", "TT", "T D",
      "", "   ", "好的", "stopp", "请退订", "tomorrow", "7"]


@pytest.mark.parametrize("text", YES)
def test_opt_out_phrases(text):
    assert is_opt_out(text)


@pytest.mark.parametrize("text", NO)
def test_not_opt_out(text):
    assert not is_opt_out(text)


def test_record_opt_out_marks_the_customer_once(book):
    c = customers.add_customer("王芳", ["13800138000", "13912345678"])
    at = datetime(2026, 5, 5, 3, 0, tzinfo=timezone.utc)
    marked = record_opt_out("+86 139 1234 5678", "退订", at)
    assert marked.id == c.id and marked.opted_out
    assert marked.opted_out_at == at and marked.opted_out_how == "SMS: 退订"
    again = record_opt_out("13800138000", "TD", datetime(2026, 6, 1, tzinfo=timezone.utc))
    assert again.opted_out_at == at and again.opted_out_how == "SMS: 退订"


def test_record_opt_out_from_a_stranger_or_junk_changes_nothing(book):
    assert record_opt_out("13700001111", "T") is None
    assert record_opt_out("BANK", "T") is None
