"""Writing a planned import: one transaction, bulk inserts, all or nothing.

New customers get their ids reserved up front (SQLite: the next ids after the
largest, safe because the transaction holds the write lock from BEGIN
IMMEDIATE; PostgreSQL: a block from the id sequence), so customers, numbers
and name keys go in as multi-row inserts, and number keys and audit rows as
one INSERT ... SELECT a batch. Any failure, a number taken meanwhile by another
terminal, Ctrl-C, or the process dying, leaves the book as it was.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

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
BATCH = 5000  # new customers written in the first batch; each next batch twice the last, up to MAX_BATCH
MAX_BATCH = 25000


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
    """Each name's search keys and pinyin, worked out once per import.

    With NewRows.tags and _number_keys_sql, the same keys as customer_keys(name,
    numbers, tags): its three parts have different kinds, so their union is their
    concatenation; pinyin (the slow part) depends on the name alone, and books repeat names.
    """

    def __init__(self) -> None:
        self.names: dict[str, tuple[list[tuple[str, int]], str, str]] = {}

    def name(self, name: str) -> tuple[list[tuple[str, int]], str, str]:
        """(keys, full pinyin, initials) of a name."""
        found = self.names.get(name)
        if found is None:
            parts = syllables(name)
            found = self.names[name] = (list(name_keys(name, parts)), "".join(parts), "".join(p[0] for p in parts))
        return found


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
    _execute(db, _number_keys_sql(db), (), ids)


def _execute(db: pw.Database, sql: str, params: tuple, ids: list[int]) -> None:
    """`sql` with `params`, then the customers `ids` for its last condition (SQLite: consecutive ids)."""
    with pw.__exception_wrapper__:
        if is_postgres(db):
            with db.cursor() as cursor:
                cursor.execute(sql, params + (ids,))
        else:
            db.cursor().execute(sql, params + (ids[0], ids[-1]))


def _insert_audit(db: pw.Database, ids: list[int], stamp: tuple, changes: str) -> None:
    """One "import" audit row for each new customer `ids`, made by the database from the customer rows."""
    p = db.param
    which = "id = ANY(%s)" if is_postgres(db) else "id BETWEEN ? AND ?"
    _execute(db, f'INSERT INTO audit (at, operator, terminal, "table", row_id, action, changes) '
                 f"SELECT {p}, {p}, {p}, {p}, id, 'import', {p} FROM customer WHERE {which} ORDER BY id",
             stamp + (changes,), ids)


def _stamp(db: pw.Database, field: pw.Field, now) -> object:
    """`now` as the driver stores it, converted once: SQLite's adapter costs 1 µs each time, 400,000 times."""
    value = field.db_value(now)
    return value if is_postgres(db) else sqlite3.adapt(value)


class NewRows:
    """The rows new customers are written as, a batch at a time: customers, numbers, name and tag keys.

    Whatever repeats across a book (names' keys, birthdays, tag lists) is converted
    once per import; the rest is one tuple per row.
    """

    def __init__(self, db: pw.Database, now, source_label: str) -> None:
        self.keys = Keys()
        self.created = _stamp(db, Customer._meta.fields["created_at"], now)
        who = audit.current()
        self.audit = (_stamp(db, Audit._meta.fields["at"], now), who.name, who.terminal, "customer")  # _insert_audit
        self.changes = json.dumps({"import": source_label}, ensure_ascii=False)
        self.sqlite = not is_postgres(db)
        self._born: dict[object, tuple] = {None: (None, False, None, None)}
        self._tags: dict[tuple[str, ...], tuple[str, list[tuple[str, int]]]] = {}

    def born(self, birthday) -> tuple:
        """The birthday, birthday_lunar, lunar_month and lunar_day columns of a birthday."""
        found = self._born.get(birthday)
        if found is None:
            b = birthday_fields(birthday)
            solar = Customer._meta.fields["birthday"].db_value(b.get("birthday"))
            found = self._born[birthday] = (sqlite3.adapt(solar) if self.sqlite and solar is not None else solar,
                                            b["birthday_lunar"], b["lunar_month"], b["lunar_day"])
        return found

    def tags(self, tags: tuple[str, ...]) -> tuple[str, list[tuple[str, int]]]:
        """A list of tags as stored, and its (key, kind)s."""
        found = self._tags.get(tags)
        if found is None:
            found = self._tags[tags] = (normalize_tags(tags), sorted(tag_keys(tags)))
        return found

    def batch(self, pairs: list[tuple[int, Candidate]]) -> tuple[list[tuple], list[tuple], list[tuple]]:
        """(customer, phone, search_key) rows of these (id, candidate) pairs."""
        customers, phones, keys = [], [], []
        created, names, tags_of, born_of = self.created, self.keys.names, self._tags, self._born
        for cid, c in pairs:
            # The caches read inline: this loop runs once per customer imported.
            key_rows, full, initials = names.get(c.name) or self.keys.name(c.name)
            tags, tag_rows = tags_of.get(c.tags) or self.tags(c.tags)
            customers.append((cid, c.name, full, initials, c.tier or "普通", *(born_of.get(c.birthday) or
                              self.born(c.birthday)), c.gender, c.company, c.address, c.notes, c.source, tags,
                              False, "", False, created, created, created))
            first = True
            for n in c.phones:
                phones.append((cid, n, national(n), first, ""))
                first = False
            keys += [(k, cid, kind) for k, kind in key_rows]
            if tag_rows:
                keys += [(k, cid, kind) for k, kind in tag_rows]
        return customers, phones, keys


PHONE_COLUMNS = ("customer_id", "number", "national", "is_primary", "label")
KEY_COLUMNS = ("key", "customer_id", "kind")


def _batch_bounds(count: int) -> Iterator[tuple[int, int]]:
    """(start, end) of each batch: a small first one, so the helper starts early, then bigger ones.

    SQLite copies every page an INSERT ... SELECT changes to a statement journal first
    (to undo just that statement), and the number keys of a batch change most pages of
    the key index: importing 100,000 rows into a book of 100,000, twenty batches of 5,000
    copied it twenty times (0.3 s with the audit rows). Batches growing to MAX_BATCH: six.
    """
    start, size = 0, BATCH
    while start < count:
        yield start, min(start + size, count)
        start, size = start + size, min(size * 2, MAX_BATCH)


def _write_new(db: pw.Database, new: list[Candidate], source_label: str, now) -> None:
    """Batch by batch; the next batch's rows are made in a helper thread while the database makes number keys.

    Making rows is Python, holding the GIL; the number keys and audit rows are one
    statement a batch, run with the GIL released, so the helper works then, on a
    second core (0.8 s of 100,000 rows). Never during an executemany: the driver
    takes the GIL back for every row and would wait out the switch interval each
    time. The database is only ever used from this thread.
    """
    ids = _reserve_ids(db, len(new))
    rows = NewRows(db, now, source_label)
    batches = [list(zip(ids[start:end], new[start:end])) for start, end in _batch_bounds(len(new))]
    with ThreadPoolExecutor(1, thread_name_prefix="import-rows") as helper:
        pending = helper.submit(rows.batch, batches[0]) if batches else None
        for i, batch in enumerate(batches):
            customers, phones, keys = pending.result()
            _insert(db, "customer", CUSTOMER_COLUMNS, customers)
            _insert(db, "phone", PHONE_COLUMNS, phones)
            _insert(db, "search_key", KEY_COLUMNS, keys)
            if i + 1 < len(batches):
                pending = helper.submit(rows.batch, batches[i + 1])
            ids_now = [cid for cid, _ in batch]
            _insert_number_keys(db, ids_now)
            _insert_audit(db, ids_now, rows.audit, rows.changes)


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
        _insert(db, "phone", PHONE_COLUMNS, phones[start:start + ROWS_PER_INSERT])
    refresh_keys(rekey)


@contextmanager
def transaction(db: pw.Database) -> Iterator[None]:
    """The import's one transaction; on SQLite without foreign key checks, which cost 0.35 s per 100,000 rows.

    Every row an import writes refers to a customer it wrote or found in this
    same transaction, under the write lock. The setting is this connection's,
    can only change outside a transaction, and is restored however it ends.
    """
    unchecked = not is_postgres(db) and not db.in_transaction()
    if unchecked:
        db.execute_sql("PRAGMA foreign_keys = OFF")
    try:
        with db.atomic():
            yield
    finally:
        if unchecked:
            db.execute_sql("PRAGMA foreign_keys = ON")


def write(plan: Plan, source_label: str = "") -> None:
    """Carry out `plan` on the bound book in one transaction (the caller's, if one is open)."""
    db = Customer._meta.database
    now = utcnow()
    with db.atomic():
        _write_new(db, plan.new, source_label, now)
        _write_updates(db, plan.updates, source_label, now)
