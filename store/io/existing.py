"""The book as an import sees it: customers found by number or by name, in batches of 500."""

from __future__ import annotations

from store.io.plan import Existing
from store.models import Customer, Phone, SearchKey
from store.search_keys import MAX_KEY, NAME

BATCH = 500


def _chunks(items: list, size: int = BATCH):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _load(ids: list[int]) -> dict[int, Existing]:
    phones: dict[int, list[str]] = {}
    found: dict[int, Existing] = {}
    for chunk in _chunks(sorted(set(ids))):
        for customer_id, number in (Phone.select(Phone.customer, Phone.number).where(Phone.customer.in_(chunk))
                                    .order_by(Phone.is_primary.desc(), Phone.id).tuples()):
            phones.setdefault(customer_id, []).append(number)
        for c in Customer.select().where(Customer.id.in_(chunk)):
            found[c.id] = Existing(
                id=c.id, name=c.name, phones=tuple(phones.get(c.id, ())), tier=c.tier, birthday=c.birthday,
                birthday_lunar=c.birthday_lunar, lunar_month=c.lunar_month,
                lunar_day=c.lunar_day, gender=c.gender, company=c.company, address=c.address,
                notes=c.notes, source=c.source, tags=tuple(c.tag_list))
    return found


class BookView:
    """Batch lookups on the bound book (plan.BookView)."""

    def by_numbers(self, numbers: list[str]) -> dict[str, Existing]:
        owner: dict[str, int] = {}
        for chunk in _chunks(numbers):
            owner.update(Phone.select(Phone.number, Phone.customer).where(Phone.number.in_(chunk)).tuples())
        customers = _load(list(owner.values()))
        return {number: customers[cid] for number, cid in owner.items() if cid in customers}

    def by_names(self, names: list[str]) -> list[Existing]:
        # Only names and numbers: a common name (张伟) can have thousands of namesakes in a big book.
        ids: list[int] = []
        for chunk in _chunks(names):
            keys = ["p:" + n[:MAX_KEY] for n in chunk if n]
            ids.extend(cid for (cid,) in SearchKey.select(SearchKey.customer)
                       .where(SearchKey.key.in_(keys), SearchKey.kind == NAME).tuples())
        phones: dict[int, list[str]] = {}
        found: list[Existing] = []
        for chunk in _chunks(sorted(set(ids))):
            for customer_id, number in Phone.select(Phone.customer, Phone.number).where(
                    Phone.customer.in_(chunk)).tuples():
                phones.setdefault(customer_id, []).append(number)
            found.extend(Existing(id=cid, name=name, phones=tuple(phones.get(cid, ())))
                         for cid, name in Customer.select(Customer.id, Customer.name).where(
                             Customer.id.in_(chunk)).tuples())
        return found
