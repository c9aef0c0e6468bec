"""The change cursor: terminals that do not hold the line see new calls and texts by polling it.

Every insert or update of a call or a text appends one `change` row in the same
transaction. `since(cursor)` is one index range read, cheap enough to poll
every 0.3 s from each terminal.
"""

from __future__ import annotations

from dataclasses import dataclass

import peewee as pw

from store.models import Change

_ORDER_LOCK = 7160_4
CHANNEL = "guanjia_changes"  # PostgreSQL terminals may LISTEN here instead of polling blind


@dataclass(frozen=True, slots=True)
class Changes:
    """What changed after a cursor: the cursor to pass next time, and those calls and texts as they are now."""

    cursor: int
    calls: tuple  # store.calls.CallRow, newest first
    messages: tuple  # store.models.Message, newest first

    def __iter__(self):
        """`cursor, calls, messages = since(cursor)` reads naturally at the call site."""
        return iter((self.cursor, self.calls, self.messages))


def record(table: str, row_id: int) -> None:
    """Note that a row of `table` ("call" or "message") was added or changed (call inside the write's transaction)."""
    db = Change._meta.database
    if isinstance(db, pw.PostgresqlDatabase):
        # Ids from a sequence can commit out of order; a poller that saw 11 before
        # 10 committed would skip 10. Writers of changes take turns until commit.
        db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (_ORDER_LOCK,))
        db.execute_sql(f"NOTIFY {CHANNEL}")  # delivered at commit, and only if it commits
    Change.insert(table=table, row_id=row_id).execute()


def cursor() -> int:
    """The newest change id (0 for none): where a terminal starts watching."""
    return int(Change.select(pw.fn.MAX(Change.id)).scalar() or 0)


def since(after: int, limit: int = 1000) -> Changes:
    """The calls and texts changed after `after`, and the cursor to pass next time."""
    rows = list(Change.select(Change.id, Change.table, Change.row_id).where(Change.id > after)
                .order_by(Change.id).limit(limit).tuples())
    if not rows:
        return Changes(after, (), ())
    from store import calls, messages  # they write changes; reading them back here closes the loop

    call_ids = list(dict.fromkeys(r for _, t, r in rows if t == "call"))
    message_ids = list(dict.fromkeys(r for _, t, r in rows if t == "message"))
    return Changes(rows[-1][0], tuple(calls.by_ids(call_ids)), tuple(messages.by_ids(message_ids)))


def prune(keep: int = 100_000) -> int:
    """Forget all but the newest `keep` changes (terminals only ever look a few seconds back)."""
    newest = cursor()
    return Change.delete().where(Change.id <= newest - keep).execute()
