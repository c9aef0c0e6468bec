"""One line worker and three terminals, real separate processes, on one SQLite file: no errors, nothing lost.

GUANJIA_STRESS_SECONDS sets how long they hammer it (default 30).
"""

from __future__ import annotations

import multiprocessing
import os
import random
import time
import traceback
from datetime import datetime, timedelta, timezone

SECONDS = float(os.environ.get("GUANJIA_STRESS_SECONDS", "30"))
T0 = datetime(2025, 6, 1, tzinfo=timezone.utc)


def _worker(url: str, until: float, out) -> None:
    """The line holder: calls as they ring, texts in parts, the outbox drained, delivery reports."""
    try:
        from store import calls, messages
        from store.db import open_book

        open_book(url)
        done = {"calls": 0, "texts_in": 0, "sent": 0, "delivered": 0}
        rng = random.Random(1)
        i = 0
        while time.time() < until:
            i += 1
            number = f"+86138{rng.randrange(10 ** 8):08d}"
            call = calls.call_started(number, at=T0 + timedelta(seconds=i))
            calls.call_answered(call.id)
            calls.call_ended(call.id, rng.choice(("answered", "missed")))
            done["calls"] += 1
            for seq in (2, 1, 3):  # parts arrive out of order
                assert messages.save_part(f"w{i}-{seq}", number, i % 256, 3, seq, f"<{seq}>", T0)
            assert messages.complete_text(number, i % 256, 3) is not None
            done["texts_in"] += 1
            claimed = messages.claim_next_queued("worker")
            if claimed is not None:
                messages.mark_sent(claimed, [i % 256])
                done["sent"] += 1
                if messages.apply_delivery_report(i % 256, claimed.number, "delivered") is not None:
                    done["delivered"] += 1
        out.put(("worker", done, None))
    except Exception:  # report, so the test fails with the child's traceback
        out.put(("worker", None, traceback.format_exc()))


def _terminal(url: str, until: float, seed: int, out) -> None:
    """A counter or SSH terminal: searching, reading cards and the log, adding customers, queueing texts."""
    try:
        from store import calls, changes, customers, lookup, messages, search, visits
        from store.db import open_book

        open_book(url)
        rng = random.Random(seed)
        done = {"customers": 0, "queued": 0, "visits": 0, "reads": 0}
        cursor = changes.cursor()
        i = 0
        while time.time() < until:
            i += 1
            c = customers.add_customer(f"终端{seed}客户{i}", [f"+8615{seed}{i:08d}"], tags=["压力"])
            done["customers"] += 1
            customers.update_customer(c, notes=f"note {i}")
            visits.record_visit(c.id, amount_cents=rng.randrange(100, 9999), items="米饭")
            done["visits"] += 1
            messages.queue_text(f"+8615{seed}{i:08d}", f"您好 {i}")
            done["queued"] += 1
            search.search(rng.choice(("终端", "zd", "1234", "压力", "138")))
            lookup.caller_card(f"+8615{seed}{i:08d}")
            page = calls.page(limit=30)
            if page:
                calls.page(before=page[-1].cursor, limit=30)
            cursor = changes.since(cursor).cursor
            done["reads"] += 1
        out.put((f"terminal-{seed}", done, None))
    except Exception:
        out.put((f"terminal-{seed}", None, traceback.format_exc()))


def test_worker_and_three_terminals_share_one_sqlite_file(tmp_path):
    from store import calls
    from store.db import close_book, open_book, using
    from store.models import Customer, Message, MessagePart, Visit

    url = f"sqlite:///{tmp_path / 'shop.db'}"
    close_book(open_book(url))
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    until = time.time() + SECONDS + 3  # the spawn start-up is not hammering time
    procs = [ctx.Process(target=_worker, args=(url, until, out))]
    procs += [ctx.Process(target=_terminal, args=(url, until, seed, out)) for seed in (1, 2, 3)]
    for p in procs:
        p.start()
    results = {}
    for _ in procs:
        name, done, error = out.get(timeout=SECONDS + 120)
        assert error is None, f"{name} failed:\n{error}"
        results[name] = done
    for p in procs:
        p.join(timeout=30)
        assert p.exitcode == 0

    db = open_book(url)
    with using(db):
        worker = results["worker"]
        terminals = [results[f"terminal-{s}"] for s in (1, 2, 3)]
        assert worker["calls"] > 0 and all(t["customers"] > 0 for t in terminals)
        assert calls.count(exact=True) == worker["calls"]
        assert Message.select().where(Message.direction == "in").count() == worker["texts_in"]
        assert MessagePart.select().count() == 0
        assert Customer.select().count() == sum(t["customers"] for t in terminals)
        assert Visit.select().count() == sum(t["visits"] for t in terminals)
        out_texts = Message.select().where(Message.direction == "out")
        assert out_texts.count() == sum(t["queued"] for t in terminals)
        assert out_texts.where(Message.status.in_(["sent", "delivered"])).count() == worker["sent"]
        assert out_texts.where(Message.status == "delivered").count() == worker["delivered"]
        assert out_texts.where(Message.status == "sending").count() == 0
    close_book(db)
