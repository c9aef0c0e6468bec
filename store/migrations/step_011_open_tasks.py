"""Version 11: the open tasks of each kind, as a partial index of the open ones only.

Every refresh reads the open tasks of a kind (call-backs to close, contacts and
drifting customers still waiting); with only task (kind, created_at) to go by,
that walked every task of the kind ever made, a list that grows by hundreds a
day on a busy line. The open ones stay few.
"""

from __future__ import annotations

import peewee as pw

VERSION = 11


def upgrade(db: pw.Database) -> None:
    db.execute_sql("CREATE INDEX IF NOT EXISTS task_open_kind ON task (kind, due) WHERE done_at IS NULL")
