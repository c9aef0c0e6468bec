"""What the operator typed for a campaign, checked and turned into values, with plain words when it is wrong.

Pure functions (no terminal, no database), so the rules are tested directly.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from tui.i18n import t
from tui.screens.campaign_book import CampaignDraft, SendingSettings
from tui.screens.fill_ins import problem as fill_in_problem

MOST_RATE = 600  # texts a minute: more than any phone line can really send
MOST_PRICE = Decimal(100)  # a part never costs this much: a slip of the keyboard
MOST_FOOTER = 30


class Problem(ValueError):
    """What is wrong with the form, in the operator's words."""


def _typed(text: str) -> str:
    # NFKC: full-width digits, colons and commas from a Chinese keyboard become ASCII.
    return unicodedata.normalize("NFKC", text or "").strip()


def words_of(text: str) -> tuple[str, ...]:
    """A list typed with commas, 、 or spaces; each once, in order."""
    seen: dict[str, None] = {}
    for word in re.split(r"[,，、;；\s]+", unicodedata.normalize("NFKC", text or "")):
        if word.strip():
            seen.setdefault(word.strip(), None)
    return tuple(seen)


def _whole(text: str, problem: str, low: int, high: int | None = None) -> int | None:
    typed = _typed(text)
    if not typed:
        return None
    if not typed.isdigit() or int(typed) < low or (high is not None and int(typed) > high):
        raise Problem(problem)
    return int(typed)


def yuan_cents(text: str) -> int | None:
    """Yuan as typed ("500", "¥1,280.5") in cents; None when empty."""
    typed = _typed(text).lstrip("¥").rstrip("元").replace(",", "").strip()
    if not typed:
        return None
    try:
        yuan = Decimal(typed)
    except InvalidOperation:
        raise Problem(t("campaign_form.bad_spend")) from None
    if not yuan.is_finite() or yuan < 0 or yuan > 100_000_000:
        raise Problem(t("campaign_form.bad_spend"))
    return int((yuan * 100).to_integral_value())


def draft_of(values: dict[str, str], shop_tiers: list[str], marketing: bool) -> CampaignDraft:
    """The form's fields as a campaign draft; raises Problem naming the first field that is wrong."""
    tiers = words_of(values.get("tiers", ""))
    unknown = [x for x in tiers if x not in shop_tiers]
    if unknown:
        raise Problem(t("campaign_form.bad_tier", tier=unknown[0][:20], tiers="、".join(shop_tiers)))
    return CampaignDraft(
        name=values.get("name", "").strip(),
        body=values.get("body", ""),
        tiers=tiers,
        tags=words_of(values.get("tags", "")),
        not_seen_days=_whole(values.get("not_seen", ""), t("campaign_form.bad_days"), 1, 36_500),
        min_spend_cents=yuan_cents(values.get("spend", "")),
        birthday_month=_whole(values.get("birthday", ""), t("campaign_form.bad_month"), 1, 12),
        marketing=marketing,
    )


def ready(draft: CampaignDraft) -> None:
    """Raises Problem unless the draft can be sent: it needs a name and a text that says only fill-ins
    something fills (the one set of store/templates.py)."""
    if not draft.name:
        raise Problem(t("campaign_form.need_name"))
    if not draft.body.strip():
        raise Problem(t("campaign_form.need_body"))
    wrong = fill_in_problem(draft.body)
    if wrong:
        raise Problem(wrong)


def clock(text: str) -> time:
    """A time of day typed as HH:MM."""
    hours, sep, minutes = _typed(text).partition(":")
    if not (sep and hours.isdigit() and minutes.isdigit() and len(hours) <= 2 and len(minutes) == 2):
        raise Problem(t("campaign_form.bad_clock", text=text.strip()[:20]))
    try:
        return time(int(hours), int(minutes))
    except ValueError:
        raise Problem(t("campaign_form.bad_clock", text=text.strip()[:20])) from None


def when_of(text: str, now: datetime) -> datetime | None:
    """When to send, on the shop's clock (`now` is aware, in the shop's zone): None for now.

    "HH:MM" is the next such time (today, or tomorrow once it has passed);
    "YYYY-MM-DD HH:MM" must still be to come.
    """
    typed = _typed(text).replace("T", " ")
    if not typed:
        return None
    if " " not in typed:
        at = datetime.combine(now.date(), clock(typed), tzinfo=now.tzinfo)
        return at if at > now else at + timedelta(days=1)
    day, _, hhmm = typed.partition(" ")
    try:
        at = datetime.combine(datetime.strptime(day, "%Y-%m-%d").date(), clock(hhmm.strip()), tzinfo=now.tzinfo)
    except (ValueError, Problem):
        raise Problem(t("campaign_form.bad_when", text=text.strip()[:30])) from None
    if at <= now:
        raise Problem(t("campaign_form.past_when", at=at.strftime("%Y-%m-%d %H:%M")))
    return at


def sending_of(values: dict[str, str]) -> SendingSettings:
    """The sending settings as typed, checked."""
    rate = _whole(values.get("rate", ""), t("sending.bad_rate", most=MOST_RATE), 1, MOST_RATE)
    if rate is None:
        raise Problem(t("sending.bad_rate", most=MOST_RATE))
    start, end = clock(values.get("quiet_start", "")), clock(values.get("quiet_end", ""))
    try:
        price = Decimal(_typed(values.get("price", "")).lstrip("¥").rstrip("元"))
    except InvalidOperation:
        raise Problem(t("sending.bad_price")) from None
    if not price.is_finite() or price < 0 or price > MOST_PRICE:
        raise Problem(t("sending.bad_price"))
    footer = " ".join((values.get("footer") or "").split())
    if not footer:
        raise Problem(t("sending.need_footer"))
    if len(footer) > MOST_FOOTER:
        raise Problem(t("sending.long_footer", most=MOST_FOOTER))
    return SendingSettings(rate, f"{start:%H:%M}", f"{end:%H:%M}", float(price), footer)
