"""One search box for everything: name, pinyin, initials, any part of a number, 尾号, tags.

Ranked in four classes, best first: exact (a whole number, name or spelling),
prefix, ending (尾号 1234), substring; within a class, recent customers first.
Each class is one index range on `search_key` (see store/search_keys.py), and
for digits ten more: the digit in front, as numbers keep every other suffix. A
class with many matches (everyone called 张) is read the other way: the
customers newest first, keeping those that match, which stops early because
matches are dense.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import peewee as pw

from store.models import Customer
from store.numbers import InvalidNumber, national_digits, normalize
from store.search_keys import MAX_KEY, MIN_NUMBER_PART, NUMBER, WHY, fold

# How a class of matches is ranked newest first depends on how many there are
# (measured on the 1M-customer book, see bench/bench_store.py):
CAP = 1000  # fewer: read each match's last contact and sort
SET_CAP = 10_000  # fewer: the matches as a set, customers walked newest first; more: probe each newest customer

_NUMBERISH = re.compile(r"^\+?[\d\s\-().]*\d[\d\s\-().]*$")
_CLASSES = ("exact", "prefix", "ending", "substring")


@dataclass(frozen=True, slots=True)
class Hit:
    """One customer found, and why: e.g. "name prefix", "number ending" (尾号).

    `why` is codes, not words: a field (name, pinyin, initials, number, tag) and
    a kind (exact, prefix, ending, substring); tui/match_words.py says them.
    """

    customer_id: int
    name: str
    primary_number: str
    tier: str
    why: str


def query_text(query: str, region: str = "CN") -> str:
    """What a typed query is matched as: folded text, or the national digits of a number."""
    q = fold(query)
    for lead in ("尾号", "tail"):
        if q.startswith(lead) and _NUMBERISH.match(q[len(lead):].strip() or "x"):
            q = q[len(lead):].strip()
    if not _NUMBERISH.match(q):
        return q
    digits = re.sub(r"\D", "", q)
    if q.startswith("+") or (digits.startswith("00") and len(digits) > 6) or (
            digits.startswith("86") and len(digits) == 13):  # 8613800138000: the country code without its +
        try:
            return national_digits(normalize("+" + digits[2:] if digits.startswith("00") else
                                             ("+" + digits if not q.startswith("+") else q), region))
        except InvalidNumber:
            return digits.lstrip("0") if digits.startswith("00") else digits
    return digits


def _after(text: str) -> str:
    """The least string greater than every string starting with `text`."""
    return text[:-1] + chr(min(ord(text[-1]) + 1, 0x10FFFF))


_DIGITS = re.compile(r"[0-9]+")


def _condition(kind: str, q: str, param: str) -> tuple[str, tuple]:
    if kind == "exact":
        return f"k.key = {param}", ("p:" + q,)
    if kind == "prefix":
        return f"k.key > {param} AND k.key < {param}", ("p:" + q, _after("p:" + q))
    if kind == "ending":
        cond, args = f"k.key = {param}", ("s:" + q,)
        if _DIGITS.fullmatch(q) and len(q) >= MIN_NUMBER_PART:
            # A number keeps suffixes at every other digit (number_suffix_starts): the ending
            # may start one digit after a kept suffix.
            fronts = tuple(f"s:{d}{q}"[:MAX_KEY + 2] for d in "0123456789")
            cond += f" OR (k.key IN ({', '.join([param] * 10)}) AND k.kind = {NUMBER})"
            args += fronts
        return f"({cond})", args
    cond, args = f"k.key >= {param} AND k.key < {param}", ("s:" + q, _after("s:" + q))
    if _DIGITS.fullmatch(q):
        # As for endings: the part typed may start one digit after a kept number suffix; that
        # suffix then has MIN_NUMBER_PART digits after its first, as a suffix of its own would.
        longer = "" if len(q) >= MIN_NUMBER_PART else f" AND length(k.key) >= {3 + MIN_NUMBER_PART}"
        for d in "0123456789":
            front = f"s:{d}{q}"[:MAX_KEY + 2]
            cond += f" OR (k.key >= {param} AND k.key < {param} AND k.kind = {NUMBER}{longer})"
            args += (front, _after(front))
    return f"({cond})", args


def _class_hits(db: pw.Database, kind: str, q: str, need: int, found: dict[int, str]) -> list[tuple[int, str]]:
    cond, args = _condition(kind, q, db.param)
    # Index-only, and never more than SET_CAP entries: how many keys match.
    many = db.execute_sql(f"SELECT count(*) FROM (SELECT 1 FROM search_key k WHERE {cond} LIMIT {SET_CAP}) AS m",
                          args).fetchone()[0]
    if many == 0:
        return []
    if many < CAP:
        rows = db.execute_sql(f"SELECT k.customer_id, k.kind FROM search_key k WHERE {cond}", args).fetchall()
        matches: dict[int, int] = {}
        for customer_id, key_kind in rows:
            if customer_id not in found and key_kind < matches.get(customer_id, 99):
                matches[customer_id] = key_kind
        ordered = _newest_of(db, list(matches)) if matches else []
        return [(cid, _why(matches[cid], kind)) for cid in ordered[:need]]
    if isinstance(db, pw.PostgresqlDatabase):
        return _postgres_hits(db, cond, args, many, need, found, kind)
    if many < SET_CAP:
        # The matches as a set (built once, in the database), customers walked newest first until enough;
        # the + keeps SQLite from looking each match up by id and sorting them all instead.
        member = f"+c.id IN (SELECT k.customer_id FROM search_key k WHERE {cond})"
    else:
        # So many that every few customers is one: check each newest customer in the key index.
        member = f"EXISTS (SELECT 1 FROM search_key k WHERE k.customer_id = c.id AND {cond})"
    rows = db.execute_sql(
        f"SELECT c.id, (SELECT min(k.kind) FROM search_key k WHERE k.customer_id = c.id AND {cond}) AS kind "
        f"FROM customer c WHERE {member} ORDER BY c.seen_at DESC, c.id DESC LIMIT {need + len(found)}",
        args + args).fetchall()
    return [(cid, _why(key_kind, kind)) for cid, key_kind in rows if cid not in found][:need]


def _postgres_hits(db: pw.Database, cond: str, args: tuple, many: int, need: int, found: dict[int, str],
                   kind: str) -> list[tuple[int, str]]:
    """PostgreSQL: join the matches when there are some; when dense, check the newest customers a slice at a time.

    Its planner joins every match before the LIMIT (30,000 for 李 in 200,000 customers);
    a dense class fills a page from the newest few thousand customers instead.
    """
    if many >= SET_CAP:
        hits: list[tuple[int, str]] = []
        last = None
        for size in (1024, 4096, 16384):
            where = "" if last is None else "WHERE (seen_at, id) < (%s, %s)"
            newest = db.execute_sql(f"SELECT seen_at, id FROM customer {where} ORDER BY seen_at DESC, id DESC "
                                    f"LIMIT {size}", () if last is None else last).fetchall()
            if not newest:
                break
            ids = [cid for _, cid in newest if cid not in found]
            kinds = dict(db.execute_sql(f"SELECT k.customer_id, min(k.kind) FROM search_key k WHERE "
                                        f"k.customer_id = ANY(%s) AND {cond} GROUP BY k.customer_id",
                                        (ids,) + args).fetchall())
            hits.extend((cid, _why(kinds[cid], kind)) for cid in ids if cid in kinds)
            if len(hits) >= need:
                return hits[:need]
            last = newest[-1]
    best = f"(SELECT min(k.kind) FROM search_key k WHERE k.customer_id = c.id AND {cond})"
    rows = db.execute_sql(
        f"SELECT c.id, {best} FROM customer c WHERE c.id IN (SELECT k.customer_id FROM search_key k WHERE {cond}) "
        f"ORDER BY c.seen_at DESC, c.id DESC LIMIT {need + len(found)}", args + args).fetchall()
    return [(cid, _why(key_kind, kind)) for cid, key_kind in rows if cid not in found][:need]


def _newest_of(db: pw.Database, ids: list[int]) -> list[int]:
    """A few matches: read their last contact and sort."""
    marks = ", ".join([db.param] * len(ids))
    rows = db.execute_sql(f"SELECT id, seen_at FROM customer WHERE id IN ({marks})", ids).fetchall()
    rows.sort(key=lambda r: (str(r[1]), r[0]), reverse=True)
    return [r[0] for r in rows]


def _why(key_kind: int, kind: str) -> str:
    return f"{WHY[key_kind]} {kind}"


def search(query: str, limit: int = 20, region: str = "CN") -> list[Hit]:
    """The customers matching what was typed, best first (the desk's search box and `guanjia find`)."""
    q = query_text(query, region)[:MAX_KEY]  # keys keep only the start of a very long name
    if not q or limit <= 0:
        return []
    db = Customer._meta.database
    found: dict[int, str] = {}
    for kind in _CLASSES:
        for customer_id, why in _class_hits(db, kind, q, limit - len(found), found):
            found[customer_id] = why
        if len(found) >= limit:
            break
    return _hits(db, found)


def _hits(db: pw.Database, found: dict[int, str]) -> list[Hit]:
    if not found:
        return []
    ids = list(found)
    marks = ", ".join([db.param] * len(ids))
    rows = db.execute_sql(
        f"SELECT c.id, c.name, c.tier, (SELECT p.number FROM phone p WHERE p.customer_id = c.id "
        f"ORDER BY p.is_primary DESC, p.id LIMIT 1) FROM customer c WHERE c.id IN ({marks})", ids).fetchall()
    by_id = {row[0]: row for row in rows}
    return [Hit(cid, by_id[cid][1], by_id[cid][3] or "", by_id[cid][2], found[cid]) for cid in ids if cid in by_id]


def explain(query: str, region: str = "CN") -> list[str]:
    """The query plans search relies on for this query (SQLite EXPLAIN QUERY PLAN / PostgreSQL EXPLAIN)."""
    db = Customer._meta.database
    q = query_text(query, region)
    p = db.param
    out = []
    for kind in _CLASSES:
        cond, args = _condition(kind, q, p)
        shapes = [f"SELECT count(*) FROM (SELECT 1 FROM search_key k WHERE {cond} LIMIT {SET_CAP}) AS m",
                  f"SELECT k.customer_id, k.kind FROM search_key k WHERE {cond}"]
        for member in (f"+c.id IN (SELECT k.customer_id FROM search_key k WHERE {cond})",
                       f"EXISTS (SELECT 1 FROM search_key k WHERE k.customer_id = c.id AND {cond})"):
            shapes.append(f"SELECT c.id FROM customer c WHERE {member} ORDER BY c.seen_at DESC, c.id DESC LIMIT 20")
        for sql in shapes:
            out.append(f"-- {kind}: {sql}")
            out.extend(_plan(db, sql, args))
    sql = f"SELECT id, seen_at FROM customer WHERE id IN ({p}, {p}, {p})"
    out.append(f"-- {sql}")
    out.extend(_plan(db, sql, (1, 2, 3)))
    return out


def _plan(db: pw.Database, sql: str, params: tuple) -> list[str]:
    if isinstance(db, pw.PostgresqlDatabase):
        return [row[0] for row in db.execute_sql("EXPLAIN " + sql, params).fetchall()]
    return [str(row[-1]) for row in db.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall()]

