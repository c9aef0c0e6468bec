"""`guanjia campaign …`: bulk texts from the shell: make, preview, start, pause, resume, cancel, follow.

The line worker does the sending (paced, and never in quiet hours); these
commands only write the campaign and move its state, so they are safe from any
terminal while another one holds the line.
"""

from __future__ import annotations

import argparse

NAME = "campaign"
HELP = "bulk texts: list, new, preview, start, pause, resume, cancel, status"

_VERBS = ("pause", "resume", "cancel")


def _db_option(parser: argparse.ArgumentParser) -> None:
    # SUPPRESS: `guanjia campaign --db X list` and `guanjia campaign list --db X` both work.
    parser.add_argument("--db", default=argparse.SUPPRESS, help="database URL (as for guanjia)")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    _db_option(sub.add_parser("list", help="campaigns, newest first"))
    new = sub.add_parser("new", help="a draft campaign: a text and an audience")
    new.add_argument("--name", required=True, help="what the shop calls it, e.g. 五月促销")
    text = new.add_mutually_exclusive_group(required=True)
    text.add_argument("--template", help="a saved template, by name or number")
    text.add_argument("--text", help="the text itself; {name}, {surname}, {tier}, {shop}, {date} are filled in")
    new.add_argument("--tier", action="append", default=[], help="only this tier (repeat for several)")
    new.add_argument("--tag", action="append", default=[], help="only customers with this tag (any of several)")
    new.add_argument("--not-seen-days", type=int, help="only customers with no visit for this many days")
    new.add_argument("--min-spend", type=float, help="only customers who spent at least this much in all")
    new.add_argument("--birthday-month", type=int, help="only customers whose birthday falls in this month (1-12)")
    new.add_argument("--filter", help="start from a saved filter (the options above narrow or replace it)")
    new.add_argument("--save-filter", metavar="NAME", help="also save this audience under NAME")
    new.add_argument("--not-marketing", action="store_true",
                     help="a service text (no opt-out footer, goes to opted-out customers too)")
    _db_option(new)
    preview = sub.add_parser("preview", help="the exact texts for the first recipients, parts, count and cost")
    preview.add_argument("id", type=int)
    preview.add_argument("--first", type=int, default=5, help="show this many texts (default 5)")
    _db_option(preview)
    start = sub.add_parser("start", help="start now, or at a time (--at 2026-05-06T09:30 or --at 09:30)")
    start.add_argument("id", type=int)
    start.add_argument("--at", help="when, in the shop's time zone")
    _db_option(start)
    for verb in _VERBS:
        p = sub.add_parser(verb, help=f"{verb} a campaign")
        p.add_argument("id", type=int)
        _db_option(p)
    status = sub.add_parser("status", help="progress: sent, delivered, failed, skipped, and when it will be done")
    status.add_argument("id", type=int)
    _db_option(status)


def run(args) -> int:
    """Do one campaign action; plain-words errors exit 2."""
    from store import campaigns
    from store.db import close_book
    from tui.cli import UserError
    from tui.commands._book import open_for

    _, db = open_for(args)
    try:
        action = {"list": _list, "new": _new, "preview": _preview, "start": _start, "status": _status}.get(
            args.action, _verb)
        return action(args)
    except campaigns.CampaignError as exc:
        raise UserError(str(exc)) from None
    finally:
        close_book(db)


def _list(args) -> int:
    from store import campaigns
    from tui.text import clean

    rows = campaigns.all_campaigns()
    for c in rows:
        p = campaigns.progress(c.id)
        print("\t".join([f"#{c.id}", c.status, clean(c.name, limit=60), f"{p.done}/{p.total}"]))
    if not rows:
        print("no campaigns yet")
    return 0


def _body(args) -> str:
    from store.models import Template
    from tui.cli import UserError

    if args.text is not None:
        return args.text
    key = args.template.strip()
    found = Template.get_or_none(Template.name == key)
    if found is None and key.isdigit():
        found = Template.get_or_none(Template.id == int(key))
    if found is None:
        raise UserError(f"there is no template called {key!r}: see the templates screen, or use --text")
    return found.body


def _audience(args):
    from store import audience as aud
    from store import settings
    from tui.cli import UserError

    base = aud.Audience()
    if args.filter:
        try:
            base = aud.saved_filter(args.filter)
        except KeyError:
            names = ", ".join(aud.filter_names()) or "none saved yet"
            raise UserError(f"there is no saved filter {args.filter!r} (saved: {names})") from None
    if args.birthday_month is not None and not 1 <= args.birthday_month <= 12:
        raise UserError(f"--birthday-month is a month, 1 to 12, not {args.birthday_month}")
    if args.min_spend is not None and args.min_spend < 0:
        raise UserError("--min-spend cannot be negative")
    if args.not_seen_days is not None and args.not_seen_days < 0:
        raise UserError("--not-seen-days cannot be negative")
    unknown = [t for t in args.tier if t not in settings.tiers()]
    if unknown:
        raise UserError(f"no tier called {unknown[0]!r}; the shop's tiers are {', '.join(settings.tiers())}")
    return aud.Audience(
        tiers=tuple(args.tier) or base.tiers, tags=tuple(args.tag) or base.tags,
        not_seen_days=args.not_seen_days if args.not_seen_days is not None else base.not_seen_days,
        min_spend_cents=round(args.min_spend * 100) if args.min_spend is not None else base.min_spend_cents,
        birthday_month=args.birthday_month if args.birthday_month is not None else base.birthday_month)


def _new(args) -> int:
    from store import audience as aud
    from store import campaigns

    audience = _audience(args)
    body = _body(args)
    campaign = campaigns.create(args.name, body, audience, marketing=not args.not_marketing)
    if args.save_filter:
        aud.save_filter(args.save_filter, audience)
    going, left_out = aud.skipped(audience, campaign.marketing)
    print(f"campaign #{campaign.id} created (draft): {going} recipient(s){_left_out(left_out)}")
    print(f"next: guanjia campaign preview {campaign.id}, then guanjia campaign start {campaign.id}")
    return 0


def _left_out(left_out: dict[str, int]) -> str:
    words = {"blocked": "blocked", "opted_out": "opted out", "no_number": "without a number"}
    parts = [f"{n} {words.get(k, k)}" for k, n in sorted(left_out.items()) if n]
    return f"; left out: {', '.join(parts)}" if parts else ""


def _preview(args) -> int:
    from store import audience as aud
    from store import campaigns, settings
    from store.numbers import display
    from tui.text import clean

    c = campaigns.get(args.id)
    p = aud.preview(c.body, aud.Audience.from_json(c.audience), first=max(0, args.first), marketing=c.marketing)
    region = settings.home_region()
    for line in p.lines:
        print(f"{clean(line.name, limit=40)} ({display(line.number, region)}), {line.parts} part(s):")
        print(f"  {clean(line.text, limit=1000)}")
    print(f"{p.recipients} recipient(s){_left_out(p.skipped)}")
    print(f"{p.total_parts} part(s) in all, at most {p.max_parts} per text; "
          f"cost {p.cost:.2f} at {p.price_per_part:.2f} a part")
    return 0


def _when(text: str):
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from store import settings
    from tui.cli import UserError

    zone = ZoneInfo(settings.get("time_zone"))
    now = datetime.now(zone)
    try:
        if len(text.strip()) <= 5 and ":" in text:
            hours, minutes = (int(x) for x in text.strip().split(":"))
            at = now.replace(hour=hours, minute=minutes, second=0, microsecond=0)
            return at if at > now else at + timedelta(days=1)
        at = datetime.fromisoformat(text.strip())
    except ValueError:
        raise UserError(f"{text!r} is not a time: write 09:30 or 2026-05-06T09:30") from None
    return at if at.tzinfo else at.replace(tzinfo=zone)


def _start(args) -> int:
    from zoneinfo import ZoneInfo

    from store import campaigns, settings

    c = campaigns.start(args.id, at=_when(args.at) if args.at else None)
    if c.status == "scheduled":
        local = c.scheduled_at.astimezone(ZoneInfo(settings.get("time_zone")))
        print(f"campaign #{c.id} scheduled for {local:%Y-%m-%d %H:%M}")
    else:
        total = campaigns.progress(c.id).total
        print(f"campaign #{c.id} running: {total} recipient(s); the line worker sends them at the shop's pace")
    return 0


def _verb(args) -> int:
    from store import campaigns

    c = getattr(campaigns, args.action)(args.id)
    print(f"campaign #{c.id} {c.status}")
    return 0


def _status(args) -> int:
    from datetime import datetime, timezone
    from zoneinfo import ZoneInfo

    from store import audience as aud
    from store import campaigns, settings
    from tui import pacing
    from tui.text import clean

    c = campaigns.get(args.id)
    p = campaigns.progress(c.id)
    print(f"campaign #{c.id} {clean(c.name, limit=60)}: {p.status}")
    print(f"{p.total} recipient(s): {p.sent + p.delivered} sent ({p.delivered} delivered), {p.failed} failed, "
          f"{p.skipped} skipped, {p.unknown} unknown, {p.queued} in the outbox, {p.pending} waiting"
          f"{_left_out(p.left_out)}")
    waiting = p.remaining if p.status == "running" else 0
    if p.status == "scheduled":
        waiting = aud.skipped(aud.Audience.from_json(c.audience), c.marketing)[0]
    if waiting:
        all_settings = settings.all_settings()
        pacer = pacing.from_settings(all_settings)
        start = datetime.now(timezone.utc)
        if c.scheduled_at is not None and c.scheduled_at > start:
            start = c.scheduled_at
        eta = pacer.eta(waiting, start).astimezone(ZoneInfo(all_settings["time_zone"]))
        print(f"done by about {eta:%Y-%m-%d %H:%M} at {pacer.rate} a minute, quiet "
              f"{pacer.quiet_start:%H:%M}-{pacer.quiet_end:%H:%M}")
    return 0
