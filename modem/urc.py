"""What a line from the phone means: unsolicited lines → events, and the few replies we read.

`UrcParser.feed(line)` never raises: a line it does not know becomes
`Unrecognized`. Lines that mean something on their own become the public
events of modem/events.py (signal, registration, SIM/modem status); the call
and SMS scraps the phone layer must put together (RING, +CLIP, vendor call
states, +CMTI ...) become the small tokens defined here. Vendor dialects are
data: the tables of modem/dialects.py map a line's head (the text before `:`)
to its meaning, and feed() finds a line's handler by one dict lookup on it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
import re
from dataclasses import dataclass

from modem.dialects import (  # noqa: F401  (HANGUP_FINALS is the engine's too)
    CALL_STATES,
    CHATTER,
    HANGUP_FINALS,
    QUECTEL_QIND,
    STATUS,
    UBLOX_STATES,
    WAVECOM_CALLS,
    WAVECOM_WIND,
)
from modem.events import Event, ModemStatus, RegistrationChanged, SignalChanged, Unrecognized
from modem.fields import fields, head_of, is_hex, maybe_ucs2, to_int
from modem.replies import (  # noqa: F401  (replies are part of this module's API)
    ClccEntry,
    StorageUse,
    StoredSms,
    clcc_entry,
    parse_clcc,
    parse_cmgl,
    parse_cmgr,
    parse_cpin,
    parse_cpms,
    parse_cpms_choices,
    parse_creg,
    parse_csq,
    pdu_line,
)
from modem.signal import (  # noqa: F401
    REG_DOMAINS,
    REG_STATES,
    bars_from_rssi,
    registration,
    signal_from_csq,
    signal_from_hcsq,
)
from modem.twins import twin

# ------------------------------------------------------------ tokens for the phone layer


@dataclass(frozen=True, slots=True)
class Ring:
    """RING (kind "") or +CRING: <type> (kind "voice", "fax", ...)."""

    kind: str = ""


@dataclass(frozen=True, slots=True)
class CallerId:
    """+CLIP: who is calling. validity 0 given, 1 withheld, 2 unavailable (TS 27.007 §7.6)."""

    number: str
    number_type: int | None = None
    alpha: str | None = None
    validity: int | None = None


@dataclass(frozen=True, slots=True)
class CallWaiting:
    """+CCWA: a second caller while on a call."""

    number: str
    number_type: int | None = None
    call_class: int | None = None
    alpha: str | None = None
    validity: int | None = None


@dataclass(frozen=True, slots=True)
class CallState:
    """A vendor's word on a call: state is dialing|alerting|ringing|connected|held|waiting|ended|created."""

    vendor: str
    call_id: int | None
    state: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class MissedCall:
    """SIMCom `MISSED_CALL: 11:01AM 07712345678`."""

    number: str
    time_text: str = ""


@dataclass(frozen=True, slots=True)
class NewMessage:
    """+CMTI: a text was stored at storage/index."""

    storage: str
    index: int


@dataclass(frozen=True, slots=True)
class NewReport:
    """+CDSI: a delivery report was stored at storage/index."""

    storage: str
    index: int


@dataclass(frozen=True, slots=True)
class PushedPdu:
    """+CMT (a text) or +CDS (a delivery report) delivered straight to us, PDU included."""

    kind: str  # "cmt" | "cds"
    length: int
    pdu: str


@dataclass(frozen=True, slots=True)
class Hangup:
    """NO CARRIER / BUSY / NO ANSWER / NO DIALTONE outside any command: the call is over."""

    final: str


@dataclass(frozen=True, slots=True)
class Dtmf:
    """A key the caller pressed (+RXDTMF, +UUDTMFD, ^DDTMF, +DTMF)."""

    digit: str


@dataclass(frozen=True, slots=True)
class Indicator:
    """+CIEV for an indicator other than signal (battery, service, roaming ...)."""

    name: str
    value: int | None


@dataclass(frozen=True, slots=True)
class Chatter:
    """A vendor line known to carry nothing for the shop (data-flow counters, SIM toolkit, ...)."""

    line: str


# ------------------------------------------------------------ small tables, and the hot lines' shortcuts

_HEX_DIGITS = frozenset("0123456789ABCDEFabcdef")
_CIEV_SIGNAL = frozenset(("signal", "rssi"))
_CIEV_FULL = frozenset(("smsfull", "memfull", "message full"))

_RINGS = {"": Ring(""), "VOICE": Ring("voice")}  # RING carries nothing: one token serves every ring
# The fixed forms of the hot lines, each read by one regex (no field splitting).
_CLIP_PLAIN = re.compile(r'"([^"]*)",(\d+)(?:,,,,(\d))?$')
_REG_PLAIN = re.compile(r'(\d+)(?:,"([0-9A-Fa-f]*)","([0-9A-Fa-f]*)"(?:,\d+)?)?$')
# +CSQ and ^RSSI have 33 possible values: every answer is made once, up front.
_CSQ_SIGNALS = {str(n): signal_from_csq(n) for n in (*range(32), 99)}
_RSSI_SIGNALS = {str(n): signal_from_csq(n, "^RSSI") for n in (*range(32), 99)}


# The lines that come most (a call, a text, registration, noise, the unknown) are built
# through unfrozen twins and then made the public class: half the cost of a frozen __init__.
_CallerIdTwin = twin(CallerId)
_NewMessageTwin = twin(NewMessage)
_RegistrationTwin = twin(RegistrationChanged)
_ChatterTwin = twin(Chatter)
_UnrecognizedTwin = twin(Unrecognized)


def unrecognized(line: str) -> Unrecognized:
    """The event for a line nobody knows."""
    built = _UnrecognizedTwin(line)
    built.__class__ = Unrecognized
    return built


# ------------------------------------------------------------ the parser

Token = (
    Event | Ring | CallerId | CallWaiting | CallState | MissedCall | NewMessage | NewReport | PushedPdu | Hangup
    | Dtmf | Indicator | Chatter | ClccEntry
)


def _stored(rest: str) -> tuple[str, int]:
    # `"SM",7`; under AT+CSCS="UCS2" some modems send the memory as hex ("0053004D"): every
    # memory name has a letter that is not a hex digit, so decoding hex cannot misread one.
    storage, _, index = rest.partition(",")
    if len(storage) > 1 and storage[0] == '"' and storage[-1] == '"' and index.isdigit():
        storage = storage[1:-1]  # the usual form: partition measured ~10% faster than a regex
    else:
        storage, index = fields(rest)[:2]
    if len(storage) > 2:
        storage = maybe_ucs2(storage)
    return storage, int(index)


def _chatter(head: str, rest: str) -> list[Token]:
    return []  # a marker: feed() answers for chatter itself, keeping the whole line


class UrcParser:
    """Unsolicited lines → events and tokens; remembers only the header of a two-line +CMT/+CDS."""

    def __init__(self, *, indicators: Iterable[str] = (), ucs2: bool | None = None) -> None:
        self.indicators = [name.lower() for name in indicators]  # AT+CIND=? order, for numeric +CIEV
        self.ucs2 = ucs2  # names arrive as UCS2 hex (AT+CSCS="UCS2"); None = guess
        self._awaiting: tuple[str, int, str] | None = None
        self._by_head: dict[str, Callable[[str, str], list]] = {
            "RING": self._ring,
            "+CRING": self._ring,
            "+CLIP": self._clip,
            "+CCWA": self._ccwa,
            "+CMTI": self._cmti,
            "+CDSI": self._cdsi,
            "+CMT": self._two_line,
            "+CDS": self._two_line,
            "+CBM": self._two_line,
            "+CSQ": self._csq,
            "^RSSI": self._rssi,
            "^HCSQ": lambda h, r: [signal_from_hcsq(r)],
            "+CREG": self._creg,
            "+CGREG": self._creg,
            "+CEREG": self._creg,
            "+C5GREG": self._creg,
            "+CIEV": self._ciev,
            "+QIND": self._qind,
            "VOICE CALL": self._voice_call,
            "MISSED_CALL": self._missed,
            "+UCALLSTAT": self._ucallstat,
            "+WIND": self._wind,
            "+CLCC": self._clcc,
            "CONNECT": lambda h, r: [CallState("zte", None, "connected")],
            "+RXDTMF": self._dtmf,
            "+UUDTMFD": self._dtmf,
            "^DDTMF": self._dtmf,
            "+DTMF": self._dtmf,
        }
        for head in CALL_STATES:
            self._by_head[head] = self._call_state
        for head in STATUS:
            self._by_head.setdefault(head, self._status)
        for head in CHATTER:
            self._by_head.setdefault(head, _chatter)
        for final in HANGUP_FINALS:
            self._by_head[final] = lambda h, r: [Hangup(h)]

    @property
    def awaiting_pdu(self) -> bool:
        """True between a +CMT/+CDS header and the PDU line that belongs to it."""
        return self._awaiting is not None

    def is_unsolicited(self, line: str) -> bool:
        """True if the line is one the phone sends on its own (not a reply to a command)."""
        return self._awaiting is not None or head_of(line) in self._by_head

    def feed(self, line: str) -> list[Token]:
        """One line → the events and tokens it means (never raises)."""
        if self._awaiting is not None:
            return self._second_line(line)
        # One dict lookup on the line's head (the text before ':', or the whole line).
        head, colon, rest = line.partition(":")
        handler = self._by_head.get(head)
        if handler is None:
            if not colon or head[-1:] != " ":
                return [unrecognized(line)]
            head = head.rstrip()  # `+CSQ : 20,99`
            handler = self._by_head.get(head)
            if handler is None:
                return [unrecognized(line)]
        if handler is _chatter:
            chatter = _ChatterTwin(line)
            chatter.__class__ = Chatter
            return [chatter]
        try:
            return handler(head, rest.strip())
        except (ValueError, IndexError, TypeError):
            return [unrecognized(line)]

    def reset(self) -> None:
        """Forget a half-received two-line URC (after a reconnect)."""
        self._awaiting = None

    # ------------------------------------------------------------ calls

    def _ring(self, head: str, rest: str) -> list[Token]:
        ring = _RINGS.get(rest)
        return [ring if ring is not None else Ring(rest.lower())]

    def _clip(self, head: str, rest: str) -> list[Token]:
        # The usual `"number",145` / `"number",145,,,,0` by one regex: measured as fast as
        # partition/split here (one C call against a dozen bytecodes), and it says the format.
        plain = _CLIP_PLAIN.match(rest)
        if plain is not None:
            number, kind, validity = plain.groups()
            if number[:2] == "00":
                number = maybe_ucs2(number, number=True)
            built = _CallerIdTwin(number, int(kind), None, int(validity) if validity else None)
            built.__class__ = CallerId
            return [built]
        f = fields(rest)
        number = maybe_ucs2(f[0], number=True) if f[0] else ""
        alpha = self._alpha(f[4]) if len(f) > 4 else None
        validity = to_int(f[5]) if len(f) > 5 else None
        return [CallerId(number, to_int(f[1]) if len(f) > 1 else None, alpha, validity)]

    def _ccwa(self, head: str, rest: str) -> list[Token]:
        f = fields(rest)
        pick = lambda i: f[i] if len(f) > i else ""  # noqa: E731
        number = maybe_ucs2(f[0], number=True)
        return [CallWaiting(number, to_int(pick(1)), to_int(pick(2)), self._alpha(pick(3)), to_int(pick(4)))]

    def _alpha(self, text: str) -> str | None:
        if not text:
            return None
        return text if self.ucs2 is False else maybe_ucs2(text, sure=bool(self.ucs2))

    def _call_state(self, head: str, rest: str) -> list[Token]:
        vendor, state = CALL_STATES[head]
        first, _, detail = rest.partition(",")
        return [CallState(vendor, to_int(first), state, detail.strip())]

    def _voice_call(self, head: str, rest: str) -> list[Token]:
        what, _, detail = rest.partition(":")
        state = {"BEGIN": "connected", "END": "ended"}.get(what.strip().upper(), what.strip().lower())
        return [CallState("simcom", None, state, detail.strip())]

    def _missed(self, head: str, rest: str) -> list[Token]:
        time_text, _, number = rest.rpartition(" ")
        return [MissedCall(number, time_text.strip())]

    def _ucallstat(self, head: str, rest: str) -> list[Token]:
        f = fields(rest)
        stat = to_int(f[1]) if len(f) > 1 else None
        return [CallState("ublox", to_int(f[0]), UBLOX_STATES.get(stat, str(stat)), rest)]

    def _wind(self, head: str, rest: str) -> list[Token]:
        f = fields(rest)
        event = to_int(f[0])
        if event in WAVECOM_CALLS:
            return [CallState("wavecom", to_int(f[1]) if len(f) > 1 else None, WAVECOM_CALLS[event], rest)]
        if event in WAVECOM_WIND:
            what, detail = WAVECOM_WIND[event]
            return [ModemStatus(what, detail)]
        return [Chatter(f"{head}: {rest}")]

    def _clcc(self, head: str, rest: str) -> list[Token]:
        return [clcc_entry(rest)]

    def _dtmf(self, head: str, rest: str) -> list[Token]:
        return [Dtmf(fields(rest)[0])]

    # ------------------------------------------------------------ SMS

    def _cmti(self, head: str, rest: str) -> list[Token]:
        built = _NewMessageTwin(*_stored(rest))
        built.__class__ = NewMessage
        return [built]

    def _cdsi(self, head: str, rest: str) -> list[Token]:
        storage, index = _stored(rest)
        return [NewReport(storage, index)]

    def _two_line(self, head: str, rest: str) -> list[Token]:
        # PDU mode: +CMT: [<alpha>],<length> / +CDS: <length>; the PDU is the next line.
        f = fields(rest)
        self._awaiting = (head[1:].lower(), to_int(f[-1]) or 0, f"{head}: {rest}")
        return []

    def _second_line(self, line: str) -> list[Token]:
        kind, length, header = self._awaiting  # type: ignore[misc]
        self._awaiting = None
        pdu = pdu_line(line)  # a stray quote after the hex, as after +CMGL, costs nothing
        if pdu and _HEX_DIGITS.issuperset(pdu):
            return [PushedPdu(kind, length, pdu)]  # even of odd length: kept raw if it cannot be read
        # A text-mode body (or garbage): it is data, never read as a command or URC.
        return [unrecognized(header), unrecognized(line)]

    # ------------------------------------------------------------ signal, registration, status

    def _csq(self, head: str, rest: str) -> list[Token]:
        signal = _CSQ_SIGNALS.get(rest.partition(",")[0])
        return [signal if signal is not None else signal_from_csq(None)]

    def _rssi(self, head: str, rest: str) -> list[Token]:
        signal = _RSSI_SIGNALS.get(rest)
        return [signal if signal is not None else signal_from_csq(None, "^RSSI")]

    def _creg(self, head: str, rest: str) -> list[Token]:
        plain = _REG_PLAIN.match(rest)  # `1` or `1,"4E54","0F2A"[,7]`: the unsolicited forms
        if plain is not None:
            stat, lac, cell = plain.groups()
            state = REG_STATES.get(int(stat), "unknown")
            built = _RegistrationTwin(state, REG_DOMAINS[head], lac or None, cell or None)
            built.__class__ = RegistrationChanged
            return [built]
        return [registration(head, fields(rest), reply=False)]

    def _ciev(self, head: str, rest: str) -> list[Token]:
        f = fields(rest)
        name = f[0].lower()
        if name.isdigit():
            index = int(name) - 1
            name = self.indicators[index] if 0 <= index < len(self.indicators) else name
        value = to_int(f[1]) if len(f) > 1 else None
        if name in _CIEV_SIGNAL:
            if value is None or not 0 <= value <= 5:
                return [SignalChanged(None, None, "+CIEV")]
            return [SignalChanged(value, None, "+CIEV")]
        if name in _CIEV_FULL:
            return [ModemStatus("storage_full" if value else "storage_free", "")]
        return [Indicator(name, value)]

    def _qind(self, head: str, rest: str) -> list[Token]:
        f = fields(rest)
        what = f[0].upper()
        if what == "CSQ" and len(f) > 1:
            return [signal_from_csq(to_int(f[1]), "+QIND")]
        return [ModemStatus(QUECTEL_QIND.get(what, what.lower()), ",".join(f[1:]))]

    def _status(self, head: str, rest: str) -> list[Token]:
        what, detail = STATUS[head]
        return [ModemStatus(what, ",".join(fields(rest)) if detail is None else detail)]
