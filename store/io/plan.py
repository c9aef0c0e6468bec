"""The dry run: what importing a file would do, decided before anything is written.

Pure over plain values: the book is asked only through `BookView`, in batches
(never a query per row). Rules a shop can predict:
- a row whose number is already in the book *updates* that customer: empty
  fields are filled, tags merged, new numbers added; a non-empty field that
  differs is kept and listed, never overwritten silently;
- a row repeating a number of an earlier row, or the same name with a number
  ending in the same 8 digits (a typo), is a *duplicate* and is skipped, as is
  a row that looks like a customer already in the book that way;
- a row with neither name nor number, or a number that is not one, is
  *invalid*, reported with its line number and reason;
- a bad optional field (a birthday that is no date, a gender that is none, a
  tier the shop does not have) never costs the customer: the field is left
  out or mapped, and *remarked* on with its line and reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from datetime import date
from typing import Protocol

from store.io import values
from store.io.phones import Numbers
from store.io.read import RawCustomer
from store.io.tiers import TierMapper
from store.numbers import InvalidNumber
from store.problems import Reason
from store.search_keys import fold

DEFAULT_TIER = "普通"
NO_YEAR = 1904  # a birthday with no year is kept as this (leap) year; exports write it as --MM-DD
SIMILAR_DIGITS = 8
SHOWN_FIELDS = ("tier", "birthday", "gender", "company", "address", "notes", "source")


@dataclass(frozen=True, slots=True)
class Candidate:
    """A row that reads as a customer."""

    line: int
    name: str
    phones: tuple[str, ...]  # E.164, no repeats, the first is primary
    tier: str = ""
    birthday: values.Birthday | None = None
    tags: tuple[str, ...] = ()
    gender: str = ""
    company: str = ""
    address: str = ""
    notes: str = ""
    source: str = ""
    remarks: tuple[tuple[str, Reason], ...] = ()  # (field, why) left out or changed on the way in


@dataclass(frozen=True, slots=True)
class Existing:
    """What the book already holds for a customer, as far as an import can change it."""

    id: int
    name: str
    phones: tuple[str, ...]
    tier: str = ""
    birthday: date | None = None
    birthday_lunar: bool = False
    lunar_month: int | None = None
    lunar_day: int | None = None
    gender: str = ""
    company: str = ""
    address: str = ""
    notes: str = ""
    source: str = ""
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Invalid:
    """A row that is not imported, and why."""

    line: int
    why: Reason

    @property
    def reason(self) -> str:
        return self.why.text


@dataclass(frozen=True, slots=True)
class Duplicate:
    """A row skipped as a customer already in the file or the book, and why."""

    line: int
    why: Reason

    @property
    def reason(self) -> str:
        return self.why.text


@dataclass(frozen=True, slots=True)
class Remark:
    """A customer imported without one of its fields (or with it other than the file shows), and why."""

    line: int
    field: str
    why: Reason


@dataclass(frozen=True, slots=True)
class Update:
    """How a row changes a customer already in the book."""

    line: int
    customer_id: int
    name: str
    fill: dict[str, object]  # model field -> value, only where the book is empty
    add_tags: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()  # all tags after the merge
    add_phones: tuple[str, ...] = ()
    kept: tuple[tuple[str, str, str], ...] = ()  # (field, book's value, file's value) left as the book has it


@dataclass(slots=True)
class Plan:
    new: list[Candidate] = field(default_factory=list)
    updates: list[Update] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)  # lines that match a customer and add nothing
    duplicates: list[Duplicate] = field(default_factory=list)
    invalid: list[Invalid] = field(default_factory=list)
    remarks: list[Remark] = field(default_factory=list)
    rows: int = 0


class BookView(Protocol):
    def by_numbers(self, numbers: list[str]) -> dict[str, Existing]:
        """Customers owning any of these E.164 numbers."""

    def by_names(self, names: list[str]) -> list[Existing]:
        """Customers whose folded name is one of these."""


@lru_cache(maxsize=4096)
def _tags(cell: str) -> tuple[str, ...]:
    return tuple(values.tags(cell))  # a book has few tag cells, repeated on many rows


def check(raw: RawCustomer, numbers: Numbers) -> Candidate | Invalid:
    """One row as a Candidate, or the reason it is invalid."""
    if raw.problem:
        return Invalid(raw.line, raw.problem)
    if not raw.name and not raw.phones:
        return Invalid(raw.line, _NOTHING)
    phones: list[str] = []
    for text in raw.phones:
        try:
            number = numbers.e164(text)
        except InvalidNumber as exc:
            return Invalid(raw.line, Reason.from_error(exc))
        if number not in phones:
            phones.append(number)
    v = raw.values
    get = v.get
    remarks = raw.remarks
    # A bad birthday or gender is one field left out (and said), never the whole customer.
    birthday = lunar = None
    gender = ""
    if "birthday" in v:
        try:
            birthday = values.birthday(v["birthday"])
        except values.BadValue as exc:
            remarks += (("birthday", Reason.from_error(exc)),)
    if "lunar_birthday" in v:
        try:
            lunar = values.birthday(v["lunar_birthday"], lunar=True)
        except values.BadValue as exc:
            remarks += (("lunar_birthday", Reason.from_error(exc)),)
    if "gender" in v:
        try:
            gender = values.gender(str(v["gender"]))
        except values.BadValue as exc:
            remarks += (("gender", Reason.from_error(exc)),)
    # Positional, in field order: a frozen dataclass's keywords cost more than the rest of the row.
    return Candidate(raw.line, raw.name, tuple(phones), str(get("tier", "")), lunar or birthday,
                     _tags(str(get("tags", ""))), gender, str(get("company", "")), str(get("address", "")),
                     str(get("notes", "")), str(get("source", "")), remarks)


_NOTHING = Reason.of("row.empty", "no name and no phone number")


def birthday_fields(b: values.Birthday | None) -> dict[str, object]:
    """The Customer columns for a birthday (a lunar one keeps no solar date: the desk reads that as solar)."""
    if b is None:
        return {}
    if b.lunar:
        return {"birthday": None, "birthday_lunar": True, "lunar_month": b.month, "lunar_day": b.day}
    return {"birthday": date(b.year or NO_YEAR, b.month, b.day), "birthday_lunar": False,
            "lunar_month": None, "lunar_day": None}


def _tail(number: str) -> str:
    return number[-SIMILAR_DIGITS:]


def _shown(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()[5:] if value.year == NO_YEAR else value.isoformat()
    if isinstance(value, values.Birthday):
        prefix = "农历" if value.lunar else ""
        return f"{prefix}{value.year or ''}{'-' if value.year else ''}{value.month:02d}-{value.day:02d}"
    return str(value)


def _update(c: Candidate, old: Existing) -> Update | None:
    fill: dict[str, object] = {}
    kept: list[tuple[str, str, str]] = []
    for name in ("tier", "gender", "company", "address", "notes", "source"):
        new, have = getattr(c, name), getattr(old, name)
        if not new or new == have:
            continue
        if not have or (name == "tier" and have == DEFAULT_TIER):
            fill[name] = new
        else:
            kept.append((name, have, new))
    if c.birthday is not None:
        wanted = birthday_fields(c.birthday)
        have = {"birthday": old.birthday, "birthday_lunar": old.birthday_lunar, "lunar_month": old.lunar_month,
                "lunar_day": old.lunar_day}
        if old.birthday is None and not old.birthday_lunar:
            fill.update(wanted)
        elif any(have[k] != v for k, v in wanted.items()):
            shown = f"农历{old.lunar_month:02d}-{old.lunar_day:02d}" if old.birthday_lunar else _shown(old.birthday)
            kept.append(("birthday", shown, _shown(c.birthday)))
    add_tags = tuple(t for t in c.tags if t not in old.tags)
    add_phones = tuple(n for n in c.phones if n not in old.phones)
    if not fill and not add_tags and not add_phones and not kept:
        return None
    return Update(c.line, old.id, old.name, fill, add_tags, old.tags + add_tags, add_phones, tuple(kept))


def make_plan(rows: Iterable[RawCustomer], book: BookView, region: str = "CN",
              tiers: TierMapper | None = None) -> Plan:
    """Sort every row into new, updated, unchanged, duplicate or invalid; `tiers` maps tiers the shop lacks."""
    plan = Plan()
    numbers = Numbers(region)
    candidates: list[Candidate] = []
    first_with_number: dict[str, int] = {}
    first_with_tail: dict[tuple[str, str], int] = {}
    folded: dict[str, str] = {}  # each name folded once: it is compared three times
    for raw in rows:
        plan.rows += 1
        checked = check(raw, numbers)
        if checked.__class__ is Invalid:
            plan.invalid.append(checked)
            continue
        if tiers is not None and checked.tier:
            tier, why = tiers.map(checked.tier)
            if why is not None:
                checked = replace(checked, tier=tier, remarks=checked.remarks + (("tier", why),))
        if checked.remarks:
            plan.remarks.extend(Remark(checked.line, name, why) for name, why in checked.remarks)
        phones = checked.phones
        repeat = None
        for n in phones:
            if n in first_with_number:
                repeat = n
                break
        if repeat:
            plan.duplicates.append(Duplicate(checked.line, Reason.of(
                "dup.number", "{number} is already on line {line}", number=repeat, line=first_with_number[repeat])))
            continue
        key = folded.get(checked.name)
        if key is None:
            key = folded[checked.name] = fold(checked.name)
        tails = [(key, n[-SIMILAR_DIGITS:]) for n in phones]
        similar = None
        if key:
            for tail in tails:
                if tail in first_with_tail:
                    similar = first_with_tail[tail]
                    break
        if similar:
            plan.duplicates.append(Duplicate(checked.line, Reason.of(
                "dup.similar", "same name and a number ending like line {line} ({name})", line=similar,
                name=checked.name)))
            continue
        for n, tail in zip(phones, tails):
            first_with_number[n] = checked.line
            first_with_tail[tail] = checked.line
        candidates.append(checked)
    owners = book.by_numbers(list(first_with_number))
    unmatched = [c for c in candidates if c.name and not (owners and any(n in owners for n in c.phones))]
    namesakes: dict[str, list[Existing]] = {}
    for existing in book.by_names(list({folded[c.name] for c in unmatched})):
        namesakes.setdefault(fold(existing.name), []).append(existing)
    updated_by_line: dict[int, int] = {}
    for c in candidates:
        matched = {owners[n].id: owners[n] for n in c.phones if n in owners} if owners else None
        if not matched:
            lookalike = _lookalike(c, namesakes.get(folded[c.name], [])) if c.name and namesakes else None
            if lookalike:
                plan.duplicates.append(Duplicate(c.line, lookalike))
            else:
                plan.new.append(c)
            continue
        if len(matched) > 1:
            who = ", ".join(f"{e.name} (#{e.id})" for e in matched.values())
            plan.invalid.append(Invalid(c.line, Reason.of("row.numbers_of_several",
                                                          "its numbers belong to different customers: {who}", who=who)))
            continue
        old = next(iter(matched.values()))
        if old.id in updated_by_line:
            plan.duplicates.append(Duplicate(c.line, Reason.of(
                "dup.updated", "{name} is already updated by line {line}", name=old.name,
                line=updated_by_line[old.id])))
            continue
        updated_by_line[old.id] = c.line
        change = _update(c, old)
        if change is None:
            plan.unchanged.append(c.line)
        else:
            plan.updates.append(change)
    return plan


def _lookalike(c: Candidate, namesakes: list[Existing]) -> Reason | None:
    for existing in namesakes:
        if not c.phones:
            return Reason.of("dup.in_book_no_number", "{name} (#{id}) is already in the book and the row has no number",
                             name=existing.name, id=existing.id)
        tails = {_tail(n) for n in existing.phones}
        for n in c.phones:
            if _tail(n) in tails:
                return Reason.of("dup.lookalike",
                                 "looks like {name} (#{id}) in the book: same name, number ending {tail}",
                                 name=existing.name, id=existing.id, tail=_tail(n))
    return None
