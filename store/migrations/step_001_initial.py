"""Version 1: customers and their numbers, visits, calls, texts, templates, settings, audit."""

from __future__ import annotations

import peewee as pw

VERSION = 1


# Frozen copies of the tables as version 1 had them: later steps change the
# live models, never these.
class _M(pw.Model):
    class Meta:
        legacy_table_names = False


class Customer(_M):
    name = pw.TextField()
    pinyin = pw.TextField(default="")
    initials = pw.TextField(default="")
    tier = pw.TextField(default="普通")
    birthday = pw.DateField(null=True)
    birthday_lunar = pw.BooleanField(default=False)
    lunar_month = pw.SmallIntegerField(null=True)
    lunar_day = pw.SmallIntegerField(null=True)
    gender = pw.TextField(default="")
    company = pw.TextField(default="")
    address = pw.TextField(default="")
    notes = pw.TextField(default="")
    source = pw.TextField(default="")
    tags = pw.TextField(default="")
    opted_out = pw.BooleanField(default=False)
    opted_out_at = pw.DateTimeField(null=True)
    opted_out_how = pw.TextField(default="")
    blocked = pw.BooleanField(default=False)
    created_at = pw.DateTimeField()
    updated_at = pw.DateTimeField()


class Phone(_M):
    customer = pw.ForeignKeyField(Customer, on_delete="CASCADE", index=True)
    number = pw.TextField(unique=True)
    national = pw.TextField(default="")
    is_primary = pw.BooleanField(default=False)
    label = pw.TextField(default="")


class Visit(_M):
    customer = pw.ForeignKeyField(Customer, on_delete="CASCADE", index=False)
    at = pw.DateTimeField()
    amount_cents = pw.BigIntegerField(default=0)
    items = pw.TextField(default="")
    notes = pw.TextField(default="")
    booking_date = pw.DateField(null=True)
    booking_time = pw.TimeField(null=True)
    party_size = pw.SmallIntegerField(null=True)
    room = pw.TextField(default="")
    handled_by = pw.TextField(default="")


class Call(_M):
    number = pw.TextField()
    customer = pw.ForeignKeyField(Customer, null=True, on_delete="SET NULL", index=False)
    direction = pw.TextField(default="in")
    started_at = pw.DateTimeField()
    answered_at = pw.DateTimeField(null=True)
    ended_at = pw.DateTimeField(null=True)
    outcome = pw.TextField(default="")
    duration_s = pw.IntegerField(default=0)
    handled_by = pw.TextField(default="")
    note = pw.TextField(default="")
    callback = pw.TextField(default="none")
    callback_at = pw.DateTimeField(null=True)
    callback_by = pw.TextField(default="")


class Message(_M):
    direction = pw.TextField()
    number = pw.TextField()
    customer = pw.ForeignKeyField(Customer, null=True, on_delete="SET NULL", index=False)
    body = pw.TextField(default="")
    parts = pw.SmallIntegerField(default=1)
    status = pw.TextField(default="queued")
    references = pw.TextField(default="")
    at = pw.DateTimeField()
    sent_at = pw.DateTimeField(null=True)
    delivered_at = pw.DateTimeField(null=True)
    campaign_id = pw.IntegerField(null=True)
    error = pw.TextField(default="")
    is_read = pw.BooleanField(default=True)
    source_key = pw.TextField(null=True, unique=True)


class MessagePart(_M):
    key = pw.TextField(unique=True)
    sender = pw.TextField()
    reference = pw.IntegerField()
    total = pw.SmallIntegerField()
    sequence = pw.SmallIntegerField()
    text = pw.TextField(default="")
    sent_at = pw.DateTimeField()
    received_at = pw.DateTimeField()
    storage = pw.TextField(null=True)
    index = pw.IntegerField(null=True)


class Template(_M):
    name = pw.TextField()
    body = pw.TextField()
    category = pw.TextField(default="care")
    sort_order = pw.IntegerField(default=0)


class Setting(_M):
    key = pw.TextField(primary_key=True)
    value = pw.TextField()


class Audit(_M):
    at = pw.DateTimeField()
    operator = pw.TextField(default="")
    terminal = pw.TextField(default="")
    table = pw.TextField()
    row_id = pw.IntegerField()
    action = pw.TextField()
    changes = pw.TextField(default="{}")


TABLES = (Customer, Phone, Visit, Call, Message, MessagePart, Template, Setting, Audit)

INDEXES = (
    "visit_customer_at ON visit (customer_id, at)",
    "call_started ON call (started_at, id)",
    "call_customer_started ON call (customer_id, started_at)",
    "call_number_started ON call (number, started_at)",
    "call_callback ON call (callback, started_at)",
    "message_status ON message (status, id)",
    "message_customer_at ON message (customer_id, at)",
    "message_number_at ON message (number, at)",
    "message_unread ON message (is_read, direction)",
    "message_part_sender ON message_part (sender, reference)",
    "audit_row ON audit (\"table\", row_id)",
)


def upgrade(db: pw.Database) -> None:
    with db.bind_ctx(TABLES):
        db.create_tables(TABLES, safe=False)
    for index in INDEXES:
        db.execute_sql(f"CREATE INDEX IF NOT EXISTS {index}")
