"""Exactly one process holds the phone line; a silent holder can be replaced."""

from __future__ import annotations

import multiprocessing
from dataclasses import replace
from datetime import timedelta

from store import lease


def _holder(pid: int, name: str = "counter"):
    return replace(lease.me(name, "sim://"), pid=pid)


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
