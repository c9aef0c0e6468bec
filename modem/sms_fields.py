"""The fields inside an SMS PDU (TS 23.040 §9): addresses, time stamps, validity, user data.

Kept apart from `modem.pdu` so that the message layouts there read as layouts.
Readers take octets already cut from the PDU and check what they need;
`modem.pdu.decode` turns any IndexError from its own indexing into `PduError`.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from modem import gsm7
from modem.events import Concat


class PduError(ValueError):
    """A PDU (or a number or text meant for one) that cannot be read or written."""


# Semi-octets are stored low nibble first; swapping nibbles lets bytes.hex() read them.
_SWAP = bytes(((b & 0x0F) << 4) | (b >> 4) for b in range(256))
# Nibbles A-E are '*', '#', 'a', 'b', 'c' (TS 23.040 §9.1.2.3); F is filler.
_NIBBLE_TEXT = str.maketrans({"a": "*", "b": "#", "c": "a", "d": "b", "e": "c", "f": None})
INTERNATIONAL = 0x91
UNKNOWN = 0x81
ALPHANUMERIC = 0xD0


def check_number(number: object) -> str:
    """`number` if it is `+?[0-9]{1,20}`, else PduError: nothing else may reach a PDU or an AT command."""
    if isinstance(number, str):
        digits = number[1:] if number[:1] == "+" else number
        # isascii() keeps out other scripts' digits, which isdigit() accepts.
        if 0 < len(digits) <= 20 and digits.isdigit() and digits.isascii():
            return number
    raise PduError(f"not a phone number: {number!r}")


def read_address(octets: bytes, digits: int, kind: int) -> str:
    """An address value: '+' digits when international, digits as given, or alphanumeric text."""
    if kind & 0x70 == 0x50:
        return gsm7.decode(gsm7.unpack_bytes(octets, digits * 4 // 7))
    number = octets.translate(_SWAP).hex()[:digits]
    if not number.isdigit():
        number = number.translate(_NIBBLE_TEXT)
    if kind & 0x70 == 0x10 and number:
        return "+" + number
    return number


def _semi_octets(digits: str) -> bytes:
    if len(digits) % 2:
        digits += "F"
    return bytes.fromhex(digits).translate(_SWAP)


def address_field(number: str) -> bytes:
    """TP-DA/TP-OA for a checked number: digit count, type, semi-octets."""
    digits = number.removeprefix("+")
    kind = INTERNATIONAL if number.startswith("+") else UNKNOWN
    return bytes((len(digits), kind)) + _semi_octets(digits)


def smsc_field(number: str) -> bytes:
    """The SMSC part for a checked number: its length counts octets, type included."""
    digits = number.removeprefix("+")
    kind = INTERNATIONAL if number.startswith("+") else UNKNOWN
    body = _semi_octets(digits)
    return bytes((len(body) + 1, kind)) + body


def alphanumeric_address_field(name: str) -> bytes:
    """TP-OA for a sender name such as "InternetSMS" (GSM7, at most 11 characters)."""
    try:
        septets = gsm7.encode_bytes(name)
    except ValueError:
        raise PduError(f"sender {name!r} is neither a number nor GSM 7-bit text") from None
    if not 1 <= len(septets) <= 11:
        raise PduError(f"sender name {name!r} must be 1 to 11 GSM characters")
    return bytes(((len(septets) * 7 + 3) // 4, ALPHANUMERIC)) + gsm7.pack(septets)


# Each time-stamp octet holds two decimal digits, low nibble first; 255 marks a
# non-decimal octet, which no field accepts.
_BCD = [
    (b & 0x0F) * 10 + (b >> 4) if (b & 0x0F) <= 9 and (b >> 4) <= 9 else 255 for b in range(256)
]
# The zone octet: quarter hours, the sign in bit 3, tens digit in bits 0-2 (§9.2.3.11).
_ZONE_BY_OCTET: list[timezone | None] = []
for _octet in range(256):
    _quarters = (_octet & 0x07) * 10 + (_octet >> 4)
    _ZONE_BY_OCTET.append(
        None if _octet >> 4 > 9 else timezone(timedelta(minutes=15 * (-_quarters if _octet & 0x08 else _quarters)))
    )


# The last SMSC and time stamp read, as one tuple each so that threads see a
# consistent pair: every text on a SIM names the same SMSC, and the parts of a
# long text, which arrive together, share one time stamp.
# None never equals any octets, so the first read always decodes.
_last_smsc: tuple[bytes | None, str | None] = (None, None)
_last_stamp: tuple[bytes | None, datetime] = (None, datetime.min)


def read_smsc(octets: bytes) -> str | None:
    """The SMSC part (type octet, then semi-octets) as an address, or None when empty."""
    global _last_smsc
    last = _last_smsc
    if last[0] == octets:
        return last[1]
    value = read_address(octets[1:], (len(octets) - 1) * 2, octets[0]) or None
    _last_smsc = (octets, value)
    return value


def read_timestamp(octets: bytes) -> datetime:
    """A 7-octet TP-SCTS/TP-DT/absolute TP-VP as an aware datetime (zone in quarter hours, signed)."""
    global _last_stamp
    last = _last_stamp
    if last[0] == octets:
        return last[1]
    value = _read_timestamp(octets)
    _last_stamp = (octets, value)
    return value


def _read_timestamp(octets: bytes) -> datetime:
    if len(octets) != 7:
        raise PduError("PDU ends inside a time stamp")
    year = _BCD[octets[0]]
    if year > 99:
        raise PduError(f"time stamp {octets.hex()} has non-decimal digits")
    # Two-digit years: the 90s are the last century's (stored PDUs from old phones).
    try:
        moment = datetime(
            year + (1900 if year >= 90 else 2000),
            _BCD[octets[1]],
            _BCD[octets[2]],
            _BCD[octets[3]],
            _BCD[octets[4]],
            _BCD[octets[5]],
        )
    except ValueError as exc:
        raise PduError(f"time stamp {octets.hex()}: {exc}") from None
    zone = _ZONE_BY_OCTET[octets[6]]
    # A zone octet that is not BCD (0xC2 from a real network) costs only the zone: the
    # wall time is read as this computer's, which is the shop's; `zone_known` says so.
    return moment.astimezone() if zone is None else moment.replace(tzinfo=zone)


def zone_known(octets: bytes) -> bool:
    """False when a time stamp's zone octet is not BCD, so its time was read as local time."""
    return len(octets) == 7 and _ZONE_BY_OCTET[octets[6]] is not None


def timestamp_octets(moment: datetime) -> bytes:
    """The 7-octet semi-octet time stamp for an aware datetime, in its own zone."""
    offset = moment.utcoffset() if isinstance(moment, datetime) else None
    if offset is None:
        raise PduError("a time stamp needs an aware datetime")
    minutes = int(offset.total_seconds() // 60)
    quarters, rest = divmod(abs(minutes), 15)
    if rest or quarters > 79:
        raise PduError(f"zone offset {offset} is not a multiple of 15 minutes within ±19:45")
    if not 1990 <= moment.year <= 2089:
        raise PduError(f"year {moment.year} does not fit a time stamp")
    stamp = "%02d%02d%02d%02d%02d%02d" % (
        moment.year % 100, moment.month, moment.day, moment.hour, moment.minute, moment.second,
    )
    zone = (quarters % 10) << 4 | quarters // 10 | (0x08 if minutes < 0 else 0)
    return bytes.fromhex(stamp).translate(_SWAP) + bytes((zone,))


def validity_octet(minutes: int) -> int:
    """Relative TP-VP (§9.2.3.12.1): the shortest period not below `minutes`, capped at 63 weeks."""
    if minutes <= 720:
        return max(0, -(-minutes // 5) - 1)
    if minutes <= 1440:
        return 143 + -(-(minutes - 720) // 30)
    if minutes <= 30 * 1440:
        return 166 + -(-minutes // 1440)
    return min(255, 192 + -(-minutes // 10080))


def validity_from_octet(vp: int) -> int:
    """Minutes for a relative TP-VP octet."""
    if vp <= 143:
        return (vp + 1) * 5
    if vp <= 167:
        return 720 + (vp - 143) * 30
    if vp <= 196:
        return (vp - 166) * 1440
    return (vp - 192) * 10080


def encoding_for_dcs(dcs: int) -> str:
    """'gsm7', 'ucs2' or '8bit' for a TP-DCS octet (TS 23.038 §4); reserved values read as GSM7."""
    group = dcs >> 4
    if group <= 0x7:  # general data coding, with or without automatic deletion
        if dcs & 0x20:
            return "8bit"  # compressed: we cannot decompress, keep the octets
        return ("gsm7", "8bit", "ucs2", "gsm7")[(dcs >> 2) & 0x03]
    if group == 0xE:
        return "ucs2"  # message waiting indication, UCS2 text
    if group == 0xF:
        return "8bit" if dcs & 0x04 else "gsm7"
    return "gsm7"  # message waiting (discard/store) and reserved groups


_ENCODING_BY_DCS = [encoding_for_dcs(dcs) for dcs in range(256)]


def read_concat(udh: bytes) -> Concat | None:
    """The concatenation IE (8-bit IEI 00 or 16-bit IEI 08) in a UDH, ignoring every other IE."""
    found = None
    i = 0
    while i + 2 <= len(udh):
        iei, length = udh[i], udh[i + 1]
        body = udh[i + 2 : i + 2 + length]
        if len(body) < length:
            break  # a truncated IE: keep what was found before it
        if iei == 0x00 and length == 3:
            candidate = Concat(body[0], body[1], body[2], False)
        elif iei == 0x08 and length == 4:
            candidate = Concat(body[0] << 8 | body[1], body[2], body[3], True)
        else:
            candidate = None
        # An IE with total 0 or a sequence outside 1..total is to be ignored (§9.2.3.24.1).
        if candidate is not None and 1 <= candidate.sequence <= candidate.total:
            found = candidate
        i += 2 + length
    return found


def read_user_data(ud: bytes, length: int, dcs: int, has_udh: bool) -> tuple[str, str, bytes, bytes, Concat | None]:
    """TP-UD given TP-UDL and TP-DCS: (text, encoding, payload octets, UDH IEs, concat)."""
    encoding = _ENCODING_BY_DCS[dcs]
    udh = b""
    header = 0
    concat = None
    if has_udh and (not ud or length == 0):
        has_udh = False  # the flag with no user data at all: an empty text, not a broken header
    if has_udh:
        if 1 + ud[0] > len(ud):
            raise PduError("user data header longer than the user data")
        header = 1 + ud[0]
        udh = ud[1:header]
        if header == 6 and udh[0] == 0 and udh[1] == 3:  # the usual lone 8-bit concat IE
            if 1 <= udh[4] <= udh[3]:
                concat = Concat(udh[2], udh[3], udh[4], False)
        else:
            concat = read_concat(udh)
    if encoding == "gsm7":
        fill = (7 - header * 8 % 7) % 7
        count = length - (header * 8 + fill) // 7
        if count < 0 and header == 1:
            count = 0  # UDHL 0 in a one-septet user data: nothing after the empty header
        if count < 0:
            raise PduError("user data length shorter than its header")
        data = ud[header : header + (count * 7 + fill + 7) // 8]
        text = gsm7.unpack_text(data, count, fill)
    else:
        if length < header:
            raise PduError("user data length shorter than its header")
        data = ud[header:length]
        if encoding == "ucs2":
            text = data[: len(data) & ~1].decode("utf-16-be", "replace")
        else:
            text = data.decode("latin-1")
    return text, encoding, data, udh, concat


def user_data(encoding: str, payload: bytes, ies: bytes) -> bytes:
    """TP-UDL and TP-UD for one part: septets are packed after the UDH with the right fill bits."""
    header = bytes((len(ies),)) + ies if ies else b""
    if encoding == "gsm7":
        fill = (7 - len(header) * 8 % 7) % 7
        septets = (len(header) * 8 + fill) // 7 + len(payload)
        return bytes((septets,)) + header + gsm7.pack(payload, fill)
    return bytes((len(header) + len(payload),)) + header + payload
