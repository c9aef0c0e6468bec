"""Version 8: on PostgreSQL, a customer's keys by (customer_id, key), so "does this customer match" is one probe.

Without key in that index PostgreSQL answered it by scanning the whole key range
of the query for every customer it checked (2 ms each for 李 in 200,000).
"""

from __future__ import annotations

import peewee as pw

VERSION = 8


def upgrade(db: pw.Database) -> None:
    if isinstance(db, pw.PostgresqlDatabase):
        db.execute_sql("CREATE INDEX search_key_customer_key ON search_key (customer_id, key)")
        db.execute_sql("DROP INDEX IF EXISTS search_key_customer")
