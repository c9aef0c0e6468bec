"""Why a customer matched a search (store.search's "number ending", "initials prefix"), in the shop's words."""

from __future__ import annotations

from tui.i18n import TABLE, t


def match_reason(why: str) -> str:
    """`why` as store.search gives it (field, then kind: "number ending") in the current language."""
    field, _, kind = why.partition(" ")
    field_key, kind_key = f"match.field.{field}", f"match.kind.{kind}"
    if field_key not in TABLE or kind_key not in TABLE:
        return " ".join(t(f"why.{w}") if f"why.{w}" in TABLE else w for w in why.split())
    return t("match.reason", field=t(field_key), kind=t(kind_key))
