"""vCards: a phone's contacts in (2.1, 3.0, 4.0) and the customer book out (3.0).

Phones export 2.1 with QUOTED-PRINTABLE and a CHARSET (UTF-8, or GBK on older
Chinese handsets), soft line breaks ending in "=", and base64 photos; 3.0 and
4.0 fold long lines with a leading space and escape , ; \\ and newlines. A card
that cannot be read (no END, broken quoted-printable, an unknown charset) is
reported as invalid at the line of its BEGIN; the other cards still count.
"""

from __future__ import annotations

import binascii
import codecs
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from store.io import values
from store.io.read import RawCustomer
from store.problems import Problem, Reason

FIELD_OF = {"NOTE": "notes", "ORG": "company", "CATEGORIES": "tags", "ADR": "address", "BDAY": "birthday",
            "X-LUNAR-BIRTHDAY": "lunar_birthday", "X-GUANJIA-TIER": "tier", "X-GENDER": "gender",
            "GENDER": "gender", "X-GUANJIA-SOURCE": "source"}


class BrokenCard(Problem):
    """A card that cannot be read; the message says why."""


@dataclass(frozen=True, slots=True)
class Property:
    name: str
    params: dict[str, str]  # upper-case keys; 2.1's bare "CELL" becomes TYPE=CELL
    value: str  # raw, still encoded


def _params(parts: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for part in parts:
        key, sep, value = part.partition("=")
        if not sep:
            key, value = "TYPE", part
        key = key.strip().upper()
        found[key] = f"{found[key]},{value}" if key in found else value.strip().strip('"')
    return found


def _property(line: str) -> Property | None:
    colon = line.find(":")
    if colon <= 0:
        return None
    head, value = line[:colon], line[colon + 1:]
    parts = head.split(";")
    name = parts[0].rsplit(".", 1)[-1].strip().upper()  # "item1.TEL" is TEL
    return Property(name, _params(parts[1:]), value)


def _is_qp(line: str) -> bool:
    head = line.split(":", 1)[0].upper()
    return "QUOTED-PRINTABLE" in head


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """(line number, unfolded line): folded continuations and QP soft breaks joined."""
    current, start = None, 0
    for number, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        if current is not None and line[:1] in (" ", "\t"):
            current += line[1:]
        elif current is not None and _is_qp(current) and current.endswith("="):
            current = current[:-1] + line
        else:
            if current is not None and current.strip():
                yield start, current
            current, start = line, number
    if current is not None and current.strip():
        yield start, current


_BAD_QP = re.compile(r"=(?![0-9A-Fa-f]{2})(.{0,2})")


def _quoted_printable(value: str, prop: str) -> bytes:
    value = value.rstrip()
    if value.endswith("="):  # a soft break with nothing after it
        value = value[:-1]
    bad = _BAD_QP.search(value)
    if bad:
        raise BrokenCard("card.quoted_printable", "broken quoted-printable in {prop} (={bad!r})", prop=prop,
                         bad=bad.group(1))
    return binascii.a2b_qp(value.encode("utf-8"))


def _unescape(value: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def _split(value: str, sep: str) -> list[str]:
    """Components split on unescaped `sep`, then unescaped."""
    return [_unescape(p) for p in re.split(r"(?<!\\)" + re.escape(sep), value)]


def decoded(prop: Property) -> str:
    """A property's value as text: quoted-printable and charset undone (escapes kept for splitting)."""
    charset = prop.params.get("CHARSET", "UTF-8")
    try:
        codecs.lookup(charset)
    except LookupError:
        raise BrokenCard("card.charset", "{prop} is in an unknown character set {charset!r}", prop=prop.name,
                         charset=charset) from None
    encoding = prop.params.get("ENCODING", "").upper()
    if encoding == "QUOTED-PRINTABLE":
        raw = _quoted_printable(prop.value, prop.name)
        try:
            return raw.decode(charset)
        except UnicodeDecodeError:
            if charset.upper().replace("-", "") == "UTF8":
                try:  # older Chinese handsets say UTF-8 and write GBK
                    return raw.decode("gb18030")
                except UnicodeDecodeError:
                    pass
            raise BrokenCard("card.not_charset", "{prop} is not valid {charset}", prop=prop.name,
                             charset=charset) from None
    return prop.value


def _name(props: list[Property]) -> str:
    for prop in props:
        if prop.name == "FN":
            name = _unescape(decoded(prop)).strip()
            if name:
                return name
    for prop in props:
        if prop.name == "N":
            parts = [p.strip() for p in _split(decoded(prop), ";")] + ["", ""]
            family, given = parts[0], parts[1]
            joined = family + given
            return joined if joined and not joined.isascii() else f"{given} {family}".strip()
    return ""


def _field_value(prop: Property, field: str) -> str:
    value = decoded(prop)
    if prop.name in ("ORG", "GENDER"):
        value = _split(value, ";")[0]
    elif prop.name == "ADR":
        value = " ".join(p.strip() for p in _split(value, ";") if p.strip())
    elif prop.name == "CATEGORIES":
        value = "".join(p.strip() + ";" for p in _split(value, ",") if p.strip())  # ";": one tag each
    else:
        value = _unescape(value)
    return values.text(value, field)


def _card(line: int, props: list[Property]) -> RawCustomer:
    remarks: list[tuple[str, Reason]] = []
    try:
        name = _name(props)
        phones: list[str] = []
        found: dict[str, object] = {}
        for prop in props:
            if prop.name == "TEL":
                value = _unescape(decoded(prop)).strip()
                if value.lower().startswith("tel:"):
                    value = value[4:].split(";", 1)[0]
                if value:
                    phones.append(values.number_text(value))
            elif prop.name in FIELD_OF and FIELD_OF[prop.name] not in found:
                field = FIELD_OF[prop.name]
                try:  # a bad optional field is left out and remarked on; the customer stays
                    found[field] = _field_value(prop, field)
                except (BrokenCard, values.BadValue) as exc:
                    remarks.append((field, Reason.from_error(exc)))
        return RawCustomer(line, values.text(name, "name"), tuple(phones), found, remarks=tuple(remarks))
    except (BrokenCard, values.BadValue) as exc:
        return RawCustomer(line, problem=Reason.from_error(exc))


def read_vcards(text: str) -> Iterator[RawCustomer]:
    """Every card in `text`; unreadable cards carry their problem."""
    props: list[Property] | None = None
    start = 0
    for number, line in _logical_lines(text.lstrip("\ufeff")):
        upper = line.strip().upper()
        if upper == "BEGIN:VCARD":
            if props is not None:
                yield RawCustomer(start, problem=Reason.of("card.no_end_before_begin", "the card has no END:VCARD "
                                                              "before the next BEGIN:VCARD"))
            props, start = [], number
        elif upper == "END:VCARD":
            if props is None:
                yield RawCustomer(number, problem=Reason.of("card.no_begin", "END:VCARD without a BEGIN:VCARD"))
            else:
                yield _card(start, props)
            props = None
        elif props is not None:
            prop = _property(line)
            if prop is not None and prop.params.get("ENCODING", "").upper() not in ("B", "BASE64"):
                props.append(prop)
    if props is not None:
        yield RawCustomer(start, problem=Reason.of("card.no_end", "the card has no END:VCARD (the file is cut short?)"))


# Writing: vCard 3.0 (RFC 2426), which every phone and mail program reads.

def _escape(value: str) -> str:
    return (value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
            .replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n"))


def _fold(line: str) -> str:
    """Lines of at most 75 octets, never splitting a character (RFC 2426 §2.6)."""
    out, chunk, size = [], "", 0
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > 75:
            out.append(chunk)
            chunk, size = " ", 1
        chunk += ch
        size += width
    out.append(chunk)
    return "\r\n".join(out)


def _surname_split(name: str) -> tuple[str, str]:
    if name and not name.isascii() and " " not in name:
        return name[:1], name[1:]
    family, _, given = name.rpartition(" ")
    return family, given if family else name


@dataclass(frozen=True, slots=True)
class CardFacts:
    name: str
    phones: tuple[str, ...]
    tier: str = ""
    birthday: str = ""  # 1990-05-01 or --05-01
    lunar_birthday: str = ""
    tags: tuple[str, ...] = ()
    notes: str = ""
    company: str = ""
    address: str = ""
    gender: str = ""


def card(facts: CardFacts) -> str:
    """One customer as a vCard 3.0, CRLF line ends."""
    family, given = _surname_split(facts.name)
    lines = ["BEGIN:VCARD", "VERSION:3.0", "FN:" + _escape(facts.name), f"N:{_escape(family)};{_escape(given)};;;"]
    for i, number in enumerate(facts.phones):
        lines.append(("TEL;TYPE=CELL,PREF:" if i == 0 else "TEL;TYPE=CELL:") + number)
    optional = (("BDAY", facts.birthday), ("X-LUNAR-BIRTHDAY", facts.lunar_birthday),
                ("ORG", facts.company), ("NOTE", facts.notes), ("X-GUANJIA-TIER", facts.tier),
                ("X-GENDER", facts.gender.upper()))
    for prop, value in optional:
        if value:
            lines.append(f"{prop}:{_escape(value)}")
    if facts.address:
        lines.append(f"ADR:;;{_escape(facts.address)};;;;")
    if facts.tags:
        lines.append("CATEGORIES:" + ",".join(_escape(t) for t in facts.tags))
    lines.append("END:VCARD")
    return "".join(_fold(line) + "\r\n" for line in lines)


def write_cards(cards: Iterable[CardFacts], out) -> int:
    """Write every card to the text stream `out`; how many."""
    count = 0
    for facts in cards:
        out.write(card(facts))
        count += 1
    return count
