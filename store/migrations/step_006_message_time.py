"""Version 6: texts by time, newest first, for the messages screen (threads) without sorting every text."""

from __future__ import annotations

import peewee as pw

VERSION = 6


def upgrade(db: pw.Database) -> None:
    db.execute_sql("CREATE INDEX IF NOT EXISTS message_at ON message (at, id)")
