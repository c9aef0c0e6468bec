"""The book out: customers, calls and texts as CSV, XLSX or vCard, streamed page by page.

Rows are read in pages of 5,000 by id (keyset), so exporting ten million calls
holds one page in memory on SQLite and PostgreSQL alike. Times are ISO 8601 in
the shop's time zone with the offset written (2026-05-01T17:30:00+08:00), so a
script reads the exact moment and a person reads the shop's clock; numbers E.164.

CSV is UTF-8 with a byte-order mark: without it Excel on Chinese Windows reads
the file as GBK and shows names as mojibake. Every text cell that a spreadsheet
would run as a formula is guarded with a quote (see cells.py); a bare E.164
number (+8613800138000) cannot run and is written as it is. XLSX cells are
typed strings, never formulas, so they need no guard; a cell longer than
Excel's 32,767 characters is cut with "…".
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timezone, tzinfo
from decimal import Decimal
from pathlib import Path
from typing import TextIO

from peewee import JOIN

from store.io.cells import neutralise
from store.io.plan import NO_YEAR
from store.io.vcard import CardFacts, card
from store.models import Call, Customer, Message, Phone
from store.problems import Problem

PAGE = 5000
XLSX_CELL = 32_767
COLUMNS = {
    "customers": ("name", "phones", "tier", "birthday", "tags", "notes"),
    "calls": ("started_at", "number", "customer", "direction", "outcome", "duration_s"),
    "messages": ("at", "direction", "number", "customer", "status", "body"),
}
FORMATS = ("csv", "xlsx", "vcf")


class CannotExport(Problem):
    """The export asked for cannot be made; the message says why."""


def _zone() -> tzinfo:
    from store.reports.period import shop_zone

    return shop_zone()


def _time(value: datetime | None, zone: tzinfo) -> str:
    if not value:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)  # stored UTC (DESIGN invariant 6)
    return value.astimezone(zone).isoformat(timespec="seconds")


def birthday_text(birthday: date | None, lunar: bool = False, month: int | None = None,
                  day: int | None = None) -> str:
    """A birthday as the importer reads it back: 1990-05-01, 05-01 (no year) or 农历03-08."""
    if lunar and month and day:
        return f"农历{month:02d}-{day:02d}"
    if birthday is None:
        return ""
    return birthday.isoformat()[5:] if birthday.year == NO_YEAR else birthday.isoformat()


def _pages(query, key) -> Iterator[tuple]:
    last = 0
    while True:
        page = list(query.where(key > last).order_by(key).limit(PAGE).tuples())
        if not page:
            return
        yield from page
        last = page[-1][0]


@dataclass(frozen=True, slots=True)
class CustomerOut:
    facts: CardFacts
    row: tuple[str, ...]


def _customers(since: datetime | None) -> Iterator[CustomerOut]:
    query = Customer.select(Customer.id, Customer.name, Customer.tier, Customer.birthday, Customer.birthday_lunar,
                            Customer.lunar_month, Customer.lunar_day, Customer.tags, Customer.notes,
                            Customer.company, Customer.address, Customer.gender)
    if since:
        query = query.where(Customer.updated_at >= since)
    page: list[tuple] = []
    for row in _pages(query, Customer.id):
        page.append(row)
        if len(page) == PAGE:
            yield from _with_phones(page)
            page = []
    yield from _with_phones(page)


def _with_phones(page: list[tuple]) -> Iterator[CustomerOut]:
    if not page:
        return
    phones: dict[int, list[str]] = {}
    ids = [row[0] for row in page]
    for start in range(0, len(ids), 500):
        for cid, number in (Phone.select(Phone.customer, Phone.number).where(Phone.customer.in_(ids[start:start + 500]))
                            .order_by(Phone.customer, Phone.is_primary.desc(), Phone.id).tuples()):
            phones.setdefault(cid, []).append(number)
    for cid, name, tier, birthday, lunar, month, day, tags, notes, company, address, gender in page:
        tag_list = tuple(t for t in tags.split("|") if t)
        numbers = tuple(phones.get(cid, ()))
        solar = "" if lunar else birthday_text(birthday)
        facts = CardFacts(name=name, phones=numbers, tier=tier,
                          birthday=("--" + solar if len(solar) == 5 else solar),
                          lunar_birthday=(f"--{month:02d}-{day:02d}" if lunar and month and day else ""),
                          tags=tag_list, notes=notes, company=company, address=address, gender=gender)
        tag_text = ";".join(tag_list)
        if " " in tag_text and ";" not in tag_text:
            tag_text += ";"  # a lone tag with a space: the ";" says it is one tag, not two
        row = (name, ";".join(numbers), tier, birthday_text(birthday, lunar, month, day), tag_text, notes)
        yield CustomerOut(facts, row)


def _calls(since: datetime | None) -> Iterator[tuple]:
    query = (Call.select(Call.id, Call.started_at, Call.number, Customer.name, Call.direction, Call.outcome,
                         Call.duration_s).join(Customer, join_type=JOIN.LEFT_OUTER, on=(Call.customer == Customer.id)))
    if since:
        query = query.where(Call.started_at >= since)
    zone = _zone()
    for _, started, number, name, direction, outcome, duration in _pages(query, Call.id):
        yield _time(started, zone), number, name or "", direction, outcome, duration


def _messages(since: datetime | None) -> Iterator[tuple]:
    query = (Message.select(Message.id, Message.at, Message.direction, Message.number, Customer.name, Message.status,
                            Message.body).join(Customer, join_type=JOIN.LEFT_OUTER,
                                               on=(Message.customer == Customer.id)))
    if since:
        query = query.where(Message.at >= since)
    zone = _zone()
    for _, at, direction, number, name, status, body in _pages(query, Message.id):
        yield _time(at, zone), direction, number, name or "", status, body


def rows(kind: str, since: datetime | None = None) -> Iterator[tuple]:
    """The rows of one export, in COLUMNS[kind] order."""
    if kind == "customers":
        return (c.row for c in _customers(since))
    if kind == "calls":
        return _calls(since)
    if kind == "messages":
        return _messages(since)
    raise CannotExport("export.kind", "{kind!r} cannot be exported; choose customers, calls or messages", kind=kind)


def write_csv(kind: str, out: TextIO, since: datetime | None = None) -> int:
    """CSV (the caller opens `out` with utf-8-sig and newline=''); how many rows."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS[kind])
    count = 0
    for row in rows(kind, since):
        writer.writerow([v if isinstance(v, int) else neutralise(str(v)) for v in row])
        count += 1
    return count


def xlsx_cell(sheet, value):
    """One cell of a write-only sheet: numbers as numbers, anything else as plain text, never a formula."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return WriteOnlyCell(sheet, value)
    text = ILLEGAL_CHARACTERS_RE.sub("", "" if value is None else str(value))
    if len(text) > XLSX_CELL:
        text = text[:XLSX_CELL - 1] + "…"
    c = WriteOnlyCell(sheet, text)
    c.data_type = "s"  # openpyxl makes "=..." a formula; a customer's text is never one
    return c


def write_xlsx(kind: str, path: Path, since: datetime | None = None) -> int:
    """An XLSX workbook with one sheet, written as it streams; how many rows."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(kind)

    def cell(value):
        return xlsx_cell(sheet, value)

    sheet.append([cell(h) for h in COLUMNS[kind]])
    count = 0
    for row in rows(kind, since):
        sheet.append([cell(v) for v in row])
        count += 1
    book.save(path)
    return count


def write_vcf(out: TextIO, since: datetime | None = None) -> int:
    """Customers as vCard 3.0; how many."""
    count = 0
    for customer in _customers(since):
        out.write(card(customer.facts))
        count += 1
    return count


def export_to(kind: str, fmt: str, path: Path, since: datetime | None = None, *, replace: bool = False) -> int:
    """Write the export to `path` (owner-only, in place only when complete); how many rows.

    An existing `path` is an error (CannotExport, export.exists) unless `replace`.
    """
    if fmt not in FORMATS:
        raise CannotExport("export.format", "{fmt!r} is not a format; choose csv, xlsx or vcf", fmt=fmt)
    if fmt == "vcf" and kind != "customers":
        raise CannotExport("export.vcf_customers", "only customers can be exported as vCards")
    rows(kind)  # checks the kind before a file is made
    claimed = False
    if not replace:
        try:  # the name is claimed first, so nothing another process made there meanwhile is replaced
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            claimed = True
        except FileExistsError:
            raise CannotExport("export.exists", "{path} already exists: give a new file name, or add --force to "
                               "replace it", path=path) from None
    part = path.with_name(path.name + ".part")
    try:
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        if fmt == "xlsx":
            os.close(fd)
            count = write_xlsx(kind, part, since)
        else:
            with open(fd, "w", encoding="utf-8-sig" if fmt == "csv" else "utf-8", newline="") as out:
                count = write_csv(kind, out, since) if fmt == "csv" else write_vcf(out, since)
        os.replace(part, path)
    except BaseException:
        part.unlink(missing_ok=True)
        if claimed:
            path.unlink(missing_ok=True)
        raise
    return count
