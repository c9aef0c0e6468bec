"""Templates ("常用短语"): saved texts with placeholders, filled from a customer's card."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import peewee as pw

from store.models import TEMPLATE_CATEGORIES, Template, utcnow
from store.search_keys import COMPOUND_SURNAMES

_COMPOUND = set(COMPOUND_SURNAMES) | {"欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "司徒", "慕容", "令狐"}
# The one set of placeholders: the template editor, the campaign form, the care rules and the desk's
# composer all fill (and check) these. Every text may say EVERYWHERE; a booking's texts also its {date}
# and {booking} (day and time); the holiday greeting its {festival}.
EVERYWHERE = ("name", "surname", "tier", "company", "shop", "today", "time", "number")
FOR_BOOKING = ("date", "booking")
FOR_FESTIVAL = ("festival",)
PLACEHOLDERS = (*EVERYWHERE, *FOR_BOOKING, *FOR_FESTIVAL)
# Written before {today} existed, {date} meant today in every text; stored texts keep that meaning.
_OLD_EVERYWHERE = ("date",)
_FIELD = re.compile(r"\{([A-Za-z_]+)\}")
# Anything in braces counts when checking, {姓名} too: the renderer would send it to the customer as typed.
_BRACED = re.compile(r"\{([^{}\n]*)\}")


class PlaceholderProblem(ValueError):
    """A text says placeholders nothing fills; `unknown` them as written, `valid` what it may say instead."""

    def __init__(self, unknown: tuple[str, ...], valid: tuple[str, ...]) -> None:
        super().__init__(f"{' '.join(unknown)} cannot be filled in; use " + " ".join(f"{{{p}}}" for p in valid))
        self.unknown = unknown
        self.valid = valid


def valid(*, booking: bool = False, festival: bool = False) -> tuple[str, ...]:
    """The placeholders a text may say: every text's, plus a booking's or a festival's own."""
    return (*EVERYWHERE, *(FOR_BOOKING if booking else ()), *(FOR_FESTIVAL if festival else ()))


def unknown(body: str, *, booking: bool = False, festival: bool = False) -> tuple[str, ...]:
    """The {placeholders} in `body` nothing would fill, as written, each once, in order."""
    allowed = set(valid(booking=booking, festival=festival)) | set(_OLD_EVERYWHERE)
    return tuple(dict.fromkeys(f"{{{name}}}" for name in _BRACED.findall(body) if name not in allowed))


def check(body: str, *, booking: bool = False, festival: bool = False) -> None:
    """Raise PlaceholderProblem when `body` says a placeholder nothing fills."""
    found = unknown(body, booking=booking, festival=festival)
    if found:
        raise PlaceholderProblem(found, valid(booking=booking, festival=festival))


def _check(category: str) -> None:
    if category not in TEMPLATE_CATEGORIES:
        raise ValueError(f"category should be one of {', '.join(TEMPLATE_CATEGORIES)}, not {category!r}")


def add_template(name: str, body: str, category: str = "care", sort_order: int | None = None) -> Template:
    """Save a template; it goes last in its list unless `sort_order` says otherwise; PlaceholderProblem, and
    nothing saved, when its body says a placeholder nothing fills."""
    _check(category)
    check(body)
    if sort_order is None:
        sort_order = (Template.select(pw.fn.MAX(Template.sort_order)).scalar() or 0) + 10
    return Template.create(name=name, body=body, category=category, sort_order=sort_order)


def update_template(template_id: int, **changes) -> Template:
    """Change a template's name, body, category or sort order."""
    unknown = set(changes) - {"name", "body", "category", "sort_order"}
    if unknown:
        raise TypeError(f"cannot change {', '.join(sorted(unknown))} on a template")
    if "category" in changes:
        _check(changes["category"])
    if "body" in changes:
        check(changes["body"])
    Template.update(**changes).where(Template.id == template_id).execute()
    return Template.get_by_id(template_id)


def delete_template(template_id: int) -> None:
    """Forget a template."""
    Template.delete().where(Template.id == template_id).execute()


def templates(category: str | None = None) -> list[Template]:
    """The templates in the operator's order (of one category, or all)."""
    query = Template.select().order_by(Template.sort_order, Template.id)
    if category is not None:
        query = query.where(Template.category == category)
    return list(query)


def move(template_id: int, steps: int) -> list[Template]:
    """Move a template up (negative) or down (positive) the list; the list as it now stands."""
    rows = templates()
    index = next(i for i, t in enumerate(rows) if t.id == template_id)
    item = rows.pop(index)
    rows.insert(max(0, min(len(rows), index + steps)), item)
    with Template._meta.database.atomic():
        for order, t in enumerate(rows):
            Template.update(sort_order=(order + 1) * 10).where(Template.id == t.id).execute()
    return templates()


def surname_of(name: str) -> str:
    """The family name: the first character (or compound surname) of a Chinese name, else the last word."""
    name = name.strip()
    if not name:
        return ""
    if "\u4e00" <= name[0] <= "\u9fff":
        return name[:2] if name[:2] in _COMPOUND else name[0]
    return name.split()[-1]


def day_label(day) -> str:
    """A day as the texts say it: 6月8日."""
    return f"{day.month}月{day.day}日"


def render(body: str, customer=None, *, shop: str = "", now: datetime | None = None,
           time_zone: str = "Asia/Shanghai", number: str = "", booking_date: date | None = None,
           extra: dict[str, str] | None = None) -> str:
    """The template with its placeholders filled; unknown ones ({foo}) stay as typed. Never raises.

    {date} is the booking's day when the text is about one (`booking_date`), else today as it always was;
    {today} is today. `extra` fills a rule's own ({booking}, {festival})."""
    now = now or utcnow()
    try:
        local = now.astimezone(ZoneInfo(time_zone))
    except (KeyError, ValueError):
        local = now
    name = getattr(customer, "name", "") or ""
    values = {
        "name": name,
        "surname": surname_of(name),
        "tier": getattr(customer, "tier", "") or "",
        "company": getattr(customer, "company", "") or "",
        "shop": shop,
        "today": day_label(local),
        "date": day_label(booking_date if booking_date is not None else local),
        "time": local.strftime("%H:%M"),
        "number": number,
        **(extra or {}),
    }
    return _FIELD.sub(lambda m: values.get(m.group(1), m.group(0)), body)
