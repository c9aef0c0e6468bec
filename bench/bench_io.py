"""Import and export of the customer book: our bulk import against the per-customer API, and exports in flat memory.

Figures:
- import_vs_add_many_rows_per_s: store.io.importer.import_file (batched lookups, bulk
  inserts, one transaction) against store.customers.add_many (one INSERT per customer),
  the path an importer written on the customer API would take, same rows, empty SQLite books.
- export_calls_csv_rows_per_s: `export calls --format csv`, keyset pages of 5,000.
- export_peak_heap_mb: the most Python memory in use while exporting N calls, at two
  sizes (tracemalloc): a streamed export stays flat as the call log grows tenfold.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from store.customers import NewCustomer, add_many  # noqa: E402
from store.db import close_book, open_book, using  # noqa: E402
from store.io.importer import import_file  # noqa: E402
from store.search_keys import forget_names, pinyin_of  # noqa: E402

SURNAMES = "张王李赵刘陈杨黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国"
MOBILE = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "158", "159",
          "186", "187", "188", "189")


def emit(figure: str, ours: float, **extra) -> None:
    print(json.dumps({"figure": figure, "ours": round(ours, 3), **extra}, ensure_ascii=False), flush=True)


def shop_rows(count: int, seed: int = 7) -> list[list[str]]:
    rng = random.Random(seed)
    numbers = rng.sample(range(10 ** 8), count)
    return [[rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN), rng.choice(MOBILE) + f"{n:08d}",
             rng.choice(("普通", "银卡", "金卡")), rng.choice(("vip", "老客", "")), f"19{rng.randrange(50, 99)}-0{rng.randrange(1, 10)}-1{rng.randrange(9)}"]
            for n in numbers]


def bench_import(rows: list[list[str]], work: Path) -> None:
    path = work / "import.csv"
    with open(path, "w", newline="", encoding="utf-8-sig") as f:
        writer = csv.writer(f)
        writer.writerow(["姓名", "手机", "等级", "标签", "生日"])
        writer.writerows(rows)
    pinyin_of("重庆")  # pypinyin loads its dictionaries on first use: a one-off cost neither side should carry
    forget_names()
    db = open_book(f"sqlite:///{work / 'ours.db'}")
    with using(db):
        started = time.perf_counter()
        report = import_file(path, dry_run=False)
        ours = time.perf_counter() - started
        assert report.new == len(rows), (report.new, report.invalid[:3], report.duplicates[:3])
    close_book(db)
    from datetime import date

    forget_names()  # the peer reads the same names: it must not find them already read
    db = open_book(f"sqlite:///{work / 'peer.db'}")
    with using(db):
        started = time.perf_counter()
        add_many([NewCustomer(name, (number,), tier=tier, tags=(tag,) if tag else (),
                              birthday=date.fromisoformat(born)) for name, number, tier, tag, born in rows])
        peer = time.perf_counter() - started
    close_book(db)
    emit("import_vs_add_many_rows_per_s", len(rows) / ours, peer=round(len(rows) / peer, 3),
         peer_name="store.customers.add_many (one INSERT per customer)", ratio=round(peer / ours, 2), rows=len(rows))


def fill_calls(url: str, count: int) -> None:
    db = open_book(url)
    with using(db):
        ids = add_many([NewCustomer(f"客户{i}", (f"1380013{i:04d}",)) for i in range(1000)])
        start = datetime(2025, 1, 1, tzinfo=timezone.utc)
        rng = random.Random(3)
        with db.atomic():
            for base in range(0, count, 50_000):
                db.cursor().executemany(
                    "INSERT INTO call (number, customer_id, direction, started_at, outcome, duration_s, handled_by, "
                    "note, callback, callback_by) VALUES (?, ?, 'in', ?, ?, ?, '', '', 'none', '')",
                    [(f"+86138001{i % 100000:05d}", rng.choice(ids) if i % 3 else None,
                      (start + timedelta(seconds=37 * i)).strftime("%Y-%m-%d %H:%M:%S"),
                      rng.choice(("answered", "missed")), rng.randrange(300)) for i in range(base, min(count, base + 50_000))])
    close_book(db)


EXPORT = """
import resource, sys, time, tracemalloc
from pathlib import Path
from store.db import open_book, using
from store.io.export import export_to
with using(open_book(sys.argv[1])):
    if sys.argv[3] == "trace":
        tracemalloc.start()
    t = time.perf_counter()
    n = export_to("calls", "csv", Path(sys.argv[2]))
    seconds = time.perf_counter() - t
    heap = tracemalloc.get_traced_memory()[1] / 2 ** 20 if tracemalloc.is_tracing() else 0.0
    print(n, seconds, heap, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def export_run(url: str, target: Path, trace: bool) -> tuple[int, float, float, float]:
    """(rows, seconds, peak Python heap MB while exporting, peak RSS MB of the process)."""
    out = subprocess.run([sys.executable, "-c", EXPORT, url, str(target), "trace" if trace else "-"], check=True,
                         capture_output=True, text=True, cwd=ROOT)
    n, seconds, heap, rss = out.stdout.split()
    return int(n), float(seconds), float(heap), float(rss)


def bench_export(sizes: tuple[int, int], work: Path) -> None:
    heaps = []
    for size in sizes:
        url = f"sqlite:///{work / f'calls-{size}.db'}"
        fill_calls(url, size)
        heaps.append(export_run(url, work / f"calls-{size}.csv", trace=True))
    n, seconds, _, rss = export_run(url, work / "calls.csv", trace=False)
    emit("export_calls_csv_rows_per_s", n / seconds, rows=n, peak_rss_mb=round(rss, 1))
    # Python objects alive at the worst moment of the export: flat when the log grows tenfold.
    emit("export_peak_heap_mb", heaps[1][2], rows=heaps[1][0], small_rows=heaps[0][0],
         small_peak_heap_mb=round(heaps[0][2], 2))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5,000 import rows and 20k/100k calls")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="guanjia-bench-io-") as tmp:
        work = Path(tmp)
        bench_import(shop_rows(5_000 if args.quick else 50_000), work)
        bench_export((20_000, 100_000) if args.quick else (100_000, 1_000_000), work)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
