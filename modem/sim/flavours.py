"""How different phones talk, as data: line endings, identity and vendor URCs.

Each flavour is what the simulated phone sends where real devices differ. The
strings follow captures in the research notes (ModemManager and gammu tests).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Flavour:
    name: str
    manufacturer: str
    model: str
    revision: str
    eol: str = "\r\n"  # SIMCom frames lines as \r\r\n
    unknown: str = "ERROR"  # what an unknown command gets (Huawei: COMMAND NOT SUPPORT)
    cnmi_mt: tuple[int, ...] = (0, 1, 2, 3)
    cnmi_ds: tuple[int, ...] = (0, 1, 2)
    storages: tuple[str, ...] = ("ME", "SM", "SR")
    boot_lines: tuple[str, ...] = ()
    # Vendor call-state URCs; "" means this phone says nothing at that moment.
    # {id} call id, {dur} seconds as digits, {number} the caller, {hhmm} clock time.
    answered: str = ""
    ended: str = ""
    missed: str = ""
    signal: str = ""  # sent on set_signal; {rssi} 0-31
    memory_full: str = ""  # sent when a text finds its memory full; {storage}


FLAVOURS: dict[str, Flavour] = {
    "generic": Flavour("generic", "Generic", "GSM Phone", "1.0"),
    "huawei": Flavour(
        "huawei",
        "huawei",
        "E3372",
        "22.328.62.00.143",
        unknown="COMMAND NOT SUPPORT",
        cnmi_ds=(0, 2),  # some Huawei sticks only store reports (+CDSI), never send +CDS
        boot_lines=("^BOOT:27710117,0,0,0,75",),
        answered="^CONN:{id},0",
        ended="^CEND:{id},{dur},104,16",
        missed="^CEND:{id},0,104,16",
        signal="^RSSI:{rssi}",
        memory_full='^SMMEMFULL: "{storage}"',
    ),
    "simcom": Flavour(
        "simcom",
        "SIMCOM_Ltd",
        "SIMCOM_SIM800",
        "Revision:1418B05SIM800L24",
        eol="\r\r\n",
        boot_lines=("RDY", "+CFUN: 1", "+CPIN: READY", "Call Ready", "SMS Ready"),
        answered="VOICE CALL: BEGIN",
        ended="VOICE CALL: END: {dur6}",
        missed="MISSED_CALL: {hhmm} {number}",
    ),
    "quectel": Flavour(
        "quectel",
        "Quectel",
        "EC25",
        "EC25EFAR06A06M4G",
        storages=("ME", "SM", "SR", "MT"),
        boot_lines=("RDY", "+CPIN: READY", "+QIND: SMS DONE"),
        signal="+QIND: \"csq\",{rssi},99",
    ),
}


def flavour(name: str) -> Flavour:
    """The flavour called `name`; ValueError naming the known ones otherwise."""
    try:
        return FLAVOURS[name.lower()]
    except KeyError:
        raise ValueError(f"no phone flavour {name!r}; try one of {', '.join(FLAVOURS)}") from None
