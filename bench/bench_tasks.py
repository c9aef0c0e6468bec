"""The task list on a big book: how long `tasks.refresh` takes (the line worker runs it every ten minutes).

    python bench/bench_tasks.py [--quick] [--customers N] [--pg]

Builds its own book (deterministic seed, 1,000,000 customers; --quick 20,000; --pg: on a throwaway
PostgreSQL server, 200,000):
tiers 70/20/8/2 % 普通/银卡/金卡/钻石, last seen over two years, two thirds with
one to three visits, most with a birthday, 3,000 missed calls waiting for a
call-back. A third of the customers are owed a contact and most of the visitors
are drifting: the list opens only tasks_per_day of each (20), the most valuable
first. Figures, one JSON object per line:
- tasks_refresh_s: first (an empty list: picks the day's contacts and drifting
  customers, looks up four days of birthdays, opens every call-back), again (the
  same day, caught up: the worker's every-ten-minutes case; best of rounds),
  next_day (the first refresh of the following day), with how many tasks are
  open and how many rows the task table holds;
- tasks_today_s: the list as the task screen reads it (open, due by tonight)
  and the status bar's count.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from store import tasks
from store.db import close_book, open_book, using
from store.models import Task

SEED = 20261125
NOW = datetime(2026, 11, 25, 2, 0, tzinfo=timezone.utc)  # 10:00 at the shop
TIERS = (("普通", 70), ("银卡", 20), ("金卡", 8), ("钻石", 2))
PENDING_CALLS = 3_000


def _stamp(at: datetime) -> str:
    return at.astimezone(timezone.utc).replace(tzinfo=None).isoformat(" ")


_CUSTOMER = ("INSERT INTO customer (id, name, tier, birthday, created_at, updated_at, seen_at, pinyin, initials, "
             "birthday_lunar, gender, company, address, notes, source, tags, opted_out, opted_out_how, blocked) "
             "VALUES {} ")
_CUSTOMER_VALUES = "(?, ?, ?, ?, ?, ?, ?, '', '', false, '', '', '', '', '', '', false, '', false)"
_PHONE = "INSERT INTO phone (customer_id, number, national, is_primary, label) VALUES {}"
_PHONE_VALUES = "(?, ?, ?, true, '')"
_VISIT = "INSERT INTO visit (customer_id, at, amount_cents, items, notes, room, handled_by) VALUES {}"
_VISIT_VALUES = "(?, ?, ?, '', '', '', '')"
_CALL = ("INSERT INTO call (number, customer_id, direction, started_at, ended_at, outcome, duration_s, handled_by, "
         "note, callback, callback_by) VALUES {}")
_CALL_VALUES = "(?, ?, 'in', ?, ?, 'missed', 0, '', '', 'pending', '')"


def _rows(customers: int) -> list[tuple[str, str, list[tuple]]]:
    rng = random.Random(SEED)
    tiers = [t for t, share in TIERS for _ in range(share)]
    customer_rows, phone_rows, visit_rows, call_rows = [], [], [], []
    for i in range(1, customers + 1):
        seen = NOW - timedelta(minutes=rng.randrange(2 * 365 * 24 * 60))
        if i % 3:
            visits = sorted(seen - timedelta(minutes=rng.randrange(365 * 24 * 60)) for _ in range(rng.randint(1, 3)))
            visits[-1] = seen if rng.random() < 0.5 else visits[-1]
            visit_rows += [(i, _stamp(at), rng.randrange(50_000)) for at in visits]
        born = date(1960 + rng.randrange(45), 1, 1) + timedelta(days=rng.randrange(365)) if rng.random() < 0.8 else None
        customer_rows.append((i, f"客{i}", rng.choice(tiers), born, _stamp(seen), _stamp(seen), _stamp(seen)))
        phone_rows.append((i, f"+86139{i:08d}", f"139{i:08d}"))
    for _ in range(PENDING_CALLS):
        i = rng.randrange(1, customers + 1)
        at = NOW - timedelta(minutes=rng.randrange(3 * 24 * 60))
        call_rows.append((f"+86139{i:08d}", i, _stamp(at), _stamp(at)))
    return [(_CUSTOMER, _CUSTOMER_VALUES, customer_rows), (_PHONE, _PHONE_VALUES, phone_rows),
            (_VISIT, _VISIT_VALUES, visit_rows), (_CALL, _CALL_VALUES, call_rows)]


def _fill_sqlite(path: Path, customers: int) -> None:
    con = sqlite3.connect(path)
    with con:
        for sql, values, rows in _rows(customers):
            con.executemany(sql.format(values.replace("true", "1").replace("false", "0")), rows)
    con.execute("ANALYZE")
    con.close()


def _fill_postgres(db, customers: int) -> None:
    from psycopg2.extras import execute_values

    with db.atomic():
        cursor = db.cursor()
        for sql, values, rows in _rows(customers):
            execute_values(cursor, sql.format("%s"), rows, template=values.replace("?", "%s"), page_size=5000)
        db.execute_sql("SELECT setval('customer_id_seq', (SELECT max(id) FROM customer))")
    db.execute_sql("VACUUM ANALYZE")


def _timed(fn) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def _measure(db, customers: int, fill_s: float, backend: str) -> None:
    rounds = 5
    with using(db):
        first_s, opened = _timed(lambda: tasks.refresh(NOW))
        again = [_timed(lambda r=r: tasks.refresh(NOW + timedelta(minutes=10 * (r + 1))))[0] for r in range(rounds)]
        next_day_s, opened_next = _timed(lambda: tasks.refresh(NOW + timedelta(days=1)))
        later = NOW + timedelta(days=1, minutes=10)
        again_next = min(_timed(lambda: tasks.refresh(later))[0] for _ in range(rounds))
        print(json.dumps({"figure": "tasks_refresh_s", "backend": backend, "customers": customers,
                          "fill_s": round(fill_s, 1), "per_day": tasks.PER_DAY, "first": round(first_s, 3),
                          "opened_first": opened, "again": round(min(again), 4), "next_day": round(next_day_s, 3),
                          "opened_next_day": opened_next, "again_next_day": round(again_next, 4),
                          "open": tasks.count_open(later), "task_rows": Task.select().count()}), flush=True)
        list_s, rows = _timed(lambda: tasks.today(later, refresh_first=False))
        count_s, count = _timed(lambda: tasks.count_open(later))
        kinds = {kind: sum(1 for r in rows if r.kind == kind) for kind in tasks.KINDS}
        print(json.dumps({"figure": "tasks_today_s", "backend": backend, "customers": customers,
                          "list": round(list_s, 4), "count": round(count_s, 4), "open": count, "by_kind": kinds}),
              flush=True)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="task list refresh benchmark")
    parser.add_argument("--quick", action="store_true", help="20,000 customers")
    parser.add_argument("--customers", type=int, default=None)
    parser.add_argument("--pg", action="store_true", help="on a throwaway PostgreSQL server (default 200,000)")
    args = parser.parse_args(argv)
    customers = args.customers or (20_000 if args.quick else 200_000 if args.pg else 1_000_000)
    if args.pg:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests/pgserver.py starts the server
        from tests.pgserver import PgServer

        server = PgServer().start()
        try:
            db = open_book(server.new_database())
            fill_s, _ = _timed(lambda: _fill_postgres(db, customers))
            _measure(db, customers, fill_s, "postgresql")
            close_book(db)
        finally:
            server.stop()
        return 0
    with tempfile.TemporaryDirectory(prefix="guanjia-bench-") as tmp:
        url = f"sqlite:///{tmp}/tasks.db"
        close_book(open_book(url))
        fill_s, _ = _timed(lambda: _fill_sqlite(Path(tmp) / "tasks.db", customers))
        db = open_book(url)
        _measure(db, customers, fill_s, "sqlite")
        close_book(db)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
