"""Campaigns: one text to an audience, sent a few at a time, surviving restarts, never twice to anyone.

Life cycle: draft -> scheduled (at a time) | running -> paused <-> running ->
cancelled | finished. When a campaign starts, its recipients are written once
(INSERT … SELECT; UNIQUE (campaign, number)), in the same transaction as the
state change. The line worker then calls `top_up` to move a few pending
recipients into the outbox (each text a message row linked to the campaign,
whose source key "campaign:<id>:<number>" is unique too), and paces the sends
itself. All state is in the book, so a restart of the app or of the machine
carries on where it stopped; a text whose fate a crash left unknown is not
sent again by itself (DESIGN invariant 2).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import peewee as pw

from store import changes, templates
from store.audience import Audience, Recipient, Writer, recipients_sql, skipped
from store.models import Campaign, CampaignRecipient, Customer, Message, to_utc_naive, utcnow
from store.problems import Problem

LIVE = ("running", "paused")
MOVES = {  # what each state may become, by which verb
    "start": {"draft", "scheduled"},
    "schedule": {"draft", "scheduled"},
    "pause": {"running"},
    "resume": {"paused"},
    "cancel": {"draft", "scheduled", "running", "paused"},
}


class CampaignError(Problem):
    """A campaign cannot do that now; the message says why in plain words (and as a code, store.problems)."""


@dataclass(frozen=True, slots=True)
class Progress:
    """Where a campaign stands: every recipient is in exactly one of these counts."""

    campaign_id: int
    status: str
    total: int  # recipients written when it started
    pending: int  # not yet in the outbox
    queued: int  # in the outbox, waiting or being sent
    sent: int
    delivered: int
    failed: int
    unknown: int  # a crash left their fate unknown: the operator decides
    skipped: int  # written, then left out (opted out or blocked since, cancelled)
    left_out: dict[str, int]  # matched the audience but never written, and why

    @property
    def done(self) -> int:
        return self.sent + self.delivered + self.failed + self.unknown + self.skipped

    @property
    def remaining(self) -> int:
        return self.pending + self.queued


def _db() -> pw.Database:
    return Campaign._meta.database


def _insert_ignore(db: pw.Database) -> tuple[str, str]:
    if isinstance(db, pw.PostgresqlDatabase):
        return "INSERT INTO", " ON CONFLICT DO NOTHING"
    return "INSERT OR IGNORE INTO", ""


def get(campaign_id: int) -> Campaign:
    """A campaign; CampaignError when there is none."""
    found = Campaign.get_or_none(Campaign.id == campaign_id)
    if found is None:
        raise CampaignError("campaign.missing", "there is no campaign #{id}", id=campaign_id)
    return found


def all_campaigns(limit: int = 200) -> list[Campaign]:
    """Campaigns, newest first."""
    return list(Campaign.select().order_by(Campaign.id.desc()).limit(limit))


def create(name: str, body: str, audience: Audience, marketing: bool = True) -> Campaign:
    """A draft campaign: a name, the text (placeholders allowed) and who it goes to."""
    if not name.strip():
        raise CampaignError("campaign.no_name", "a campaign needs a name")
    if not body.strip():
        raise CampaignError("campaign.no_text", "a campaign needs a text")
    found = templates.unknown(body)
    if found:  # the screens check as the operator types; the command line and scripts meet it here
        raise CampaignError("campaign.unknown_fill_in", "{unknown} cannot be filled in; use {valid}",
                            unknown=" ".join(found), valid=" ".join(f"{{{p}}}" for p in templates.valid()))
    return Campaign.create(name=name.strip(), body=body, audience=audience.to_json(), marketing=marketing,
                           status="draft", created_at=utcnow())


def _move(campaign_id: int, verb: str, **values) -> int:
    """Change state only from the states `verb` allows, in one statement (two terminals cannot both win)."""
    allowed = MOVES[verb]
    return (Campaign.update(**values).where((Campaign.id == campaign_id) & Campaign.status.in_(list(allowed)))
            .execute())


def _refuse(campaign_id: int, verb: str) -> None:
    status = get(campaign_id).status
    raise CampaignError("campaign.cannot", "campaign #{id} is {status}: it cannot {verb} now", id=campaign_id,
                        status=status, verb=verb)


def start(campaign_id: int, at: datetime | None = None, now: datetime | None = None) -> Campaign:
    """Start now (write the recipients, then the worker sends), or schedule for `at` if that is later."""
    now = now or utcnow()
    if at is not None and to_utc_naive(at) > to_utc_naive(now):
        if not _move(campaign_id, "schedule", status="scheduled", scheduled_at=to_utc_naive(at)):
            _refuse(campaign_id, "be scheduled")
        return get(campaign_id)
    with _db().atomic():
        if not _move(campaign_id, "start", status="running", started_at=to_utc_naive(now)):
            _refuse(campaign_id, "start")
        _write_recipients(get(campaign_id), now)
    return get(campaign_id)


def _write_recipients(campaign: Campaign, now: datetime) -> None:
    audience = Audience.from_json(campaign.audience)
    _, left_out = skipped(audience, campaign.marketing, now=now)
    db = _db()
    # One set-based statement; the unique (campaign, number) drops any repeat number.
    select, params = recipients_sql(audience, campaign.marketing, now=now,
                                    columns=f"{db.param}, c.id, ph.number, 'pending', ''")
    insert, ignore = _insert_ignore(db)
    sql = f"{insert} campaign_recipient (campaign_id, customer_id, number, status, reason) {select}{ignore}"
    db.execute_sql(sql, [campaign.id, *params])
    Campaign.update(skipped=json.dumps(left_out, sort_keys=True)).where(Campaign.id == campaign.id).execute()


def start_due(now: datetime | None = None) -> list[int]:
    """Start every scheduled campaign whose time has come; their ids."""
    now = now or utcnow()
    due = [c.id for c in Campaign.select(Campaign.id).where(
        (Campaign.status == "scheduled") & (Campaign.scheduled_at <= to_utc_naive(now)))]
    started = []
    for campaign_id in due:
        try:
            start(campaign_id, now=now)
            started.append(campaign_id)
        except CampaignError:
            continue  # another terminal started or cancelled it a moment ago
    return started


def _withdraw(campaign_id: int) -> int:
    """Take the campaign's texts that are still only queued back out of the outbox; how many."""
    db = _db()
    lock = " FOR UPDATE" if isinstance(db, pw.PostgresqlDatabase) else ""
    p = db.param
    ids = [i for (i,) in db.execute_sql(
        f"SELECT id FROM message WHERE campaign_id = {p} AND status = 'queued'{lock}", (campaign_id,))]
    if not ids:
        return 0
    # Never sent, so nothing is lost: the recipients go back to pending.
    Message.delete().where(Message.id.in_(ids) & (Message.status == "queued")).execute()
    CampaignRecipient.update(status="pending", message_id=None).where(
        (CampaignRecipient.campaign == campaign_id) & CampaignRecipient.message_id.in_(ids)).execute()
    for i in ids:
        changes.record("message", i)
    return len(ids)


def pause(campaign_id: int) -> Campaign:
    """Stop sending for now; texts already with the phone finish, the rest wait for `resume`."""
    with _db().atomic():
        if not _move(campaign_id, "pause", status="paused"):
            _refuse(campaign_id, "pause")
        _withdraw(campaign_id)
    return get(campaign_id)


def resume(campaign_id: int) -> Campaign:
    """Carry on sending a paused campaign."""
    if not _move(campaign_id, "resume", status="running"):
        _refuse(campaign_id, "resume")
    return get(campaign_id)


def cancel(campaign_id: int, now: datetime | None = None) -> Campaign:
    """Stop for good: nobody else gets the text; texts already with the phone finish."""
    with _db().atomic():
        if not _move(campaign_id, "cancel", status="cancelled", finished_at=to_utc_naive(now or utcnow())):
            _refuse(campaign_id, "be cancelled")
        _withdraw(campaign_id)
        CampaignRecipient.update(status="skipped", reason="cancelled").where(
            (CampaignRecipient.campaign == campaign_id) & (CampaignRecipient.status == "pending")).execute()
    return get(campaign_id)


def queue_batch(campaign_id: int, limit: int, now: datetime | None = None) -> int:
    """Move up to `limit` pending recipients of a running campaign into the outbox; how many texts were queued."""
    now = now or utcnow()
    db = _db()
    with db.atomic():
        query = Campaign.select().where(Campaign.id == campaign_id)
        if isinstance(db, pw.PostgresqlDatabase):
            # Holds pause/cancel (and another top-up) off this campaign until the batch is in.
            query = query.for_update()
        campaign = query.first()
        if campaign is None or campaign.status != "running":
            return 0
        rows = list(CampaignRecipient.select(CampaignRecipient.id, CampaignRecipient.number, Customer.id,
                                             Customer.name, Customer.tier, Customer.company, Customer.blocked,
                                             Customer.opted_out)
                    .join(Customer, pw.JOIN.LEFT_OUTER, on=(CampaignRecipient.customer == Customer.id))
                    .where((CampaignRecipient.campaign == campaign_id) & (CampaignRecipient.status == "pending"))
                    .order_by(CampaignRecipient.id).limit(max(0, int(limit))).tuples())
        writer = Writer(campaign.body, campaign.marketing, now=now)
        queued = 0
        for rid, number, customer_id, name, tier, company, blocked, opted_out in rows:
            # Checked again now, not only at start: someone may have replied 退订 meanwhile.
            reason = ("customer deleted" if customer_id is None else "blocked" if blocked
                      else "opted out" if opted_out and campaign.marketing else "")
            if reason:
                CampaignRecipient.update(status="skipped", reason=reason).where(CampaignRecipient.id == rid).execute()
                continue
            text, parts = writer.text(Recipient(customer_id, number, name, tier, company))
            message_id = Message.insert(direction="out", number=number, customer=customer_id, body=text,
                                        parts=parts, status="queued", at=now, campaign_id=campaign_id,
                                        is_read=True, source_key=f"campaign:{campaign_id}:{number}").execute()
            CampaignRecipient.update(status="queued", message_id=message_id).where(
                CampaignRecipient.id == rid).execute()
            changes.record("message", message_id)
            queued += 1
    settle(campaign_id, now)
    return queued


def top_up(waiting: int = 3, now: datetime | None = None, limit: int | None = None) -> int:
    """Keep each running campaign's unsent texts in the outbox at `waiting`, and all campaigns' at most `limit`.

    How many were queued. The worker paces: e.g. `top_up(1, now, limit=1)` only
    when its pacer says a text may go, so at most one campaign text waits.
    """
    now = now or utcnow()
    start_due(now)
    running = [c.id for c in Campaign.select(Campaign.id).where(Campaign.status == "running").order_by(Campaign.id)]
    if not running:
        return 0
    # Every campaign's texts count against `limit`, also a paused one's text still with the phone.
    in_outbox = dict(Message.select(Message.campaign_id, pw.fn.COUNT(Message.id))
                     .where((Message.campaign_id > 0) & Message.status.in_(["queued", "sending"]))
                     .group_by(Message.campaign_id).tuples())
    room_in_all = None if limit is None else limit - sum(in_outbox.values())
    added = 0
    for campaign_id in running:
        want = waiting - in_outbox.get(campaign_id, 0)
        if room_in_all is not None:
            want = min(want, room_in_all - added)
        if want > 0:
            added += queue_batch(campaign_id, want, now)
        else:
            settle(campaign_id, now)
    return added


def settle(campaign_id: int, now: datetime | None = None) -> bool:
    """Mark a running campaign finished when nobody is pending and nothing is left in the outbox."""
    busy = (CampaignRecipient.select().where((CampaignRecipient.campaign == campaign_id)
                                             & (CampaignRecipient.status == "pending")).exists()
            or Message.select().where((Message.campaign_id == campaign_id)
                                      & Message.status.in_(["queued", "sending"])).exists())
    if busy:
        return False
    return bool(Campaign.update(status="finished", finished_at=to_utc_naive(now or utcnow())).where(
        (Campaign.id == campaign_id) & (Campaign.status == "running")).execute())


def progress(campaign_id: int) -> Progress:
    """Counts of a campaign's recipients by where they stand, in one query."""
    campaign = get(campaign_id)
    db = _db()
    p = db.param
    counts = {k: 0 for k in ("pending", "queued", "sent", "delivered", "failed", "unknown", "skipped")}
    sql = (f"SELECT r.status, m.status, COUNT(*) FROM campaign_recipient r LEFT JOIN message m ON m.id = r.message_id "
           f"WHERE r.campaign_id = {p} GROUP BY r.status, m.status")
    total = 0
    for recipient_status, message_status, n in db.execute_sql(sql, (campaign_id,)):
        total += n
        if recipient_status in ("pending", "skipped"):
            counts[recipient_status] += n
        elif message_status in ("queued", "sending"):
            counts["queued"] += n
        elif message_status in ("sent", "delivered", "failed", "unknown"):
            counts[message_status] += n
        else:
            counts["unknown"] += n  # its text row is gone (deleted by hand): cannot say
    return Progress(campaign_id, campaign.status, total, left_out=json.loads(campaign.skipped or "{}"), **counts)


def recent_send_times(since: datetime) -> list[datetime]:
    """When campaign texts went since `since`: a restarted worker seeds its pacer with them."""
    return [at for (at,) in Message.select(Message.sent_at).where(
        # "> 0", not "IS NOT NULL": SQLite takes the campaign index for a range, and scanned every text for the other.
        (Message.campaign_id > 0) & (Message.sent_at >= to_utc_naive(since))).order_by(Message.sent_at)
        .tuples()]
