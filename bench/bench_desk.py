"""The desk on a big book: ring → caller's name on screen, start-up to an interactive desk, memory after
crossing the whole call log, call-log jumps, first paint against a DataTable.

The book is bench/gen_book.py's (1M customers, 10M calls; --quick: 20k, 200k). Runs that ring write to
it (call rows, the line lease), so they use a copy of it (bench/out/desk-book-*.db).

Ring → card: a simulated phone in a child process (bench/desk_probe.py) writes RING and +CLIP from the
number of a random customer of the book; t0 is taken just after that write returns, t1 when the
customer's name is first on the rendered screen:
  - headless: the real GuanjiaApp with its real live feed (Live + LineWorker on the phone's pty) in
    this process, run_test at 80x24; every frame the compositor makes is seen as it is handed to
    App._display (the bytes a terminal would get are made and searched): the resolution is one frame;
  - tmux: `guanjia --db ... --port <pty>` in a detached 80x24 tmux session, its pane captured every
    millisecond (`capture-pane -p` through a control-mode client, ~0.1 ms each instead of ~4 ms for a
    tmux process per capture): the resolution is 1 ms plus one capture (its mean cost: poll_ms).
Each ring is from a customer whose name is nowhere on the screen before it rings; the caller hangs up
(NO CARRIER) and the banner goes before the next ring, 50-150 ms later (random, so rings do not lock
to the app's frame timer). The headless figure also says where the time goes: to the live feed's
CallRinging (the worker has the call's row and the card), to and in the desk's handler, from the
handler to the frame, and how long the screen took to make that frame (layout + render).

Start-up: process launch to the first frame (headless) or capture (tmux) showing the newest call's
caller. Memory: VmRSS and VmHWM of a fresh headless desk after jumps and a 1,000-step sweep of the whole
log, and of the real desk in tmux after End / PageUp / Home / PageDown (it also holds the number-origin
table, loaded a few seconds after start).

A busy day (ring_day): 500 rings of distinct callers in tmux, most left to ring out as missed calls, with
p50/p99 over the whole run and over its last 100 rings, and the load average around it.

    .venv/bin/python bench/bench_desk.py [--quick] [--rings N] [--day-rings N] [--book PATH]
        [--only ring_day,ring_headless,ring_tmux,startup,memory,paint]
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
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.desk_probe import (  # noqa: E402
    FrameWatch, PhoneProcess, TmuxDesk, memory_mb, percentile, pick_callers, working_copy,
)

FULL_PEER_ROWS = 100_000
QUICK_PEER_ROWS = 10_000
PARTS = ("ring_day", "ring_headless", "ring_tmux", "startup", "memory", "paint")
DAY_RINGS = 500
RUNG_OUT = 0.8  # of a busy day's rings, the share nobody answers and the caller lets ring out


def _ms(ns: int) -> float:
    return ns / 1e6


async def _until(condition, timeout: float = 60.0, step: float = 0.001) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the desk never got there")
        await asyncio.sleep(step)


def _desk_app(url: str, port: str | None):
    """The app as `guanjia --db url --port port` builds it (tui/desk.py), with the default config."""
    from store.db import open_book
    from tui.app import GuanjiaApp
    from tui.config import Config
    from tui.live import Live
    from tui.screens.book import Book

    open_book(url)
    return GuanjiaApp(Book(), Config(), language="zh",
                      live=lambda app: Live(app.post_message, port=port, name="bench-desk"))


def _summary(delays: list[float]) -> dict:
    return {"p50": round(statistics.median(delays), 2), "p99": round(percentile(delays, 0.99), 2),
            "max": round(max(delays), 2), "samples": len(delays)}


# -- ring → card, headless -------------------------------------------------------------------------


async def ring_headless(url: str, callers, rings: int) -> dict:
    """Milliseconds from +CLIP written to the first frame with the caller's name, the app in this process."""
    from tui.messages import CallRinging
    from tui.widgets.banner import RingBanner

    phone = PhoneProcess()
    app = _desk_app(url, phone.path)
    watch = FrameWatch(app)
    # Where the time goes: the live feed posts CallRinging once the worker has the call's row and card.
    posted: list[int] = []
    post = app.live.post

    def timed_post(message) -> None:
        if isinstance(message, CallRinging):
            posted.append(time.perf_counter_ns())
        post(message)

    app.live.post = timed_post
    rng = random.Random(11)
    delays: list[float] = []
    to_message: list[float] = []
    handled: list[int] = []
    to_handler: list[float] = []
    in_handler: list[float] = []
    to_frame: list[float] = []
    builds: list[float] = []
    skipped = 0
    last = ""
    try:
        async with app.run_test(size=(80, 24)):
            await _until(lambda: app.line_state == "up", timeout=30, step=0.01)
            await asyncio.sleep(0.5)  # the first page, counts and card settle
            banner = app.screen.query_one(RingBanner)
            desk = app._desk()
            handle = desk.call_ringing

            def timed_handle(message) -> None:
                handled.append(time.perf_counter_ns())
                handle(message)
                handled.append(time.perf_counter_ns())

            desk.call_ringing = timed_handle
            watch.time_updates(desk)
            while len(delays) < rings:
                number, name = next(callers)
                if name in watch.screen_text():
                    skipped += 1
                    continue
                watch.expect(name)
                posted.clear()
                handled.clear()
                phone.ring(number)
                await _until(lambda: watch.seen_ns is not None, timeout=10)
                t0 = phone.stamp()
                delays.append(_ms(watch.seen_ns - t0))
                if posted and len(handled) >= 2:
                    to_message.append(_ms(posted[0] - t0))
                    to_handler.append(_ms(handled[0] - t0))
                    in_handler.append(_ms(handled[1] - handled[0]))
                    to_frame.append(_ms(watch.seen_ns - handled[1]))
                if watch.seen_build_ns is not None:
                    builds.append(_ms(watch.seen_build_ns))
                last = name
                watch.wanted = None
                phone.hang_up()
                await _until(lambda: not banner.has_class("ringing"), timeout=10)
                await asyncio.sleep(0.05 + rng.random() * 0.1)
    finally:
        phone.stop()
    return {**_summary(delays), "first": round(delays[0], 2), "last_caller": last,
            "to_worker_message_p50": round(statistics.median(to_message), 2),
            "to_worker_message_p99": round(percentile(to_message, 0.99), 2),
            "to_desk_handler_p50": round(statistics.median(to_handler), 2),
            "to_desk_handler_p99": round(percentile(to_handler, 0.99), 2),
            "in_desk_handler_p50": round(statistics.median(in_handler), 2),
            "in_desk_handler_p99": round(percentile(in_handler, 0.99), 2),
            "handler_to_frame_p50": round(statistics.median(to_frame), 2),
            "handler_to_frame_p99": round(percentile(to_frame, 0.99), 2),
            "frame_build_p50": round(statistics.median(builds), 2) if builds else None,
            "frame_build_p99": round(percentile(builds, 0.99), 2) if builds else None,
            "skipped_name_on_screen": skipped, "frames_seen": watch.frames,
            "frame_render_ms": round(watch.render_ns / max(1, watch.frames) / 1e6, 3)}


# -- a busy day's rings, tmux -------------------------------------------------------------------------


def _wait_gone(desk: TmuxDesk, text: str, timeout: float = 30.0) -> None:
    """Until `text` is off the screen; polled every 20 ms (between rings nothing is timed)."""
    deadline = time.perf_counter() + timeout
    while text in desk.capture():
        if time.perf_counter() > deadline:
            raise TimeoutError(f"{text!r} stayed on screen")
        time.sleep(0.02)


def ring_day(url: str, callers, rings: int) -> dict:
    """A shop's busy day in one sitting: `rings` calls from distinct customers to the real `guanjia` in
    tmux, most left to ring out (one ring, then silence: the desk's phone finds the call gone and logs it
    missed, with a call-back owed), the rest given up by the caller (NO CARRIER) a moment after the name
    shows; every one missed. Ring → name as ring_tmux; the last rings show whether the desk slows as the
    day's calls, missed calls and call-backs pile up."""
    phone = PhoneProcess()
    desk = TmuxDesk(url, phone.path)
    rng = random.Random(13)
    delays: list[float] = []
    rung_out = skipped = 0
    load_before = os.getloadavg()
    began = time.perf_counter()
    try:
        desk.wait_for("线路正常", timeout=60)
        time.sleep(0.5)
        desk.polls = desk.poll_ns = 0
        while len(delays) < rings:
            number, name = next(callers)
            if name in desk.capture():
                skipped += 1
                continue
            out = rng.random() < RUNG_OUT
            if out:
                phone.ring_out(number, rings=1, every=0.5)
            else:
                phone.ring(number)
            seen = desk.wait_for(name, timeout=15)
            delays.append(_ms(seen - phone.stamp()))
            if out:
                rung_out += 1
            else:
                time.sleep(0.2 + rng.random() * 0.6)
                phone.hang_up()
            _wait_gone(desk, "☎")
            time.sleep(0.05 + rng.random() * 0.1)
            if len(delays) % 50 == 0:
                print(f"# ring_day: {len(delays)} rings, last 50 p99 {percentile(delays[-50:], 0.99):.1f} ms",
                      file=sys.stderr, flush=True)
        poll = desk.mean_poll_ms()
        rss = memory_mb(desk.desk_pid())
    finally:
        desk.quit()
        phone.stop()
    return {"whole_run": _summary(delays), "last_100": _summary(delays[-100:]),
            "first_100": _summary(delays[:100]), "rung_out": rung_out, "given_up": len(delays) - rung_out,
            "skipped_name_on_screen": skipped, "poll_ms": round(poll, 2), "minutes": round((time.perf_counter()
                                                                                           - began) / 60, 1),
            "desk_rss_mb": rss.get("VmRSS"), "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in os.getloadavg()]}


# -- ring → card, tmux --------------------------------------------------------------------------------


def ring_tmux(url: str, callers, rings: int) -> dict:
    """The same with the real `guanjia` in tmux, read back with capture-pane."""
    phone = PhoneProcess()
    desk = TmuxDesk(url, phone.path)
    rng = random.Random(12)
    delays: list[float] = []
    skipped = 0
    last = ""
    try:
        desk.wait_for("线路正常", timeout=60)  # the status bar: line up
        time.sleep(0.5)
        desk.polls = desk.poll_ns = 0
        while len(delays) < rings:
            number, name = next(callers)
            if name in desk.capture():
                skipped += 1
                continue
            phone.ring(number)
            seen = desk.wait_for(name, timeout=10)
            delays.append(_ms(seen - phone.stamp()))
            last = name
            phone.hang_up()
            deadline = time.perf_counter() + 10
            while "☎" in desk.capture() and time.perf_counter() < deadline:
                time.sleep(0.001)
            time.sleep(0.05 + rng.random() * 0.1)
        poll = desk.mean_poll_ms()
    finally:
        desk.quit()
        phone.stop()
    return {**_summary(delays), "first": round(delays[0], 2), "last_caller": last,
            "skipped_name_on_screen": skipped, "poll_ms": round(poll, 2)}


# -- start-up -------------------------------------------------------------------------------------------


async def _startup_child(url: str, port: str, wanted: str) -> None:
    """In a fresh process: print perf_counter_ns of the first frame showing `wanted` (the newest call)."""
    app = _desk_app(url, port)
    watch = FrameWatch(app)
    watch.expect(wanted)
    async with app.run_test(size=(80, 24)):
        await _until(lambda: watch.seen_ns is not None, timeout=60)
        print(json.dumps({"seen_ns": watch.seen_ns}), flush=True)


def startup_headless(url: str, wanted: str, runs: int) -> list[float]:
    """Seconds from launching a process to its first frame with the newest call (its caller's name)."""
    phone = PhoneProcess()
    times = []
    try:
        for _ in range(runs):
            launched = time.perf_counter_ns()
            out = subprocess.run([sys.executable, __file__, "--startup-child", url, phone.path, wanted],
                                 capture_output=True, text=True, check=True, timeout=120)
            seen = json.loads(out.stdout.strip().splitlines()[-1])["seen_ns"]
            times.append((seen - launched) / 1e9)
    finally:
        phone.stop()
    return times


def startup_tmux(url: str, wanted: str, runs: int, scroll: bool) -> tuple[list[float], dict]:
    """Seconds from `tmux new-session` running guanjia to a capture showing the newest call;
    with `scroll`, the last run then crosses the whole log by keys and its memory is read."""
    phone = PhoneProcess()
    times = []
    memory: dict = {}
    try:
        for run in range(runs):
            desk = TmuxDesk(url, phone.path)
            try:
                times.append((desk.wait_for(wanted, timeout=120) - desk.started_ns) / 1e9)
                if scroll and run == runs - 1:
                    memory = _scroll_tmux(desk)
            finally:
                desk.quit()
    finally:
        phone.stop()
    return times, memory


def _scroll_tmux(desk: TmuxDesk) -> dict:
    """End (the oldest call), 200 PageUp, Home, 200 PageDown, End; then the desk's memory."""
    pid = desk.desk_pid()
    desk.keys("End")
    time.sleep(2.0)
    for _ in range(200):
        desk.keys("PageUp")
    desk.keys("Home")
    time.sleep(1.0)
    for _ in range(200):
        desk.keys("PageDown")
    desk.keys("End")
    time.sleep(2.0)
    return {**memory_mb(pid), "screen_last_line": next((line for line in reversed(desk.capture().splitlines())
                                                         if line.strip().startswith("│")), "")[:40]}


# -- memory after crossing the log, jumps (headless, a fresh process) ------------------------------


async def _memory_child(url: str, jumps: int, sweep: int) -> None:
    """In a fresh process: random jumps (time until the row under the cursor is loaded), then a sweep of
    the whole log in `sweep` steps with the call log's own cursor, End and Home; then VmRSS/VmHWM."""
    from tui.widgets.call_log import CallLog

    app = _desk_app(url, None)
    async with app.run_test(size=(80, 24)) as pilot:
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
        for step in range(sweep + 1):
            log._move_to(total * step // sweep if step < sweep else total - 1)
            await _until(lambda: log.current is not None)
            await pilot.pause()
        log.focus()
        await pilot.press("end")
        await _until(lambda: log.cursor == total - 1 and log.current is not None)
        await pilot.press("home")
        await _until(lambda: log.cursor == 0 and log.current is not None)
        await pilot.pause()
        print(json.dumps({"p50": statistics.median(waits), "p99": percentile(waits, 0.99), "total": total,
                          **memory_mb()}), flush=True)


def memory_headless(url: str, jumps: int, sweep: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--memory-child", url, str(jumps), str(sweep)],
                         capture_output=True, text=True, check=True, timeout=1800)
    return json.loads(out.stdout.strip().splitlines()[-1])


# -- first paint against a DataTable ------------------------------------------------------------------


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


async def first_paint_peer(url: str, rows: int) -> float:
    """Seconds to fill a Textual DataTable with `rows` calls (read page by page) and paint it."""
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
        for offset in range(0, rows, 1000):
            table.add_rows([(Text(line.when), Text(line.name or line.number or ""), Text(line.outcome),
                             Text(str(line.duration_s or ""))) for line in book.call_lines(offset, 1000)])
        await pilot.pause()
        return time.perf_counter() - began


# -- main ------------------------------------------------------------------------------------------------


def _emit(figure: dict) -> None:
    print(json.dumps(figure, ensure_ascii=False), flush=True)


def _isolate() -> None:
    """No user config; one shared cache (the number-origin table is made once, as on a shop's PC)."""
    out = HERE / "out"
    os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="guanjia-bench-config-")
    os.environ.setdefault("XDG_CACHE_HOME", str(out / "xdg-cache"))
    os.environ["LANG"] = os.environ["LC_ALL"] = "C.UTF-8"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the small book, 20 rings, fewer runs and jumps")
    parser.add_argument("--rings", type=int, help="rings per mode (default 250; --quick 20)")
    parser.add_argument("--day-rings", type=int, help=f"rings of the busy day (default {DAY_RINGS}; --quick 60)")
    parser.add_argument("--book", type=Path, help="a book made by gen_book.py with these parameters, reused "
                                                  "(default bench/out/book-<customers>.db)")
    parser.add_argument("--only", help=f"comma-separated parts: {','.join(PARTS)}")
    parser.add_argument("--startup-child", nargs=3, metavar=("URL", "PORT", "WANTED"), help=argparse.SUPPRESS)
    parser.add_argument("--memory-child", nargs=3, metavar=("URL", "JUMPS", "SWEEP"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.startup_child:
        asyncio.run(_startup_child(*args.startup_child))
        return 0
    if args.memory_child:
        url, jumps, sweep = args.memory_child
        asyncio.run(_memory_child(url, int(jumps), int(sweep)))
        return 0

    from bench.gen_book import FULL, QUICK, ensure_book

    _isolate()
    parts = set(args.only.split(",")) if args.only else set(PARTS)
    params = QUICK if args.quick else FULL
    book_file = ensure_book(params, path=args.book, log=lambda text: print(text, file=sys.stderr, flush=True))
    url = f"sqlite:///{book_file}"
    copy = working_copy(Path(book_file))
    copy_url = f"sqlite:///{copy}"
    rings = args.rings or (20 if args.quick else 250)
    runs = 2 if args.quick else 5
    book = {"book_customers": params["customers"], "book_calls": params["calls"]}
    load = os.getloadavg()
    print(f"# bench_desk: load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, {os.cpu_count()} cpus",
          file=sys.stderr, flush=True)
    day_rings = args.day_rings or (60 if args.quick else DAY_RINGS)
    callers = iter(pick_callers(copy, 2 * rings + 2 * day_rings + 100))
    newest = None

    if "ring_day" in parts:
        result = ring_day(copy_url, callers, day_rings)
        _emit({"figure": "ring_to_name_busy_day_ms", "mode": "tmux", **result, "goal_p99": 100, **book,
               "method": f"the real guanjia in an 80x24 tmux session; {day_rings} rings of distinct customers, "
                         f"{round(RUNG_OUT * 100)}% left to ring out (one ring, then silence: missed), the rest "
                         "given up by the caller (NO CARRIER), all missed with a call-back owed. t0: the simulated "
                         "phone's own process, just after its +CLIP write to the pty returns; t1: the end of the "
                         "first capture-pane (tmux control-mode client, every 1 ms) showing the caller's name"})

    if "ring_headless" in parts:
        result = asyncio.run(ring_headless(copy_url, callers, rings))
        newest = result.pop("last_caller")
        _emit({"figure": "ring_to_card_ms", "mode": "headless", **result, "goal_p99": 100, **book,
               "method": "t0: child-process SimPhone, just after the RING+CLIP write to the pty; t1: the first "
                         "frame containing the caller's name, seen as Textual hands it to App._display "
                         "(resolution: one frame, as rendered; render_segments cost included)"})
    if "ring_tmux" in parts:
        result = ring_tmux(copy_url, callers, rings)
        newest = result.pop("last_caller")
        _emit({"figure": "ring_to_card_ms", "mode": "tmux", **result, "goal_p99": 100, **book,
               "method": "t0 as headless; t1: the end of the first `capture-pane -p` (tmux control-mode "
                         "client) showing the name; a capture every 1 ms (resolution: 1 ms + poll_ms)"})
    if "startup" in parts:
        if newest is None:
            newest = _newest_caller(copy_url)
        times = startup_headless(copy_url, newest, runs)
        _emit({"figure": "desk_startup_s", "mode": "headless", "median": round(statistics.median(times), 3),
               "max": round(max(times), 3), "runs": [round(t, 3) for t in times], "goal": 1.0, **book,
               "method": "process launch (python, imports, open the book, live feed on a phone) to the first "
                         "frame showing the newest call's caller name"})
        times, memory = startup_tmux(copy_url, newest, runs, scroll="memory" in parts)
        _emit({"figure": "desk_startup_s", "mode": "tmux", "median": round(statistics.median(times), 3),
               "max": round(max(times), 3), "runs": [round(t, 3) for t in times], "goal": 1.0, **book,
               "method": "`tmux new-session` running `guanjia --db --port` to the first capture-pane showing "
                         "the newest call's caller name"})
        if memory:
            _emit({"figure": "desk_rss_after_whole_log_mb", "mode": "tmux", "rss": memory.get("VmRSS"),
                   "hwm": memory.get("VmHWM"), "goal": 250, **book,
                   "method": "the real guanjia in tmux: End (the oldest call), 200 PageUp, Home, 200 PageDown, "
                             "End; then /proc/<pid>/status VmRSS and VmHWM (peak)",
                   "last_row_seen": memory.get("screen_last_line")})
    if "memory" in parts:
        jumps = 20 if args.quick else 300
        sweep = 50 if args.quick else 1000
        result = memory_headless(url, jumps, sweep)
        _emit({"figure": "call_log_jump_ms", "p50": round(result["p50"], 2), "p99": round(result["p99"], 2),
               "jumps": jumps, **book})
        _emit({"figure": "desk_rss_after_whole_log_mb", "mode": "headless", "rss": result["VmRSS"],
               "hwm": result["VmHWM"], "goal": 250, **book,
               "method": f"a fresh process, the desk in run_test 80x24: {jumps} random jumps, a sweep of the "
                         f"whole log ({result['total']:,} calls) in {sweep} steps with the call log's cursor, "
                         "End, Home; then VmRSS and VmHWM (peak) of the process"})
    if "paint" in parts:
        rows = QUICK_PEER_ROWS if args.quick else FULL_PEER_ROWS
        ours = asyncio.run(first_paint_ours(url))
        peer = asyncio.run(first_paint_peer(url, rows))
        _emit({"figure": "call_log_first_paint_s", "ours": round(ours, 3), "peer": round(peer, 3),
               "peer_name": f"textual 8.2.8 DataTable filled with {rows:,} calls",
               "ratio": round(peer / ours, 1) if ours else None, **book})
    load = os.getloadavg()
    print(f"# bench_desk: done, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}", file=sys.stderr, flush=True)
    return 0


def _newest_caller(url: str) -> str:
    """Who the call log shows first: the newest call's name (or number as shown)."""
    from store.db import close_book, open_book
    from tui.screens.book import Book

    open_book(url)
    try:
        line = Book().call_lines(0, 1)[0]
        return line.name or line.display or line.number
    finally:
        close_book()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
