"""Version 4: campaigns and their recipients, the task list, and the once-a-day guard of care texts."""

from __future__ import annotations

import peewee as pw

VERSION = 4


# Frozen copies of the tables as version 4 has them: later steps change the live models, never these.
class _M(pw.Model):
    class Meta:
        legacy_table_names = False


class _Customer(_M):  # the existing table, only so the new ones can point at it
    class Meta:
        table_name = "customer"


class _Call(_M):
    class Meta:
        table_name = "call"


class Campaign(_M):
    name = pw.TextField()
    body = pw.TextField()
    audience = pw.TextField(default="{}")
    marketing = pw.BooleanField(default=True)
    status = pw.TextField(default="draft")
    created_at = pw.DateTimeField()
    scheduled_at = pw.DateTimeField(null=True)
    started_at = pw.DateTimeField(null=True)
    finished_at = pw.DateTimeField(null=True)
    skipped = pw.TextField(default="{}")


class CampaignRecipient(_M):
    campaign = pw.ForeignKeyField(Campaign, on_delete="CASCADE", index=False)
    customer = pw.ForeignKeyField(_Customer, null=True, on_delete="SET NULL", index=False)
    number = pw.TextField()
    status = pw.TextField(default="pending")
    message_id = pw.BigIntegerField(null=True)
    reason = pw.TextField(default="")


class Task(_M):
    kind = pw.TextField()
    key = pw.TextField(unique=True)
    customer = pw.ForeignKeyField(_Customer, null=True, on_delete="CASCADE", index=False)
    call = pw.ForeignKeyField(_Call, null=True, on_delete="SET NULL", index=False)
    number = pw.TextField(default="")
    title = pw.TextField(default="")
    due = pw.DateTimeField()
    created_at = pw.DateTimeField()
    done_at = pw.DateTimeField(null=True)
    done_how = pw.TextField(default="")
    reason = pw.TextField(default="")


class CareSent(_M):
    rule = pw.TextField()
    number = pw.TextField()
    day = pw.DateField()
    message_id = pw.BigIntegerField(null=True)


TABLES = (Campaign, CampaignRecipient, Task, CareSent)

INDEXES = (
    "UNIQUE INDEX campaign_recipient_number ON campaign_recipient (campaign_id, number)",
    "INDEX campaign_recipient_status ON campaign_recipient (campaign_id, status, id)",
    "INDEX campaign_status ON campaign (status)",
    "INDEX task_open ON task (done_at, due)",
    "INDEX task_customer ON task (customer_id, kind, created_at)",
    "UNIQUE INDEX care_sent_once ON care_sent (rule, number, day)",
    "INDEX message_campaign ON message (campaign_id, status)",
)


def upgrade(db: pw.Database) -> None:
    with db.bind_ctx(TABLES):
        db.create_tables(TABLES, safe=False)
    for index in INDEXES:
        db.execute_sql(f"CREATE {index}")
