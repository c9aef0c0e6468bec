"""The keys a customer is found by: name, pinyin, initials, numbers, tags.

Every key is a row in `search_key`, looked up by an index range, never by a
scan. `p:` keys are matched by prefix ("zs" finds "p:zs"); `s:` keys are the
later suffixes of a name, a pinyin spelling or a number, so a prefix match on
them is a substring match ("8000" finds "s:80001234") and an exact match on
them is an ending ("尾号 1234" finds "s:1234"). A number keeps a suffix only at
every other digit (number_suffix_starts); search also tries one digit in front.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import islice


NAME, PINYIN, INITIALS, NUMBER, TAG = 1, 2, 3, 4, 5
WHY = {NAME: "name", PINYIN: "pinyin", INITIALS: "initials", NUMBER: "number", TAG: "tag"}

MAX_KEY = 64  # a 10,000-character name is kept whole, but only its start is a key
MAX_SUFFIXES = 12
MIN_NUMBER_PART = 3  # "any part of a number" from three digits on

# Surnames read differently from the same character elsewhere (单 is dan, but
# 单 the surname is shan). pypinyin reads characters in words, not in names.
SURNAMES = {
    "单": "shan", "曾": "zeng", "区": "ou", "仇": "qiu", "解": "xie", "朴": "piao",
    "查": "zha", "盖": "ge", "乐": "yue", "覃": "qin", "种": "chong", "缪": "miao",
    "召": "shao", "繁": "po", "员": "yun", "宿": "su", "翟": "zhai", "秘": "bi",
    "贲": "ben", "柏": "bai", "薄": "bo", "隗": "wei", "句": "gou", "洗": "xian",
    "冼": "xian", "粘": "nian", "折": "she", "尉": "yu", "长": "chang", "重": "chong",
    "沈": "shen", "任": "ren", "华": "hua", "燕": "yan", "石": "shi", "曲": "qu",
}
COMPOUND_SURNAMES = {"尉迟": ["yu", "chi"], "万俟": ["mo", "qi"], "长孙": ["zhang", "sun"],
                     "单于": ["chan", "yu"], "澹台": ["tan", "tai"]}

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Text as it is compared: NFKC, lower case, single spaces, no control characters."""
    text = unicodedata.normalize("NFKC", text)
    if not text.isprintable():  # printable text has no character of category C: skip the per-character pass
        text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    return _SPACES.sub(" ", text).strip().lower()


_HAN = "\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f"  # Chinese characters, with the rare extensions
_HAN_CHAR = re.compile(f"[{_HAN}]")
# Where a name's substrings start: every Chinese character, and each word after a space.
_SUBSTRING_START = re.compile(f"[{_HAN}]|(?<= )[^ ]")


_ONE_READING: dict[str, str] = {}


def _reading(ch: str) -> str | None:
    """The toneless pinyin of a character with only one reading (cached); None for polyphones."""
    found = _ONE_READING.get(ch)
    if found is None:
        # pypinyin on first use: loading its dictionaries takes ~0.4 s, which the desk's start-up need not wait for.
        from pypinyin import Style, lazy_pinyin
        from pypinyin.pinyin_dict import pinyin_dict

        if "," in pinyin_dict.get(ord(ch), ","):
            return None
        found = _ONE_READING[ch] = "".join(lazy_pinyin(ch, style=Style.NORMAL, errors="ignore"))
    return found


def _read(han: str) -> list[str]:
    # Character by character when no character has two readings (most given names,
    # and 20x faster); a polyphone needs pypinyin's phrase context.
    quick = [_reading(ch) for ch in han]
    if None not in quick:
        return [s for s in quick if s]
    from pypinyin import Style, lazy_pinyin

    return [s for s in lazy_pinyin(han, style=Style.NORMAL, errors="ignore") if s.isalpha()]


def syllables(name: str) -> list[str]:
    """The pinyin of the Chinese characters of a name, surname read as a surname; [] for other names."""
    han = "".join(_HAN_CHAR.findall(name))
    if not han:
        return []
    return list(_remembered(han) if len(han) <= CACHED_NAME else _han_syllables(han))


def _han_syllables(han: str) -> tuple[str, ...]:
    head: list[str] = []
    if han[:2] in COMPOUND_SURNAMES:
        head, han = list(COMPOUND_SURNAMES[han[:2]]), han[2:]
    elif han[0] in SURNAMES:
        head, han = [SURNAMES[han[0]]], han[1:]
    return tuple(head + _read(han))


# Remembered by the Han characters alone (客户1 and 客户2 read alike): books repeat
# names, and pypinyin's phrase reading costs ~50 µs a name. Short names only, so a
# hostile 10 MB cell is never kept.
CACHED_NAME = 16
_remembered = lru_cache(maxsize=65536)(_han_syllables)


def pinyin_of(name: str) -> tuple[str, str]:
    """(full pinyin, initials) of a name: 张三 -> ("zhangsan", "zs"); ("", "") when it has no Chinese."""
    parts = syllables(name)
    return "".join(parts), "".join(p[0] for p in parts)


def _suffixes(text: str, starts: list[int], shortest: int = 1) -> list[str]:
    return [text[i:i + MAX_KEY] for i in starts[:MAX_SUFFIXES] if 0 < i and len(text) - i >= shortest]


def name_keys(name: str, parts: list[str] | tuple[str, ...] | None = None) -> set[tuple[str, int]]:
    """The (key, kind) a name is found by: the name, its pinyin and initials (`parts`: its syllables, if known)."""
    parts = syllables(name) if parts is None else parts
    folded = fold(name)
    # A name's keys are made for every customer imported or added: list comprehensions, not generators.
    starts = [m.start() for m in islice(_SUBSTRING_START.finditer(folded), MAX_SUFFIXES)]
    keys = {("s:" + folded[i:i + MAX_KEY], NAME) for i in starts if i}
    if folded:
        keys.add(("p:" + folded[:MAX_KEY], NAME))
    if parts:
        keys.update((_remembered_spelling if len(parts) <= CACHED_NAME else _spelling_keys)(tuple(parts)))
    return keys


def _spelling_keys(parts: tuple[str, ...]) -> frozenset[tuple[str, int]]:
    """The pinyin and initials keys of a name's syllables."""
    keys: set[tuple[str, int]] = set()
    full = "".join(parts)
    keys.add(("p:" + full[:MAX_KEY], PINYIN))
    bounds = [sum(len(p) for p in parts[:i]) for i in range(len(parts))]
    keys.update(("s:" + s, PINYIN) for s in _suffixes(full, bounds))
    initials = "".join(p[0] for p in parts)
    keys.add(("p:" + initials[:MAX_KEY], INITIALS))
    keys.update(("s:" + s, INITIALS) for s in _suffixes(initials, list(range(len(initials))), shortest=2))
    return frozenset(keys)


_remembered_spelling = lru_cache(maxsize=65536)(_spelling_keys)  # 客户1 and 客户2 spell alike


def forget_names() -> None:
    """Drop the remembered readings and spellings (benchmarks: each side starts cold)."""
    _remembered.cache_clear()
    _remembered_spelling.cache_clear()


def number_suffix_starts(length: int) -> list[int]:
    """Where a number of `length` digits keeps a suffix key: every other digit, and the last start searched.

    Search finds "any part of a number" starting at digits 1 .. MAX_SUFFIXES - 1
    (MIN_NUMBER_PART digits left at least). It looks up what was typed, and the
    ten ways of one digit in front of it, among number keys: a part starting at
    an even digit is found in the suffix one digit earlier. Half the rows of
    every suffix (900,000 fewer in a 100,000-row import), for ten more index
    lookups a query. The last start is kept itself, so the digit in front never
    reaches one past it.
    """
    last = min(MAX_SUFFIXES, length - MIN_NUMBER_PART + 1)
    return [i for i in range(1, last) if (i % 2 == 1 and i < MAX_SUFFIXES - 2) or i == MAX_SUFFIXES - 2]


def number_keys(digits: str) -> list[str]:
    """A number's keys (kind NUMBER): its national digits, then suffixes at number_suffix_starts."""
    if not digits:
        return []
    return ["p:" + digits] + ["s:" + digits[i:i + MAX_KEY] for i in number_suffix_starts(len(digits))]


def tag_keys(tags: list[str] | tuple[str, ...]) -> set[tuple[str, int]]:
    """The (key, kind) tags are found by."""
    return {("p:" + t[:MAX_KEY], TAG) for t in map(fold, tags) if t}


def customer_keys(name: str, nationals: list[str], tags: list[str],
                  parts: list[str] | None = None) -> set[tuple[str, int]]:
    """Every (key, kind) a customer is found by (`parts`: the name's pinyin syllables, if already known)."""
    keys = name_keys(name, parts)
    for digits in nationals:
        keys.update((k, NUMBER) for k in number_keys(digits))
    return keys | tag_keys(tags)
