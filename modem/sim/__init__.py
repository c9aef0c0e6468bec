"""The simulated phone on a real pseudo-terminal (`sim://`, `guanjia sim`)."""

from urllib.parse import parse_qs, urlsplit

from modem.sim.flavours import FLAVOURS, Flavour, flavour
from modem.sim.phone import SentText, SimPhone

__all__ = ["FLAVOURS", "Flavour", "SentText", "SimPhone", "flavour", "sim_options"]


def sim_options(url: str) -> dict:
    """SimPhone arguments from `sim://`, `sim://huawei` or `sim://simcom?echo=1`."""
    parts = urlsplit(url)
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    return {"flavour": parts.netloc or "generic", "echo": query.get("echo", "0") in ("1", "true", "yes")}
