"""Make a big, realistic, deterministic book for the benchmarks: 1,000,000 customers, 10M calls, 2M texts.

    python bench/gen_book.py [--quick] [--customers N --calls N --messages N] [--out PATH]

The schema comes from the real migrations; rows go in with plain sqlite3 in big
transactions, secondary indexes are dropped first and built after (one sort
each instead of millions of random inserts). A book with the same parameters is
reused (bench/out/book-<customers>.db); the desk benchmark calls `ensure_book`.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import random
import sqlite3
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from store.db import close_book, open_book
from store.search_keys import customer_keys, syllables

OUT = Path(__file__).resolve().parent / "out"
SEED = 20240601
FULL = {"customers": 1_000_000, "calls": 10_000_000, "messages": 2_000_000}
QUICK = {"customers": 20_000, "calls": 200_000, "messages": 40_000}
NOW = datetime(2025, 6, 1, 12, 0, 0)  # fixed, so the same parameters give the same book
YEARS = 3

# Surnames by rough share of the population (most common first), and given-name characters.
SURNAMES = tuple("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
            "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
            "单区") + ("欧阳", "司马", "诸葛")
GIVEN = ("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红娥玲芬燕彬鹏辉建国志强文斌春梅丹波宁"
         "琳雪晶欣怡梓涵子轩浩然宇航思雨佳琪嘉诚俊杰天佑雨欣晨曦一诺可馨梦瑶博文晓东海燕小红建华永刚凤英")
LATIN_FIRST = ("Tom", "Anna", "David", "Maria", "John", "Emma", "Peter", "Linda", "Kevin", "Grace")
LATIN_LAST = ("Li", "Wang", "Smith", "Chen", "Brown", "Lee", "Wong", "Garcia", "Kim", "Tan")
TAGS = ("vip", "老客", "生日会", "外卖", "企业客户", "家庭", "常客", "投诉过", "新客", "会员")
ITEMS = ("宫保鸡丁", "鱼香肉丝", "米饭", "麻婆豆腐", "红烧肉", "糖醋排骨", "水煮鱼", "啤酒", "可乐", "饺子", "小龙虾",
         "烤鸭", "酸菜鱼", "青菜", "汤")
MOBILE = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155", "156", "157",
          "158", "159", "177", "180", "181", "182", "183", "185", "186", "187", "188", "189", "198", "199")
AREA = ("010", "021", "020", "0755", "028", "027", "0571")
TIERS = (("普通", 70), ("银卡", 20), ("金卡", 8), ("钻石", 2))
TEXTS = ("您好，明晚6点订一桌，4位", "收到，谢谢", "今天营业吗？", "生日快乐！本月到店享8折", "包间还有吗",
         "回T退订", "好的", "请问可以外卖吗", "【老王饭店】您的预订已确认", "抱歉刚才没接到电话，稍后回电")


def book_path(params: dict) -> Path:
    """Where the book with these parameters lives."""
    return OUT / f"book-{params['customers']}.db"


def _stamp(params: dict) -> str:
    return json.dumps({**params, "seed": SEED, "version": 2}, sort_keys=True)


def is_ready(path: Path, params: dict) -> bool:
    """True when `path` holds a finished book made with these parameters."""
    if not path.exists():
        return False
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        row = con.execute("SELECT value FROM setting WHERE key = 'bench_book'").fetchone()
        con.close()
    except sqlite3.Error:
        return False
    return row is not None and json.loads(row[0]) == _stamp(params)


def _t(seconds_ago: float) -> str:
    return (NOW - timedelta(seconds=seconds_ago)).isoformat(" ")


class _Numbers:
    """Unique phone numbers, deterministic."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def new(self) -> tuple[str, str]:
        """(E.164, national digits)."""
        while True:
            if self.rng.random() < 0.06:
                area = self.rng.choice(AREA)
                national = area + str(self.rng.randrange(2, 9)) + f"{self.rng.randrange(10 ** 6, 10 ** 7):07d}"
                e164 = "+86" + national[1:]
            else:
                national = self.rng.choice(MOBILE) + f"{self.rng.randrange(10 ** 8):08d}"
                e164 = "+86" + national
            if e164 not in self.used:
                self.used.add(e164)
                return e164, national


def _name(rng: random.Random) -> str:
    if rng.random() < 0.02:
        return f"{rng.choice(LATIN_FIRST)} {rng.choice(LATIN_LAST)}"
    # Zipf-like: the first surnames are far more common.
    i = min(int(rng.paretovariate(1.1)) - 1, len(SURNAMES) - 1)
    surname = SURNAMES[i]
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return surname + given


def _insert(con: sqlite3.Connection, table: str, columns: str, rows: list[tuple]) -> None:
    marks = ", ".join("?" * len(rows[0]))
    con.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)


def generate(path: Path, params: dict, log=print) -> dict:
    """Write the book to `path` (replacing it); timings per stage."""
    rng = random.Random(SEED)
    tmp = path.with_suffix(".tmp.db")
    for p in (tmp, Path(str(tmp) + "-wal"), Path(str(tmp) + "-shm")):
        p.unlink(missing_ok=True)
    close_book(open_book(f"sqlite:///{tmp}"))  # the schema, from the real migrations
    con = sqlite3.connect(tmp, isolation_level=None)
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    con.execute("PRAGMA cache_size=-1000000")
    con.execute("PRAGMA temp_store=MEMORY")
    indexes = [sql for (sql,) in con.execute(
        "SELECT sql FROM sqlite_master WHERE type='index' AND sql IS NOT NULL AND tbl_name <> 'search_key'")]
    for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type='index' AND sql IS NOT NULL "
                               "AND tbl_name <> 'search_key'").fetchall():
        con.execute(f"DROP INDEX {name}")
    con.execute("CREATE TABLE key_load (key TEXT, customer_id INTEGER, kind INTEGER)")
    timings: dict[str, float] = {}
    started = time.perf_counter()
    numbers = _Numbers(rng)
    pinyin_cache: dict[str, list[str]] = {}
    horizon = YEARS * 365 * 86400
    owners: list[tuple[str, int]] = []  # (number, customer id) for calls and texts
    n = params["customers"]
    con.execute("BEGIN")
    batch_c, batch_p, batch_k, batch_v = [], [], [], []
    tier_names = [t for t, _ in TIERS]
    tier_weights = [w for _, w in TIERS]
    for cid in range(1, n + 1):
        name = _name(rng)
        parts = []
        for ch in name:
            if ch not in pinyin_cache:
                pinyin_cache[ch] = syllables(ch)  # one character read alone: as a surname where it is one
            parts.extend(pinyin_cache[ch])
        tags = rng.sample(TAGS, rng.choice((0, 0, 1, 1, 2)))
        created = rng.random() * horizon
        seen = rng.random() * created
        lunar = rng.random() < 0.1
        birthday = None
        if rng.random() < 0.6:
            birthday = date(rng.randrange(1950, 2006), rng.randrange(1, 13), rng.randrange(1, 29)).isoformat()
        mine = [numbers.new() for _ in range(1 if rng.random() < 0.6 else 2)]
        batch_c.append((cid, name, "".join(parts), "".join(p[0] for p in parts),
                        rng.choices(tier_names, tier_weights)[0], birthday, int(lunar),
                        rng.randrange(1, 13) if lunar else None, rng.randrange(1, 30) if lunar else None,
                        rng.choice(("f", "m", "")), "", "", "", "bench", "|" + "|".join(tags) + "|" if tags else "",
                        0, None, "", int(rng.random() < 0.002), _t(created), _t(seen), _t(seen)))
        for i, (e164, national) in enumerate(mine):
            batch_p.append((cid, e164, national, int(i == 0), ""))
            owners.append((e164, cid))
        batch_k.extend((k, cid, kind) for k, kind in customer_keys(name, [nat for _, nat in mine], tags, parts))
        for _ in range(rng.choice((0, 1, 1, 2, 3, 5))):
            items = "、".join(rng.sample(ITEMS, rng.randrange(1, 4)))
            batch_v.append((cid, _t(rng.random() * created), rng.randrange(2000, 80000), items, "", None, None,
                            None, "", ""))
        if len(batch_c) >= 20_000 or cid == n:
            _insert(con, "customer", "id, name, pinyin, initials, tier, birthday, birthday_lunar, lunar_month, "
                    "lunar_day, gender, company, address, notes, source, tags, opted_out, opted_out_at, "
                    "opted_out_how, blocked, created_at, updated_at, seen_at", batch_c)
            _insert(con, "phone", "customer_id, number, national, is_primary, label", batch_p)
            _insert(con, "key_load", "key, customer_id, kind", batch_k)
            if batch_v:
                _insert(con, "visit", "customer_id, at, amount_cents, items, notes, booking_date, booking_time, "
                        "party_size, room, handled_by", batch_v)
            batch_c, batch_p, batch_k, batch_v = [], [], [], []
    con.execute("COMMIT")
    timings["customers_s"] = time.perf_counter() - started
    log(f"customers: {timings['customers_s']:.1f}s")

    t = time.perf_counter()
    strangers = [numbers.new()[0] for _ in range(max(1000, params["calls"] // 20))]
    total = params["calls"]
    con.execute("BEGIN")
    rows = []
    for i in range(total):
        ago = horizon * (1 - (i + rng.random()) / total)  # oldest first, as a shop's log grows
        if rng.random() < 0.7:
            number, cid = owners[rng.randrange(len(owners))]
        else:
            number, cid = strangers[rng.randrange(len(strangers))], None
        r = rng.random()
        outcome = "answered" if r < 0.8 else ("missed" if r < 0.97 else "rejected")
        direction = "in" if rng.random() < 0.85 else "out"
        start = _t(ago)
        duration = rng.randrange(5, 600) if outcome == "answered" else 0
        callback = "none"
        if outcome == "missed" and direction == "in":
            callback = "pending" if ago < 2 * 86400 else "done"
        rows.append((number, cid, direction, start, start if outcome == "answered" else None,
                     _t(max(0.0, ago - duration)), outcome, duration, "", "", callback, None, ""))
        if len(rows) >= 100_000:
            _insert(con, "call", "number, customer_id, direction, started_at, answered_at, ended_at, outcome, "
                    "duration_s, handled_by, note, callback, callback_at, callback_by", rows)
            rows = []
    if rows:
        _insert(con, "call", "number, customer_id, direction, started_at, answered_at, ended_at, outcome, "
                "duration_s, handled_by, note, callback, callback_at, callback_by", rows)
    con.execute("COMMIT")
    timings["calls_s"] = time.perf_counter() - t
    log(f"calls: {timings['calls_s']:.1f}s")

    t = time.perf_counter()
    total = params["messages"]
    con.execute("BEGIN")
    rows = []
    for i in range(total):
        ago = horizon * (1 - (i + rng.random()) / total)
        number, cid = owners[rng.randrange(len(owners))] if rng.random() < 0.8 else (
            strangers[rng.randrange(len(strangers))], None)
        at = _t(ago)
        if rng.random() < 0.6:
            status = rng.choices(("delivered", "sent", "failed"), (90, 7, 3))[0]
            rows.append(("out", number, cid, rng.choice(TEXTS), 1, status, str(rng.randrange(256)), at, at,
                         at if status == "delivered" else None, None, "", 1, None, ""))
        else:
            rows.append(("in", number, cid, rng.choice(TEXTS), 1, "received", "", at, at, None, None, "",
                         int(ago > 86400), f"bench-{i}", ""))
        if len(rows) >= 100_000:
            _insert(con, "message", "direction, number, customer_id, body, parts, status, \"references\", at, "
                    "sent_at, delivered_at, campaign_id, error, is_read, source_key, claimed_by", rows)
            rows = []
    if rows:
        _insert(con, "message", "direction, number, customer_id, body, parts, status, \"references\", at, sent_at, "
                "delivered_at, campaign_id, error, is_read, source_key, claimed_by", rows)
    con.execute("COMMIT")
    timings["messages_s"] = time.perf_counter() - t
    log(f"messages: {timings['messages_s']:.1f}s")

    t = time.perf_counter()
    con.execute("BEGIN")
    con.execute("INSERT INTO search_key (key, customer_id, kind) "
                "SELECT DISTINCT key, customer_id, kind FROM key_load ORDER BY key, customer_id, kind")
    con.execute("DROP TABLE key_load")
    con.execute("COMMIT")
    timings["search_keys_s"] = time.perf_counter() - t
    log(f"search keys: {timings['search_keys_s']:.1f}s")
    t = time.perf_counter()
    for sql in indexes:
        con.execute(sql)
    con.execute("ANALYZE")
    con.execute("INSERT INTO setting (key, value) VALUES ('bench_book', ?)", (json.dumps(_stamp(params)),))
    timings["indexes_s"] = time.perf_counter() - t
    log(f"indexes: {timings['indexes_s']:.1f}s")
    con.execute("VACUUM") if params["customers"] <= QUICK["customers"] else None
    timings["total_s"] = time.perf_counter() - started
    # Kept in the book, so a benchmark that reuses it can still say how long it took to make.
    con.execute("INSERT INTO setting (key, value) VALUES ('bench_book_timings', ?)", (json.dumps(timings),))
    con.execute("PRAGMA journal_mode=WAL")
    con.close()
    os.replace(tmp, path)
    return timings


def timings_of(path: Path) -> dict | None:
    """How long the book at `path` took to generate, stage by stage (None if not recorded)."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = con.execute("SELECT value FROM setting WHERE key = 'bench_book_timings'").fetchone()
    except sqlite3.Error:
        row = None
    con.close()
    return json.loads(row[0]) if row else None


def ensure_book(params: dict | None = None, path: Path | None = None, log=print) -> Path:
    """The path of a finished book with these parameters, generating it only if it is not there yet."""
    params = params or FULL
    path = path or book_path(params)
    path.parent.mkdir(parents=True, exist_ok=True)
    if is_ready(path, params):
        return path
    # Two benchmarks asking at once: one generates, the other waits for it and reuses the book.
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not is_ready(path, params):
            generate(path, params, log)
    return path


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small book (20k customers)")
    parser.add_argument("--customers", type=int)
    parser.add_argument("--calls", type=int)
    parser.add_argument("--messages", type=int)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--force", action="store_true", help="generate even if the book exists")
    args = parser.parse_args(argv)
    params = dict(QUICK if args.quick else FULL)
    for key in params:
        if getattr(args, key) is not None:
            params[key] = getattr(args, key)
    path = args.out or book_path(params)
    path.parent.mkdir(parents=True, exist_ok=True)
    if is_ready(path, params) and not args.force:
        print(json.dumps({"figure": "book_ready", "path": str(path), **params}))
        return 0
    log = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        timings = generate(path, params, log)
    print(json.dumps({"figure": "book_generate_s", "ours": round(timings["total_s"], 1), "path": str(path),
                      **params, **{k: round(v, 1) for k, v in timings.items()}}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
