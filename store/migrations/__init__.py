"""Versioned schema steps: each `step_NNN_*.py` moves a book from version N-1 to N, in place.

A book records the steps it has taken in `schema_version`. Opening a book runs
the steps it lacks, each in one transaction, under a lock so two terminals
opening an old book at once do not both upgrade it.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

import peewee as pw

from store.models import utcnow

_LOCK_ID = 7160_3  # PostgreSQL advisory lock taken while upgrading


def steps() -> list[ModuleType]:
    """Every step module, in version order."""
    found = [importlib.import_module(f"{__name__}.{info.name}")
             for info in pkgutil.iter_modules(__path__) if info.name.startswith("step_")]
    found.sort(key=lambda m: m.VERSION)
    versions = [m.VERSION for m in found]
    assert versions == list(range(1, len(found) + 1)), f"steps must be numbered 1..n, got {versions}"
    return found


LATEST = len([i for i in pkgutil.iter_modules(__path__) if i.name.startswith("step_")])


def _ensure_table(db: pw.Database) -> None:
    db.execute_sql("CREATE TABLE IF NOT EXISTS schema_version "
                   "(version INTEGER NOT NULL PRIMARY KEY, applied_at TIMESTAMP NOT NULL)")


def version(db: pw.Database) -> int:
    """The schema version of the book (0 for an empty database)."""
    if "schema_version" not in db.get_tables():
        return 0
    row = db.execute_sql("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0] or 0)


def upgrade(db: pw.Database, to: int | None = None) -> int:
    """Run the steps the book lacks (up to `to`, default all); the version it ends at."""
    target = LATEST if to is None else to
    if version(db) >= target:
        return version(db)
    _ensure_table(db)
    for step in steps():
        if step.VERSION > target:
            break
        with db.atomic():
            if isinstance(db, pw.PostgresqlDatabase):
                db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (_LOCK_ID,))
            if version(db) >= step.VERSION:  # another terminal got there first
                continue
            step.upgrade(db)
            db.execute_sql(f"INSERT INTO schema_version (version, applied_at) VALUES ({db.param}, {db.param})",
                           (step.VERSION, utcnow().replace(tzinfo=None)))
    return version(db)
