"""Vendor dialects as data: which unsolicited line heads mean what, per maker.

The URC parser (modem/urc.py) looks a line's head (the text before `:`) up in
these tables; adding a modem's dialect is adding rows here.
"""

from __future__ import annotations

# head → (vendor, state) for call-state URCs; the first field (if any) is the call id.
CALL_STATES: dict[str, tuple[str, str]] = {
    "^ORIG": ("huawei", "dialing"),
    "^CONF": ("huawei", "alerting"),
    "^CONN": ("huawei", "connected"),
    "^CEND": ("huawei", "ended"),
    "HANGUP": ("zte", "ended"),
    "+ZEND": ("zte", "ended"),
}
# u-blox +UCALLSTAT <stat> and Wavecom +WIND <event> → state.
UBLOX_STATES = {
    0: "connected", 1: "held", 2: "dialing", 3: "alerting", 4: "ringing", 5: "waiting", 6: "ended", 7: "connected",
}  # fmt: skip
WAVECOM_WIND = {0: ("sim", "removed"), 1: ("sim", "inserted"), 3: ("ready", "AT ready"), 4: ("ready", "fully ready"),
                7: ("network", "emergency only"), 8: ("network", "lost")}  # fmt: skip
WAVECOM_CALLS = {2: "alerting", 5: "created", 6: "ended", 9: "connected"}

# head (or whole line) → (ModemStatus.what, detail); detail None means "the rest of the line".
STATUS: dict[str, tuple[str, str | None]] = {
    "RDY": ("ready", ""),
    "^SYSSTART": ("ready", ""),
    "Call Ready": ("call_ready", ""),
    "SMS Ready": ("sms_ready", ""),
    "SMS DONE": ("sms_ready", ""),
    "PB DONE": ("phonebook_ready", ""),
    "+CPIN": ("sim", None),
    "^SIMST": ("sim", None),
    "+QUSIM": ("sim", None),
    "#QSS": ("sim", None),
    "+ZUSIMR": ("sim", None),
    "^BOOT": ("boot", None),
    "^SRVST": ("service", None),
    "^MODE": ("mode", None),
    "+ZPAS": ("mode", None),
    "+ZPASR": ("mode", None),
    "^SMMEMFULL": ("storage_full", None),
    "+PACSP0": ("pacsp", "0"),
    "+PACSP1": ("pacsp", "1"),
    "+PACSP": ("pacsp", None),
    "+CTZV": ("network_time", None),
    "^NWTIME": ("network_time", None),
    "+NITZ": ("network_time", None),
    "+SPNWNAME": ("operator", None),
    "+CUSD": ("ussd", None),
}
# Quectel +QIND: "<what>" → ModemStatus.what ("csq" is a signal report, handled apart).
QUECTEL_QIND = {"SMS DONE": "sms_ready", "PB DONE": "phonebook_ready", "SMSFULL": "storage_full", "FOTA": "firmware"}
# Lines that say nothing for the shop.
CHATTER = frozenset(
    ("^DSFLOWRPT", "^STIN", "^CSNR", "^EONS", "^NDISSTAT", "+PSBEARER", "^SIND", "#STN", "+CGEV", "^ECCLIST",
     "^CARDMODE", "+ZSTR", "+ZDONR", "^RFSWITCH", "+QIURC", "^CREG", "^LWURC", "^SIMFILEREFRESH")
)  # fmt: skip
HANGUP_FINALS = frozenset(("NO CARRIER", "BUSY", "NO ANSWER", "NO DIALTONE"))
