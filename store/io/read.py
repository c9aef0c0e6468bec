"""A shop's file as customers the way the file wrote them: CSV, XLSX or vCard, told apart by content.

Nothing here judges the values; `plan.py` does. A file that cannot be read at
all raises `UnreadableFile` with a plain reason (and nothing is imported); a
row that cannot be read carries its `problem` and is reported as invalid.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from store.io import values
from store.io.columns import BadMapping, ColumnMap, map_columns
from store.io.encoding import UnreadableFile, decode

MAX_FILE_BYTES = 256 * 1024 * 1024
MAX_CELL = 16 * 1024 * 1024  # the csv module's own ceiling: past it the file is refused, not the row
OLD_EXCEL = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True, slots=True)
class RawCustomer:
    """One customer as the file wrote it, before any checking."""

    line: int
    name: str = ""
    phones: tuple[str, ...] = ()
    values: dict[str, object] = field(default_factory=dict)  # field -> cell (text, or a date from Excel)
    problem: str = ""  # why the row cannot be read at all


@dataclass(frozen=True, slots=True)
class Source:
    kind: str  # "csv", "xlsx" or "vcard"
    encoding: str
    unused_columns: tuple[str, ...]
    customers: Iterator[RawCustomer]


def read_file(path: str | Path, mapping: dict[str, str] | None = None) -> Source:
    """The customers in the file at `path`; raises UnreadableFile or columns.BadMapping."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise UnreadableFile(f"{path} is a folder, not a file")
        if size > MAX_FILE_BYTES:
            raise UnreadableFile(f"the file is {size // 2**20} MB; split it into files under 256 MB")
        with path.open("rb") as f:
            head = f.read(8)
    except FileNotFoundError:
        raise UnreadableFile(f"there is no file {path}") from None
    except PermissionError:
        raise UnreadableFile(f"{path} cannot be read (permission denied)") from None
    if head.startswith(b"PK\x03\x04"):
        return _read_xlsx(path, mapping)
    if head.startswith(OLD_EXCEL):
        raise UnreadableFile("this is an old Excel file (.xls); in Excel choose Save As → .xlsx or 'CSV UTF-8'")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        raise UnreadableFile(f"{path.name} is named like an Excel workbook but is not one (not a .xlsx zip)")
    decoded = decode(path.read_bytes())
    if decoded.text.lstrip("\ufeff \t\r\n").upper().startswith("BEGIN:VCARD"):
        from store.io.vcard import read_vcards

        return Source("vcard", decoded.encoding, (), read_vcards(decoded.text))
    return _read_csv(decoded.text, decoded.encoding, mapping)


def _delimiter(header_line: str) -> str:
    """The separator of the header line: Excel writes ',' (or ';' in some locales, tab for 'Unicode text')."""
    counts = {d: header_line.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    first = next((line for line in text.splitlines() if line.strip()), "")
    csv.field_size_limit(MAX_CELL)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first), strict=True)
    start = 1
    try:
        for row in reader:
            yield start, row
            start = reader.line_num + 1
    except csv.Error as exc:
        reason = str(exc)
        if "field larger" in reason:
            raise UnreadableFile(f"line {start}: a cell is larger than 16 MB; this is not a customer list") from None
        if "end of data" in reason:
            raise UnreadableFile(f"line {start}: a quote (\") opens a cell that is never closed") from None
        raise UnreadableFile(f"line {reader.line_num}: the CSV is malformed ({reason})") from None


TITLE_ROWS = 5  # shops put a title ("2025年会员名单") or a note above the header; look this far down


def _header(rows: Iterator[tuple[int, list]], mapping: dict[str, str] | None, empty: str) -> tuple[list, ColumnMap]:
    """The header row and its columns: the first of the top non-empty rows that names a name or a phone."""
    first_error: BadMapping | None = None
    tried = 0
    for _, row in rows:
        cells = ["" if c is None else str(c).replace("\x00", "") for c in row]
        if not any(c.strip() for c in cells):
            continue
        try:
            return row, map_columns(cells, mapping)
        except BadMapping as exc:
            first_error = first_error or exc
            tried += 1
            if tried == TITLE_ROWS:
                break
    if first_error is not None:
        raise first_error
    raise UnreadableFile(empty)


def _read_csv(text: str, encoding: str, mapping: dict[str, str] | None) -> Source:
    rows = _csv_rows(text)
    header, columns = _header(rows, mapping, "the file has no header row")
    return Source("csv", encoding, columns.unused, _customers(rows, columns, len(header)))


def _read_xlsx(path: Path, mapping: dict[str, str] | None) -> Source:
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise UnreadableFile(f"{path.name} is not a readable Excel workbook ({type(exc).__name__})") from None
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook; all mean the same to a shop
        raise UnreadableFile(f"{path.name} is a damaged Excel workbook ({type(exc).__name__}: {exc})") from None
    try:
        if not book.worksheets:
            raise UnreadableFile(f"{path.name} has no sheets")
        sheet = book.worksheets[0]
        rows = ((n, list(r)) for n, r in enumerate(sheet.iter_rows(values_only=True), start=1))
        header, columns = _header(rows, mapping, f"the first sheet of {path.name} is empty")
    except (UnreadableFile, BadMapping):
        book.close()
        raise
    except Exception as exc:
        book.close()
        raise UnreadableFile(f"{path.name} is a damaged Excel workbook ({type(exc).__name__}: {exc})") from None
    return Source("xlsx", "xlsx", columns.unused, _closing(book, _customers(rows, columns, len(header))))


def _closing(book, customers: Iterator[RawCustomer]) -> Iterator[RawCustomer]:
    # Read-only workbooks keep the file open until closed.
    try:
        yield from customers
    except UnreadableFile:
        raise
    except Exception as exc:
        raise UnreadableFile(f"the workbook is damaged part way ({type(exc).__name__}: {exc})") from None
    finally:
        book.close()


_SPACE = " \t\r\n\x00"


def _blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip(_SPACE))


def _empty(row: list) -> bool:
    try:
        return not "".join(row).strip(_SPACE)  # a CSV row: all text, one pass in C
    except TypeError:
        return all(_blank(c) for c in row)


def _customers(rows, columns: ColumnMap, width: int) -> Iterator[RawCustomer]:
    for line, row in rows:
        if _empty(row):
            continue
        extra = len(row) > width and [c for c in row[width:] if not _blank(c)]
        if extra:
            yield RawCustomer(line, problem=f"the row has {len(row)} cells but the header has {width} "
                                            "(a separator inside a cell without quotes?)")
            continue
        yield customer_from_cells(line, row, columns)


def customer_from_cells(line: int, row: list, columns: ColumnMap) -> RawCustomer:
    """One row's cells as a RawCustomer, or one with the problem that stops it being read."""
    found: dict[str, object] = {}
    phones: list[str] = []
    text, width = values.text, len(row)
    try:
        for index, column in columns.fields:
            if index >= width:
                continue
            cell = row[index]
            if cell is None or (isinstance(cell, str) and not cell.strip(_SPACE)):  # _blank, inline: per cell
                continue
            if column == "phone":
                phones.extend(values.phone_texts(text(cell, "phone")))
            elif column in ("birthday", "lunar_birthday") and not isinstance(cell, str):
                found[column] = cell  # a date or a serial number from Excel, parsed later
            else:
                found[column] = text(cell, column)
    except values.BadValue as exc:
        return RawCustomer(line, problem=str(exc))
    name = found.pop("name", "")  # text, as every cell but a date
    if "surname" not in found and "given_name" not in found:
        return RawCustomer(line, name, tuple(phones), found)
    surname, given = str(found.pop("surname", "") or ""), str(found.pop("given_name", "") or "")
    if not name and (surname or given):
        # 张 + 三 is 张三; John + Smith is "John Smith".
        name = surname + given if not (surname + given).isascii() else f"{given} {surname}".strip()
    return RawCustomer(line, name, tuple(phones), found)
