"""The book as an import sees it: customers found by number or by name, in batches of 500.

Plain SQL with placeholders: peewee spends longer building a 500-value IN list
than the database spends answering it (2 s of a 100,000-row import).
"""

from __future__ import annotations

from store.io.plan import Existing
from store.models import Customer
from store.search_keys import MAX_KEY, NAME

BATCH = 500
_CUSTOMER = ("id, name, tier, birthday, birthday_lunar, lunar_month, lunar_day, gender, company, address, notes, "
             "source, tags")


def _chunks(items: list, size: int = BATCH):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _rows(sql: str, chunk: list) -> list[tuple]:
    """`sql` with its `IN (?)` made one placeholder per value of `chunk`."""
    db = Customer._meta.database
    return db.execute_sql(sql.replace("(?)", "(" + ", ".join([db.param] * len(chunk)) + ")"), chunk).fetchall()


def _phones(ids: list[int]) -> dict[int, list[str]]:
    phones: dict[int, list[str]] = {}
    for customer_id, number in _rows("SELECT customer_id, number FROM phone WHERE customer_id IN (?) "
                                     "ORDER BY is_primary DESC, id", ids):
        phones.setdefault(customer_id, []).append(number)
    return phones


def _load(ids: list[int]) -> dict[int, Existing]:
    fields = Customer._meta.fields
    found: dict[int, Existing] = {}
    for chunk in _chunks(sorted(set(ids))):
        phones = _phones(chunk)
        for row in _rows(f"SELECT {_CUSTOMER} FROM customer WHERE id IN (?)", chunk):
            cid, name, tier, born, lunar, month, day, gender, company, address, notes, source, tags = row
            found[cid] = Existing(
                id=cid, name=name, phones=tuple(phones.get(cid, ())), tier=tier,
                birthday=fields["birthday"].python_value(born), birthday_lunar=bool(lunar), lunar_month=month,
                lunar_day=day, gender=gender, company=company, address=address, notes=notes, source=source,
                tags=tuple(t for t in (tags or "").split("|") if t))
    return found


class BookView:
    """Batch lookups on the bound book (plan.BookView)."""

    def __init__(self) -> None:
        # A first import into a new book (the big one, moving from another system) has nothing to look up.
        db = Customer._meta.database
        self.empty = db.execute_sql("SELECT 1 FROM customer LIMIT 1").fetchone() is None

    def by_numbers(self, numbers: list[str]) -> dict[str, Existing]:
        if self.empty:
            return {}
        owner: dict[str, int] = {}
        for chunk in _chunks(numbers):
            owner.update(_rows("SELECT number, customer_id FROM phone WHERE number IN (?)", chunk))
        customers = _load(list(owner.values()))
        return {number: customers[cid] for number, cid in owner.items() if cid in customers}

    def by_names(self, names: list[str]) -> list[Existing]:
        # Only names and numbers: a common name (张伟) can have thousands of namesakes in a big book.
        if self.empty:
            return []
        ids: list[int] = []
        for chunk in _chunks(sorted(names)):  # neighbours in the index, a chunk at a time
            keys = ["p:" + n[:MAX_KEY] for n in chunk if n]
            if keys:
                ids.extend(cid for (cid,) in _rows(f"SELECT customer_id FROM search_key WHERE key IN (?) "
                                                   f"AND kind = {NAME}", keys))
        found: list[Existing] = []
        for chunk in _chunks(sorted(set(ids))):
            phones = _phones(chunk)
            found.extend(Existing(id=cid, name=name, phones=tuple(phones.get(cid, ())))
                         for cid, name in _rows("SELECT id, name FROM customer WHERE id IN (?)", chunk))
        return found
