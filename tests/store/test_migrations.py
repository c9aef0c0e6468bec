"""Migrations: a version-1 book with data upgrades in place to the latest, on both backends."""

from __future__ import annotations

from datetime import datetime

import peewee as pw

from store import migrations, search
from store.db import close_book, open_book, using
from store.models import Customer, Message


def _raw_connect(url: str, tmp_path) -> pw.Database:
    if url.startswith("sqlite"):
        path = url[len("sqlite:///"):]
        import pathlib

        pathlib.Path(path).parent.mkdir(parents=True, exist_ok=True)
        return pw.SqliteDatabase(path, pragmas={"foreign_keys": 1})
    from playhouse.db_url import connect

    return connect(url)


def test_version_1_book_upgrades_in_place(book_url, tmp_path):
    old = _raw_connect(book_url, tmp_path)
    old.connect()
    assert migrations.upgrade(old, to=1) == 1
    p = old.param
    now = datetime(2024, 1, 1, 8, 0)
    old.execute_sql(f"INSERT INTO customer (name, pinyin, initials, tier, birthday_lunar, gender, company, address, "
                    f"notes, source, tags, opted_out, opted_out_how, blocked, created_at, updated_at) VALUES "
                    f"({p}, 'zhangsan', 'zs', '金卡', {p}, '', '', '', '', '', '|vip|', {p}, '', {p}, {p}, {p})",
                    ("张三", False, False, False, now, now))
    cid = old.execute_sql("SELECT id FROM customer").fetchone()[0]
    old.execute_sql(f"INSERT INTO phone (customer_id, number, national, is_primary, label) "
                    f"VALUES ({p}, '+8613800138000', '13800138000', {p}, '')", (cid, True))
    old.execute_sql(f"INSERT INTO message (direction, number, body, parts, status, \"references\", at, error, is_read) "
                    f"VALUES ('out', '+8613800138000', 'hi', 1, 'queued', '', {p}, '', {p})", (now, True))
    assert "search_key" not in old.get_tables()
    old.close()

    db = open_book(book_url)
    with using(db):
        assert migrations.version(db) == migrations.LATEST >= 3
        c = Customer.get()
        assert (c.name, c.tier, c.tag_list, c.seen_at.year) == ("张三", "金卡", ["vip"], 2024)
        assert [h.name for h in search.search("zs")] == ["张三"]
        assert [h.name for h in search.search("尾号8000")] == ["张三"]
        assert [h.name for h in search.search("vip")] == ["张三"]
        assert Message.get().claimed_by == ""
        from store import removed  # step 13: an old book's customer can be deleted for now and restored

        removed.remove_customer(c)
        assert search.search("zs") == [] and [r.name for r in removed.removed_customers()] == ["张三"]
        removed.restore_customer(c.id)
        assert [h.name for h in search.search("尾号8000")] == ["张三"]
        assert "customer_deleted_at" in {ix.name for ix in db.get_indexes("customer")}
    close_book(db)
    again = open_book(book_url)  # opening an up-to-date book changes nothing
    assert migrations.version(again) == migrations.LATEST
    close_book(again)


def test_steps_are_numbered_in_order():
    assert [s.VERSION for s in migrations.steps()] == list(range(1, migrations.LATEST + 1))


def test_a_deleted_customers_search_keys_go_with_them(book):
    from store import customers
    from store.models import SearchKey

    kept = customers.add_customer("李四", ["13900139000"])
    gone = customers.add_customer("张三", ["13800138000"], tags=["vip"])
    dropped = customers.add_customer("张叁", ["13700137000"])
    customers.delete_customer(gone.id)
    customers.merge(kept.id, dropped.id)
    assert SearchKey.select().where(SearchKey.customer.in_([gone.id, dropped.id])).count() == 0
    assert [h.name for h in search.search("zs")] == []
    assert [h.name for h in search.search("8000")] == [] and [h.name for h in search.search("7000")] == ["李四"]
    if isinstance(book, pw.PostgresqlDatabase):  # keys go by trigger there: no foreign key check per key
        assert book.execute_sql("SELECT count(*) FROM pg_constraint WHERE conrelid = 'search_key'::regclass "
                                "AND contype = 'f'").fetchone()[0] == 0


def test_the_tier_index_covers_the_tiers_report_and_the_daily_picks(book):
    indexes = {ix.name: ix.columns for ix in book.get_indexes("customer")}
    assert indexes.get("customer_tier_seen_created") == ["tier", "seen_at", "created_at"]
    assert "customer_tier_seen" not in indexes  # its front is the new one's: kept, it would only cost writes
    if isinstance(book, pw.SqliteDatabase):
        plan = " ".join(str(row) for row in book.execute_sql(
            "EXPLAIN QUERY PLAN SELECT tier, COUNT(*), SUM(CASE WHEN created_at >= ? THEN 1 ELSE 0 END) "
            "FROM customer GROUP BY tier", ("2026-01-01",)))
        assert "COVERING INDEX customer_tier_seen_created" in plan
