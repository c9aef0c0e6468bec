"""Version 3: the change cursor terminals poll, and which process claimed a text for sending."""

from __future__ import annotations

import peewee as pw
from playhouse.migrate import SchemaMigrator, migrate

VERSION = 3


class Change(pw.Model):
    table = pw.TextField()
    row_id = pw.BigIntegerField()

    class Meta:
        legacy_table_names = False


def upgrade(db: pw.Database) -> None:
    with db.bind_ctx([Change]):
        db.create_tables([Change], safe=False)
    migrator = SchemaMigrator.from_database(db)
    migrate(migrator.add_column("message", "claimed_by", pw.TextField(default="")))
