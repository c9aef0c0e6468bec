"""Shop-wide settings shared by every terminal: shop name, home region, time zone, tiers, prices."""

from __future__ import annotations

import json
from typing import Any

from store.models import TIERS_DEFAULT, Setting

DEFAULTS: dict[str, Any] = {
    "shop_name": "",
    "home_region": "CN",
    "time_zone": "Asia/Shanghai",
    "tiers": list(TIERS_DEFAULT),
    "price_per_part": 0.10,
    "opt_out_footer": "回T退订",
    "auto_compose": True,
    "auto_reject_blocked": False,  # hang up on a blocked customer's call at once; off: the desk only warns
    "keep_deleted_days": 30,  # a deleted customer stays restorable this long, then is purged
}


def get(key: str, default: Any = None) -> Any:
    """The value of `key`, else `default`, else the built-in default."""
    row = Setting.get_or_none(Setting.key == key)
    if row is not None:
        try:
            return json.loads(row.value)
        except ValueError:
            pass  # a hand-edited row that is not JSON: fall back rather than break the desk
    return default if default is not None else DEFAULTS.get(key)


def set(key: str, value: Any) -> None:  # noqa: A001 - the shop's word for it
    """Store `value` (anything JSON can hold) under `key`."""
    text = json.dumps(value, ensure_ascii=False)
    Setting.insert(key=key, value=text).on_conflict(conflict_target=[Setting.key],
                                                    update={Setting.value: text}).execute()


def all_settings() -> dict[str, Any]:
    """Every setting, defaults filled in."""
    out = dict(DEFAULTS)
    for row in Setting.select():
        try:
            out[row.key] = json.loads(row.value)
        except ValueError:
            continue
    return out


def tiers() -> list[str]:
    """The shop's VIP levels, lowest first: what the customer form offers, the care schedules and holiday
    greetings know, and import maps to (edited in the desk's Settings)."""
    value = get("tiers")
    names = [str(tier).strip() for tier in value] if isinstance(value, list) else []
    return list(dict.fromkeys(name for name in names if name)) or list(TIERS_DEFAULT)


def home_region() -> str:
    """The region numbers without a country code belong to (default CN)."""
    return str(get("home_region"))


def time_zone() -> str:
    """The shop's time zone, an IANA name (default Asia/Shanghai): times are shown in it."""
    return str(get("time_zone"))


def shop_name() -> str:
    """The shop's name, for {shop} in templates."""
    return str(get("shop_name"))


def price_per_part() -> float:
    """What one SMS part costs, for campaign previews."""
    return float(get("price_per_part"))
