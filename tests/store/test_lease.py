"""Exactly one process holds the phone line; a silent holder, or one on this machine whose process is gone,
is replaced."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from datetime import timedelta

from store import lease


def _holder(pid: int, name: str = "counter"):
    """A holder on another machine: only its heartbeat says whether it is still there."""
    return replace(lease.me(name, "sim://"), pid=pid, host="back-office-box")


def test_first_takes_second_is_told_who_holds(book):
    a, b = _holder(1, "counter"), _holder(2, "office")
    assert lease.take(a) is None
    other = lease.take(b)
    assert other is not None and other.name == "counter" and other.pid == 1
    assert "counter" in other.describe()
    assert lease.current().pid == 1


def test_holder_renews_and_releases(book):
    a, b = _holder(1), _holder(2)
    assert lease.take(a) is None
    assert lease.take(replace(a, heartbeat=a.heartbeat + timedelta(seconds=5))) is None
    lease.release(a)
    assert lease.current() is None
    assert lease.take(b) is None


def test_silent_holder_is_replaced(book):
    a = _holder(1)
    assert lease.take(a) is None
    later = replace(_holder(2), heartbeat=a.heartbeat + lease.STALE_AFTER + timedelta(seconds=1))
    assert lease.take(later) is None
    assert lease.current(later.heartbeat).pid == 2
    # The old holder, waking up, finds it has lost the line.
    assert lease.take(replace(a, heartbeat=later.heartbeat)).pid == 2


def test_release_by_a_non_holder_changes_nothing(book):
    a, b = _holder(1), _holder(2)
    lease.take(a)
    lease.release(b)
    assert lease.current().pid == 1


def test_damaged_row_counts_as_free(book):
    from store.models import Setting

    Setting.insert(key=lease.KEY, value="not json").execute()
    assert lease.current() is None
    assert lease.take(_holder(3)) is None


def _race(url: str, pid: int, results) -> None:
    from store.db import open_book, using

    db = open_book(url)
    with using(db):
        results.put((pid, lease.take(_holder(pid)) is None))
    db.close()


def test_racing_processes_one_wins(book_url):
    from store.db import close_book, open_book

    close_book(open_book(book_url))  # migrate once, before the race
    ctx = multiprocessing.get_context("spawn")
    results = ctx.Queue()
    procs = [ctx.Process(target=_race, args=(book_url, 100 + i, results)) for i in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    won = [pid for pid, ok in (results.get(timeout=5) for _ in procs) if ok]
    assert len(won) == 1


# A holder on this very machine is judged by its process, not only by its heartbeat.

def _child(*argv: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", *argv] if argv else [sys.executable, "-c",
                            "import time; time.sleep(60)"])


def _holding(proc: subprocess.Popen, name: str = "line@here") -> lease.Holder:
    """The lease a process on this machine would write: its pid and its own start time."""
    boot, started = lease.where_and_when(proc.pid)
    assert boot and started  # this machine can tell: Linux with /proc
    return replace(lease.me(name, "sim://"), pid=proc.pid, boot=boot, started=started)


def test_a_live_holder_on_this_machine_keeps_the_line(book):
    proc = _child()
    try:
        assert lease.take(_holding(proc)) is None
        other = lease.take(lease.me("counter", "sim://"))
        assert other is not None and other.pid == proc.pid
        assert lease.current().pid == proc.pid
    finally:
        proc.kill()
        proc.wait()


def test_a_killed_holder_on_this_machine_is_replaced_at_once(book):
    proc = _child()
    held = _holding(proc)
    assert lease.take(held) is None
    proc.kill()
    proc.wait()
    assert lease.current() is None  # its heartbeat is fresh, but nobody is behind it
    assert lease.take(lease.me("counter", "sim://")) is None
    assert lease.current().pid == os.getpid()


def test_a_killed_holder_not_yet_reaped_is_gone_too(book):
    proc = _child()
    held = _holding(proc)
    lease.take(held)
    os.kill(proc.pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while _state(proc.pid) != "Z":  # killed: the kernel keeps it as a zombie until its parent reaps it
        assert time.monotonic() < deadline
        time.sleep(0.01)
    assert lease.take(lease.me("counter", "sim://")) is None  # a zombie holds nothing
    proc.wait()


def _state(pid: int) -> str:
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()[0]


def test_a_pid_given_to_another_program_does_not_pass_for_the_holder(book):
    proc = _child()
    try:
        # The row says this pid began at another moment: the kernel has since given the pid to someone else.
        boot, started = lease.where_and_when(proc.pid)
        reused = replace(_holding(proc), started=str(int(started) - 1))
        lease.take(reused)
        assert lease.take(lease.me("counter", "sim://")) is None
    finally:
        proc.kill()
        proc.wait()


def test_a_dead_pid_on_another_machine_is_judged_by_the_heartbeat_only(book):
    proc = _child()
    held = replace(_holding(proc), host="back-office-box")
    proc.kill()
    proc.wait()
    lease.take(held)
    assert lease.take(lease.me("counter", "sim://")).pid == proc.pid
    # Nor on another boot of a machine with our name (a clone), nor in another pid namespace.
    lease.release(held)
    elsewhere = replace(_holding_dead(), boot="another-boot pid:[1]")
    lease.take(elsewhere)
    assert lease.take(lease.me("counter", "sim://")) is not None


def _holding_dead() -> lease.Holder:
    proc = _child()
    held = _holding(proc)
    proc.kill()
    proc.wait()
    return held


def test_a_row_from_before_start_times_were_kept_waits_for_the_heartbeat(book):
    from store.models import Setting

    dead = _holding_dead()
    lease.take(replace(dead, boot="", started=""))
    row = Setting.get(Setting.key == lease.KEY).value
    assert '"started": ""' in row
    assert lease.take(lease.me("counter", "sim://")) is not None


def test_two_processes_of_one_pid_and_host_are_not_the_same_holder(book):
    # pid 1 in two containers of one name: the start time tells them apart.
    a = lease.me("counter", "sim://")
    assert lease.take(a) is None
    b = replace(a, started=a.started + "0", heartbeat=a.heartbeat)
    assert lease.take(b) is not None
