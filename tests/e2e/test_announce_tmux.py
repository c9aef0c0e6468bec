"""End to end, in a real terminal (tmux) with `guanjia sim` as its own process: calls and texts arriving while
the operator works on another screen, a form or a reply half typed (issue 9, items 2, 3 and 4)."""

from __future__ import annotations

import pytest

from tests.e2e.test_desk_tmux import SimProcess, terminal  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]


def _book(tmp_path, *customers: tuple[str, str, str, str]) -> str:
    from store.customers import add_customer
    from store.db import open_book

    url = f"sqlite:///{tmp_path / 'book.db'}"
    book = open_book(url)
    for name, number, tier, notes in customers:
        add_customer(name, [number], tier=tier, notes=notes)
    book.close()
    return url


def _read(url: str, query):
    from store.db import open_book

    book = open_book(url)
    try:
        return query()
    finally:
        book.close()


def _unread(url: str, number: str) -> int:
    from store.models import Message

    return _read(url, lambda: Message.select().where((Message.number == number) & (Message.direction == "in")
                                                     & (Message.is_read == False)).count())  # noqa: E712


def _wait(term, seen, timeout: float = 20.0) -> list[str]:
    """The screen's lines once `seen(lines)` holds."""
    import time

    deadline = time.monotonic() + timeout
    lines: list[str] = []
    while time.monotonic() < deadline:
        lines = term.screen().splitlines()
        if seen(lines):
            return lines
        time.sleep(0.1)
    raise AssertionError("never seen; the screen was:\n" + "\n".join(lines))


@pytest.fixture
def sim(tmp_path):
    phone = SimProcess(tmp_path / "by-id")
    yield phone
    phone.close()


def test_a_ring_over_a_half_filled_customer_form_and_f2_to_the_caller_and_back(terminal, sim, tmp_path):  # noqa: F811
    url = _book(tmp_path, ("王八达", "13910000001", "金卡", "爱吃辣，坐靠窗"))
    term = terminal(["--db", url, "--port", sim.path])
    term.wait_for("线路正常")
    term.keys("F3")
    term.wait_for("搜索")
    term.keys("C-n")
    term.wait_for("新客户")  # the customer form is up
    term.keys("=李雷")
    term.wait_for("李雷")
    assert sim.say("ring 13910000001 rings 8 every 1").startswith("ringing")
    screen = term.wait_for("☎ 王八达")
    assert "金卡" in screen and "139 1000 0001" in screen and "去前台" in screen
    term.keys("=同学")  # the keyboard is still in the form's field
    term.wait_for("李雷同学")

    term.keys("F2")  # to the caller
    screen = term.wait_for("来电记录")
    assert "李雷同学" not in screen
    # The caller's card: the right pane (after the log's border) names them, with their notes.
    card = _wait(term, lambda lines: any("││ 王八达" in line for line in lines))
    assert any("││ 备注: 爱吃辣" in line for line in card), "\n".join(card)
    term.keys("F3")  # back: the form as it was left
    screen = term.wait_for("李雷同学")
    assert "Traceback" not in screen
    term.keys("C-q")


def test_texts_are_read_when_opened_not_when_shown_and_a_new_one_takes_no_selection(terminal, sim, tmp_path):  # noqa: F811
    people = [("甲一", "13930000001", "普通", ""), ("乙二", "13930000002", "普通", ""),
              ("丙三", "13930000003", "普通", "")]
    url = _book(tmp_path, *people)
    term = terminal(["--db", url, "--port", sim.path])
    term.wait_for("线路正常")
    sim.say("sms 13930000002 乙二的第一条")
    sim.say("sms 13930000001 甲一的第一条")  # the newest: first in the list
    term.wait_for("未读 2")
    term.keys("F4")
    term.wait_for_line(r"▎ 甲一的第一条")  # the first thread's text in the right pane: shown, and read? no
    term.keys("Down")
    term.wait_for_line(r"▎ 乙二的第一条")
    assert _unread(url, "+8613930000001") == 1 and _unread(url, "+8613930000002") == 1, "showing read them"

    sim.say("sms 13930000003 丙三来了")
    term.wait_for("丙三")  # listed first now (unread, newest)
    term.keys("Enter")  # the operator opens the thread they had chosen: 乙二's, wherever it moved
    term.wait_for("回复给 乙二")
    assert _unread(url, "+8613930000002") == 0
    assert _unread(url, "+8613930000001") == 1 and _unread(url, "+8613930000003") == 1
    term.keys("Escape", "Escape")
    screen = term.wait_for("未读 2")  # the desk's count: 甲一 and 丙三 still unread
    assert "Traceback" not in screen
    term.keys("C-q")


def test_a_reply_goes_to_its_thread_when_another_customer_writes_meanwhile(terminal, sim, tmp_path):  # noqa: F811
    from store.models import Message

    url = _book(tmp_path, ("王八达", "13910000001", "金卡", ""), ("赵四", "13940000004", "普通", ""))
    term = terminal(["--db", url, "--port", sim.path])
    term.wait_for("线路正常")
    sim.say("sms 13910000001 明天还有包间吗")
    term.wait_for("未读 1")
    term.keys("F4")
    term.wait_for("明天还有包间吗")
    term.keys("r")
    term.wait_for("回复给 王八达 139 1000 0001")
    term.keys("=给您留着")
    sim.say("sms 13940000004 我也要订")
    term.wait_for("新短信：赵四")
    term.keys("=了")
    term.wait_for("给您留着了")  # typing went on in the reply box
    term.keys("Enter")
    screen = term.wait_for("发送给")
    assert "发送给 王八达 139 1000 0001？" in screen
    term.keys("y")
    term.wait_for("发给 王八达 139 1000 0001")
    sent = _read(url, lambda: Message.get(Message.direction == "out", Message.body == "给您留着了").number)
    assert sent == "+8613910000001"
    term.keys("C-q")
