"""The simulated phone on a real pseudo-terminal (`sim://`, `guanjia sim`)."""

from modem.sim.flavours import FLAVOURS, Flavour, flavour
from modem.sim.phone import SentText, SimPhone

__all__ = ["FLAVOURS", "Flavour", "SentText", "SimPhone", "flavour"]
