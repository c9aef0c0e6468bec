"""Version 9: on PostgreSQL, a customer's search keys go with the customer by a trigger, not a foreign key.

A foreign key is checked row by row, a locking look-up of the customer for each
of the ~15 keys every new customer has: a third of a PostgreSQL import's time
(20,000 rows: 4.5 s with it, 3.0 s without). Keys are only ever written with
their customer in the same transaction, so the check never catches anything;
the one thing it did, delete the keys with their customer, the trigger does.
SQLite keeps its foreign key: there it costs nothing measurable.
"""

from __future__ import annotations

import peewee as pw

VERSION = 9


def upgrade(db: pw.Database) -> None:
    if not isinstance(db, pw.PostgresqlDatabase):
        return
    for (name,) in db.execute_sql("SELECT conname FROM pg_constraint WHERE conrelid = 'search_key'::regclass "
                                  "AND contype = 'f'").fetchall():
        db.execute_sql(f'ALTER TABLE search_key DROP CONSTRAINT "{name}"')
    db.execute_sql("CREATE OR REPLACE FUNCTION search_key_gone() RETURNS trigger LANGUAGE plpgsql AS $$ "
                   "BEGIN DELETE FROM search_key WHERE customer_id = OLD.id; RETURN NULL; END $$")
    db.execute_sql("CREATE TRIGGER customer_search_keys_gone AFTER DELETE ON customer "
                   "FOR EACH ROW EXECUTE FUNCTION search_key_gone()")
