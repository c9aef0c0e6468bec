"""Number search against a brute force over the phone table: same customers, same order, same why."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

from store import customers, search
from store.models import Customer, Phone
from store.search_keys import MAX_SUFFIXES, MIN_NUMBER_PART

CLASSES = ("exact", "prefix", "ending", "substring")


def _number(rng: random.Random) -> str:
    # Few digits, so parts repeat and overlap ("1111"); lengths from short extensions to long foreign numbers.
    length = rng.choice([11] * 6 + [4, 5, 7, 8, 10, 12, 13, 14, 15, 16, 20])
    return "".join(rng.choice("01138") for _ in range(length))


def _book(rng: random.Random, count: int) -> None:
    t0 = datetime(2024, 1, 1, tzinfo=timezone.utc)
    Customer.insert_many([{"name": f"客户{chr(0x4e00 + i % 500)}", "seen_at": t0 + timedelta(minutes=rng.randrange(count // 2))}
                          for i in range(count)]).execute()
    ids = [c.id for c in Customer.select(Customer.id)]
    taken: set[str] = set()
    rows = []
    for cid in ids:
        for _ in range(rng.choice([1, 1, 1, 2, 3])):
            n = _number(rng)
            if n not in taken:
                taken.add(n)
                rows.append({"customer": cid, "number": "+" + n, "national": n})
    for start in range(0, len(rows), 500):
        Phone.insert_many(rows[start:start + 500]).execute()
    customers.refresh_keys(ids)


def _brute(q: str, limit: int) -> list[tuple[int, str]]:
    """The ranked (customer, why) of a digits query, by LIKE over every number and the rules of each class."""
    best: dict[int, int] = {}
    for cid, national in Phone.select(Phone.customer, Phone.national).where(Phone.national.contains(q)).tuples():
        classes = []
        if national == q:
            classes.append(0)
        if national.startswith(q) and national != q:
            classes.append(1)
        # A part is found from digit 1 up to MAX_SUFFIXES - 1, with MIN_NUMBER_PART digits left from there.
        starts = [i for i in range(1, MAX_SUFFIXES) if national[i:i + len(q)] == q and len(national) - i >= MIN_NUMBER_PART]
        if len(national) - len(q) in starts:
            classes.append(2)
        if starts:
            classes.append(3)
        if classes:
            best[cid] = min(min(classes), best.get(cid, 9))
    seen = {c.id: (c.seen_at, c.id) for c in Customer.select(Customer.id, Customer.seen_at).where(Customer.id.in_(list(best)))}
    ranked = sorted(best, key=lambda cid: (best[cid], tuple(-x.timestamp() if isinstance(x, datetime) else -x
                                                             for x in seen[cid])))
    return [(cid, f"number {CLASSES[best[cid]]}") for cid in ranked][:limit]


def test_number_fragments_match_a_brute_force(book, monkeypatch):
    rng = random.Random(7)
    _book(rng, 2500)
    nationals = [n for (n,) in Phone.select(Phone.national).tuples()]
    queries = set()
    for _ in range(160):
        n = rng.choice(nationals)
        start = rng.randrange(len(n))
        queries.add(n[start:start + rng.randrange(1, 12)])
    queries.update(rng.choice(nationals) for _ in range(20))
    queries.update(["1", "11", "38", "813", "1111", "0000", "8888", "3", "00"])
    checked = 0
    for q in sorted(queries):
        for limit in (20, 400):
            got = [(h.customer_id, h.why) for h in search.search(q, limit=limit)]
            assert got == _brute(search.query_text(q), limit), (q, limit)  # "0086..." is typed as +86
            checked += 1
    monkeypatch.setattr(search, "CAP", 5)  # the newest-first walks over a set and over every customer
    for q in ("813", "11", "0"):
        assert [(h.customer_id, h.why) for h in search.search(q, limit=30)] == _brute(q, 30), q
    monkeypatch.setattr(search, "SET_CAP", 10)
    for q in ("813", "11", "0"):
        assert [(h.customer_id, h.why) for h in search.search(q, limit=30)] == _brute(q, 30), q
    assert checked >= 250
