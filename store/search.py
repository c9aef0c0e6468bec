"""One search box for everything: name, pinyin, initials, any part of a number, 尾号, tags.

Ranked in four classes, best first: exact (a whole number, name or spelling),
prefix, ending (尾号 1234), substring; within a class, recent customers first.
Each class is one index range on `search_key` (see store/search_keys.py). A
class with very many matches (everyone called 张) is read the other way: the
customers newest first, keeping those that match, which stops after a few
hundred rows because matches are dense.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import peewee as pw

from store.models import Customer
from store.numbers import InvalidNumber, national_digits, normalize
from store.search_keys import WHY, fold

CAP = 2000  # above this many matches in a class, scan customers newest first instead of sorting matches

_NUMBERISH = re.compile(r"^\+?[\d\s\-().]*\d[\d\s\-().]*$")
_CLASSES = ("exact", "prefix", "ending", "substring")


@dataclass(frozen=True, slots=True)
class Hit:
    """One customer found, and why: e.g. "name prefix", "number ending" (尾号)."""

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
    if q.startswith("+") or (digits.startswith("00") and len(digits) > 6):
        try:
            return national_digits(normalize(q, region))
        except InvalidNumber:
            return digits.lstrip("0") if digits.startswith("00") else digits
    return digits


def _after(text: str) -> str:
    """The least string greater than every string starting with `text`."""
    return text[:-1] + chr(ord(text[-1]) + 1)


def _condition(kind: str, q: str, param: str) -> tuple[str, tuple]:
    if kind == "exact":
        return f"k.key = {param}", ("p:" + q,)
    if kind == "prefix":
        return f"k.key > {param} AND k.key < {param}", ("p:" + q, _after("p:" + q))
    if kind == "ending":
        return f"k.key = {param}", ("s:" + q,)
    return f"k.key >= {param} AND k.key < {param}", ("s:" + q, _after("s:" + q))


def _class_hits(db: pw.Database, kind: str, q: str, need: int, found: dict[int, str]) -> list[tuple[int, str]]:
    cond, args = _condition(kind, q, db.param)
    rows = db.execute_sql(
        f"SELECT k.customer_id, k.kind, c.seen_at, c.id FROM search_key k JOIN customer c ON c.id = k.customer_id "
        f"WHERE {cond} LIMIT {CAP}", args).fetchall()
    if len(rows) < CAP:
        best: dict[int, tuple] = {}
        for customer_id, key_kind, seen_at, _ in rows:
            if customer_id in found:
                continue
            old = best.get(customer_id)
            if old is None or key_kind < old[0]:
                best[customer_id] = (key_kind, str(seen_at))
        ordered = sorted(best.items(), key=lambda item: (item[1][1], item[0]), reverse=True)
        return [(cid, _why(kind_, kind)) for cid, (kind_, _) in ordered[:need]]
    # Dense: walk customers newest first (index customer_seen), keep the ones that match.
    rows = db.execute_sql(
        f"SELECT c.id, (SELECT min(k.kind) FROM search_key k WHERE k.customer_id = c.id AND {cond}) AS kind "
        f"FROM customer c WHERE EXISTS (SELECT 1 FROM search_key k WHERE k.customer_id = c.id AND {cond}) "
        f"ORDER BY c.seen_at DESC, c.id DESC LIMIT {need + len(found)}", args + args).fetchall()
    return [(cid, _why(key_kind, kind)) for cid, key_kind in rows if cid not in found][:need]


def _why(key_kind: int, kind: str) -> str:
    return f"{WHY[key_kind]} {kind}"


def search(query: str, limit: int = 20, region: str = "CN") -> list[Hit]:
    """The customers matching what was typed, best first (the desk's search box and `guanjia find`)."""
    q = query_text(query, region)
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
    out = []
    for kind in _CLASSES:
        cond, args = _condition(kind, q, db.param)
        for sql, params in (
            (f"SELECT k.customer_id, k.kind, c.seen_at FROM search_key k JOIN customer c ON c.id = k.customer_id "
             f"WHERE {cond} LIMIT {CAP}", args),
            (f"SELECT c.id FROM customer c WHERE EXISTS (SELECT 1 FROM search_key k WHERE k.customer_id = c.id "
             f"AND {cond}) ORDER BY c.seen_at DESC, c.id DESC LIMIT 20", args)):
            out.append(f"-- {kind}: {sql}")
            out.extend(_plan(db, sql, params))
    return out


def _plan(db: pw.Database, sql: str, params: tuple) -> list[str]:
    if isinstance(db, pw.PostgresqlDatabase):
        return [row[0] for row in db.execute_sql("EXPLAIN " + sql, params).fetchall()]
    return [str(row[-1]) for row in db.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall()]

