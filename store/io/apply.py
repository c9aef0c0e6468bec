"""Writing a planned import: one transaction, bulk inserts, all or nothing.

New customers get their ids reserved up front (SQLite: the next ids after the
largest, safe because the transaction holds the write lock from BEGIN
IMMEDIATE; PostgreSQL: a block from the id sequence), so customers, numbers,
search keys and audit rows all go in as multi-row inserts. Any failure, a
number taken meanwhile by another terminal, Ctrl-C, or the process dying,
leaves the book as it was.
"""

from __future__ import annotations

import json
import sqlite3

import peewee as pw

from store import audit
from store.customers import normalize_tags, refresh_keys
from store.db import is_postgres
from store.io.plan import Candidate, Plan, Update, birthday_fields
from store.models import Audit, Customer, utcnow
from store.io.phones import national
from store.search_keys import (MAX_KEY, MAX_SUFFIXES, MIN_NUMBER_PART, NUMBER, name_keys, number_suffix_starts,
                               syllables, tag_keys)

ROWS_PER_INSERT = 500


def _reserve_ids(db: pw.Database, count: int) -> list[int]:
    if count == 0:
        return []
    if is_postgres(db):
        cursor = db.execute_sql(
            "SELECT nextval(pg_get_serial_sequence('customer', 'id')) FROM generate_series(1, %s)", (count,))
        return sorted(row[0] for row in cursor.fetchall())
    (largest,) = db.execute_sql("SELECT coalesce(max(id), 0) FROM customer").fetchone()
    return list(range(largest + 1, largest + 1 + count))


def _insert(db: pw.Database, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Many rows at once: executemany on SQLite (fast in-process), multi-row VALUES on PostgreSQL."""
    if not rows:
        return
    with pw.__exception_wrapper__:  # the driver's errors as peewee's, as every other query raises them
        _insert_raw(db, table, columns, rows)


def _insert_raw(db: pw.Database, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    names = ", ".join(f'"{c}"' for c in columns)
    if is_postgres(db):
        from psycopg2.extras import execute_values

        with db.cursor() as cursor:
            execute_values(cursor, f'INSERT INTO "{table}" ({names}) VALUES %s', rows, page_size=ROWS_PER_INSERT)
        return
    marks = ", ".join("?" for _ in columns)
    db.cursor().executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)


CUSTOMER_COLUMNS = ("id", "name", "pinyin", "initials", "tier", "birthday", "birthday_lunar", "lunar_month",
                    "lunar_day", "gender", "company", "address", "notes", "source", "tags", "opted_out",
                    "opted_out_how", "blocked", "created_at", "updated_at", "seen_at")


class Keys:
    """Search key rows for many customers, each name's and tag list's keys worked out once per import.

    With _number_keys_sql, the same keys as customer_keys(name, numbers, tags):
    its three parts have different kinds, so their union is their concatenation;
    pinyin (the slow part) depends on the name alone, and books repeat names and tags.
    """

    def __init__(self) -> None:
        self._names: dict[str, tuple[list[tuple[str, int]], str, str]] = {}
        self._tags: dict[tuple[str, ...], list[tuple[str, int]]] = {}

    def name(self, name: str) -> tuple[list[tuple[str, int]], str, str]:
        """(keys, full pinyin, initials) of a name."""
        found = self._names.get(name)
        if found is None:
            parts = syllables(name)
            found = self._names[name] = (list(name_keys(name, parts)), "".join(parts), "".join(p[0] for p in parts))
        return found

    def rows(self, customer_id: int, name: str, tags: tuple[str, ...]) -> list[tuple]:
        """The (key, customer_id, kind) rows of one customer's name and tags (its numbers': _number_keys_sql)."""
        tag_rows = self._tags.get(tags)
        if tag_rows is None:
            tag_rows = self._tags[tags] = sorted(tag_keys(tags))
        return [(k, customer_id, kind) for k, kind in self.name(name)[0]] + [
            (k, customer_id, kind) for k, kind in tag_rows]


def _number_keys_sql(db: pw.Database) -> str:
    """The number keys of new customers, made by the database from their phone rows: search_keys.number_keys.

    A number has ~5 keys (its digits, then its suffixes at number_suffix_starts
    while MIN_NUMBER_PART remain); sending them through the driver one row each
    cost 1.5 s of a 100,000-row import. Two numbers of one customer can share a
    suffix: the repeat is skipped as the Python key set skips it.
    """
    every = [0] + number_suffix_starts(MAX_SUFFIXES + MIN_NUMBER_PART)  # a long number's starts, 0 being p:
    starts = " UNION ALL ".join(f"SELECT {i} AS i" for i in every)
    which = "p.customer_id = ANY(%s)" if is_postgres(db) else "p.customer_id BETWEEN ? AND ?"
    return (f"INSERT INTO search_key (key, customer_id, kind) "
            f"SELECT CASE WHEN s.i = 0 THEN 'p:' || p.national ELSE 's:' || substr(p.national, s.i + 1, {MAX_KEY}) "
            f"END, p.customer_id, {NUMBER} FROM phone p CROSS JOIN ({starts}) s "
            f"WHERE (s.i = 0 OR s.i <= length(p.national) - {MIN_NUMBER_PART}) "
            f"AND {which} AND p.national <> '' ORDER BY p.customer_id ON CONFLICT DO NOTHING")


def _insert_number_keys(db: pw.Database, ids: list[int]) -> None:
    """The number keys of the customers `ids` (SQLite: consecutive ids; PostgreSQL: any)."""
    with pw.__exception_wrapper__:
        if is_postgres(db):
            with db.cursor() as cursor:
                cursor.execute(_number_keys_sql(db), (ids,))
        else:
            db.cursor().execute(_number_keys_sql(db), (ids[0], ids[-1]))


def _stamp(db: pw.Database, field: pw.Field, now) -> object:
    """`now` as the driver stores it, converted once: SQLite's adapter costs 1 µs each time, 400,000 times."""
    value = field.db_value(now)
    return value if is_postgres(db) else sqlite3.adapt(value)


def _customer_rows(batch: list[tuple[int, Candidate]], stamp, keys: Keys) -> list[tuple]:
    fields = Customer._meta.fields
    rows = []
    for customer_id, c in batch:
        _, full, initials = keys.name(c.name)
        born = birthday_fields(c.birthday)
        rows.append((
            customer_id, c.name, full, initials, c.tier or "普通", fields["birthday"].db_value(born.get("birthday")),
            born.get("birthday_lunar", False), born.get("lunar_month"), born.get("lunar_day"), c.gender, c.company,
            c.address, c.notes, c.source, normalize_tags(c.tags), False, "", False, stamp, stamp, stamp))
    return rows


def _write_new(db: pw.Database, new: list[Candidate], source_label: str, now) -> None:
    ids = _reserve_ids(db, len(new))
    keys_of = Keys()
    who = audit.current()
    stamp = _stamp(db, Audit._meta.fields["at"], now)
    created = _stamp(db, Customer._meta.fields["created_at"], now)
    changes = json.dumps({"import": source_label}, ensure_ascii=False)
    for start in range(0, len(new), ROWS_PER_INSERT * 4):
        batch = list(zip(ids[start:start + ROWS_PER_INSERT * 4], new[start:start + ROWS_PER_INSERT * 4]))
        _insert(db, "customer", CUSTOMER_COLUMNS, _customer_rows(batch, created, keys_of))
        phones, keys = [], []
        for cid, c in batch:
            phones.extend((cid, n, national(n), i == 0, "") for i, n in enumerate(c.phones))
            keys.extend(keys_of.rows(cid, c.name, c.tags))
        _insert(db, "phone", ("customer_id", "number", "national", "is_primary", "label"), phones)
        _insert(db, "search_key", ("key", "customer_id", "kind"), keys)
        _insert(db, "audit", ("at", "operator", "terminal", "table", "row_id", "action", "changes"),
                [(stamp, who.name, who.terminal, "customer", cid, "import", changes) for cid, _ in batch])
    if ids:
        _insert_number_keys(db, ids)


def _write_updates(db: pw.Database, updates: list[Update], source_label: str, now) -> None:
    rekey: list[int] = []
    phones: list[tuple] = []
    for u in updates:
        changes: dict[str, object] = dict(u.fill)
        if u.add_tags:
            changes["tags"] = normalize_tags(u.tags)
        if changes:
            Customer.update(updated_at=now, **changes).where(Customer.id == u.customer_id).execute()
        phones.extend((u.customer_id, n, national(n), False, "") for n in u.add_phones)
        if u.add_tags or u.add_phones:
            rekey.append(u.customer_id)
        diff = dict(changes)
        if u.add_phones:
            diff["numbers"] = list(u.add_phones)
        audit.record("customer", u.customer_id, "import", {**diff, "import": source_label})
    for start in range(0, len(phones), ROWS_PER_INSERT):
        _insert(db, "phone", ("customer_id", "number", "national", "is_primary", "label"),
                phones[start:start + ROWS_PER_INSERT])
    refresh_keys(rekey)


def write(plan: Plan, source_label: str = "") -> None:
    """Carry out `plan` on the bound book in one transaction (the caller's, if one is open)."""
    db = Customer._meta.database
    now = utcnow()
    with db.atomic():
        _write_new(db, plan.new, source_label, now)
        _write_updates(db, plan.updates, source_label, now)
