"""Version 12: the customer (tier, seen_at) index also carries created_at.

The tiers report counts every customer by tier, with those added and those seen
in the period. With (tier, seen_at) alone SQLite walked that index and fetched
each customer's row for created_at, in index order: 2.7 s on a 1M-customer book
against 0.7 s for a plain scan before the index existed. Carrying created_at
makes the index cover the report (read in order, no row fetched), and the
task list's daily picks still use its (tier, seen_at) front.
"""

from __future__ import annotations

import peewee as pw

VERSION = 12


def upgrade(db: pw.Database) -> None:
    db.execute_sql("CREATE INDEX IF NOT EXISTS customer_tier_seen_created ON customer (tier, seen_at, created_at)")
    db.execute_sql("DROP INDEX IF EXISTS customer_tier_seen")
