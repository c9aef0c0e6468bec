"""The store on PostgreSQL: caller lookup and search as you type on a throwaway local server.

    python bench/bench_store_pg.py [--quick] [--url postgresql://...]

A smaller book than the SQLite benchmark (200,000 customers, 1,000,000 calls;
--quick: 20,000 and 100,000), written through the store's own bulk API so the
PostgreSQL write path is measured too. Without --url it starts a server with
tests/pgserver.py (initdb into a temp dir, loopback only) and stops it after.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests/pgserver.py starts the server

from bench_store import QUERIES, percentile, spellings, timed_both  # noqa: E402
from gen_book import MOBILE, _name, _Numbers  # noqa: E402
from store import customers, lookup, search  # noqa: E402
from store.db import close_book, open_book, using  # noqa: E402


def emit(figure: str, ours: float, **extra) -> None:
    print(json.dumps({"figure": figure, "ours": round(ours, 3), **extra, "backend": "postgresql",
                      "load_avg": round(os.getloadavg()[0], 2)}, ensure_ascii=False), flush=True)


def fill(db, n_customers: int, n_calls: int, rng: random.Random) -> list[tuple[str, str]]:
    """Customers through customers.add_many, calls in bulk; the (E.164, national) numbers made."""
    numbers = _Numbers(rng)
    made: list[tuple[str, str]] = []
    t = time.perf_counter()
    for start in range(0, n_customers, 10_000):
        batch = []
        for _ in range(min(10_000, n_customers - start)):
            mine = [numbers.new() for _ in range(1 if rng.random() < 0.6 else 2)]
            made.extend(mine)
            batch.append(customers.NewCustomer(_name(rng), tuple(e for e, _ in mine), tags=("vip",) if
                                               rng.random() < 0.1 else ()))
        customers.add_many(batch)
    emit("pg_bulk_add_rows_per_s", n_customers / (time.perf_counter() - t), rows=n_customers)
    from psycopg2.extras import execute_values

    t = time.perf_counter()
    owners = dict(db.execute_sql("SELECT number, customer_id FROM phone").fetchall())
    keys = list(owners)
    with db.atomic():
        rows = []
        for i in range(n_calls):
            number = keys[rng.randrange(len(keys))] if rng.random() < 0.7 else "+86" + rng.choice(MOBILE) + f"{i:08d}"
            rows.append((number, owners.get(number), "in", "2025-01-01 00:00:00", "answered", 60, "", "", "none", ""))
            if len(rows) == 50_000 or i == n_calls - 1:
                execute_values(db.cursor(), "INSERT INTO call (number, customer_id, direction, started_at, outcome, "
                               "duration_s, handled_by, note, callback, callback_by) VALUES %s", rows, page_size=5000)
                rows = []
    db.execute_sql("VACUUM ANALYZE")  # what autovacuum does to a book in use: statistics, visibility map
    emit("pg_fill_calls_s", time.perf_counter() - t, calls=n_calls)
    return made


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--url", help="an empty PostgreSQL database to use instead of a throwaway server")
    args = parser.parse_args(argv)
    n_customers, n_calls = (20_000, 100_000) if args.quick else (200_000, 1_000_000)
    server = None
    url = args.url
    if url is None:
        from tests.pgserver import PgServer

        server = PgServer().start()
        url = server.new_database()
    try:
        db = open_book(url)
        rng = random.Random(11)
        with using(db):
            made = fill(db, n_customers, n_calls, rng)
            sample = [spellings(e, n, rng) for e, n in rng.sample(made, 2000 if not args.quick else 300)]
            sample += [rng.choice(MOBILE) + f"{rng.randrange(10 ** 8):08d}" for _ in range(len(sample) // 5)]
            for n in sample[:100]:
                lookup.caller_card(n)
            both = [timed_both(lookup.caller_card, n) for n in sample]
            wall = [w for w, _ in both]
            emit("pg_caller_lookup_p50_ms", percentile(wall, 50), customers=n_customers, calls=n_calls, n=len(wall))
            emit("pg_caller_lookup_p99_ms", percentile(wall, 99), customers=n_customers, calls=n_calls, n=len(wall),
                 cpu_p99_ms=round(percentile([c for _, c in both], 99), 3))
            typed = [q[:i] for q in QUERIES for i in range(1, len(q) + 1) if q[:i].strip() and q[:i] not in ("尾", "尾号")]
            for q in typed:
                search.search(q)
            times = [timed_both(search.search, q)[0] for _ in range(3) for q in typed]
            emit("pg_search_as_you_type_p50_ms", percentile(times, 50), customers=n_customers, n=len(times))
            emit("pg_search_as_you_type_p99_ms", percentile(times, 99), customers=n_customers, n=len(times))
            print("\n".join(search.explain("zs")), file=sys.stderr)
        close_book(db)
    finally:
        if server is not None:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
