"""Takeover after a crash: `guanjia line` killed with SIGKILL mid-traffic, restarted at once, 20 times.

Measured from outside the line: t0 is just before the kill; the next process
is started as soon as the killed one is reaped (as systemd's Restart=always
does). Figures: until the new process holds the lease (the book's holder row
names its pid), until it speaks to the phone (its first AT command reaches the
simulated phone), and until it listens (its AT+CNMI). Around every kill a call
rings across it (from before the kill to after the restart) and another starts
in the gap, and texts arrive; afterwards every call must be exactly one row,
ended, and every text kept once: "calls lost" and "texts lost" count those that
are not.

Compared in the same run with the heartbeat alone (what the line did before it
looked at the dead holder's process, and what a holder on another machine still
gets): the dead holder's row written as an older version wrote it, without its
process start time.

    .venv/bin/python bench/bench_takeover.py [--quick] [--kills N]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from modem.sim import SimPhone  # noqa: E402
from store.db import close_book, open_book  # noqa: E402

LINE = [sys.executable, "-m", "tui.cli", "line"]


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


class Book:
    """The book's holder row and calls, read on a connection of our own (the line writes on its own)."""

    def __init__(self, path: str) -> None:
        self.db = sqlite3.connect(path, timeout=5, isolation_level=None)

    def holder(self) -> dict | None:
        row = self.db.execute("SELECT value FROM setting WHERE key = 'line.holder'").fetchone()
        return json.loads(row[0]) if row else None

    def unstart(self) -> None:
        """The holder row as an older version wrote it: no process start time, so only its heartbeat counts."""
        held = self.holder()
        if held is not None:
            held["boot"], held["started"] = "", ""
            self.db.execute("UPDATE setting SET value = ? WHERE key = 'line.holder'", (json.dumps(held),))

    def calls_by_number(self) -> dict[str, list[tuple]]:
        out: dict[str, list[tuple]] = {}
        for number, ended, outcome in self.db.execute("SELECT number, ended_at, outcome FROM call"):
            out.setdefault(number, []).append((ended, outcome))
        return out

    def texts_in(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM message WHERE direction = 'in'").fetchone()[0]


async def _until(predicate, timeout: float, step: float = 0.002) -> float | None:
    """The perf_counter moment `predicate()` first held, None if it did not within `timeout`."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if predicate():
            return time.perf_counter()
        await asyncio.sleep(step)
    return None


async def _start(url: str, sim: SimPhone) -> asyncio.subprocess.Process:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return await asyncio.create_subprocess_exec(*LINE, "--db", url, "--port", sim.path, "--name", "bench-line",
                                                cwd=ROOT, env=env, stderr=asyncio.subprocess.DEVNULL)


async def _one_kill(n: int, proc, url: str, book: Book, sim: SimPhone, rings: list, texts: list,
                    heartbeat_only: bool) -> tuple[dict, asyncio.subprocess.Process]:
    across = f"+86137{n:08d}"
    in_gap = f"+86136{n:08d}"
    rings.append(asyncio.create_task(sim.ring(across, rings=14, every=0.5)))
    await sim.deliver_sms("+8613800138000", f"第{n}条，杀之前")
    texts.append(n)
    await asyncio.sleep(0.3)  # mid-traffic: the ring is being written, the text being read
    asked = len(sim.commands)
    t0 = time.perf_counter()
    proc.send_signal(signal.SIGKILL)
    await proc.wait()
    if heartbeat_only:
        book.unstart()
    rings.append(asyncio.create_task(sim.ring(in_gap, rings=12, every=0.5)))
    await sim.deliver_sms("+8613800138001", f"第{n}条，没人接线时")
    texts.append(n)
    new = await _start(url, sim)
    held = await _until(lambda: (h := book.holder()) is not None and h["pid"] == new.pid, 60)
    spoke = await _until(lambda: len(sim.commands) > asked, 60)
    listens = await _until(lambda: any(c.startswith("AT+CNMI") for c in sim.commands[asked:]), 60)
    return {"lease_s": held - t0, "first_command_s": spoke - t0, "listening_s": listens - t0}, new


async def main(args) -> None:
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="guanjia-bench-takeover-") as tmp:
        path = os.path.join(tmp, "book.db")
        url = f"sqlite:///{path}"
        close_book(open_book(url))  # migrated once, before any line starts
        book = Book(path)
        rings: list[asyncio.Task] = []
        texts: list[int] = []
        async with SimPhone() as sim:
            proc = await _start(url, sim)
            await _until(lambda: any(c.startswith("AT+CNMI") for c in sim.commands), 60)
            timings: dict[str, list[dict]] = {"ours": [], "heartbeat_only": []}
            plan = [("ours", i) for i in range(args.kills)] + \
                   [("heartbeat_only", args.kills + i) for i in range(args.heartbeat_kills)]
            for how, n in plan:
                measured, proc = await _one_kill(n, proc, url, book, sim, rings, texts, how == "heartbeat_only")
                timings[how].append(measured)
                print(f"# kill {n + 1} ({how}): lease {measured['lease_s']:.3f} s, "
                      f"listening {measured['listening_s']:.3f} s", file=sys.stderr, flush=True)
                await asyncio.gather(*rings)  # the calls ring out before the next kill
                await asyncio.sleep(2.0)  # the line's +CLCC poll sees them gone
            await _until(lambda: book.texts_in() >= len(texts), 30, step=0.1)
            await _until(lambda: all(e is not None for calls in book.calls_by_number().values()
                                     for e, _ in calls), 30, step=0.1)
            proc.send_signal(signal.SIGTERM)
            await proc.wait()
        calls = book.calls_by_number()
        numbers = {f"+8613{p}{n:08d}" for n in range(args.kills) for p in ("7", "6")}
        lost = sorted(n for n in numbers if n not in calls)
        twice = sorted(n for n in numbers if len(calls.get(n, [])) > 1)
        left_open = sum(1 for n in numbers for e, _ in calls.get(n, []) if e is None)
        others = {f"+8613{p}{n:08d}" for n in range(args.kills, args.kills + args.heartbeat_kills) for p in "76"}
        others_lost = sorted(n for n in others if n not in calls)
        texts_kept = book.texts_in()
    ours = timings["ours"]
    figure = {
        "figure": "line_takeover_after_kill_s",
        "kills": len(ours),
        "ours_lease_p50": round(statistics.median(m["lease_s"] for m in ours), 3),
        "ours_lease_p99": round(_pct([m["lease_s"] for m in ours], 99), 3),
        "ours_first_command_p50": round(statistics.median(m["first_command_s"] for m in ours), 3),
        "ours_listening_p50": round(statistics.median(m["listening_s"] for m in ours), 3),
        "ours_listening_p99": round(_pct([m["listening_s"] for m in ours], 99), 3),
        "goal_s": 2.0,
        "calls_rung": len(numbers),
        "calls_lost": len(lost),
        "calls_kept_twice": len(twice),
        "calls_left_open": left_open,
        "texts_sent_to_phone": len(texts),
        "texts_lost": len(texts) - texts_kept,
        "load_avg_before": [round(x, 2) for x in load_before],
        "load_avg_after": [round(x, 2) for x in os.getloadavg()],
    }
    heartbeat = timings["heartbeat_only"]
    if heartbeat:
        figure["alternative"] = "heartbeat only (a holder row without its process start time)"
        figure["alternative_lease_p50"] = round(statistics.median(m["lease_s"] for m in heartbeat), 3)
        figure["alternative_kills"] = len(heartbeat)
        figure["alternative_calls_rung"] = len(others)
        figure["alternative_calls_lost"] = len(others_lost)  # rang out in the gap: nobody held the line
    if lost or twice:
        figure["lost_numbers"], figure["twice_numbers"] = lost, twice
    print(json.dumps(figure), flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5 kills and one heartbeat-only kill")
    parser.add_argument("--kills", type=int, default=None)
    parser.add_argument("--heartbeat-kills", type=int, default=None)
    args = parser.parse_args()
    args.kills = args.kills or (5 if args.quick else 20)
    args.heartbeat_kills = args.heartbeat_kills if args.heartbeat_kills is not None else (1 if args.quick else 2)
    asyncio.run(main(args))
