"""Campaign results: for each campaign started in the period, how its texts fared and what the recipients did.

Delivery comes from the campaign's text rows; opt-outs, replies and visits are
counted per recipient who was texted, within `AFTER_DAYS` of the campaign's
start: an opt-out recorded then, an incoming text from their number, a visit.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import peewee as pw

from store.models import Campaign
from store.reports import Report, rate
from store.reports.period import Period, shop_zone, window
from store.reports.texts import TRIED

AFTER_DAYS = 14


def _db() -> pw.Database:
    return Campaign._meta.database


def _statuses(campaign_id: int) -> Counter:
    p = _db().param
    return Counter(dict(_db().execute_sql(f"SELECT status, COUNT(*) FROM message WHERE campaign_id = {p} "
                                          f"GROUP BY status", (campaign_id,))))


def _responses(campaign_id: int, start, end) -> tuple[int, int, int, int]:
    """(recipients texted, opted out, replied, visited) between `start` and `end`: one pass, index probes."""
    p = _db().param
    sql = (f"SELECT COUNT(*), "
           f"SUM(CASE WHEN EXISTS (SELECT 1 FROM customer k WHERE k.id = r.customer_id AND k.opted_out_at >= {p} "
           f"AND k.opted_out_at < {p}) THEN 1 ELSE 0 END), "
           f"SUM(CASE WHEN EXISTS (SELECT 1 FROM message m WHERE m.number = r.number AND m.direction = 'in' "
           f"AND m.at >= {p} AND m.at < {p}) THEN 1 ELSE 0 END), "
           f"SUM(CASE WHEN EXISTS (SELECT 1 FROM visit v WHERE v.customer_id = r.customer_id AND v.at >= {p} "
           f"AND v.at < {p} AND v.booking_date IS NULL) THEN 1 ELSE 0 END) "
           f"FROM campaign_recipient r WHERE r.campaign_id = {p} AND r.message_id IS NOT NULL")
    texted, opted, replied, visited = _db().execute_sql(sql, (start, end) * 3 + (campaign_id,)).fetchone()
    return int(texted or 0), int(opted or 0), int(replied or 0), int(visited or 0)


def campaigns(period: Period) -> Report:
    """Campaigns started in the period, oldest first: texted, delivered, failed, delivery rate; opt-outs,
    replies and visits within 14 days of the start, and the share who visited."""
    span, zone = window(period), shop_zone()
    rows = []
    for campaign in (Campaign.select(Campaign.id, Campaign.name, Campaign.started_at)
                     .where((Campaign.started_at >= span.start) & (Campaign.started_at < span.end))
                     .order_by(Campaign.started_at, Campaign.id)):
        statuses = _statuses(campaign.id)
        tried = sum(statuses[s] for s in TRIED)
        start = campaign.started_at.replace(tzinfo=None)
        texted, opted, replied, visited = _responses(campaign.id, start, start + timedelta(days=AFTER_DAYS))
        rows.append((campaign.name, campaign.started_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"), texted,
                     statuses["delivered"], statuses["failed"], rate(statuses["delivered"], tried), opted, replied,
                     visited, rate(visited, texted)))
    return Report("campaigns", period, ("campaign", "started", "texted", "delivered", "failed", "delivery_rate",
                                        "opt_outs", "replies", "visited", "visit_rate"), tuple(rows),
                  chart=("delivery_rate", "replies", "visited", "visit_rate", "opt_outs", "texted"))
