"""One cell of a shop's file as a value the book can hold: text, phone numbers, birthdays, tags, gender.

Each parser raises `BadValue` with a reason a shop owner understands; the row
that held the cell is then reported as invalid with its line number.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from store.io.cells import restore
from store.problems import Problem

# Longer than any real value; a longer cell is a mistake (or an attack), and is refused, not cut.
LIMITS = {"notes": 10_000, "address": 1_000}
LIMIT_OTHER = 200


class BadValue(Problem):
    """A cell that cannot be what its column says; the message says why (and its code, in any language)."""


@dataclass(frozen=True, slots=True)
class Birthday:
    month: int
    day: int
    year: int | None = None
    lunar: bool = False


_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def text(value: object, field: str) -> str:
    """A cell as clean text: no control characters, the export's formula guard undone, within its limit."""
    if value is None:
        return ""
    if type(value) is str and len(value) <= LIMIT_OTHER and value.isprintable() and "  " not in value \
            and value[:1] not in (" ", "'") and value[-1:] != " ":
        return value  # the usual cell: nothing to clean (isprintable is False for every control character)
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel keeps 13800138000 as the float 13800138000.0
    if isinstance(value, datetime):
        value = value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    elif isinstance(value, date):
        value = value.isoformat()
    s = str(value)
    limit = LIMITS.get(field, LIMIT_OTHER)
    if len(s) > limit * 2:
        raise BadValue("value.too_long", "{field} is {length:,} characters long (at most {limit:,})", field=field,
                       length=len(s), limit=limit)
    s = restore(s.strip())
    s = _CONTROLS.sub("", s.replace("\r\n", "\n").replace("\r", "\n"))
    if field != "notes" and field != "address":
        s = " ".join(s.split())
    else:
        s = "\n".join(line.strip() for line in s.split("\n")).strip()
    if len(s) > limit:
        raise BadValue("value.too_long", "{field} is {length:,} characters long (at most {limit:,})", field=field,
                       length=len(s), limit=limit)
    return s


_SCIENTIFIC = re.compile(r"^[+]?\d+(?:\.\d+)?[eE][+]?\d+$")
_FLOAT_WHOLE = re.compile(r"^(\d{5,})\.0+$")


def number_text(raw: str) -> str:
    """A phone cell with Excel's damage undone: 13800138000.0 and 1.3800138E+10 become 13800138000."""
    s = raw.strip()
    whole = _FLOAT_WHOLE.match(s)
    if whole:
        return whole.group(1)
    if _SCIENTIFIC.match(s):
        try:
            value = Decimal(s)
        except InvalidOperation:
            return s
        mantissa = s.lower().split("e")[0].replace(".", "").lstrip("+").lstrip("0")
        digits = str(int(value))
        if value != value.to_integral_value() or len(mantissa) < len(digits.rstrip("0")) or len(mantissa) < 7:
            raise BadValue("value.scientific",
                           "{cell!r} is a number Excel shortened to scientific notation and lost digits of; "
                           "format the phone column as text in Excel and type the numbers again", cell=s)
        return digits
    return s


_PHONE_SEPARATORS = re.compile(r"[;,/、，；|\n]+")


def phone_texts(cell: str) -> list[str]:
    """The numbers written in one cell: separated by ; , / 、 or spaces (but 138 0013 8000 is one)."""
    if cell.isdigit() and cell.isascii():
        return [cell]  # the usual cell, one number as digits: nothing to split or undo
    parts = [p.strip() for p in _PHONE_SEPARATORS.split(cell) if p.strip()]
    found: list[str] = []
    for part in parts:
        pieces = part.split()
        # "138 0013 8000" groups digits; "13800138000 13900139000" lists two numbers.
        if len(pieces) > 1 and all(len(re.sub(r"\D", "", p)) >= 7 for p in pieces):
            found.extend(number_text(p) for p in pieces)
        else:
            found.append(number_text(part))
    return found


_TAG_SEPARATORS = re.compile(r"[,;，；、|/\n]+")


def tags(cell: str) -> list[str]:
    """Tags from a cell such as "老客户，VIP、外卖" or "老客户 VIP"; no duplicates, in order.

    Spaces separate tags only in a cell with no other separator, so "big spender;"
    is one tag (the export writes a lone tag with a space that way).
    """
    seen: dict[str, None] = {}
    parts = _TAG_SEPARATORS.split(cell) if _TAG_SEPARATORS.search(cell) else cell.split()
    for tag in parts:
        tag = tag.strip()
        if tag:
            seen.setdefault(tag, None)
    return list(seen)


_GENDERS = {
    "男": "m", "m": "m", "male": "m", "先生": "m", "man": "m", "boy": "m",
    "女": "f", "f": "f", "female": "f", "女士": "f", "小姐": "f", "woman": "f", "girl": "f",
    "": "", "未知": "", "保密": "", "u": "", "unknown": "", "-": "",
}


def gender(cell: str) -> str:
    """"m", "f" or "" from 男/女, M/F, male/female, 先生/女士."""
    if not cell:
        return ""
    key = unicodedata.normalize("NFKC", cell).strip().lower()
    if key not in _GENDERS:
        raise BadValue("value.gender", "{cell!r} is not a gender (男/女, M/F)", cell=cell)
    return _GENDERS[key]


_LUNAR_MONTHS = {"正": 1, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
                 "十": 10, "十一": 11, "冬": 11, "十二": 12, "腊": 12}
_DIGITS_ZH = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def _lunar_day(word: str) -> int | None:
    if word.startswith("初") and word[1:] in _DIGITS_ZH:
        return _DIGITS_ZH[word[1:]]
    if word == "二十":
        return 20
    if word == "三十":
        return 30
    for head, tens in (("十", 10), ("廿", 20), ("卅", 30)):
        if word.startswith(head) and word[1:] in _DIGITS_ZH and _DIGITS_ZH[word[1:]] < 10:
            return tens + _DIGITS_ZH[word[1:]]
    return None


_LUNAR_WORDS = re.compile(r"^(?:闰)?(正|十一|十二|冬|腊|[一二三四五六七八九十])月((?:初|十|廿|卅|二十|三十)[一二三四五六七八九十]?)$")
_FULL = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_NO_YEAR = re.compile(r"^-{0,2}(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_VCARD_NO_YEAR = re.compile(r"^--(\d{2})-?(\d{2})$")
EXCEL_EPOCH = date(1899, 12, 30)


def _checked(year: int | None, month: int, day: int, lunar: bool, raw: str) -> Birthday:
    if lunar:
        if not (1 <= month <= 12 and 1 <= day <= 30):
            raise BadValue("value.lunar", "{raw!r} is not a lunar date", raw=raw)
    else:
        try:
            date(year or 2000, month, day)  # 2000 is a leap year: 02-29 without a year is fine
        except ValueError:
            raise BadValue("value.date", "{raw!r} is not a date", raw=raw) from None
    if year is not None and not (1900 <= year <= date.today().year):
        raise BadValue("value.year", "{raw!r}: the year {year} is not a birth year", raw=raw, year=year)
    return Birthday(month=month, day=day, year=year, lunar=lunar)


def birthday(value: object, *, lunar: bool = False) -> Birthday | None:
    """A birthday from a date cell, 1990-05-01, 1990/5/1, 1990年5月1日, 05-01, --0501, or 农历三月初八."""
    if value is None:
        return None
    if value.__class__ is str and len(value) <= 40:  # a CSV cell: straight to the parsed spellings
        return _remembered_birthday(value, lunar)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return _checked(value.year, value.month, value.day, lunar, value.isoformat())
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(int(value)) if float(value).is_integer() else str(value)
    value = str(value)
    return _remembered_birthday(value, lunar) if len(value) <= 40 else _birthday_text(value, lunar)


def _birthday_text(value: str, lunar: bool) -> Birthday | None:
    raw = unicodedata.normalize("NFKC", value).strip()
    if not raw:
        return None
    s = raw
    for word in ("农历", "阴历", "lunar"):
        if s.lower().startswith(word):
            s, lunar = s[len(word):].strip(" :："), True
    if lunar:
        year = None
        head = re.match(r"^(\d{4})\s*年", s)
        if head:
            year, s = int(head.group(1)), s[head.end():].strip()
        words = _LUNAR_WORDS.match(s)
        if words:
            day = _lunar_day(words.group(2))
            if day is None:
                raise BadValue("value.lunar", "{raw!r} is not a lunar date", raw=raw)
            return _checked(year, _LUNAR_MONTHS[words.group(1)], day, True, raw)
    for pattern in (_FULL, _COMPACT):
        m = pattern.match(s)
        if m:
            return _checked(int(m.group(1)), int(m.group(2)), int(m.group(3)), lunar, raw)
    for pattern in (_VCARD_NO_YEAR, _NO_YEAR):
        m = pattern.match(s)
        if m:
            return _checked(None, int(m.group(1)), int(m.group(2)), lunar, raw)
    if s.isdigit() and 1 <= int(s) <= 60_000 and not lunar:
        # A date cell Excel shows as "General" reaches us as its serial day number.
        d = EXCEL_EPOCH + timedelta(days=int(s))
        return _checked(d.year, d.month, d.day, False, raw)
    raise BadValue("value.date_spelling", "{raw!r} is not a date (write it like 1990-05-01, 05-01 or 农历三月初八)",
                   raw=raw)


# Books repeat birthdays (a few thousand days in 100,000 rows): each spelling is parsed once.
# Only dates: a bad one raises, and an error is not remembered.
_remembered_birthday = lru_cache(maxsize=65536)(_birthday_text)
