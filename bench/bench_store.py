"""The store at a million customers: caller lookup, search as you type, import rate, size, memory.

    python bench/bench_store.py [--quick] [--only import]

Uses the book from bench/gen_book.py (generated once, then reused). Prints one
JSON object per figure; the query plans go to stderr and bench/out/store-plans.txt.
Peers in the same run: the caller card assembled the usual ORM way (one query
per figure), and search as a LIKE '%…%' scan (on a sample of the queries).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import sqlite3
import sys
import time
from datetime import timedelta
from pathlib import Path

import peewee as pw

from gen_book import FULL, MOBILE, OUT, QUICK, ensure_book, timings_of
from store import customers, lookup, search, search_keys
from store.customers import NewCustomer
from store.db import close_book, open_book, using
from store.models import Call, Customer, Message, Phone, Visit, to_utc_naive, utcnow

QUERIES = (
    # Chinese name fragments
    "张", "王芳", "李伟", "张伟", "刘建国", "欧阳", "陈静", "杨", "秀英", "子轩",
    # pinyin initials and spellings
    "zw", "lj", "wf", "zs", "oyn", "zhangw", "wangfang", "liujianguo", "chen",
    # 4-digit suffixes (尾号) and number prefixes
    "尾号1234", "8888", "0571", "5678", "0000", "138", "13912", "1890", "186 1",
    # tags
    "vip", "老客",
)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def emit(figure: str, ours: float, **extra) -> None:
    # The load average says how much the 2-core machine was shared while timing (p99 feels it first).
    load = round(os.getloadavg()[0], 2)
    print(json.dumps({"figure": figure, "ours": round(ours, 3), **extra, "load_avg": load}, ensure_ascii=False),
          flush=True)


def spellings(e164: str, national: str, rng: random.Random) -> str:
    """One of the ways a number arrives: +86…, national, 0086…, spaced, dashed."""
    n = national
    return rng.choice((e164, n, "00" + e164[1:], f"{n[:3]} {n[3:7]} {n[7:]}", f"{n[:3]}-{n[3:7]}-{n[7:]}"))


def naive_card(number: str) -> dict:
    """The peer: the same card the usual ORM way, one query per figure."""
    from store.numbers import InvalidNumber, normalize

    try:
        e164 = normalize(number)
    except InvalidNumber:
        e164 = number
    phone = Phone.get_or_none(Phone.number == e164)
    out: dict = {"number": e164}
    now = to_utc_naive(utcnow())
    if phone is None:
        out["calls"] = Call.select().where(Call.number == e164).count()
        return out
    c = Customer.get_by_id(phone.customer_id)
    out["numbers"] = [p.number for p in Phone.select().where(Phone.customer == c.id)]
    out["calls_30"] = Call.select().where((Call.customer == c.id) & (Call.started_at >= now - timedelta(days=30))).count()
    out["calls_365"] = Call.select().where((Call.customer == c.id) & (Call.started_at >= now - timedelta(days=365))).count()
    out["calls"] = Call.select().where(Call.customer == c.id).count()
    visits = list(Visit.select().where(Visit.customer == c.id))
    out["spend"] = sum(v.amount_cents for v in visits)
    out["texts"] = list(Message.select().where(Message.customer == c.id).order_by(Message.at.desc()).limit(3))
    return out


def naive_search(q: str) -> list:
    """The peer: LIKE '%q%' over names, pinyin and numbers."""
    return list(Customer.select(Customer.id).join(Phone, pw.JOIN.LEFT_OUTER)
                .where(Customer.name.contains(q) | Customer.pinyin.contains(q) | Customer.initials.contains(q)
                       | Phone.national.contains(q)).order_by(Customer.seen_at.desc()).limit(20))


def timed(fn, *args) -> float:
    t = time.perf_counter()
    fn(*args)
    return (time.perf_counter() - t) * 1000


def timed_both(fn, *args) -> tuple[float, float]:
    """(wall ms, this thread's CPU ms): on a shared machine the gap is time spent waiting for a core."""
    t, c = time.perf_counter(), time.thread_time()
    fn(*args)
    return (time.perf_counter() - t) * 1000, (time.thread_time() - c) * 1000


def page_cache(path: Path, warm: bool) -> None:
    """Read the book into the OS page cache (a desk that has been running), or drop it from there (a cold start).

    Only this file: posix_fadvise, not drop_caches. This VM also reclaims idle
    pages by itself (DAMON), so "as found" would be neither and not repeatable.
    """
    with open(path, "rb") as f:
        if warm:
            while f.read(8 << 20):
                pass
        else:
            os.posix_fadvise(f.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)


def bench_cold_lookup(db: pw.Database, path: Path, rng: random.Random, rounds: int) -> None:
    """The first rings after the book's pages left memory: every lookup may read from disk."""
    top = db.execute_sql("SELECT max(id) FROM phone").fetchone()[0]
    ids = [rng.randrange(1, top + 1) for _ in range(rounds)]
    known = db.execute_sql(f"SELECT number, national FROM phone WHERE id IN ({','.join(map(str, ids))})").fetchall()
    numbers = [spellings(e, n, rng) for e, n in known]
    db.close()
    page_cache(path, warm=False)
    db.connect()
    wall = [timed(lookup.caller_card, n) for n in numbers]
    emit("caller_lookup_cold_p50_ms", percentile(wall, 50), n=len(wall), note="book dropped from the page cache first")
    emit("caller_lookup_cold_p99_ms", percentile(wall, 99), n=len(wall), note="book dropped from the page cache first")


def bench_lookup(db: pw.Database, rng: random.Random, rounds: int, plans: list[str]) -> None:
    top = db.execute_sql("SELECT max(id) FROM phone").fetchone()[0]
    ids = [rng.randrange(1, top + 1) for _ in range(rounds)]
    known = db.execute_sql(f"SELECT number, national FROM phone WHERE id IN ({','.join(map(str, ids))})").fetchall()
    numbers = [spellings(e, n, rng) for e, n in known]
    numbers += [rng.choice(MOBILE) + f"{rng.randrange(10 ** 8):08d}" for _ in range(rounds // 5)]  # mostly unknown
    rng.shuffle(numbers)
    for n in numbers[:100]:
        lookup.caller_card(n)  # warm the cache, as a running desk would be
    both = [timed_both(lookup.caller_card, n) for n in numbers]
    ours, cpu = [w for w, _ in both], [c for _, c in both]
    sample = numbers[: max(50, len(numbers) // 10)]
    peer = [timed(naive_card, n) for n in sample]
    p50, p99 = percentile(ours, 50), percentile(ours, 99)
    peer99 = percentile(peer, 99)
    name = "peewee ORM, one query per figure"
    emit("caller_lookup_p50_ms", p50, cache="warm", peer=round(percentile(peer, 50), 3), peer_name=name, n=len(ours),
         ratio=round(percentile(peer, 50) / p50, 2))
    emit("caller_lookup_p99_ms", p99, goal=2.0, cache="warm", peer=round(peer99, 3), peer_name=name, n=len(ours),
         ratio=round(peer99 / p99, 2), cpu_p50_ms=round(percentile(cpu, 50), 3), cpu_p99_ms=round(percentile(cpu, 99), 3))
    now = to_utc_naive(utcnow())
    sql = lookup._query(db)
    rows = db.execute_sql("EXPLAIN QUERY PLAN " + sql, (now, now, now, now, known[0][0])).fetchall()
    plans.append("== caller_card (one query) ==")
    plans.extend(f"{'  ' * (0 if r[1] == 0 else 1)}{r[-1]}" for r in rows)


def bench_search(rng: random.Random, rounds: int, plans: list[str]) -> None:
    typed = [q[:i] for q in QUERIES for i in range(1, len(q) + 1) if q[:i].strip() and q[:i] not in ("尾", "尾号")]
    for q in typed:
        search.search(q)
    ours: list[float] = []
    cpu: list[float] = []
    slowest: list[tuple[float, str]] = []
    for _ in range(rounds):
        for q in typed:
            ms, cpu_ms = timed_both(search.search, q)
            ours.append(ms)
            cpu.append(cpu_ms)
            slowest.append((ms, q))
    sample = [q for q in QUERIES[::3]]
    peer = [timed(naive_search, q) for q in sample]
    p50, p99 = percentile(ours, 50), percentile(ours, 99)
    name = "LIKE '%q%' scan over name, pinyin and numbers"
    emit("search_as_you_type_p50_ms", p50, peer=round(percentile(peer, 50), 3), peer_name=name, n=len(ours),
         ratio=round(percentile(peer, 50) / p50, 2))
    emit("search_as_you_type_p99_ms", p99, goal=30.0, peer=round(percentile(peer, 99), 3), peer_name=name,
         n=len(ours), ratio=round(percentile(peer, 99) / p99, 2), cpu_p50_ms=round(percentile(cpu, 50), 3),
         cpu_p99_ms=round(percentile(cpu, 99), 3))
    worst = sorted(slowest, reverse=True)[:5]
    print("# slowest searches: " + ", ".join(f"{q!r} {ms:.1f} ms" for ms, q in worst), file=sys.stderr)
    for q in ("张", "zw", "1234", "138"):
        plans.append(f"== search({q!r}) ==")
        plans.extend(search.explain(q))


def _import_csv(path: Path, rows: int, rng: random.Random, used: set[str], first: int = 0) -> None:
    """`rows` customers with numbers not in `used` (which grows), as a shop's export would have them."""
    with open(path, "w", newline="", encoding="utf-8-sig") as f:
        w = csv.writer(f)
        w.writerow(["姓名", "手机", "等级", "标签", "生日", "备注"])
        for i in range(first, first + rows):
            while True:
                number = rng.choice(MOBILE) + f"{rng.randrange(10 ** 8):08d}"
                if number not in used:
                    used.add(number)
                    break
            w.writerow([f"客户{i}", number, rng.choice(("普通", "银卡", "金卡")), rng.choice(("vip", "老客", "")),
                        f"19{rng.randrange(50, 99)}-0{rng.randrange(1, 10)}-1{rng.randrange(0, 9)}", ""])


def bench_import(rows: int, bulk_add: bool = True) -> None:
    from store.io.importer import import_file

    rng = random.Random(7)
    used: set[str] = set()
    csv_path = OUT / f"import-{rows}.csv"
    _import_csv(csv_path, rows, rng, used)
    target = OUT / "import-target.db"
    for p in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
        p.unlink(missing_ok=True)
    db = open_book(f"sqlite:///{target}")
    with using(db):
        t, cpu = time.perf_counter(), time.process_time()
        report = import_file(csv_path, dry_run=False)
        seconds, cpu = time.perf_counter() - t, time.process_time() - cpu
        assert report.new == rows, (report.new, len(report.invalid), report.invalid[:3])
    close_book(db)
    # CPU seconds too: on a shared machine the wall clock also counts the time other processes had the cores.
    emit("import_rows_per_s", rows / seconds, goal=20000, rows=rows, seconds=round(seconds, 2),
         cpu_s=round(cpu, 2), rows_per_cpu_s=round(rows / cpu),
         what="store.io.importer.import_file, CSV into an empty SQLite book")
    # The next file into the book the first one filled: every row is looked up against what is there.
    second = OUT / f"import-{rows}-more.csv"
    _import_csv(second, rows, rng, used, first=rows)
    db = open_book(f"sqlite:///{target}")
    with using(db):
        t = time.perf_counter()
        report = import_file(second, dry_run=False)
        seconds = time.perf_counter() - t
        assert report.new == rows, (report.new, len(report.invalid), report.invalid[:3])
    close_book(db)
    second.unlink(missing_ok=True)
    emit("import_into_filled_rows_per_s", rows / seconds, rows=rows, seconds=round(seconds, 2), book_before=rows,
         what="the same, the next file into the book the first one filled (every row looked up)")
    for p in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
        p.unlink(missing_ok=True)
    if not bulk_add:
        csv_path.unlink(missing_ok=True)
        return
    # The same rows through the store's own bulk API (what the desk's forms and other tools use).
    with open(csv_path, encoding="utf-8-sig") as f:
        people = [NewCustomer(name, (phone,), tier=tier, tags=(tag,) if tag else ()) for name, phone, tier, tag, *_
                  in list(csv.reader(f))[1:]]
    search_keys.forget_names()  # add_many reads the same names afresh, as it would in its own process
    db = open_book(f"sqlite:///{target}")
    with using(db):
        t = time.perf_counter()
        customers.add_many(people)
        seconds = time.perf_counter() - t
    close_book(db)
    for p in (target, Path(f"{target}-wal"), Path(f"{target}-shm"), csv_path):
        p.unlink(missing_ok=True)
    emit("bulk_add_rows_per_s", rows / seconds, rows=rows, seconds=round(seconds, 2),
         what="store.customers.add_many, one transaction, into an empty SQLite book")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a 20k-customer book and fewer rounds")
    parser.add_argument("--only", choices=("import",), help="only this figure (import: needs no big book)")
    args = parser.parse_args(argv)
    if args.only == "import":
        bench_import(10_000 if args.quick else 100_000, bulk_add=False)
        return 0
    params = QUICK if args.quick else FULL
    log = lambda text: print(f"# gen_book: {text}", file=sys.stderr, flush=True)  # noqa: E731
    path = ensure_book(params, log=log)
    made = timings_of(path)
    if made:
        emit("book_generate_s", made["total_s"], **{k: round(v, 1) for k, v in made.items() if k != "total_s"},
             **params, note="measured when the book was made; reused since")
    db = open_book(f"sqlite:///{path}")
    rng = random.Random(42)
    plans: list[str] = []
    with using(db):
        bench_cold_lookup(db, path, rng, 200 if args.quick else 1000)
        page_cache(path, warm=True)  # the figures with goals: a desk that has been running
        bench_lookup(db, rng, 500 if args.quick else 5000, plans)
        bench_search(rng, 2 if args.quick else 5, plans)
    close_book(db)
    # The desk's share: the peak while looking up and searching the big book, before any import.
    emit("peak_rss_lookup_search_mb", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    bench_import(10_000 if args.quick else 100_000)
    size = sum(os.path.getsize(p) for p in (path, Path(f"{path}-wal")) if os.path.exists(p))
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    pages, free, page_size = (con.execute(f"PRAGMA {p}").fetchone()[0]
                              for p in ("page_count", "freelist_count", "page_size"))
    con.close()
    # Pages freed by later migrations stay in the file until a VACUUM: say how much is in use.
    emit("db_size_mb", size / 2 ** 20, used_mb=round((pages - free) * page_size / 2 ** 20, 1),
         customers=params["customers"], calls=params["calls"], messages=params["messages"])
    emit("peak_rss_mb", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
         what="whole run, including the 100k-row import and bulk add")
    text = "\n".join(plans)
    (OUT / "store-plans.txt").write_text(text + "\n", encoding="utf-8")
    print(text, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
