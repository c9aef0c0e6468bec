"""End to end: the real `guanjia` in a real terminal (tmux), read back from the screen."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

GUANJIA = Path(sys.executable).with_name("guanjia")


class Terminal:
    """A detached tmux session of a given size running one command."""

    def __init__(self, command: list[str], *, width: int, height: int, env: dict[str, str]) -> None:
        self.name = f"guanjia-e2e-{uuid.uuid4().hex[:8]}"
        self.socket = f"{self.name}.sock"
        env_args = [f"{k}={v}" for k, v in env.items()]
        shell = " ".join(_quote(part) for part in ["env", *env_args, *command])
        # remain-on-exit keeps the last screen (and a traceback, if any) readable after a crash.
        self._tmux("new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height), shell)
        self._tmux("set-option", "-t", self.name, "remain-on-exit", "on")

    def _tmux(self, *args: str) -> str:
        out = subprocess.run(["tmux", "-L", self.socket, *args], check=True, capture_output=True, text=True)
        return out.stdout

    def screen(self) -> str:
        """The visible screen as text."""
        return self._tmux("capture-pane", "-p", "-t", self.name)

    def keys(self, *keys: str) -> None:
        """Press keys (tmux key names: F3, Escape, C-q) or type literal text with a leading '='."""
        for key in keys:
            if key.startswith("="):
                self._tmux("send-keys", "-t", self.name, "-l", key[1:])
            else:
                self._tmux("send-keys", "-t", self.name, key)

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        """The screen once it shows `text`; fails with the last screen when it never does."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; the screen was:\n{screen}")

    def wait_for_line(self, pattern: str, timeout: float = 20.0) -> str:
        """The first screen line matching the regular expression `pattern`, once one does."""
        import re

        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            for line in screen.splitlines():
                if re.search(pattern, line):
                    return line
            time.sleep(0.1)
        raise AssertionError(f"no line matched {pattern!r}; the screen was:\n{screen}")

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


def _quote(part: str) -> str:
    import shlex

    return shlex.quote(part)


@pytest.fixture
def terminal(tmp_path):
    if shutil.which("tmux") is None:
        pytest.fail("tmux is needed for the end-to-end test (apt-get install tmux)")
    made: list[Terminal] = []

    def start(args: list[str], width: int = 80, height: int = 24) -> Terminal:
        env = {"XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data"),
               "XDG_CACHE_HOME": str(tmp_path / "cache"),
               "LANG": "zh_CN.UTF-8", "TERM": "xterm-256color", "PATH": os.environ.get("PATH", "")}
        term = Terminal([str(GUANJIA), *args], width=width, height=height, env=env)
        made.append(term)
        return term

    yield start
    for term in made:
        term.close()


def test_the_desk_starts_on_a_demo_book_and_finds_a_customer_by_pinyin(terminal, tmp_path):
    from store.db import open_book
    from store.search import search

    db_url = f"sqlite:///{tmp_path / 'book.db'}"
    term = terminal(["--db", db_url, "--demo"])
    desk = term.wait_for("来电记录")
    assert "客户卡片" in desk and "短信" in desk
    assert "f3 客户" in desk  # the footer names the keys
    term.wait_for("线路正常")  # the demo's simulated phone, on its pseudo-terminal, is up
    lines = desk.splitlines()
    assert len(lines) <= 24 and all(len(line) <= 80 for line in lines)

    # The customer the search should find, asked of the same book the app is using.
    book = open_book(db_url)
    try:
        expected = search("ly", limit=5)[0].name
    finally:
        book.close()

    term.keys("F3")
    term.wait_for("搜索")
    term.keys("=ly")
    term.wait_for(expected)
    # Why it matched, in the shop's words; the table widens that column a frame after the rows arrive.
    term.wait_for("首字母")

    term.keys("Escape", "Escape")
    term.wait_for("来电记录")
    term.keys("C-q")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and "来电记录" in term.screen():
        time.sleep(0.1)
    after = term.screen()
    assert "来电记录" not in after and "Traceback" not in after


class SimProcess:
    """`guanjia sim` as its own process: a simulated phone on a real pty, typed to like an operator would."""

    def __init__(self, link_dir: Path) -> None:
        self.proc = subprocess.Popen([str(GUANJIA), "sim", "--link-dir", str(link_dir)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.path = self.proc.stdout.readline().strip()

    def say(self, line: str) -> str:
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        return self.proc.stdout.readline().strip()

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.stdin.close()
            self.proc.terminate()
            self.proc.wait(10)


def test_a_ring_on_a_real_pty_shows_the_caller_and_an_unplug_is_survived(terminal, tmp_path):
    from store.customers import add_customer
    from store.db import open_book

    db_url = f"sqlite:///{tmp_path / 'book.db'}"
    book = open_book(db_url)
    add_customer("欧阳娜娜", ["13912345678"], tier="钻石", notes="只坐靠窗")
    book.close()
    sim = SimProcess(tmp_path / "by-id")
    try:
        assert sim.path and os.path.exists(sim.path)
        term = terminal(["--db", db_url, "--port", sim.path])
        term.wait_for("线路正常")
        assert sim.say("ring 13912345678 rings 2 every 1").startswith("ringing")
        screen = term.wait_for("欧阳娜娜")
        assert "钻石" in screen and "只坐靠窗" in screen  # the card, with the last notes, while it rings
        assert "响铃" in term.wait_for("响铃")  # the log says it is ringing, not yet missed
        # Rings stop and nobody answered: after the missed-call timeout it is a missed call to return.
        screen = term.wait_for("今天 1 个来电，1 个未接", timeout=30)
        row = term.wait_for_line(r"\d\d:\d\d 欧阳娜娜 .*未接")
        assert "!" in row.split("│")[1]  # a call-back is owed, and the log's row says so

        sim.say("vanish")  # the cable is pulled
        down = term.wait_for("重新连接中")
        assert "Traceback" not in down
        sim.say("back")
        term.wait_for("线路正常", timeout=40)  # it comes back by itself
        term.keys("C-q")
    finally:
        sim.close()
