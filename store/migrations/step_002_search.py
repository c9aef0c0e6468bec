"""Version 2: search as you type (the search_key table) and recent-first ranking (customer.seen_at)."""

from __future__ import annotations

import peewee as pw
from playhouse.migrate import SchemaMigrator, migrate

from store.search_keys import customer_keys

VERSION = 2

SQLITE = ("CREATE TABLE search_key (key TEXT NOT NULL, customer_id INTEGER NOT NULL "
          "REFERENCES customer (id) ON DELETE CASCADE, kind SMALLINT NOT NULL, "
          "PRIMARY KEY (key, customer_id, kind)) WITHOUT ROWID")
# COLLATE "C": prefix ranges (key >= 'zs' AND key < 'zt') need code-point order,
# whatever the server's default collation is.
POSTGRES = ("CREATE TABLE search_key (key TEXT COLLATE \"C\" NOT NULL, customer_id INTEGER NOT NULL "
            "REFERENCES customer (id) ON DELETE CASCADE, kind SMALLINT NOT NULL, "
            "PRIMARY KEY (key, customer_id, kind))")


def upgrade(db: pw.Database) -> None:
    migrator = SchemaMigrator.from_database(db)
    migrate(migrator.add_column("customer", "seen_at", pw.DateTimeField(null=True)))
    db.execute_sql("UPDATE customer SET seen_at = updated_at")
    db.execute_sql(POSTGRES if isinstance(db, pw.PostgresqlDatabase) else SQLITE)
    db.execute_sql("CREATE INDEX search_key_customer ON search_key (customer_id)")
    db.execute_sql("CREATE INDEX customer_seen ON customer (seen_at)")
    _fill_keys(db)


def _fill_keys(db: pw.Database) -> None:
    numbers: dict[int, list[str]] = {}
    for customer_id, national in db.execute_sql("SELECT customer_id, national FROM phone"):
        numbers.setdefault(customer_id, []).append(national)
    param = db.param
    insert = f"INSERT INTO search_key (key, customer_id, kind) VALUES ({param}, {param}, {param})"
    last = 0
    while True:
        rows = db.execute_sql(f"SELECT id, name, tags FROM customer WHERE id > {param} ORDER BY id LIMIT 5000",
                              (last,)).fetchall()
        if not rows:
            return
        batch = []
        for customer_id, name, tags in rows:
            tag_list = [t for t in (tags or "").split("|") if t]
            batch.extend((k, customer_id, kind) for k, kind in customer_keys(name, numbers.get(customer_id, []), tag_list))
        db.cursor().executemany(insert, batch)
        last = rows[-1][0]

