"""Campaign audience and preview at 100,000 recipients (goal ≤ 2 s on SQLite), and writing them at start.

    python bench/bench_campaign.py [--quick]

Builds its own book (deterministic seed) with bulk inserts: 100,000 reachable
customers plus blocked, opted-out and number-less ones, visits for a third.
Figures, one JSON object per line:
- audience_preview_s: count who is texted and who is left out, fill the
  template for every recipient, count parts and cost (store.audience.preview);
- campaign_start_s: write every recipient at start (one INSERT … SELECT);
- audience_preview_per_recipient_us: ours over the whole audience, against the
  usual ORM way (per customer: the row, their numbers, render) on the first 5,000;
- tasks_refresh_s: bringing the task list up to date (first: every customer
  owes a contact or a drifting task; ours: the next refresh, nothing new).
The campaign throughput figure (achieved rate against the simulated phone)
needs the line worker and is measured by its own benchmark.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from gen_book import GIVEN, SURNAMES
from store import audience as aud
from store import campaigns, customers, tasks
from store.audience import Audience
from store.db import close_book, open_book, using
from store.models import Customer
from store.sms_parts import parts
from store.templates import render

SEED = 20260505
BODY = "【{shop}】{name}您好！本周五起全场8折，{tier}会员再送甜品一份，欢迎光临。"
NOW = datetime(2026, 5, 5, 2, 0)
TIERS = ("普通", "银卡", "金卡", "钻石")


def _fill(path: Path, reachable: int) -> None:
    rng = random.Random(SEED)
    con = sqlite3.connect(path)
    extra = reachable // 20  # blocked, opted out, without a number: each about 5 %
    customer_rows, phone_rows, visit_rows = [], [], []
    stamp = (NOW - timedelta(days=400)).isoformat(" ")
    for i in range(1, reachable + 3 * extra + 1):
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        kind = 0 if i <= reachable else (i - reachable - 1) // extra + 1
        customer_rows.append((i, name, rng.choice(TIERS), "|vip|" if i % 7 == 0 else "", int(kind == 1),
                              int(kind == 2), stamp, stamp, stamp))
        if kind != 3:
            phone_rows.append((i, f"+86139{i:08d}", f"139{i:08d}", 1))
        if i % 3 == 0:
            visit_rows.append((i, (NOW - timedelta(days=rng.randrange(200))).isoformat(" "), rng.randrange(20000)))
    with con:
        con.executemany("INSERT INTO customer (id, name, tier, tags, blocked, opted_out, created_at, updated_at, "
                        "seen_at, pinyin, initials, birthday_lunar, gender, company, address, notes, source, "
                        "opted_out_how) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '', '', 0, '', '', '', '', '', '')",
                        customer_rows)
        con.executemany("INSERT INTO phone (customer_id, number, national, is_primary, label) "
                        "VALUES (?, ?, ?, ?, '')", phone_rows)
        con.executemany("INSERT INTO visit (customer_id, at, amount_cents, items, notes, room, handled_by) "
                        "VALUES (?, ?, ?, '', '', '', '')", visit_rows)
    con.close()


def _best(fn, rounds: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(rounds):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return min(times), result


def _orm_preview(ids: list[int]) -> int:
    """The usual way: one customer at a time, their numbers, their flags, the text."""
    total = 0
    for customer_id in ids:
        c = Customer.get_by_id(customer_id)
        if c.blocked or c.opted_out:
            continue
        numbers = customers.numbers_of(c)
        if not numbers:
            continue
        total += parts(render(BODY, c, shop="老王饭店", now=NOW) + " 回T退订")
    return total


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="campaign audience and preview benchmark")
    parser.add_argument("--quick", action="store_true", help="10,000 recipients, fewer rounds")
    quick = parser.parse_args(argv).quick
    reachable = 10_000 if quick else 100_000
    sample = 1_000 if quick else 5_000
    rounds = 2 if quick else 5
    with tempfile.TemporaryDirectory(prefix="guanjia-bench-") as tmp:
        url = f"sqlite:///{tmp}/campaign.db"
        close_book(open_book(url))
        _fill(Path(tmp) / "campaign.db", reachable)
        db = open_book(url)
        with using(db):
            from store import settings
            settings.set("shop_name", "老王饭店")
            everyone = Audience()
            seconds, preview = _best(lambda: aud.preview(BODY, everyone, first=10), rounds)
            assert preview.recipients == reachable, preview.recipients
            print(json.dumps({"figure": "audience_preview_s", "recipients": preview.recipients,
                              "ours": round(seconds, 3), "goal": 2.0, "total_parts": preview.total_parts,
                              "cost": preview.cost, "skipped": preview.skipped}), flush=True)
            campaign = campaigns.create("bench", BODY, everyone)
            started = time.perf_counter()
            campaigns.start(campaign.id)
            write_s = time.perf_counter() - started
            assert campaigns.progress(campaign.id).total == reachable
            print(json.dumps({"figure": "campaign_start_s", "recipients": reachable, "ours": round(write_s, 3)}),
                  flush=True)
            started = time.perf_counter()
            tasks.refresh()
            first_s = time.perf_counter() - started
            again_s, _ = _best(tasks.refresh, rounds)
            print(json.dumps({"figure": "tasks_refresh_s", "customers": reachable * 23 // 20,
                              "open_tasks": tasks.count_open(), "first": round(first_s, 3),
                              "ours": round(again_s, 3)}), flush=True)
            ids = list(range(1, sample + 1))
            ours_us = seconds / reachable * 1e6
            peer_times = [_best(lambda: _orm_preview(ids), 1)[0] for _ in range(rounds)]
            peer_us = statistics.median(peer_times) / sample * 1e6
            print(json.dumps({"figure": "audience_preview_per_recipient_us", "ours": round(ours_us, 2),
                              "peer": round(peer_us, 2), "peer_name": "peewee ORM, one customer at a time",
                              "ratio": round(peer_us / ours_us, 1)}), flush=True)
        close_book(db)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
