"""Customers deleted for now: kept, with their calls, texts and visits, for some days, and restorable meanwhile.

Deleting takes the customer's numbers out of the phone table (kept on the row as
JSON) and their search keys away: a ring from that number is an unknown
caller's, no search finds them, and the number is free for a new customer.
Restoring puts the numbers back (those nobody took meanwhile) and the keys with
them. After `keep_deleted_days` (a shop setting) a deleted customer is purged.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from store import audit, settings
from store.customers import _customer, delete_customer, numbers_of, refresh_keys
from store.models import Call, Customer, Message, Phone, SearchKey, to_utc_naive, utcnow
from store.numbers import national_digits


class NotDeleted(LookupError):
    """The customer is not among the deleted ones (restored already, or never deleted)."""


@dataclass(frozen=True, slots=True)
class Removed:
    """A deleted customer as the restore list shows them."""

    customer_id: int
    name: str
    tier: str
    numbers: tuple[str, ...]
    deleted_at: datetime
    purge_at: datetime  # when they go for good


def keep_days() -> int:
    """How many days a deleted customer stays restorable."""
    return max(1, int(settings.get("keep_deleted_days") or 30))


def remove_customer(customer: Customer | int, at: datetime | None = None,
                    by: audit.Operator | None = None) -> Customer:
    """Delete a customer for now (see the module's docstring); audited; the row as it is now."""
    row = _customer(customer)
    if row.deleted_at is not None:
        return row
    now = to_utc_naive(at or utcnow())
    phones = numbers_of(row)
    kept = [[p.number, p.is_primary, p.label] for p in phones]
    with Customer._meta.database.atomic():
        Phone.delete().where(Phone.customer == row.id).execute()
        SearchKey.delete().where(SearchKey.customer == row.id).execute()
        Customer.update(deleted_at=now, deleted_numbers=json.dumps(kept, ensure_ascii=False),
                        updated_at=now).where(Customer.id == row.id).execute()
        audit.record("customer", row.id, "delete", {"name": row.name, "numbers": [n for n, _, _ in kept]}, by)
    return Customer.get_by_id(row.id)


def restore_customer(customer: Customer | int, by: audit.Operator | None = None) -> list[str]:
    """Bring a deleted customer back with their numbers; the numbers someone else took meanwhile (left off)."""
    row = _customer(customer)
    if row.deleted_at is None:
        raise NotDeleted(f"customer #{row.id} is not deleted")
    kept = json.loads(row.deleted_numbers or "[]")
    taken: list[str] = []
    with Customer._meta.database.atomic():
        back = []
        for number, primary, label in kept:
            if Phone.select().where(Phone.number == number).exists():
                taken.append(number)
                continue
            back.append(Phone.create(customer=row.id, number=number, national=national_digits(number),
                                     is_primary=bool(primary), label=label or ""))
        if back and not any(p.is_primary for p in back):
            Phone.update(is_primary=True).where(Phone.id == back[0].id).execute()
        numbers = [p.number for p in back]
        if numbers:
            # Calls and texts that came from these numbers while the customer was deleted are theirs again.
            Call.update(customer=row.id).where(Call.number.in_(numbers) & Call.customer.is_null()).execute()
            Message.update(customer=row.id).where(Message.number.in_(numbers) & Message.customer.is_null()).execute()
        now = utcnow()
        Customer.update(deleted_at=None, deleted_numbers=None, updated_at=now).where(
            Customer.id == row.id).execute()
        refresh_keys([row.id])
        audit.record("customer", row.id, "restore", {"numbers": numbers, "taken": taken}, by)
    return taken


def purge(now: datetime | None = None) -> int:
    """Remove for good the customers deleted more than `keep_days()` ago; how many went."""
    cutoff = to_utc_naive(now or utcnow()) - timedelta(days=keep_days())
    ids = [c.id for c in Customer.select(Customer.id).where(
        Customer.deleted_at.is_null(False) & (Customer.deleted_at < cutoff))]
    for customer_id in ids:
        delete_customer(customer_id)
    return len(ids)


def removed_customers(now: datetime | None = None, limit: int = 200) -> list[Removed]:
    """The deleted customers still restorable, most recently deleted first (the expired ones purged first)."""
    purge(now)
    days = timedelta(days=keep_days())
    rows = (Customer.select(Customer.id, Customer.name, Customer.tier, Customer.deleted_at,
                            Customer.deleted_numbers)
            .where(Customer.deleted_at.is_null(False)).order_by(Customer.deleted_at.desc()).limit(limit))
    return [Removed(r.id, r.name, r.tier, tuple(n for n, _, _ in json.loads(r.deleted_numbers or "[]")),
                    r.deleted_at, r.deleted_at + days) for r in rows]
