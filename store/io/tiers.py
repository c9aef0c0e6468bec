"""The shop's tiers as an import sees them, and an unknown tier mapped to one of them.

A file's tier the shop does not have (`VIP`, `金卡会员`) would otherwise become
a tier no care schedule knows. The shop's tiers are the "tiers" setting, edited
in the desk's Settings (store.settings.tiers).
"""

from __future__ import annotations

import difflib

from store.models import TIERS_DEFAULT
from store.problems import Problem, Reason


class BadTierMap(Problem):
    """A --tier-map that cannot be used; the message says why."""


def shop_tiers() -> list[str]:
    """The shop's tiers, lowest first: the one list the customer form offers too (store.settings.tiers)."""
    from store import settings

    return settings.tiers()


def parse_tier_map(spec: str | None) -> dict[str, str]:
    """`VIP=金卡,金卡会员=金卡` as {file's tier: shop's tier}; BadTierMap if malformed."""
    mapping: dict[str, str] = {}
    for part in (spec or "").replace("，", ",").split(","):
        if not part.strip():
            continue
        given, sep, tier = part.partition("=")
        if not sep or not given.strip() or not tier.strip():
            raise BadTierMap("tier_map.shape", "{part!r} is not FILE_TIER=SHOP_TIER", part=part.strip())
        mapping[given.strip()] = tier.strip()
    return mapping


class TierMapper:
    """Maps each tier a file writes to one the shop has: as given, by the operator's map, or the closest."""

    def __init__(self, tiers: list[str], given: dict[str, str] | None = None) -> None:
        self.tiers = tiers
        self._known = frozenset(tiers)  # looked up once a row
        self.default = tiers[0] if tiers else TIERS_DEFAULT[0]
        self.given = dict(given or {})
        unknown = [to for to in self.given.values() if to not in tiers]
        if unknown:
            raise BadTierMap("tier_map.unknown", "the shop has no tier {tier!r} to map to; its tiers are {tiers}",
                             tier=unknown[0], tiers=", ".join(tiers))
        self._seen: dict[str, tuple[str, Reason | None]] = {}

    def map(self, tier: str) -> tuple[str, Reason | None]:
        """The shop's tier for `tier`, and the reason to report when it is not `tier` itself."""
        if not tier or tier in self._known:
            return tier, None
        if tier not in self._seen:
            self._seen[tier] = self._decide(tier)
        return self._seen[tier]

    def _decide(self, tier: str) -> tuple[str, Reason | None]:
        if tier in self.given:
            to = self.given[tier]
            return to, Reason.of("tier.mapped", "tier {tier!r} imported as {to!r}", tier=tier, to=to)
        closest = self._closest(tier)
        if closest:
            return closest, Reason.of("tier.mapped", "tier {tier!r} imported as {to!r}", tier=tier, to=closest)
        return self.default, Reason.of("tier.unknown", "the shop has no tier {tier!r}; imported as {default!r}",
                                       tier=tier, default=self.default)

    def _closest(self, tier: str) -> str:
        folded = tier.strip().lower()
        for known in self.tiers:
            if known.lower() == folded:
                return known
        inside = [known for known in self.tiers if known and known in tier]  # 金卡会员 → 金卡
        if inside:
            return max(inside, key=len)
        close = difflib.get_close_matches(tier, self.tiers, n=1, cutoff=0.75)
        return close[0] if close else ""
