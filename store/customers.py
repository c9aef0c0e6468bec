"""The customer book: add, edit, merge, numbers, tags, block and opt-out, each change audited."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

import peewee as pw

from store import audit
from store.models import Audit, Call, Customer, Message, Phone, SearchKey, Visit, to_utc_naive, utcnow
from store.numbers import InvalidNumber, national_digits, normalize
from store.search_keys import customer_keys, pinyin_of, syllables

EDITABLE = ("name", "tier", "birthday", "birthday_lunar", "lunar_month", "lunar_day", "gender", "company",
            "address", "notes", "source")


class NumberTaken(ValueError):
    """The number already belongs to a customer (numbers are unique across the book)."""

    def __init__(self, number: str, customer_id: int, name: str = "") -> None:
        who = f"{name} (#{customer_id})" if name else f"customer #{customer_id}"
        super().__init__(f"{number} already belongs to {who}")
        self.number = number
        self.customer_id = customer_id
        # As store.problems.Problem: the same sentence as a code, for the shop's language.
        self.code = "number.taken" if name != "this same entry" else "number.twice"
        self.values = {"number": number, "name": name, "id": customer_id}


class NoSuchCustomer(LookupError):
    """No customer has that id."""


@dataclass(frozen=True, slots=True)
class NewCustomer:
    """A customer to add: what a form or an imported row says."""

    name: str
    numbers: tuple[str, ...] = ()  # any spelling; the first is primary
    tier: str = "普通"
    birthday: date | None = None
    lunar_birthday: tuple[int, int] | None = None  # (month, day) in the lunar calendar
    gender: str = ""
    company: str = ""
    address: str = ""
    notes: str = ""
    source: str = ""
    tags: tuple[str, ...] = field(default_factory=tuple)
    created_at: datetime | None = None


def normalize_tags(tags: Iterable[str]) -> str:
    """Tags as stored: "|a|b|", trimmed, without "|" inside, in first-seen order, no repeats."""
    seen: list[str] = []
    for tag in tags:
        t = " ".join(str(tag).replace("|", " ").split())
        if t and t not in seen:
            seen.append(t)
    return "|" + "|".join(seen) + "|" if seen else ""


def _customer(customer: Customer | int) -> Customer:
    if isinstance(customer, Customer):
        return customer
    found = Customer.get_or_none(Customer.id == customer)
    if found is None:
        raise NoSuchCustomer(f"no customer #{customer}")
    return found


def refresh_keys(customer_ids: Iterable[int]) -> None:
    """Rebuild the search keys of these customers from their rows (after any change to name, numbers, tags)."""
    ids = list(customer_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        SearchKey.delete().where(SearchKey.customer.in_(chunk)).execute()
        numbers: dict[int, list[str]] = {}
        for customer_id, national in Phone.select(Phone.customer, Phone.national).where(
                Phone.customer.in_(chunk)).tuples():
            numbers.setdefault(customer_id, []).append(national)
        rows = []
        # A deleted customer (kept for a while, restorable) is found by no search.
        for customer_id, name, tags in Customer.select(Customer.id, Customer.name, Customer.tags).where(
                Customer.id.in_(chunk) & Customer.deleted_at.is_null()).tuples():
            tag_list = [t for t in tags.split("|") if t]
            rows.extend((k, customer_id, kind) for k, kind in customer_keys(name, numbers.get(customer_id, []), tag_list))
        for i in range(0, len(rows), 2000):
            SearchKey.insert_many(rows[i:i + 2000], fields=[SearchKey.key, SearchKey.customer, SearchKey.kind]).execute()


def _check_free(numbers: Sequence[str], owner: int | None = None) -> None:
    if len(set(numbers)) != len(numbers):
        dup = next(n for n in numbers if numbers.count(n) > 1)
        raise NumberTaken(dup, owner or 0, "this same entry")
    for start in range(0, len(numbers), 500):
        chunk = list(numbers[start:start + 500])
        for number, customer_id, name in (Phone.select(Phone.number, Customer.id, Customer.name)
                                          .join(Customer).where(Phone.number.in_(chunk)).tuples()):
            if customer_id != owner:
                raise NumberTaken(number, customer_id, name)


def _new_ids(db: pw.Database, count: int) -> list[int]:
    """Ids for `count` new customers, taken inside the caller's write transaction."""
    if isinstance(db, pw.PostgresqlDatabase):
        rows = db.execute_sql("SELECT nextval(pg_get_serial_sequence('customer', 'id')) "
                              "FROM generate_series(1, %s)", (count,)).fetchall()
        return [r[0] for r in rows]
    # SQLite: the IMMEDIATE transaction holds the write lock, so max(id) cannot move under us.
    start = (Customer.select(pw.fn.MAX(Customer.id)).scalar() or 0) + 1
    return list(range(start, start + count))


def _chunks(rows: list, size: int = 500):
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def add_many(new: Sequence[NewCustomer], region: str = "CN", by: audit.Operator | None = None) -> list[int]:
    """Add customers in one transaction (all or none); their ids. Raises InvalidNumber or NumberTaken."""
    prepared = [(c, [normalize(n, region) for n in c.numbers]) for c in new]
    all_numbers = [n for _, numbers in prepared for n in numbers]
    db = Customer._meta.database
    who = by or audit.current()
    with db.atomic():
        _check_free(all_numbers)
        now = utcnow()
        ids = _new_ids(db, len(prepared))
        # In slices, so a 100,000-row import never holds its two million search keys at once.
        for start in range(0, len(prepared), 2000):
            _add_slice(db, ids[start:start + 2000], prepared[start:start + 2000], now, who)
    return ids


def _add_slice(db: pw.Database, ids: list[int], prepared: list, now, who: audit.Operator) -> None:
    customers, phones, keys, audits = [], [], [], []
    for cid, (c, numbers) in zip(ids, prepared):
        parts = syllables(c.name)
        at = c.created_at or now
        lunar = c.lunar_birthday
        tags = normalize_tags(c.tags)
        customers.append({
            "id": cid, "name": c.name, "pinyin": "".join(parts), "initials": "".join(p[0] for p in parts),
            "tier": c.tier or "普通", "birthday": c.birthday, "birthday_lunar": lunar is not None,
            "lunar_month": lunar[0] if lunar else None, "lunar_day": lunar[1] if lunar else None,
            "gender": c.gender, "company": c.company, "address": c.address, "notes": c.notes,
            "source": c.source, "tags": tags, "opted_out": False, "opted_out_at": None, "opted_out_how": "",
            "blocked": False, "created_at": at, "updated_at": at, "seen_at": at})
        nationals = [national_digits(n) for n in numbers]
        phones.extend({"customer": cid, "number": n, "national": d, "is_primary": i == 0, "label": ""}
                      for i, (n, d) in enumerate(zip(numbers, nationals)))
        tag_list = [t for t in tags.split("|") if t]
        keys.extend({"key": k, "customer": cid, "kind": kind}
                    for k, kind in customer_keys(c.name, nationals, tag_list, parts))
        audits.append({"operator": who.name, "terminal": who.terminal, "table": "customer", "row_id": cid,
                       "action": "add", "changes": "{}", "at": now})
    _bulk_insert(db, Customer, customers)
    _bulk_insert(db, Phone, phones)
    _bulk_insert(db, SearchKey, keys)
    _bulk_insert(db, Audit, audits)


def _bulk_insert(db: pw.Database, model, rows: list[dict]) -> None:
    """executemany with the fields' own conversions: peewee's insert_many spends 10x longer building SQL."""
    if not rows:
        return
    fields = [model._meta.fields[name] for name in rows[0]]
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    marks = ", ".join([db.param] * len(fields))
    sql = f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES ({marks})'
    values = [tuple(f.db_value(row[f.name]) for f in fields) for row in rows]
    if isinstance(db, pw.PostgresqlDatabase):
        from psycopg2.extras import execute_values  # psycopg2's executemany is one round trip per row

        execute_values(db.cursor(), sql.replace(f"({marks})", "%s"), values, page_size=1000)
        return
    db.cursor().executemany(sql, values)


def add_customer(name: str, numbers: Sequence[str] = (), *, region: str = "CN", by: audit.Operator | None = None,
                 **details) -> Customer:
    """Add one customer with their numbers (first is primary); raises InvalidNumber or NumberTaken."""
    tags = tuple(details.pop("tags", ()))
    (customer_id,) = add_many([NewCustomer(name=name, numbers=tuple(numbers), tags=tags, **details)], region, by)
    return Customer.get_by_id(customer_id)


def get_customer(customer_id: int) -> Customer | None:
    """The customer with this id, or None."""
    return Customer.get_or_none(Customer.id == customer_id)


def customer_by_number(raw: str, region: str = "CN") -> Customer | None:
    """Whose number this is (any spelling), or None; raises InvalidNumber."""
    number = normalize(raw, region)
    return Customer.select().join(Phone).where(Phone.number == number).first()


def numbers_of(customer: Customer | int) -> list[Phone]:
    """A customer's numbers, primary first."""
    cid = customer.id if isinstance(customer, Customer) else customer
    return list(Phone.select().where(Phone.customer == cid).order_by(Phone.is_primary.desc(), Phone.id))


def update_customer(customer: Customer | int, by: audit.Operator | None = None, **changes) -> Customer:
    """Change the given fields (see EDITABLE; `tags` too); audited; returns the fresh row."""
    row = _customer(customer)
    unknown = set(changes) - set(EDITABLE) - {"tags"}
    if unknown:
        raise TypeError(f"cannot change {', '.join(sorted(unknown))} here")
    if "tags" in changes:
        changes["tags"] = normalize_tags(changes["tags"])
    if "name" in changes:
        changes["pinyin"], changes["initials"] = pinyin_of(changes["name"])
    before = {k: getattr(row, k) for k in changes}
    diff = {k: [before[k], v] for k, v in changes.items() if before[k] != v}
    if not diff:
        return row
    with Customer._meta.database.atomic():
        now = utcnow()
        Customer.update(updated_at=now, seen_at=now, **changes).where(Customer.id == row.id).execute()
        if {"name", "tags"} & set(diff):
            refresh_keys([row.id])
        audit.record("customer", row.id, "update", diff, by)
    return Customer.get_by_id(row.id)


def set_tags(customer: Customer | int, tags: Iterable[str], by: audit.Operator | None = None) -> Customer:
    """Replace a customer's tags."""
    return update_customer(customer, by, tags=list(tags))


def add_tag(customer: Customer | int, tag: str, by: audit.Operator | None = None) -> Customer:
    """Give a customer one more tag."""
    row = _customer(customer)
    return update_customer(row, by, tags=row.tag_list + [tag])


def remove_tag(customer: Customer | int, tag: str, by: audit.Operator | None = None) -> Customer:
    """Take one tag off a customer."""
    row = _customer(customer)
    return update_customer(row, by, tags=[t for t in row.tag_list if t != tag])


def _flag(customer: Customer | int, action: str, values: dict, by: audit.Operator | None) -> Customer:
    row = _customer(customer)
    with Customer._meta.database.atomic():
        Customer.update(updated_at=utcnow(), **values).where(Customer.id == row.id).execute()
        audit.record("customer", row.id, action, values, by)
    return Customer.get_by_id(row.id)


def block(customer: Customer | int, blocked: bool = True, by: audit.Operator | None = None) -> Customer:
    """Mark a customer blocked (the desk warns, and may reject their calls) or unblocked."""
    return _flag(customer, "block" if blocked else "unblock", {"blocked": blocked}, by)


def opt_out(customer: Customer | int, how: str, at: datetime | None = None,
            by: audit.Operator | None = None) -> Customer:
    """No more marketing texts to this customer; `how` says how they asked (e.g. the text they sent)."""
    return _flag(customer, "opt_out", {"opted_out": True, "opted_out_at": to_utc_naive(at or utcnow()),
                                       "opted_out_how": how}, by)


def opt_in(customer: Customer | int, by: audit.Operator | None = None) -> Customer:
    """Marketing texts allowed again (the customer asked)."""
    return _flag(customer, "opt_in", {"opted_out": False, "opted_out_at": None, "opted_out_how": ""}, by)


def add_number(customer: Customer | int, raw: str, *, primary: bool = False, label: str = "",
               region: str = "CN", by: audit.Operator | None = None) -> Phone:
    """Give a customer another number; raises InvalidNumber or NumberTaken."""
    row = _customer(customer)
    number = normalize(raw, region)
    with Customer._meta.database.atomic():
        _check_free([number], owner=row.id)
        existing = Phone.get_or_none(Phone.number == number)
        has_primary = Phone.select().where((Phone.customer == row.id) & Phone.is_primary).exists()
        if primary:
            Phone.update(is_primary=False).where(Phone.customer == row.id).execute()
        if existing is None:
            existing = Phone.create(customer=row.id, number=number, national=national_digits(number),
                                    is_primary=primary or not has_primary, label=label)
        else:
            Phone.update(is_primary=primary or existing.is_primary, label=label or existing.label).where(
                Phone.id == existing.id).execute()
        Call.update(customer=row.id).where((Call.number == number) & Call.customer.is_null()).execute()
        Message.update(customer=row.id).where((Message.number == number) & Message.customer.is_null()).execute()
        Customer.update(updated_at=utcnow()).where(Customer.id == row.id).execute()
        refresh_keys([row.id])
        audit.record("customer", row.id, "add_number", {"number": number, "primary": primary}, by)
    return Phone.get(Phone.number == number)


def remove_number(customer: Customer | int, raw: str, region: str = "CN",
                  by: audit.Operator | None = None) -> None:
    """Take a number off a customer (their past calls stay theirs); another number becomes primary."""
    row = _customer(customer)
    number = normalize(raw, region)
    with Customer._meta.database.atomic():
        gone = Phone.delete().where((Phone.customer == row.id) & (Phone.number == number)).execute()
        if not gone:
            raise InvalidNumber("number.not_theirs", "{number} is not one of {name}'s numbers", number=number,
                                name=row.name)
        if not Phone.select().where((Phone.customer == row.id) & Phone.is_primary).exists():
            first = Phone.select().where(Phone.customer == row.id).order_by(Phone.id).first()
            if first is not None:
                Phone.update(is_primary=True).where(Phone.id == first.id).execute()
        refresh_keys([row.id])
        audit.record("customer", row.id, "remove_number", {"number": number}, by)


def set_primary(customer: Customer | int, raw: str, region: str = "CN", by: audit.Operator | None = None) -> None:
    """Make one of a customer's numbers the primary one."""
    row = _customer(customer)
    number = normalize(raw, region)
    with Customer._meta.database.atomic():
        if not Phone.select().where((Phone.customer == row.id) & (Phone.number == number)).exists():
            raise InvalidNumber("number.not_theirs", "{number} is not one of {name}'s numbers", number=number,
                                name=row.name)
        Phone.update(is_primary=(Phone.number == number)).where(Phone.customer == row.id).execute()
        audit.record("customer", row.id, "set_primary", {"number": number}, by)


def merge(keep: Customer | int, drop: Customer | int, by: audit.Operator | None = None) -> Customer:
    """Fold `drop` into `keep`: numbers, visits, calls and texts move over, tags and notes combine; `drop` goes."""
    a, b = _customer(keep), _customer(drop)
    if a.id == b.id:
        raise ValueError("a customer cannot be merged with themselves")
    with Customer._meta.database.atomic():
        Phone.update(customer=a.id, is_primary=False).where(Phone.customer == b.id).execute()
        for model in (Visit, Call, Message):
            model.update(customer=a.id).where(model.customer == b.id).execute()
        notes = "\n".join(n for n in (a.notes, b.notes) if n)
        fill = {f: getattr(b, f) for f in ("company", "address", "gender", "source") if not getattr(a, f)}
        if a.birthday is None and b.birthday is not None:
            fill["birthday"] = b.birthday
        if not a.birthday_lunar and b.birthday_lunar:
            fill.update(birthday_lunar=True, lunar_month=b.lunar_month, lunar_day=b.lunar_day)
        Customer.update(tags=normalize_tags(a.tag_list + b.tag_list), notes=notes, updated_at=utcnow(),
                        opted_out=a.opted_out or b.opted_out, blocked=a.blocked or b.blocked,
                        seen_at=max(a.seen_at, b.seen_at), **fill).where(Customer.id == a.id).execute()
        Customer.delete().where(Customer.id == b.id).execute()
        refresh_keys([a.id])
        audit.record("customer", a.id, "merge", {"merged": b.id, "name": b.name}, by)
        audit.record("customer", b.id, "merged_into", {"into": a.id}, by)
    return Customer.get_by_id(a.id)


def delete_customer(customer: Customer | int, by: audit.Operator | None = None) -> None:
    """Remove a customer for good, with their numbers and visits; their calls and texts stay, as an unknown
    number's. The desk deletes through store.removed, which keeps the customer restorable for a while first."""
    row = _customer(customer)
    with Customer._meta.database.atomic():
        Call.update(customer=None).where(Call.customer == row.id).execute()
        Message.update(customer=None).where(Message.customer == row.id).execute()
        Customer.delete().where(Customer.id == row.id).execute()
        audit.record("customer", row.id, "delete", {"name": row.name}, by)


def touch(customer_id: int, at: datetime | None = None) -> None:
    """Note a contact (call, visit) so search ranks this customer as recent."""
    Customer.update(seen_at=to_utc_naive(at or utcnow())).where(Customer.id == customer_id).execute()
