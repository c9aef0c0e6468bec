"""The modem tools as an operator runs them: the real `guanjia` program in a subprocess."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading

import pytest

# The installed entry point, as operators run it (`python -m tui.cli` would load
# tui.cli twice, as __main__ and as itself).
GUANJIA = os.path.join(os.path.dirname(sys.executable), "guanjia")
GUARD = 30  # seconds before a stuck subprocess fails the test; not a timing claim


def guanjia(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([GUANJIA, *args], capture_output=True, text=True,
                          timeout=GUARD, **kw)


class Background:
    """A long-running guanjia (sim, monitor) whose stdout lines we read as they come."""

    def __init__(self, *args: str) -> None:
        self.proc = subprocess.Popen([GUANJIA, *args], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1)
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))

    def line(self) -> str:
        try:
            return self.lines.get(timeout=GUARD)
        except queue.Empty:
            raise AssertionError(f"no output; stderr: {self.stop()}") from None

    def until(self, test) -> str:
        while True:
            got = self.line()
            if test(got):
                return got

    def say(self, text: str) -> None:
        self.proc.stdin.write(text + "\n")
        self.proc.stdin.flush()

    def stop(self) -> str:
        if self.proc.poll() is None:
            self.proc.terminate()
        try:
            _, err = self.proc.communicate(timeout=GUARD)
        except ValueError:
            err = ""
        return err or ""


@pytest.fixture
def sim_process():
    sim = Background("sim", "--flavour", "huawei")
    sim.path = sim.line()
    assert os.path.islink(sim.path)
    yield sim
    sim.stop()


def test_send_prints_one_reference_per_part():
    done = guanjia("send", "--port", "sim://", "13800138000", "你好" * 40)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["0", "1"]


def test_send_to_a_bad_number_is_a_plain_error():
    done = guanjia("send", "--port", "sim://", "12;AT+CMGD=1,4", "hi")
    assert done.returncode == 2
    assert "is not a phone number" in done.stderr and "Traceback" not in done.stderr


def test_send_with_no_phone_there_is_a_plain_error(tmp_path):
    done = guanjia("send", "--port", str(tmp_path / "ttyUSB9"), "13800138000", "hi")
    assert done.returncode == 2
    assert done.stderr.startswith("guanjia: not sent:") and "Traceback" not in done.stderr


def test_send_through_a_guanjia_sim_pty(sim_process):
    done = guanjia("send", "--port", sim_process.path, "+8613800138000", "Table for two 😀")
    assert done.returncode == 0, done.stderr
    sim_process.say("sent")
    assert sim_process.until(lambda line: "Table" in line) == "0\t+8613800138000\tTable for two 😀"


def test_monitor_prints_json_lines_and_never_deletes(sim_process):
    monitor = Background("monitor", "--port", sim_process.path)
    try:
        up = json.loads(monitor.until(lambda line: '"up"' in line))
        assert up["event"] == "line"
        sim_process.say("ring 13800138000 rings 2 every 0.2")
        call = json.loads(monitor.until(lambda line: "incoming_call" in line))
        assert call["number"] == "+8613800138000"
        long_text = "请问明天中午还有包间吗？" * 8
        sim_process.say(f"sms 13800138000 {long_text}")
        whole = json.loads(monitor.until(lambda line: "sms_received" in line))
        assert whole["text"] == long_text and whole["sender"] == "+8613800138000"
        assert whole["sent_at"][:2] == "20" and whole["parts"] == 2
        ended = json.loads(monitor.until(lambda line: "call_ended" in line))
        assert (ended["number"], ended["outcome"]) == ("+8613800138000", "missed")
    finally:
        monitor.stop()
    assert monitor.proc.returncode == 0
    sim_process.say("log")
    sim_process.say("signal 4")  # its reply marks the end of the log
    asked = []
    while (line := sim_process.line()) != "signal 4/5":
        asked.append(line)
    assert any(c.startswith("AT+CMGR=") for c in asked)  # it did read the texts
    assert not any("CMGD" in c for c in asked)


def test_ports_probe_says_what_the_phone_is():
    done = guanjia("ports", "--probe", "sim://huawei")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "Huawei E3372, SIM ready, signal 4/5, registered (home)"


def test_ports_probe_of_nothing_is_a_plain_error(tmp_path):
    done = guanjia("ports", "--probe", str(tmp_path / "ttyUSB7"))
    assert done.returncode == 2 and "Traceback" not in done.stderr


def test_ports_lists_or_says_there_are_none():
    done = guanjia("ports")
    assert done.returncode in (0, 1)
    assert done.stdout.strip()


def test_monitor_follows_an_unplug_and_replug(sim_process):
    monitor = Background("monitor", "--port", sim_process.path)
    try:
        monitor.until(lambda line: '"up"' in line)
        sim_process.say("vanish")
        down = json.loads(monitor.until(lambda line: '"down"' in line))
        assert "unplugged" in down["detail"]
        monitor.until(lambda line: '"reconnecting"' in line)
        sim_process.say("back")
        monitor.until(lambda line: '"up"' in line)
        sim_process.say("sms 13800138000 back again")
        whole = json.loads(monitor.until(lambda line: "sms_received" in line))
        assert whole["text"] == "back again"
    finally:
        monitor.stop()


def test_ports_probe_of_a_port_where_nothing_answers():
    master, slave = os.openpty()  # a port that exists but never says a word
    try:
        done = guanjia("ports", "--probe", os.ttyname(slave))
    finally:
        os.close(master)
        os.close(slave)
    assert done.returncode == 2
    assert "nothing answers AT on this port" in done.stderr


@pytest.mark.parametrize("command", [["send", "13800138000", "hi"], ["monitor"]])
def test_no_phone_named_is_a_plain_error(command):
    done = guanjia(*command)
    assert done.returncode == 2
    assert "no phone named" in done.stderr and "Traceback" not in done.stderr


def test_ports_probe_speaks_chinese_under_a_chinese_lang():
    done = subprocess.run([GUANJIA, "ports", "--probe", "sim://huawei"], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "LANG": "zh_CN.UTF-8", "LC_ALL": ""})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "Huawei E3372，SIM 卡就绪，信号 4/5，已注册（本地网）"
    master, slave = os.openpty()
    try:
        done = subprocess.run([GUANJIA, "ports", "--probe", os.ttyname(slave), "--lang", "zh"], capture_output=True,
                              text=True, timeout=60)
    finally:
        os.close(master)
        os.close(slave)
    assert done.returncode == 2 and "没有设备回应 AT" in done.stderr and "nothing answers" not in done.stderr
