"""Visits and bookings ("consumption"): what the card's spend, favourites and last visit come from."""

from __future__ import annotations

from datetime import date, datetime, time

from store.models import Customer, Visit, to_utc_naive, utcnow


def record_visit(customer_id: int, *, at: datetime | None = None, amount_cents: int = 0, items: str = "",
                 notes: str = "", booking_date: date | None = None, booking_time: time | None = None,
                 party_size: int | None = None, room: str = "", handled_by: str = "") -> Visit:
    """Record a visit or order (amount in cents), or a booking (date, time, party size, room)."""
    if amount_cents < 0:
        raise ValueError("an amount cannot be negative")
    if party_size is not None and party_size <= 0:
        raise ValueError("a party has at least one person")
    when = to_utc_naive(at or utcnow())
    with Visit._meta.database.atomic():
        visit_id = Visit.insert(customer=customer_id, at=when, amount_cents=int(amount_cents), items=items,
                                notes=notes, booking_date=booking_date, booking_time=booking_time,
                                party_size=party_size, room=room, handled_by=handled_by).execute()
        Customer.update(seen_at=when).where((Customer.id == customer_id) & (Customer.seen_at < when)).execute()
    return Visit.get_by_id(visit_id)


def visits_of(customer_id: int, limit: int = 50) -> list[Visit]:
    """A customer's visits and bookings, newest first."""
    return list(Visit.select().where(Visit.customer == customer_id).order_by(Visit.at.desc(), Visit.id.desc())
                .limit(limit))


def bookings_on(day: date) -> list[Visit]:
    """The bookings for one day, by time."""
    return list(Visit.select().where(Visit.booking_date == day).order_by(Visit.booking_time, Visit.id))


def cancel_visit(visit_id: int) -> None:
    """Remove a visit or booking entered by mistake."""
    Visit.delete().where(Visit.id == visit_id).execute()
