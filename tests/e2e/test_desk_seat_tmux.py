"""End to end at the seat: the real `guanjia` in tmux, `guanjia sim` as its own process, calls arriving while
the operator works (the cursor moved down the log, a text half written). Read back from the screen."""

from __future__ import annotations

import re
import time

import pytest

from tests.e2e.test_desk_tmux import SimProcess, Terminal, terminal  # noqa: F401  (the fixture)

pytestmark = pytest.mark.e2e

CALLER = "13910000001"
STRANGER = "13012345678"
SGR = re.compile(r"\x1b\[([0-9;:]*)m")


def _starts_reversed(cell: str) -> bool:
    """Whether the text in `cell` begins in reverse video (SGR 7 still on at its first character), reading
    colour parameters as such; the scrollbar's own reverse at the row's end does not count."""
    reverse, at = False, 0
    for match in SGR.finditer(cell):
        if match.start() > at and cell[at:match.start()].strip():
            return reverse
        params = match.group(1).replace(":", ";").split(";") if match.group(1) else ["0"]
        i = 0
        while i < len(params):
            if params[i] in ("38", "48", "58"):
                i += 5 if i + 1 < len(params) and params[i + 1] == "2" else 3
                continue
            if params[i] in ("0", ""):
                reverse = False
            elif params[i] == "7":
                reverse = True
            elif params[i] == "27":
                reverse = False
            i += 1
        at = match.end()
    return reverse


def _styled(term: Terminal) -> list[str]:
    """The screen's lines with their escape sequences (to see which row is highlighted)."""
    return term._tmux("capture-pane", "-e", "-p", "-t", term.name).splitlines()


def _plain(line: str) -> str:
    return SGR.sub("", line)


def highlighted(term: Terminal) -> tuple[int, str]:
    """The call log's highlighted row (reverse video in the left pane): its index on screen (0 the top row
    of the log) and its text; (-1, "") when none is."""
    for y, line in enumerate(_styled(term)):
        left = line.split("│")
        if y >= 2 and len(left) > 2 and _starts_reversed(left[1]):
            return y - 2, _plain(left[1]).strip()
    return -1, ""


def card(term: Terminal) -> str:
    """The right-hand panes (card, then composer) as text."""
    return "\n".join(line.split("│")[3] if line.count("│") >= 4 else "" for line in term.screen().splitlines())


def _until(predicate, timeout: float = 30.0, what: str = ""):
    """The predicate's value once truthy (checked every 0.1 s); fails saying `what` never held."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"never: {what}")


@pytest.fixture
def shop(tmp_path):
    """A demo book with 王八达 in it, and `guanjia sim` on its own pty."""
    from store.customers import add_customer
    from store.db import open_book
    from tui.demo import seed_demo

    url = f"sqlite:///{tmp_path / 'book.db'}"
    book = open_book(url)
    seed_demo(30)
    add_customer("王八达", [CALLER], tier="金卡", notes="爱吃辣")
    book.close()
    sim = SimProcess(tmp_path / "by-id")
    yield url, sim
    sim.close()


def test_rings_while_the_operator_works_keep_the_card_the_cursor_and_the_draft_honest(terminal, shop):  # noqa: F811
    url, sim = shop
    term = terminal(["--db", url, "--port", sim.path])
    term.wait_for("线路正常", timeout=40)
    for _ in range(4):
        term.keys("Down")
    chosen = _until(lambda: highlighted(term)[0] == 4 and highlighted(term)[1], what="the fifth row highlighted")
    row_number = re.search(r"1\d\d \d{4} \d{4}", chosen)
    # A text started to the highlighted row and half written: `s`, Tab to the text, type, Esc to the log.
    term.keys("s")
    term.wait_for("^s 发送 f1 帮助 f3 客户 f4 短信 f5 模板 f6")  # the composer has the keyboard (the template filter)
    term.keys("Tab")
    # The text box: its footer has no settings key (the box keeps F6 for itself).
    _until(lambda: "^s 发送" in (shown := term.screen()) and "f6 设置" not in shown, what="the text box's footer")
    term.keys("=see you at six")
    term.wait_for("see you at six")
    term.keys("Escape")
    term.wait_for("a 添加来电")  # the keyboard back with the log (its keys in the footer)
    who = chosen.split()[1]  # the row's name, or the first group of its number

    def to_line() -> str:
        return next((line for line in card(term).splitlines() if "收件人" in line), "")

    recipient_line = _until(lambda: who in to_line() and to_line(), what="the draft addressed to the row")
    if row_number:
        assert row_number.group(0) in recipient_line  # the row's number, as the shop reads it

    # 王八达 rings: the card is his (number and notes), whatever the cursor is on; the draft stays put.
    assert sim.say(f"ring {CALLER} rings 5 every 1").startswith("ringing")
    _until(lambda: "139 1000 0001" in card(term) and "爱吃辣" in card(term), what="the caller's card")
    screen = term.screen()
    assert "☎" in screen
    assert to_line() == recipient_line
    assert "see you at six" in card(term)
    # The ringing call came in on top; the highlight stayed on the call the operator chose.
    _until(lambda: highlighted(term) == (5, chosen), timeout=10, what="the same call highlighted, a row down")

    # Rung out: missed. The card stays his; the draft is still to the row it was started for.
    _until(lambda: "☎" not in term.screen(), timeout=30, what="the ring to end")
    _until(lambda: re.search(r"王八达.*未接", term.screen()), timeout=30, what="the missed call in the log")
    assert "爱吃辣" in card(term)
    assert highlighted(term) == (5, chosen)
    assert to_line() == recipient_line, term.screen()

    # A stranger rings and gives up; after the hang-up the keys are the desk's and act on that call.
    assert sim.say(f"ring {STRANGER} rings 2 every 1").startswith("ringing")
    _until(lambda: "130 1234 5678" in card(term) and "按 a 添加为客户" in card(term), what="the stranger's card")
    _until(lambda: "☎" not in term.screen(), timeout=30, what="the second ring to end")
    term.keys("F1")
    term.wait_for("所有按键")  # the help screen is up
    term.keys("=xyz", "Escape")
    _until(lambda: "所有按键" not in term.screen(), timeout=10, what="help to close")
    term.wait_for("a 添加来电")
    assert "xyz" not in term.screen()  # nothing typed under help landed anywhere
    term.keys("a")  # add the caller who just rang (not the highlighted row)
    form = term.wait_for("新客户", timeout=10)
    assert "xyz" not in form and "Traceback" not in form
    assert "13012345678" in form or "130 1234 5678" in form.split("新客户")[1]  # the caller's number
    term.keys("Escape")
    _until(lambda: "新客户" not in term.screen(), timeout=10, what="the form to close")
    term.wait_for("a 添加来电")

    # `s` now addresses that caller; the confirmation says who, by number as the shop reads it.
    term.keys("s")
    _until(lambda: "130 1234 5678" in to_line(),
           what="the draft to the stranger\n" + term.screen())
    term.keys("Tab", "C-s")
    confirm = term.wait_for("发送给")
    assert "130 1234 5678" in confirm
    term.keys("Escape")
    term.keys("C-q")
