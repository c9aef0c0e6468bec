"""Templates ("常用短语"): saved texts with placeholders, filled from a customer's card."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import peewee as pw

from store.models import TEMPLATE_CATEGORIES, Template, utcnow
from store.search_keys import COMPOUND_SURNAMES

_COMPOUND = set(COMPOUND_SURNAMES) | {"欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "司徒", "慕容", "令狐"}
PLACEHOLDERS = ("name", "surname", "tier", "shop", "date", "time", "number", "company")
_FIELD = re.compile(r"\{([A-Za-z_]+)\}")


def _check(category: str) -> None:
    if category not in TEMPLATE_CATEGORIES:
        raise ValueError(f"category should be one of {', '.join(TEMPLATE_CATEGORIES)}, not {category!r}")


def add_template(name: str, body: str, category: str = "care", sort_order: int | None = None) -> Template:
    """Save a template; it goes last in its list unless `sort_order` says otherwise."""
    _check(category)
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


def render(body: str, customer=None, *, shop: str = "", now: datetime | None = None,
           time_zone: str = "Asia/Shanghai", number: str = "") -> str:
    """The template with its placeholders filled; unknown ones ({foo}) stay as typed. Never raises."""
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
        "date": f"{local.month}月{local.day}日",
        "time": local.strftime("%H:%M"),
        "number": number,
    }
    return _FIELD.sub(lambda m: values.get(m.group(1), m.group(0)), body)
