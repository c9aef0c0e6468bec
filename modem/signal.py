"""Signal and registration: the scales modems report in, as bars, dBm and plain states."""

from __future__ import annotations

from modem.events import RegistrationChanged, SignalChanged
from modem.fields import fields, to_int

REG_STATES = {
    0: "not_registered", 1: "home", 2: "searching", 3: "denied", 4: "unknown", 5: "roaming",
    6: "home", 7: "roaming", 8: "not_registered", 9: "home", 10: "roaming",
    11: "not_registered",  # attached for restricted local operator services only: no calls or texts
}  # fmt: skip
REG_DOMAINS = {"+CREG": "cs", "+CGREG": "gprs", "+CEREG": "eps", "+C5GREG": "5gs"}


def bars_from_rssi(rssi: int | None) -> int | None:
    """+CSQ/^RSSI <rssi> (0-31, 99 unknown) → 0-5 bars."""
    if rssi is None or rssi < 0 or rssi > 31:
        return None
    if rssi < 2:
        return 0
    if rssi < 8:
        return 1
    if rssi < 12:
        return 2
    if rssi < 16:
        return 3
    if rssi < 20:
        return 4
    return 5


def signal_from_csq(rssi: int | None, source: str = "+CSQ") -> SignalChanged:
    """The event for a +CSQ-scale rssi (dBm = -113 + 2·rssi)."""
    if rssi is None or not 0 <= rssi <= 31:
        return SignalChanged(None, None, source)
    return SignalChanged(bars_from_rssi(rssi), -113 + 2 * rssi, source)


def signal_from_hcsq(rest: str) -> SignalChanged:
    """Huawei ^HCSQ: "LTE",<rssi>,... (also "WCDMA"/"GSM"): rssi n means -121+n dBm."""
    # 0 means below -120 dBm, 255 unknown.
    # ^HCSQ:"LTE",<rssi>,... and "WCDMA"/"GSM": rssi n means -121+n dBm (0 = below -120, 255 = unknown).
    f = fields(rest)
    value = to_int(f[1]) if len(f) > 1 else None
    if value is None or not 0 <= value <= 96:
        return SignalChanged(None, None, "^HCSQ")
    dbm = -121 + value if value else -121
    return SignalChanged(bars_from_rssi(max(0, min(31, (dbm + 113) // 2))), dbm, "^HCSQ")


def registration(head: str, f: list[str], *, reply: bool) -> RegistrationChanged:
    """+CREG/+CGREG/+CEREG fields → the event (reply: the AT+CREG? form with <n> first)."""
    domain = REG_DOMAINS.get(head, "cs")
    if reply or (len(f) >= 2 and f[1].isdigit() and len(f[1]) <= 2):
        f = f[1:]  # the <n>,<stat>,... form
    stat = to_int(f[0]) if f else None
    lac = f[1] or None if len(f) > 1 else None
    cell = f[2] or None if len(f) > 2 else None
    if cell is not None and len(cell) <= 2 and len(f) > 3 and len(f[3]) > 2:
        cell = f[3]  # Novatel's +CEREG puts a short field between the TAC and the cell id (ModemManager's tests)
    return RegistrationChanged(REG_STATES.get(stat, "unknown") if stat is not None else "unknown", domain, lac, cell)
