"""Each report over 30 days and over 12 months on the bench book (1M customers, 10M calls, 2M texts and visits).

The book is opened read-only (an SQLite URI with mode=ro): nothing is written to
it, not even a migration. The period ends on the day of the book's last visit
(its texts and visits stop there, its calls go on), so every report has data.
Each figure is the first run (pages maybe not cached) and the best of three.

    .venv/bin/python bench/bench_reports.py [--quick] [--book PATH] [--only calls,hours,...]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import peewee as pw  # noqa: E402

from store.models import MODELS, Visit  # noqa: E402
from store.reports import KINDS, Period, preset, run  # noqa: E402
from store.reports.period import shop_zone  # noqa: E402

BOOKS = {False: HERE / "out" / "desk-book-1000000.db", True: HERE / "out" / "desk-book-20000.db"}


def _timed(kind: str, period: Period) -> tuple[float, int]:
    started = time.perf_counter()
    report = run(kind, period)
    return time.perf_counter() - started, len(report.rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the 20k-customer book instead")
    parser.add_argument("--book", type=Path, help="another book (SQLite file), opened read-only")
    parser.add_argument("--only", help="comma-separated report kinds")
    args = parser.parse_args()
    book = args.book or BOOKS[args.quick]
    if not book.exists():
        print(f"# {book} is absent: make it with bench/gen_book.py (and bench_desk.py's copy); skipped",
              file=sys.stderr)
        return 0
    db = pw.SqliteDatabase(f"file:{book}?mode=ro", uri=True, pragmas={"cache_size": -65536})
    db.bind(MODELS)
    db.connect()
    last_visit = Visit.select(pw.fn.MAX(Visit.at)).scalar()
    if last_visit is None:
        print(f"# {book} has no visits to end the period on; skipped", file=sys.stderr)
        return 0
    last = Visit.at.python_value(last_visit).astimezone(shop_zone()).date()
    kinds = args.only.split(",") if args.only else KINDS
    for label in ("30d", "12m"):
        period = preset(label, last)
        for kind in kinds:
            first_s, rows = _timed(kind, period)
            best_s = min([first_s] + [_timed(kind, period)[0] for _ in range(2)])
            print(json.dumps({"figure": f"report_{kind}_{label}_s", "ours": round(best_s, 3),
                              "first_s": round(first_s, 3), "rows": rows, "first": period.first.isoformat(),
                              "last": period.last.isoformat(), "book": book.name,
                              "load_avg": round(os.getloadavg()[0], 2)}), flush=True)
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
