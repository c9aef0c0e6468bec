"""What the simulated phone answers to each AT command (TS 27.007 / 27.005).

`Answers` holds the phone's settings and memories and turns one command into
response lines. The byte handling, the `> ` prompt and the scripted events
live in `modem.sim.phone`, which builds on this.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from modem.sim.flavours import Flavour
from modem.sim.storage import REC_READ, REC_UNREAD, STO_SENT, STO_UNSENT, Memory, memories

# Verbose texts for the +CME/+CMS codes the phone uses (TS 27.007 §9.2, 27.005 §3.2.5).
_CME_TEXT = {3: "operation not allowed", 4: "operation not supported", 10: "SIM not inserted",
             11: "SIM PIN required", 14: "SIM busy", 21: "invalid index", 100: "unknown"}
_CMS_TEXT = {300: "ME failure", 302: "operation not allowed", 303: "operation not supported",
             304: "invalid PDU mode parameter", 321: "invalid memory index", 322: "memory full",
             500: "unknown error", 512: "network rejected"}

# +CSQ <rssi> for 0-5 bars, inside each bar's usual range (3GPP rssi 0-31).
RSSI_FOR_BARS = (1, 5, 10, 14, 18, 25)

_COMMANDS_LISTED = ("AT", "ATE", "ATI", "ATZ", "ATA", "ATH", "+CGMI", "+CGMM", "+CGMR", "+CGSN",
                    "+CIMI", "+CMEE", "+CPIN", "+CSQ", "+CREG", "+CGREG", "+CLIP", "+CRC", "+CMGF",
                    "+CNMI", "+CPMS", "+CSCA", "+CSMP", "+CMGS", "+CMGR", "+CMGL", "+CMGD", "+CHUP",
                    "+CLCC", "+CSCS", "+CLAC", "+CFUN", "+COPS", "+CVHU", "+CNMA", "+CEREG", "+CIREG")


class Refusal(Exception):
    """A command the phone turns down with a final result line."""

    def __init__(self, final: str) -> None:
        super().__init__(final)
        self.final = final


@dataclass(slots=True)
class SimCall:
    call_id: int
    number: str
    withheld: bool
    state: str  # "ringing" or "active"
    answered_at: float | None = None


class Answers:
    """The phone's state and its answers; subclassed by SimPhone."""

    def __init__(self, flavour: Flavour, echo: bool) -> None:
        self.flavour = flavour
        self.echo = echo
        self.cmee = 0
        self.cmgf = 0
        self.cnmi = (0, 0, 0, 0, 0)
        self.clip = False
        self.crc = False
        self.creg_mode = 0
        self.cgreg_mode = 0
        self.registration = 1  # +CREG <stat>: 1 home, 5 roaming, 2 searching, 3 denied
        self.lte_registration: int | None = None  # +CEREG <stat>; None: the same as +CREG
        self.ims: int | None = 1  # +CIREG <reg_info>: 1 VoLTE registered, 0 not; None: AT+CIREG refused
        self.bars = 4
        self.cfun = 1
        self.cscs = "GSM"
        self.sim_ready = True
        self.memories: dict[str, Memory] = memories(flavour.storages)
        first = "ME" if "ME" in self.memories else "SM"
        self.cpms = [first, first, first]
        self.call: SimCall | None = None
        self.next_reference = 0
        self.busy_for = 0  # how many more commands get +CME ERROR: 14
        self.fail_sends: list[int | None] = []  # for the next sends: a +CMS code, or None to let it go

    # ------------------------------------------------------------ dispatch

    def answer(self, command: str) -> list[str]:
        """Response lines, final result last, for one command line without `\\r`."""
        body = command.strip()[2:]
        lines: list[str] = []
        try:
            for part in _split(body):
                lines += self._one(part)
        except Refusal as refusal:
            return lines + [refusal.final]
        return lines + ["OK"]

    def _one(self, part: str) -> list[str]:
        upper = part.upper()
        if not upper:
            return []
        if upper[0] in "+^":
            m = re.match(r"[+^][A-Z]+", upper)
            name, arg = m.group(0), part[m.end():]
            if self.busy_for and name not in ("+CMEE", "+CLAC", "+CSCS"):
                self.busy_for -= 1
                raise Refusal(self.cme(14))
            handler = getattr(self, "at_" + name[1:].lower(), None)
            if handler is None or name[0] == "^":
                raise Refusal(self.flavour.unknown)
            return handler(arg.strip()) or []
        return self._basic(upper)

    def _basic(self, upper: str) -> list[str]:
        out: list[str] = []
        for letter, digits in re.findall(r"(&?[A-Z])(\d*)", upper):
            if letter == "E":
                self.echo = digits == "1"
            elif letter == "I":
                out += [self.flavour.manufacturer, self.flavour.model, f"Revision: {self.flavour.revision}"]
            elif letter == "Z":
                self.echo, self.cmee = True, 0
            elif letter == "A":
                out += self.take_call()
            elif letter == "H":
                self.drop_call()
            elif letter not in ("V", "Q", "&F", "X", "&C", "&D", "S"):
                raise Refusal(self.flavour.unknown)
        return out

    def cme(self, code: int) -> str:
        """The +CME error line as this phone's +CMEE setting prints it."""
        if self.cmee == 0:
            return "ERROR"
        return f"+CME ERROR: {code if self.cmee == 1 else _CME_TEXT.get(code, code)}"

    def cms(self, code: int) -> str:
        """The +CMS error line as this phone's +CMEE setting prints it."""
        if self.cmee == 0:
            return "ERROR"
        return f"+CMS ERROR: {code if self.cmee == 1 else _CMS_TEXT.get(code, code)}"

    # Call handling is completed by SimPhone (it sends the vendor URCs).
    def take_call(self) -> list[str]:
        """ATA."""
        raise Refusal("NO CARRIER")

    def drop_call(self) -> None:
        """ATH / +CHUP."""

    # ------------------------------------------------------------ identity and state

    def at_cgmi(self, arg: str) -> list[str]:
        return [self.flavour.manufacturer]

    def at_cgmm(self, arg: str) -> list[str]:
        return [self.flavour.model]

    def at_cgmr(self, arg: str) -> list[str]:
        return [self.flavour.revision]

    def at_cgsn(self, arg: str) -> list[str]:
        return ["867322020000001"]

    def at_cimi(self, arg: str) -> list[str]:
        if not self.sim_ready:
            raise Refusal(self.cme(10))
        return ["460001234567890"]

    def at_cmee(self, arg: str) -> list[str]:
        if arg == "?":
            return [f"+CMEE: {self.cmee}"]
        self.cmee = _int_arg(arg, (0, 1, 2))
        return []

    def at_cpin(self, arg: str) -> list[str]:
        if not self.sim_ready:
            raise Refusal(self.cme(10))
        return ["+CPIN: READY"]

    def at_csq(self, arg: str) -> list[str]:
        rssi = 99 if self.bars is None else RSSI_FOR_BARS[self.bars]
        return [f"+CSQ: {rssi},99"]

    def at_creg(self, arg: str) -> list[str]:
        if arg == "?":
            return [f"+CREG: {self.creg_mode},{self.registration}"]
        self.creg_mode = _int_arg(arg, (0, 1, 2))
        return []

    def at_cgreg(self, arg: str) -> list[str]:
        if arg == "?":
            return [f"+CGREG: {self.cgreg_mode},{self.registration}"]
        self.cgreg_mode = _int_arg(arg, (0, 1, 2))
        return []

    def at_cereg(self, arg: str) -> list[str]:
        stat = self.registration if self.lte_registration is None else self.lte_registration
        return self.at_cgreg(arg) if arg != "?" else [f"+CEREG: 0,{stat}"]

    def at_cireg(self, arg: str) -> list[str]:
        if self.ims is None:
            raise Refusal(self.flavour.unknown)
        return [f"+CIREG: 0,{self.ims}"] if arg == "?" else []

    def at_cfun(self, arg: str) -> list[str]:
        if arg == "?":
            return [f"+CFUN: {self.cfun}"]
        self.cfun = _int_arg(arg.split(",")[0], (0, 1, 4))
        return []

    def at_cops(self, arg: str) -> list[str]:
        return ['+COPS: 0,0,"CHINA MOBILE",7'] if arg == "?" else []

    def at_clip(self, arg: str) -> list[str]:
        if arg == "?":
            return [f"+CLIP: {int(self.clip)},1"]
        self.clip = _int_arg(arg, (0, 1)) == 1
        return []

    def at_crc(self, arg: str) -> list[str]:
        if arg == "?":
            return [f"+CRC: {int(self.crc)}"]
        self.crc = _int_arg(arg, (0, 1)) == 1
        return []

    def at_cvhu(self, arg: str) -> list[str]:
        return []

    def at_cnma(self, arg: str) -> list[str]:
        return []

    def at_chup(self, arg: str) -> list[str]:
        self.drop_call()
        return []

    def at_clcc(self, arg: str) -> list[str]:
        call = self.call
        if call is None:
            return []
        stat = 4 if call.state == "ringing" else 0
        number, kind = ("", 128) if call.withheld else (call.number, 145 if call.number.startswith("+") else 129)
        return [f'+CLCC: {call.call_id},1,{stat},0,0,"{number}",{kind}']

    def at_cscs(self, arg: str) -> list[str]:
        if arg == "=?":
            return ['+CSCS: ("IRA","GSM","UCS2")']
        if arg == "?":
            return [f'+CSCS: "{self.cscs}"']
        value = arg.lstrip("=").strip('"').upper()
        if value not in ("IRA", "GSM", "UCS2"):
            raise Refusal(self.cme(4))
        self.cscs = value
        return []

    def at_clac(self, arg: str) -> list[str]:
        return [c if c.startswith("AT") else "AT" + c for c in _COMMANDS_LISTED]

    # ------------------------------------------------------------ SMS settings

    def at_cmgf(self, arg: str) -> list[str]:
        if arg == "?":
            return [f"+CMGF: {self.cmgf}"]
        self.cmgf = _int_arg(arg, (0, 1))
        return []

    def at_cnmi(self, arg: str) -> list[str]:
        if arg == "?":
            return ["+CNMI: " + ",".join(map(str, self.cnmi))]
        if arg == "=?":
            mt = ",".join(map(str, self.flavour.cnmi_mt))
            ds = ",".join(map(str, self.flavour.cnmi_ds))
            return [f"+CNMI: (0,1,2),({mt}),(0,2),({ds}),(0,1)"]
        values = [int(v) if v.strip() else 0 for v in arg.lstrip("=").split(",")]
        values += [0] * (5 - len(values))
        if values[1] not in self.flavour.cnmi_mt or values[3] not in self.flavour.cnmi_ds:
            raise Refusal(self.cms(303))
        self.cnmi = tuple(values[:5])
        return []

    def at_cpms(self, arg: str) -> list[str]:
        names = list(self.memories)
        if arg == "=?":
            quoted = ",".join(f'"{n}"' for n in names)
            plain = ",".join(f'"{n}"' for n in names if n != "SR")
            return [f"+CPMS: ({quoted}),({plain}),({plain})"]
        if arg == "?":
            fields = []
            for name in self.cpms:
                mem = self.memories[name]
                fields.append(f'"{name}",{mem.used},{mem.capacity}')
            return ["+CPMS: " + ",".join(fields)]
        chosen = [v.strip().strip('"').upper() for v in arg.lstrip("=").split(",") if v.strip()]
        if not chosen or any(n not in self.memories for n in chosen):
            raise Refusal(self.cms(302))
        for i, name in enumerate(chosen[:3]):
            self.cpms[i] = name
        counts = [f"{self.memories[n].used},{self.memories[n].capacity}" for n in self.cpms]
        return ["+CPMS: " + ",".join(counts)]

    def at_csca(self, arg: str) -> list[str]:
        return ['+CSCA: "+8613800100500",145'] if arg == "?" else []

    def at_csmp(self, arg: str) -> list[str]:
        return ["+CSMP: 49,167,0,0"] if arg == "?" else []

    # ------------------------------------------------------------ SMS storage

    def _reading(self) -> Memory:
        if self.cmgf != 0:
            raise Refusal(self.cms(303))  # this phone answers reads in PDU mode only
        return self.memories[self.cpms[0]]

    def at_cmgr(self, arg: str) -> list[str]:
        mem = self._reading()
        slot = mem.slots.get(_int_arg(arg))
        if slot is None:
            raise Refusal(self.cms(321))
        out = [f"+CMGR: {slot.stat},,{slot.tpdu_length}", slot.pdu]
        if slot.stat == REC_UNREAD:
            slot.stat = REC_READ
        return out

    def at_cmgl(self, arg: str) -> list[str]:
        mem = self._reading()
        out: list[str] = []
        for index, slot in mem.listing(_int_arg(arg, (0, 1, 2, 3, 4))):
            out += [f"+CMGL: {index},{slot.stat},,{slot.tpdu_length}", slot.pdu]
            if slot.stat == REC_UNREAD:
                slot.stat = REC_READ
        return out

    def at_cmgd(self, arg: str) -> list[str]:
        mem = self.memories[self.cpms[0]]
        fields = arg.lstrip("=").split(",")
        index = int(fields[0]) if fields[0].strip().isdigit() else -1
        flag = int(fields[1]) if len(fields) > 1 and fields[1].strip().isdigit() else 0
        if flag:
            # <delflag> 1 read, 2 read and sent, 3 read, sent and unsent, 4 all (TS 27.005 §3.5.4).
            doomed = {1: (REC_READ,), 2: (REC_READ, STO_SENT), 3: (REC_READ, STO_SENT, STO_UNSENT)}
            for i, slot in list(mem.slots.items()):
                if flag == 4 or slot.stat in doomed.get(flag, ()):
                    del mem.slots[i]
        elif mem.slots.pop(index, None) is None and not mem.first_index <= index < mem.first_index + mem.capacity:
            raise Refusal(self.cms(321))
        return []

    def take_reference(self) -> int:
        """The next TP-MR this phone gives a sent part, 0-255 and wrapping."""
        reference = self.next_reference
        self.next_reference = (self.next_reference + 1) % 256
        return reference


def _split(body: str) -> list[str]:
    """`+CMGF=0;+CNMI=2,1` → its commands; a `;` inside quotes is data."""
    parts, current, quoted = [], [], False
    for ch in body:
        if ch == '"':
            quoted = not quoted
        if ch == ";" and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return [p.strip() for p in parts]


def _int_arg(arg: str, allowed: tuple[int, ...] | None = None) -> int:
    text = arg.lstrip("=").split(",")[0].strip()
    if not text.isdigit() or (allowed is not None and int(text) not in allowed):
        raise Refusal("ERROR")
    return int(text)
