"""A ring announced away from the desk: ring → the caller's name on the customers screen (F3), in tmux.

The real `guanjia --db BOOK --port PTY` runs in a detached 80x24 tmux session and is put on F3 (the
customers screen, its table full of names) before the first ring. A simulated phone in a child process
(bench/desk_probe.py) rings from a customer of the book; t0 is taken in that process just after the
RING + +CLIP write returns; t1 is the end of the first `capture-pane` showing the banner with the caller's
name ("☎ 王八达"), captured every millisecond through a tmux control-mode client. Each caller is a distinct
customer; every ring is left unanswered (the caller hangs up: a missed call, a call-back task, as on a busy
day) and the banner goes before the next ring, 50-150 ms later.

The figure is over all rings and over the last 100 (a desk that slows down with the day's calls shows
there), with the load average before and after.

    .venv/bin/python bench/bench_announce.py [--quick] [--book PATH] [--rings N] [--compare-desk]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.desk_probe import PhoneProcess, TmuxDesk, percentile, pick_callers, working_copy  # noqa: E402


def _summary(delays: list[float]) -> dict:
    return {"p50": round(statistics.median(delays), 2), "p99": round(percentile(delays, 0.99), 2),
            "max": round(max(delays), 2), "samples": len(delays)}


def ring_on(url: str, callers, rings: int, on_customers: bool = True) -> dict:
    """Milliseconds from +CLIP written to the banner with the caller's name on the F3 screen (or the desk),
    `rings` times, in a fresh process."""
    phone = PhoneProcess()
    desk = TmuxDesk(url, phone.path)
    rng = random.Random(21)
    delays: list[float] = []
    where = "搜索" if on_customers else "来电记录"  # the customers screen's search box; the desk's call log
    try:
        desk.wait_for("线路正常", timeout=120)  # the desk's status bar: the line is up
        if on_customers:
            desk.keys("F3")
        desk.wait_for(where, timeout=30)
        time.sleep(0.5)  # its first page painted
        desk.polls = desk.poll_ns = 0
        for number, name in callers:
            if len(delays) == rings:
                break
            wanted = f"☎ {name}"
            phone.ring(number)
            seen = desk.wait_for(wanted, timeout=15)
            delays.append((seen - phone.stamp()) / 1e6)
            phone.hang_up()  # nobody answered: a missed call
            deadline = time.perf_counter() + 15
            while "☎" in desk.capture() and time.perf_counter() < deadline:
                time.sleep(0.001)
            time.sleep(0.05 + rng.random() * 0.1)
        still_there = where in desk.capture()  # the rings never moved the operator off the screen
        poll = desk.mean_poll_ms()
    finally:
        desk.quit()
        phone.stop()
    if len(delays) < rings:
        raise RuntimeError(f"only {len(delays)} distinct callers for {rings} rings")
    slow = [i for i, d in enumerate(delays) if d > 100]
    return {"all": _summary(delays), "last_100": _summary(delays[-100:]), "over_100ms": len(slow),
            "slow_ring_numbers": slow[:40],  # which rings (0 = first): late ones only point at something growing
            "first_10": [round(d, 1) for d in delays[:10]], "stayed_on_screen": still_there, "poll_ms": round(poll, 2)}


def _isolate() -> None:
    """No user config; one shared cache (the number-origin table is made once, as on a shop's PC)."""
    os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="guanjia-bench-config-")
    os.environ.setdefault("XDG_CACHE_HOME", str(HERE / "out" / "xdg-cache"))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the small generated book and 100 rings")
    parser.add_argument("--book", type=Path, help="a book (SQLite file) to ring on; rung on a copy of it")
    parser.add_argument("--rings", type=int, help="rings of distinct callers (default 500; --quick 100)")
    parser.add_argument("--compare-desk", action="store_true",
                        help="then the same rings with the desk up (the screen that always had the banner), "
                             "in a fresh process, as the named alternative")
    args = parser.parse_args(argv)
    _isolate()
    if args.book is not None:
        book_file = args.book.resolve()
        if not book_file.exists():
            parser.error(f"no book at {book_file}")
    else:
        from bench.gen_book import FULL, QUICK, ensure_book

        book_file = ensure_book(QUICK if args.quick else FULL, log=lambda text: print(text, file=sys.stderr))
    rings = args.rings or (100 if args.quick else 500)
    copy = working_copy(Path(book_file))  # rings write calls and tasks: the given book stays as it was
    callers = pick_callers(copy, 2 * rings + 50)
    load_before = os.getloadavg()
    print(f"# bench_announce: {rings} rings on {book_file.name}, load average {load_before[0]:.2f}, "
          f"{os.cpu_count()} cpus", file=sys.stderr, flush=True)
    screens = [True, False] if args.compare_desk else [True]
    for on_customers in screens:
        _figure(copy, callers[:rings] if on_customers else callers[rings:], rings, on_customers, book_file)
    return 0


def _figure(copy: Path, callers, rings: int, on_customers: bool, book_file: Path) -> None:
    load_before = os.getloadavg()
    started = time.perf_counter()
    result = ring_on(f"sqlite:///{copy}", iter(callers), rings, on_customers)
    load_after = os.getloadavg()
    print(json.dumps({
        "figure": "ring_to_name_ms", "mode": "tmux", "screen": "customers (F3)" if on_customers else "desk",
        **result,
        "rings": rings, "book": str(book_file), "goal_p99": 100, "seconds": round(time.perf_counter() - started, 1),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after], "cpus": os.cpu_count(),
        "method": "t0: child-process SimPhone, just after the RING+CLIP write to the pty; t1: the end of the first "
                  "`capture-pane -p` (tmux control-mode client) showing '☎ <name>'; a capture every 1 ms; "
                  "each caller distinct, each ring missed (hung up unanswered)",
    }, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
