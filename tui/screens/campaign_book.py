"""The campaign screens' doorway into the store: blocking calls, run on the book's thread via `book.run`.

Each function takes the desk's Book first (for its clock, time zone and number
display) and turns store rows into the plain views the screens show. What takes
up to a second on a big book (the preview, a campaign's progress, writing 100,000
recipients at start, cancelling them) runs with `own_connection` on the screen's
worker thread instead, so a ringing call's card never waits behind it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from tui.widgets.campaign_progress import ProgressView

PREVIEW_FIRST = 5


@dataclass(frozen=True, slots=True)
class CampaignRow:
    """One campaign in the list."""

    campaign_id: int
    name: str
    status: str
    when: str  # scheduled, started or created at, on the shop's clock
    marketing: bool = True


@dataclass(frozen=True, slots=True)
class CampaignDraft:
    """A campaign as the form edits it: a name, a text and who it goes to (empty fields do not narrow)."""

    name: str = ""
    body: str = ""
    tiers: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    not_seen_days: int | None = None
    min_spend_cents: int | None = None
    birthday_month: int | None = None
    marketing: bool = True


@dataclass(frozen=True, slots=True)
class PreviewText:
    """The exact text one recipient would get."""

    name: str
    number: str
    text: str
    parts: int


@dataclass(frozen=True, slots=True)
class PreviewView:
    """What the form's campaign would send, count, parts, cost and who is left out."""

    texts: tuple[PreviewText, ...]
    recipients: int
    left_out: tuple[tuple[str, int], ...]
    total_parts: int
    max_parts: int
    price: float
    cost: float
    eta: str  # done by about, if it started now
    quiet: str
    unknown: tuple[str, ...] = ()  # placeholders nothing fills ({nmae}): they would go out as typed


@dataclass(frozen=True, slots=True)
class SendingSettings:
    """How campaigns go out, shared by every terminal: pace, quiet hours, price, opt-out footer."""

    rate: int = 20
    quiet_start: str = "22:00"
    quiet_end: str = "08:00"
    price: float = 0.10
    footer: str = "回T退订"


def own_connection(fn, book, *args):
    """Blocking: `fn(book, *args)` on this thread's own connection to the book, closed again after."""
    from store.models import Campaign

    with Campaign._meta.database.connection_context():
        return fn(book, *args)


def _audience(draft: CampaignDraft):
    from store.audience import Audience

    return Audience(tiers=draft.tiers, tags=draft.tags, not_seen_days=draft.not_seen_days,
                    min_spend_cents=draft.min_spend_cents, birthday_month=draft.birthday_month)


def _short(book, at: datetime | None) -> str:
    local = book.local(at)
    return local.strftime("%Y-%m-%d %H:%M") if local is not None else ""


def _pacer(book):
    from store import settings
    from tui import pacing

    values = settings.all_settings()
    pacer = pacing.from_settings(values, clock=book.now)
    return pacer, f"{pacer.quiet_start:%H:%M}–{pacer.quiet_end:%H:%M}"


def _left_out(skipped: dict[str, int]) -> tuple[tuple[str, int], ...]:
    return tuple((reason, n) for reason, n in sorted(skipped.items()) if n)


# The list -----------------------------------------------------------------------------------

def rows(book) -> list[CampaignRow]:
    """Campaigns, newest first."""
    from store import campaigns

    book.region()
    return [CampaignRow(c.id, c.name, c.status, _short(book, c.scheduled_at or c.started_at or c.created_at),
                        c.marketing) for c in campaigns.all_campaigns()]


def progress(book, campaign_id: int) -> ProgressView:
    """Where one campaign stands, and when it will be done at the shop's pace."""
    from store import campaigns
    from store.audience import Audience, skipped

    c = campaigns.get(campaign_id)
    p = campaigns.progress(campaign_id)
    pacer, quiet = _pacer(book)
    now = book.now()
    expected = eta = 0
    waiting = p.remaining
    if c.status in ("draft", "scheduled"):
        expected, _ = skipped(Audience.from_json(c.audience), c.marketing, now=now)
    count = waiting if c.status == "running" else expected if c.status == "scheduled" else 0
    if count:
        start = now
        if c.status == "scheduled" and c.scheduled_at is not None:
            start = max(now, c.scheduled_at.replace(tzinfo=c.scheduled_at.tzinfo or timezone.utc))
        eta = _short(book, pacer.eta(count, start))
    when = c.scheduled_at if c.status == "scheduled" else c.started_at
    return ProgressView(
        campaign_id=c.id, name=c.name, status=c.status, total=p.total, sent=p.sent, delivered=p.delivered,
        failed=p.failed, unknown=p.unknown, skipped=p.skipped, waiting=waiting, expected=expected,
        left_out=_left_out(p.left_out), when=_short(book, when), eta=eta or "", rate=pacer.rate, quiet=quiet,
        quiet_now=pacer.is_quiet(now))


# The form -------------------------------------------------------------------------------------

def preview(book, draft: CampaignDraft, first: int = PREVIEW_FIRST) -> PreviewView:
    """The exact texts for the first recipients, the count, parts, cost, who is left out and the ETA."""
    from store import audience
    from store import templates

    now = book.now()
    book.region()
    p = audience.preview(draft.body, _audience(draft), first=first, marketing=draft.marketing, now=now)
    pacer, quiet = _pacer(book)
    texts = tuple(PreviewText(line.name, book.display(line.number) or line.number, line.text, line.parts)
                  for line in p.lines)
    eta = _short(book, pacer.eta(p.recipients, now)) if p.recipients else ""
    unknown = templates.unknown(draft.body)  # the one set the form and the store check
    return PreviewView(texts, p.recipients, _left_out(p.skipped), p.total_parts, p.max_parts, p.price_per_part,
                       p.cost, eta, quiet, unknown)


def launch(book, draft: CampaignDraft, at: datetime | None) -> tuple[int, str]:
    """Create the campaign and start it now (or schedule it for `at`), in one transaction; (its id, state)."""
    from store import campaigns
    from store.models import Campaign

    with Campaign._meta.database.atomic():
        c = campaigns.create(draft.name, draft.body, _audience(draft), marketing=draft.marketing)
        c = campaigns.start(c.id, at=at, now=book.now())
    return c.id, c.status


def start(book, campaign_id: int, at: datetime | None = None) -> str | None:
    """Start a draft or a scheduled campaign now (or schedule it); its new state, None when it cannot start now."""
    from store import campaigns

    try:
        return campaigns.start(campaign_id, at=at, now=book.now()).status
    except campaigns.CampaignError:
        return None  # another terminal started or cancelled it a moment ago


def move(book, campaign_id: int, verb: str) -> str | None:
    """Pause, resume or cancel; the new state, None when the campaign no longer is in a state that allows it."""
    from store import campaigns

    if verb not in ("pause", "resume", "cancel"):
        raise ValueError(verb)
    try:
        if verb == "cancel":
            return campaigns.cancel(campaign_id, now=book.now()).status
        return getattr(campaigns, verb)(campaign_id).status
    except campaigns.CampaignError:
        return None  # another terminal moved it first, or it finished meanwhile


def draft_of(book, campaign_id: int) -> tuple[CampaignDraft, PreviewView]:
    """A saved campaign as a draft (to start it), and what it would send now."""
    from store import campaigns
    from store.audience import Audience

    c = campaigns.get(campaign_id)
    a = Audience.from_json(c.audience)
    draft = CampaignDraft(c.name, c.body, a.tiers, a.tags, a.not_seen_days, a.min_spend_cents, a.birthday_month,
                          c.marketing)
    return draft, preview(book, draft)


# Saved filters and the shop's tiers -----------------------------------------------------------

def filter_names(book) -> list[str]:
    """The names of the saved audience filters."""
    from store import audience

    return audience.filter_names()


def saved_filter(book, name: str) -> CampaignDraft:
    """The audience saved under `name`, as a draft's audience fields."""
    from store import audience

    a = audience.saved_filter(name)
    return CampaignDraft(tiers=a.tiers, tags=a.tags, not_seen_days=a.not_seen_days,
                         min_spend_cents=a.min_spend_cents, birthday_month=a.birthday_month)


def save_filter(book, name: str, draft: CampaignDraft) -> None:
    """Keep the draft's audience under `name`."""
    from store import audience

    audience.save_filter(name, _audience(draft))


def tiers(book) -> list[str]:
    """The shop's VIP levels."""
    from store import settings

    return settings.tiers()


def templates(book) -> list[tuple[str, str]]:
    """(name, body) of every template, in the picker's order."""
    return [(x.name, x.body) for x in book.templates()]


# Sending settings -----------------------------------------------------------------------------

def sending_settings(book) -> SendingSettings:
    """The shop's sending settings, defaults filled in."""
    from store import settings

    pacer, _ = _pacer(book)
    return SendingSettings(pacer.rate, f"{pacer.quiet_start:%H:%M}", f"{pacer.quiet_end:%H:%M}",
                           settings.price_per_part(), str(settings.get("opt_out_footer") or ""))


def save_sending_settings(book, values: SendingSettings) -> None:
    """Keep the sending settings in the book, where the line worker and every terminal read them."""
    from store import settings
    from store.models import Setting

    with Setting._meta.database.atomic():
        settings.set("texts_per_minute", values.rate)
        settings.set("quiet_start", values.quiet_start)
        settings.set("quiet_end", values.quiet_end)
        settings.set("price_per_part", values.price)
        settings.set("opt_out_footer", values.footer)
