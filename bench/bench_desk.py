"""The desk on a big book: start-up to an interactive desk, call-log jumps, memory after crossing the whole log.

The book is bench/gen_book.py's (1M customers, 10M calls; --quick: 20k, 200k).
The peer for the call log is what Textual offers out of the box: a DataTable
filled with the calls (only 100,000 of them, or it would not finish), timed to
its first paint, against our paged Line-API log's first paint.

    .venv/bin/python bench/bench_desk.py [--quick] [--jumps N]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import time

START = time.perf_counter()
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

PEER_ROWS = 100_000


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


async def _until(condition, timeout: float = 60.0) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the desk never got there")
        await asyncio.sleep(0.001)


def _app(url: str):
    from store.db import open_book
    from tui.app import GuanjiaApp
    from tui.screens.book import Book

    open_book(url)
    return GuanjiaApp(Book(), language="zh")


async def _startup_child(url: str) -> None:
    """Run in a fresh process: print the seconds from process start to the first call and card on screen."""
    from tui.widgets.call_log import CallLog
    from tui.widgets.card import CustomerCard

    app = _app(url)
    async with app.run_test(size=(80, 24)):
        def ready() -> bool:
            try:
                return (app.screen.query_one(CallLog).current is not None
                        and app.screen.query_one(CustomerCard).card is not None)
            except Exception:
                return False

        await _until(ready)
        print(json.dumps({"ready_s": time.perf_counter() - START}), flush=True)


def startup(url: str, runs: int) -> float:
    """Median seconds from launching the interpreter to an interactive desk showing the newest call's card."""
    times = []
    for _ in range(runs):
        launched = time.perf_counter()
        out = subprocess.run([sys.executable, __file__, "--startup-child", url], capture_output=True, text=True,
                             check=True)
        json.loads(out.stdout.strip().splitlines()[-1])
        times.append(time.perf_counter() - launched)
    return statistics.median(times)


async def jumps_and_memory(url: str, jumps: int, sweep: int) -> dict:
    """Random jumps through the log (time until the row under the cursor is loaded), then a sweep end to end."""
    from tui.widgets.call_log import CallLog

    app = _app(url)
    out: dict = {}
    async with app.run_test(size=(80, 24)):
        await _until(lambda: bool(app.screen.query(CallLog)) and app.screen.query_one(CallLog).current is not None)
        log = app.screen.query_one(CallLog)
        total = log.total
        rng = random.Random(7)
        waits = []
        for _ in range(jumps):
            target = rng.randrange(total)
            began = time.perf_counter()
            log._move_to(target)
            await _until(lambda: log.current is not None)
            waits.append((time.perf_counter() - began) * 1000)
        waits.sort()
        out["p50"] = waits[len(waits) // 2]
        out["p99"] = waits[min(len(waits) - 1, int(len(waits) * 0.99))]
        for step in range(sweep + 1):
            log._move_to(total * step // sweep if step < sweep else total - 1)
            await _until(lambda: log.current is not None)
        out["rss_mb"] = _rss_mb()
        out["total"] = total
    return out


async def first_paint_ours(url: str) -> float:
    """Seconds from mounting our call log to its first page painted."""
    from textual.app import App

    from store.db import open_book
    from tui.screens.book import Book
    from tui.widgets.call_log import CallLog

    open_book(url)
    book = Book()

    class Only(App):
        def compose(self):
            yield CallLog(book.calls_count, book.call_lines)

    app = Only()
    async with app.run_test(size=(80, 24)) as pilot:
        began = time.perf_counter()
        log = app.query_one(CallLog)
        log.reload()
        log._pages.clear()
        await _until(lambda: log.current is not None)
        await pilot.pause()
        return time.perf_counter() - began


async def first_paint_peer(url: str) -> float:
    """Seconds to fill a Textual DataTable with PEER_ROWS calls (read page by page) and paint it."""
    from rich.text import Text
    from textual.app import App
    from textual.widgets import DataTable

    from store.db import open_book
    from tui.screens.book import Book

    open_book(url)
    book = Book()
    book.calls_count()

    class Table(App):
        def compose(self):
            yield DataTable()

    app = Table()
    async with app.run_test(size=(80, 24)) as pilot:
        began = time.perf_counter()
        table = app.query_one(DataTable)
        table.add_columns("time", "who", "outcome", "duration")
        for offset in range(0, PEER_ROWS, 1000):
            table.add_rows([(Text(line.when), Text(line.name or line.number or ""), Text(line.outcome),
                             Text(str(line.duration_s or ""))) for line in book.call_lines(offset, 1000)])
        await pilot.pause()
        return time.perf_counter() - began


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the small book and fewer jumps")
    parser.add_argument("--jumps", type=int)
    parser.add_argument("--startup-child", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.startup_child:
        asyncio.run(_startup_child(args.startup_child))
        return 0

    from bench.gen_book import FULL, QUICK, ensure_book

    params = QUICK if args.quick else FULL
    path = ensure_book(params, log=lambda text: print(text, file=sys.stderr, flush=True))
    url = f"sqlite:///{path}"
    book = {"customers": params["customers"], "calls": params["calls"]}
    jumps = args.jumps or (50 if args.quick else 300)

    print(json.dumps({"figure": "desk_startup_s", "ours": round(startup(url, 3 if args.quick else 5), 3),
                      "goal": 1.0, **book}), flush=True)
    result = asyncio.run(jumps_and_memory(url, jumps, 200 if args.quick else 1000))
    print(json.dumps({"figure": "call_log_jump_ms", "p50": round(result["p50"], 2), "p99": round(result["p99"], 2),
                      "jumps": jumps, **book}), flush=True)
    print(json.dumps({"figure": "desk_rss_after_whole_log_mb", "ours": round(result["rss_mb"], 1), "goal": 250,
                      "note": "after random jumps and a sweep of the whole log in 1,000 steps", **book}), flush=True)
    ours = asyncio.run(first_paint_ours(url))
    peer = asyncio.run(first_paint_peer(url))
    print(json.dumps({"figure": "call_log_first_paint_s", "ours": round(ours, 3), "peer": round(peer, 3),
                      "peer_name": f"textual 8.2.8 DataTable filled with {PEER_ROWS:,} calls",
                      "ratio": round(peer / ours, 1) if ours else None, **book}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
