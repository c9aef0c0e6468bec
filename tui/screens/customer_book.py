"""The customers screens' doorway for block, opt-out, delete and restore: run on the book's thread via `book.run`.

Each function takes the desk's Book first and answers in display terms.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RemovedLine:
    """A deleted customer in the restore list."""

    customer_id: int
    name: str
    tier: str
    numbers: str  # as people at the shop read them, comma separated
    deleted: str  # when, on the shop's clock
    purge: str  # the day they go for good


def set_blocked(book, customer_id: int, blocked: bool) -> None:
    """Block (the desk warns, and may hang up on their calls) or unblock; audited."""
    from store import customers

    customers.block(customer_id, blocked)


def set_opted_out(book, customer_id: int, out: bool) -> None:
    """No more marketing texts (the customer asked at the counter), or allowed again; audited."""
    from store import customers

    if out:
        customers.opt_out(customer_id, how="desk", at=book.now())
    else:
        customers.opt_in(customer_id)


def remove(book, customer_id: int) -> int:
    """Delete a customer for now; the days they stay restorable."""
    from store import removed

    removed.remove_customer(customer_id, at=book.now())
    return removed.keep_days()


def restore(book, customer_id: int) -> tuple[str, ...]:
    """Bring a deleted customer back; the numbers someone else took meanwhile (as the shop reads them)."""
    from store import removed

    book.region()
    return tuple(book.display(n) or n for n in removed.restore_customer(customer_id))


def removed_lines(book) -> list[RemovedLine]:
    """The deleted customers still restorable, most recently deleted first."""
    from store import removed

    book.region()
    return [RemovedLine(r.customer_id, r.name, r.tier, ", ".join(book.display(n) or n for n in r.numbers),
                        book.local(r.deleted_at).strftime("%Y-%m-%d %H:%M"),
                        book.local(r.purge_at).strftime("%Y-%m-%d"))
            for r in removed.removed_customers(book.now())]


def keep_days(book) -> int:
    from store import removed

    return removed.keep_days()
