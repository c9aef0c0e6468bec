"""Version 13: a deleted customer is kept for a while (restorable), not removed at once.

`deleted_at` marks them; `deleted_numbers` holds their numbers (JSON) while the
phone table no longer does, so a ring from one of them is an unknown caller's
and the number is free for someone else. The partial index serves the short
list of deleted customers (and their purge) without reading every customer.
"""

from __future__ import annotations

import peewee as pw
from playhouse.migrate import SchemaMigrator, migrate

VERSION = 13


def upgrade(db: pw.Database) -> None:
    migrator = SchemaMigrator.from_database(db)
    migrate(migrator.add_column("customer", "deleted_at", pw.DateTimeField(null=True)),
            migrator.add_column("customer", "deleted_numbers", pw.TextField(null=True)))
    db.execute_sql("CREATE INDEX IF NOT EXISTS customer_deleted_at ON customer (deleted_at) "
                   "WHERE deleted_at IS NOT NULL")
