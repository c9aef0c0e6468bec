"""Version 7: on PostgreSQL, customers by (seen_at, id), so "newest first" is read from the index in order.

SQLite's index on seen_at already ends in the rowid; a PostgreSQL index does not, and
without id in it ORDER BY seen_at DESC, id DESC sorts every match.
"""

from __future__ import annotations

import peewee as pw

VERSION = 7


def upgrade(db: pw.Database) -> None:
    if isinstance(db, pw.PostgresqlDatabase):
        db.execute_sql("CREATE INDEX customer_seen_id ON customer (seen_at, id)")
        db.execute_sql("DROP INDEX IF EXISTS customer_seen")
