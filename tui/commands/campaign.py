"""`guanjia campaign …`: bulk texts from the shell: make, preview, start, pause, resume, cancel, follow.

The line worker does the sending (paced, and never in quiet hours); these
commands only write the campaign and move its state, so they are safe from any
terminal while another one holds the line.
"""

from __future__ import annotations

import argparse

NAME = "campaign"
HELP = "cli.campaign.help"

_VERBS = ("pause", "resume", "cancel")


def _db_option(parser: argparse.ArgumentParser) -> None:
    from tui.i18n import t

    # SUPPRESS: `guanjia campaign --db X list` and `guanjia campaign list --db X` both work.
    parser.add_argument("--db", default=argparse.SUPPRESS, help=t("cli.campaign.db"))
    parser.add_argument("--lang", choices=("zh", "en"), default=argparse.SUPPRESS, help=t("cli.opt.lang"))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from tui.i18n import t

    def id_of(p) -> None:
        p.add_argument("id", type=int, metavar=t("cli.metavar.id"), help=t("cli.campaign.id"))

    sub = parser.add_subparsers(dest="action", metavar=t("cli.metavar.action"), required=True)
    wide = parser.formatter_class  # Chinese help wrapped by terminal cells, as for every subcommand
    _db_option(sub.add_parser("list", help=t("cli.campaign.list"), formatter_class=wide, description=t("cli.campaign.list")))
    new = sub.add_parser("new", help=t("cli.campaign.new"), formatter_class=wide, description=t("cli.campaign.new"))
    new.add_argument("--name", required=True, help=t("cli.campaign.name"))
    text = new.add_mutually_exclusive_group(required=True)
    text.add_argument("--template", help=t("cli.campaign.template"))
    text.add_argument("--text", help=t("cli.campaign.text"))
    new.add_argument("--tier", action="append", default=[], help=t("cli.campaign.tier"))
    new.add_argument("--tag", action="append", default=[], help=t("cli.campaign.tag"))
    new.add_argument("--not-seen-days", type=int, help=t("cli.campaign.not_seen_days"))
    new.add_argument("--min-spend", type=float, help=t("cli.campaign.min_spend"))
    new.add_argument("--birthday-month", type=int, help=t("cli.campaign.birthday_month"))
    new.add_argument("--filter", help=t("cli.campaign.filter"))
    new.add_argument("--save-filter", metavar=t("cli.metavar.name"), help=t("cli.campaign.save_filter"))
    new.add_argument("--not-marketing", action="store_true", help=t("cli.campaign.not_marketing"))
    _db_option(new)
    preview = sub.add_parser("preview", help=t("cli.campaign.preview"), formatter_class=wide, description=t("cli.campaign.preview"))
    id_of(preview)
    preview.add_argument("--first", type=int, default=5, help=t("cli.campaign.first"))
    _db_option(preview)
    start = sub.add_parser("start", help=t("cli.campaign.start"), formatter_class=wide, description=t("cli.campaign.start"))
    id_of(start)
    start.add_argument("--at", help=t("cli.campaign.at"))
    _db_option(start)
    for verb in _VERBS:
        p = sub.add_parser(verb, help=t(f"cli.campaign.{verb}"), formatter_class=wide, description=t(f"cli.campaign.{verb}"))
        id_of(p)
        _db_option(p)
    status = sub.add_parser("status", help=t("cli.campaign.status"), formatter_class=wide, description=t("cli.campaign.status"))
    id_of(status)
    _db_option(status)


def run(args) -> int:
    """Do one campaign action; plain-words errors exit 2."""
    from store import campaigns
    from store.db import close_book
    from tui.cli import UserError
    from tui.commands._book import open_for
    from tui.problems import said

    _, db = open_for(args)
    try:
        action = {"list": _list, "new": _new, "preview": _preview, "start": _start, "status": _status}.get(
            args.action, _verb)
        return action(args)
    except campaigns.CampaignError as exc:
        raise UserError(said(exc)) from None
    finally:
        close_book(db)


def _list(args) -> int:
    from store import campaigns
    from tui.i18n import t
    from tui.text import clean

    rows = campaigns.all_campaigns()
    for c in rows:
        p = campaigns.progress(c.id)
        print("\t".join([f"#{c.id}", _state(c.status), clean(c.name, limit=60), f"{p.done}/{p.total}"]))
    if not rows:
        print(t("cli.campaign.none"))
    return 0


def _body(args) -> str:
    from store.models import Template
    from tui.cli import UserError
    from tui.i18n import t

    if args.text is not None:
        return args.text
    key = args.template.strip()
    found = Template.get_or_none(Template.name == key)
    if found is None and key.isdigit():
        found = Template.get_or_none(Template.id == int(key))
    if found is None:
        raise UserError(t("cli.campaign.no_template", name=key))
    return found.body


def _audience(args):
    from store import audience as aud
    from store import settings
    from tui.cli import UserError
    from tui.i18n import t

    base = aud.Audience()
    if args.filter:
        try:
            base = aud.saved_filter(args.filter)
        except KeyError:
            names = ", ".join(aud.filter_names()) or t("cli.campaign.no_filters")
            raise UserError(t("cli.campaign.no_filter", name=args.filter, names=names)) from None
    if args.birthday_month is not None and not 1 <= args.birthday_month <= 12:
        raise UserError(t("cli.campaign.bad_month", month=args.birthday_month))
    if args.min_spend is not None and args.min_spend < 0:
        raise UserError(t("cli.campaign.negative", flag="--min-spend"))
    if args.not_seen_days is not None and args.not_seen_days < 0:
        raise UserError(t("cli.campaign.negative", flag="--not-seen-days"))
    unknown = [tier for tier in args.tier if tier not in settings.tiers()]
    if unknown:
        raise UserError(t("cli.campaign.no_tier", tier=unknown[0], tiers=", ".join(settings.tiers())))
    return aud.Audience(
        tiers=tuple(args.tier) or base.tiers, tags=tuple(args.tag) or base.tags,
        not_seen_days=args.not_seen_days if args.not_seen_days is not None else base.not_seen_days,
        min_spend_cents=round(args.min_spend * 100) if args.min_spend is not None else base.min_spend_cents,
        birthday_month=args.birthday_month if args.birthday_month is not None else base.birthday_month)


def _new(args) -> int:
    from store import audience as aud
    from store import campaigns
    from tui.i18n import t

    audience = _audience(args)
    body = _body(args)
    campaign = campaigns.create(args.name, body, audience, marketing=not args.not_marketing)
    if args.save_filter:
        aud.save_filter(args.save_filter, audience)
    going, left_out = aud.skipped(audience, campaign.marketing)
    print(t("cli.campaign.created", id=campaign.id, n=going, left_out=_left_out(left_out)))
    print(t("cli.campaign.next", id=campaign.id))
    return 0


def _state(status: str) -> str:
    from tui.i18n import TABLE, t

    key = f"cli.campaign.state.{status}"
    return t(key) if key in TABLE else status


def _left_out(left_out: dict[str, int]) -> str:
    from tui.i18n import TABLE, t

    parts = [t(f"cli.campaign.left.{k}", n=n) if f"cli.campaign.left.{k}" in TABLE else f"{n} {k}"
             for k, n in sorted(left_out.items()) if n]
    return t("cli.campaign.left_out", parts=t("cli.list_sep").join(parts)) if parts else ""


def _preview(args) -> int:
    from store import audience as aud
    from store import campaigns, settings
    from store.numbers import display
    from tui.i18n import t
    from tui.text import clean

    c = campaigns.get(args.id)
    p = aud.preview(c.body, aud.Audience.from_json(c.audience), first=max(0, args.first), marketing=c.marketing)
    region = settings.home_region()
    for line in p.lines:
        print(t("cli.campaign.preview_line", name=clean(line.name, limit=40), number=display(line.number, region),
                parts=line.parts))
        print(f"  {clean(line.text, limit=1000)}")
    print(t("cli.campaign.recipients", n=p.recipients, left_out=_left_out(p.skipped)))
    print(t("cli.campaign.cost", parts=p.total_parts, most=p.max_parts, cost=p.cost, price=p.price_per_part))
    return 0


def _when(text: str):
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from store import settings
    from tui.cli import UserError
    from tui.i18n import t

    zone = ZoneInfo(settings.get("time_zone"))
    now = datetime.now(zone)
    try:
        if len(text.strip()) <= 5 and ":" in text:
            hours, minutes = (int(x) for x in text.strip().split(":"))
            at = now.replace(hour=hours, minute=minutes, second=0, microsecond=0)
            return at if at > now else at + timedelta(days=1)
        at = datetime.fromisoformat(text.strip())
    except ValueError:
        raise UserError(t("cli.campaign.bad_time", text=text)) from None
    return at if at.tzinfo else at.replace(tzinfo=zone)


def _start(args) -> int:
    from zoneinfo import ZoneInfo

    from store import campaigns, settings
    from tui.i18n import t

    c = campaigns.start(args.id, at=_when(args.at) if args.at else None)
    if c.status == "scheduled":
        local = c.scheduled_at.astimezone(ZoneInfo(settings.get("time_zone")))
        print(t("cli.campaign.scheduled", id=c.id, at=f"{local:%Y-%m-%d %H:%M}"))
    else:
        total = campaigns.progress(c.id).total
        print(t("cli.campaign.running", id=c.id, n=total))
    return 0


def _verb(args) -> int:
    from store import campaigns

    from tui.i18n import t

    c = getattr(campaigns, args.action)(args.id)
    print(t("cli.campaign.now", id=c.id, state=_state(c.status)))
    return 0


def _status(args) -> int:
    from datetime import datetime, timezone
    from zoneinfo import ZoneInfo

    from store import audience as aud
    from store import campaigns, settings
    from tui import pacing
    from tui.i18n import t
    from tui.text import clean

    c = campaigns.get(args.id)
    p = campaigns.progress(c.id)
    print(t("cli.campaign.status_head", id=c.id, name=clean(c.name, limit=60), state=_state(p.status)))
    print(t("cli.campaign.status_counts", total=p.total, sent=p.sent + p.delivered, delivered=p.delivered,
            failed=p.failed, skipped=p.skipped, unknown=p.unknown, queued=p.queued, pending=p.pending,
            left_out=_left_out(p.left_out)))
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
        print(t("cli.campaign.eta", at=f"{eta:%Y-%m-%d %H:%M}", rate=pacer.rate,
                quiet=f"{pacer.quiet_start:%H:%M}-{pacer.quiet_end:%H:%M}"))
    return 0
