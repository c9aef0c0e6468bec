"""The book's tables as peewee models: the schema as it stands after the last migration.

The models carry no database of their own; `store.db.open_book` binds them to
one (or `store.db.using` for a while), so several books can live in one process.
The tables themselves are created and changed only by `store/migrations/`.
"""

from __future__ import annotations

from datetime import datetime, timezone

import peewee as pw

TIERS_DEFAULT = ("普通", "银卡", "金卡", "钻石")
CALL_DIRECTIONS = ("in", "out")
CALL_OUTCOMES = ("answered", "missed", "rejected", "")
CALLBACK_STATES = ("none", "pending", "done")
MESSAGE_STATES = ("queued", "sending", "sent", "delivered", "failed", "unknown", "received")
TEMPLATE_CATEGORIES = ("care", "booking", "promotion", "missed_call", "holiday", "other")


def utcnow() -> datetime:
    """Now, aware, in UTC."""
    return datetime.now(timezone.utc)


def to_utc_naive(value: datetime | None) -> datetime | None:
    """The UTC wall time without tzinfo, as the columns hold it (naive input is taken as UTC)."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return value


class UtcDateTimeField(pw.DateTimeField):
    """A moment stored as UTC wall time and read back aware (invariant 6: times are stored in UTC)."""

    def db_value(self, value):
        if isinstance(value, datetime):
            value = to_utc_naive(value)
        return super().db_value(value)

    def python_value(self, value):
        value = super().python_value(value)
        if isinstance(value, datetime) and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value


class BookModel(pw.Model):
    class Meta:
        legacy_table_names = False


class Customer(BookModel):
    name = pw.TextField()
    pinyin = pw.TextField(default="")  # full pinyin, no spaces: 张三 -> zhangsan
    initials = pw.TextField(default="")  # 张三 -> zs
    tier = pw.TextField(default=TIERS_DEFAULT[0])
    birthday = pw.DateField(null=True)  # the solar date; for a lunar birthday the year only
    birthday_lunar = pw.BooleanField(default=False)
    lunar_month = pw.SmallIntegerField(null=True)
    lunar_day = pw.SmallIntegerField(null=True)
    gender = pw.TextField(default="")  # "f", "m" or ""
    company = pw.TextField(default="")
    address = pw.TextField(default="")
    notes = pw.TextField(default="")
    source = pw.TextField(default="")
    tags = pw.TextField(default="")  # normalised: "|tag1|tag2|" so one LIKE finds a tag
    opted_out = pw.BooleanField(default=False)
    opted_out_at = UtcDateTimeField(null=True)
    opted_out_how = pw.TextField(default="")
    blocked = pw.BooleanField(default=False)
    created_at = UtcDateTimeField(default=utcnow)
    updated_at = UtcDateTimeField(default=utcnow)
    # Last contact (call, visit, edit): search ranks recent customers first.
    seen_at = UtcDateTimeField(default=utcnow, index=True)
    # Deleted by an operator: kept (with its calls, texts and visits) until purged, restorable meanwhile.
    # Its numbers leave the phone table, so a ring from one is an unknown caller's, and wait here as JSON.
    deleted_at = UtcDateTimeField(null=True)
    deleted_numbers = pw.TextField(null=True)

    @property
    def tag_list(self) -> list[str]:
        return [t for t in self.tags.split("|") if t]


class Phone(BookModel):
    customer = pw.ForeignKeyField(Customer, backref="phones", on_delete="CASCADE")
    number = pw.TextField(unique=True)  # E.164
    national = pw.TextField(default="")  # digits as dialled at home: 13800138000, 01012345678
    is_primary = pw.BooleanField(default=False)
    label = pw.TextField(default="")


class SearchKey(BookModel):
    """One way to find a customer: `p:` keys match by prefix, `s:` keys are suffixes, for substrings."""

    key = pw.TextField()
    customer = pw.ForeignKeyField(Customer, on_delete="CASCADE", index=False)
    kind = pw.SmallIntegerField()

    class Meta:
        primary_key = pw.CompositeKey("key", "customer", "kind")


class Visit(BookModel):
    customer = pw.ForeignKeyField(Customer, backref="visits", on_delete="CASCADE")
    at = UtcDateTimeField(default=utcnow)
    amount_cents = pw.BigIntegerField(default=0)
    items = pw.TextField(default="")  # "宫保鸡丁、米饭": split on 、,，; for favourites
    notes = pw.TextField(default="")
    booking_date = pw.DateField(null=True)
    booking_time = pw.TimeField(null=True)
    party_size = pw.SmallIntegerField(null=True)
    room = pw.TextField(default="")
    handled_by = pw.TextField(default="")


class Call(BookModel):
    number = pw.TextField()  # E.164, or as the network gave it ("" for withheld)
    customer = pw.ForeignKeyField(Customer, null=True, backref="calls", on_delete="SET NULL")
    direction = pw.TextField(default="in")
    started_at = UtcDateTimeField(default=utcnow)
    answered_at = UtcDateTimeField(null=True)
    ended_at = UtcDateTimeField(null=True)
    outcome = pw.TextField(default="")  # "" while ringing
    duration_s = pw.IntegerField(default=0)
    handled_by = pw.TextField(default="")
    note = pw.TextField(default="")
    callback = pw.TextField(default="none")
    callback_at = UtcDateTimeField(null=True)
    callback_by = pw.TextField(default="")


class Message(BookModel):
    direction = pw.TextField()  # "in" or "out"
    number = pw.TextField()
    customer = pw.ForeignKeyField(Customer, null=True, backref="messages", on_delete="SET NULL")
    body = pw.TextField(default="")
    parts = pw.SmallIntegerField(default=1)
    status = pw.TextField(default="queued")
    references = pw.TextField(default="")  # the modem's TP-MRs, "12,13", to match delivery reports
    at = UtcDateTimeField(default=utcnow)  # queued (out) or sent by the other side (in)
    sent_at = UtcDateTimeField(null=True)
    delivered_at = UtcDateTimeField(null=True)
    campaign_id = pw.IntegerField(null=True)
    error = pw.TextField(default="")
    is_read = pw.BooleanField(default=True)
    source_key = pw.TextField(null=True, unique=True)  # the first part's key: an incoming text is kept once
    claimed_by = pw.TextField(default="")


class MessagePart(BookModel):
    key = pw.TextField(unique=True)
    sender = pw.TextField()
    reference = pw.IntegerField()
    total = pw.SmallIntegerField()
    sequence = pw.SmallIntegerField()
    text = pw.TextField(default="")
    sent_at = UtcDateTimeField()
    received_at = UtcDateTimeField(default=utcnow)
    storage = pw.TextField(null=True)
    index = pw.IntegerField(null=True)


class Template(BookModel):
    name = pw.TextField()
    body = pw.TextField()
    category = pw.TextField(default="care")
    sort_order = pw.IntegerField(default=0)


class Setting(BookModel):
    key = pw.TextField(primary_key=True)
    value = pw.TextField()  # JSON


class Audit(BookModel):
    at = UtcDateTimeField(default=utcnow)
    operator = pw.TextField(default="")
    terminal = pw.TextField(default="")
    table = pw.TextField()
    row_id = pw.IntegerField()
    action = pw.TextField()
    changes = pw.TextField(default="{}")  # JSON


class Change(BookModel):
    """One insert or update of a call or a text: terminals poll this to see new rows."""

    table = pw.TextField()
    row_id = pw.BigIntegerField()


class SchemaVersion(BookModel):
    version = pw.IntegerField(primary_key=True)
    applied_at = UtcDateTimeField(default=utcnow)


# Care and campaigns (store/campaigns.py, care.py, tasks.py; migration step 4) ----

CAMPAIGN_STATES = ("draft", "scheduled", "running", "paused", "cancelled", "finished")


class Campaign(BookModel):
    name = pw.TextField()
    body = pw.TextField()  # the template text, placeholders unfilled
    audience = pw.TextField(default="{}")  # JSON: the filter the recipients were picked by
    marketing = pw.BooleanField(default=True)  # marketing: opt-out footer, opted-out customers skipped
    status = pw.TextField(default="draft")
    created_at = UtcDateTimeField(default=utcnow)
    scheduled_at = UtcDateTimeField(null=True)
    started_at = UtcDateTimeField(null=True)
    finished_at = UtcDateTimeField(null=True)
    skipped = pw.TextField(default="{}")  # JSON: why customers matched but got no text, and how many


class CampaignRecipient(BookModel):
    """One number a campaign texts; UNIQUE (campaign, number) is what keeps anyone from getting it twice."""

    campaign = pw.ForeignKeyField(Campaign, on_delete="CASCADE", index=False)
    customer = pw.ForeignKeyField(Customer, null=True, on_delete="SET NULL", index=False)
    number = pw.TextField()
    status = pw.TextField(default="pending")  # pending -> queued (a message) | skipped (reason)
    message_id = pw.BigIntegerField(null=True)
    reason = pw.TextField(default="")

    class Meta:
        indexes = ((("campaign", "number"), True), (("campaign", "status", "id"), False))


class Task(BookModel):
    """Something the shop owes a customer: call back, get in touch, wish a birthday, answer a complaint."""

    kind = pw.TextField()  # callback, contact, birthday, complaint, drifting
    key = pw.TextField(unique=True)  # one task per reason: generating twice adds nothing
    customer = pw.ForeignKeyField(Customer, null=True, on_delete="CASCADE", index=False)
    call = pw.ForeignKeyField(Call, null=True, on_delete="SET NULL", index=False)
    number = pw.TextField(default="")
    title = pw.TextField(default="")
    due = UtcDateTimeField()
    created_at = UtcDateTimeField(default=utcnow)
    done_at = UtcDateTimeField(null=True)
    done_how = pw.TextField(default="")  # called back, texted, dismissed
    reason = pw.TextField(default="")  # why it was dismissed


class CareSent(BookModel):
    """A care text went (or was queued) for this rule, number and day: the once-a-day guard."""

    rule = pw.TextField()
    number = pw.TextField()
    day = pw.DateField()
    message_id = pw.BigIntegerField(null=True)

    class Meta:
        indexes = ((("rule", "number", "day"), True),)


MODELS = (Customer, Phone, SearchKey, Visit, Call, Message, MessagePart, Template, Setting, Audit,
          Change, SchemaVersion, Campaign, CampaignRecipient, Task, CareSent)
