"""A shop's file as customers the way the file wrote them: CSV, XLSX or vCard, told apart by content.

Nothing here judges the values; `plan.py` does. A file that cannot be read at
all raises `UnreadableFile` with a plain reason (and nothing is imported); a
row that cannot be read carries its `problem` and is reported as invalid.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from store.io import values
from store.io.columns import BadMapping, ColumnMap, map_columns
from store.io.encoding import UnreadableFile, decode
from store.problems import Reason

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
    problem: Reason | None = None  # why the row cannot be read at all
    remarks: tuple[tuple[str, Reason], ...] = ()  # (field, why): a cell left out, or kept other than it reads


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
            raise UnreadableFile("file.folder", "{path} is a folder, not a file", path=path)
        if size > MAX_FILE_BYTES:
            raise UnreadableFile("file.too_big", "the file is {mb} MB; split it into files under 256 MB", mb=size // 2**20)
        with path.open("rb") as f:
            head = f.read(8)
    except FileNotFoundError:
        raise UnreadableFile("file.missing", "there is no file {path}", path=path) from None
    except PermissionError:
        raise UnreadableFile("file.permission", "{path} cannot be read (permission denied)", path=path) from None
    if head.startswith(b"PK\x03\x04"):
        return _read_xlsx(path, mapping)
    if head.startswith(OLD_EXCEL):
        raise UnreadableFile("file.xls", "this is an old Excel file (.xls); in Excel choose Save As → .xlsx or 'CSV UTF-8'")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        raise UnreadableFile("file.not_xlsx", "{name} is named like an Excel workbook but is not one (not a .xlsx zip)",
                             name=path.name)
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
            raise UnreadableFile("file.huge_cell", "line {line}: a cell is larger than 16 MB; this is not a customer list",
                                     line=start) from None
        if "end of data" in reason:
            raise UnreadableFile("file.open_quote", "line {line}: a quote (\") opens a cell that is never closed",
                                 line=start) from None
        raise UnreadableFile("file.malformed", "line {line}: the CSV is malformed ({reason})", line=reader.line_num,
                             reason=reason) from None


TITLE_ROWS = 5  # shops put a title ("2025年会员名单") or a note above the header; look this far down


def _header(rows: Iterator[tuple[int, list]], mapping: dict[str, str] | None,
            empty: UnreadableFile) -> tuple[list, ColumnMap]:
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
    raise empty


def _read_csv(text: str, encoding: str, mapping: dict[str, str] | None) -> Source:
    rows = _csv_rows(text)
    header, columns = _header(rows, mapping, UnreadableFile("file.no_header", "the file has no header row"))
    return Source("csv", encoding, columns.unused, _customers(rows, columns, len(header)))


def _read_xlsx(path: Path, mapping: dict[str, str] | None) -> Source:
    import zipfile

    from openpyxl import load_workbook

    try:
        # Formulas as written (data_only=False): a name typed as "=张三" is a formula Excel shows as #NAME?,
        # and with only the computed values it would arrive empty. Computed values are read where there is one.
        book = load_workbook(path, read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise UnreadableFile("file.bad_xlsx", "{name} is not a readable Excel workbook ({error})", name=path.name,
                             error=type(exc).__name__) from None
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook; all mean the same to a shop
        raise UnreadableFile("file.damaged", "{name} is a damaged Excel workbook ({error})", name=path.name,
                             error=f"{type(exc).__name__}: {exc}") from None
    try:
        if not book.worksheets:
            raise UnreadableFile("file.no_sheets", "{name} has no sheets", name=path.name)
        sheet = book.worksheets[0]
        computed = _Computed(path)
        formulas: dict[int, list[tuple[int, str]]] = {}
        rows = _computed_rows(enumerate(sheet.iter_rows(values_only=True), start=1), computed, formulas)
        header, columns = _header(rows, mapping, UnreadableFile("file.empty_sheet", "the first sheet of {name} is empty",
                                                                 name=path.name))
    except (UnreadableFile, BadMapping):
        book.close()
        computed.close()
        raise
    except Exception as exc:
        book.close()
        computed.close()
        raise UnreadableFile("file.damaged", "{name} is a damaged Excel workbook ({error})", name=path.name,
                             error=f"{type(exc).__name__}: {exc}") from None
    customers = _formulas_remarked(_customers(rows, columns, len(header)), formulas, columns)
    return Source("xlsx", "xlsx", columns.unused, _closing((book, computed), customers))


class _Computed:
    """The values Excel last computed for the first sheet, read forward, and only once a formula is met."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.book = None
        self.rows: Iterator[tuple[int, tuple]] | None = None

    def row(self, line: int) -> tuple:
        if self.rows is None:
            from openpyxl import load_workbook

            self.book = load_workbook(self.path, read_only=True, data_only=True)
            self.rows = enumerate(self.book.worksheets[0].iter_rows(values_only=True), start=1)
        for n, values in self.rows:
            if n == line:
                return values
            if n > line:
                break
        return ()

    def close(self) -> None:
        if self.book is not None:
            self.book.close()


def _computed_rows(rows, computed: _Computed, formulas: dict[int, list[tuple[int, str]]]):
    """Rows with each formula replaced by its computed value; a formula with none (or an error) kept as written."""
    for n, row in rows:
        row = list(row)
        if any(c.__class__ is str and c[:1] == "=" for c in row):
            values = computed.row(n)
            for i, cell in enumerate(row):
                if cell.__class__ is str and cell[:1] == "=":
                    value = values[i] if i < len(values) else None
                    if value is None or (isinstance(value, str) and value.startswith("#")):
                        formulas.setdefault(n, []).append((i, cell))  # kept as written, and said
                    else:
                        row[i] = value
        yield n, row


def _formulas_remarked(customers: Iterator[RawCustomer], formulas: dict[int, list[tuple[int, str]]],
                       columns: ColumnMap) -> Iterator[RawCustomer]:
    field_of = dict(columns.fields)
    for customer in customers:
        kept = formulas.pop(customer.line, None) if formulas else None
        if kept:
            said = tuple((field_of[i], Reason.of("formula", "a formula in the file, kept as written: {formula}",
                                                 formula=text)) for i, text in kept if i in field_of)
            if said:
                customer = replace(customer, remarks=customer.remarks + said)
        yield customer


def _closing(books, customers: Iterator[RawCustomer]) -> Iterator[RawCustomer]:
    # Read-only workbooks keep the file open until closed.
    try:
        yield from customers
    except UnreadableFile:
        raise
    except Exception as exc:
        raise UnreadableFile("file.damaged_part_way", "the workbook is damaged part way ({error})",
                             error=f"{type(exc).__name__}: {exc}") from None
    finally:
        for book in books:
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
            yield RawCustomer(line, problem=Reason.of("row.cells", "the row has {cells} cells but the header has "
                                                      "{width} (a separator inside a cell without quotes?)",
                                                      cells=len(row), width=width))
            continue
        yield customer_from_cells(line, row, columns)


ESSENTIAL = frozenset(("name", "surname", "given_name", "phone"))  # a bad one of these: the row cannot be read
# What Excel writes (and saves into a CSV) for a formula that failed, such as a name typed as =张三.
EXCEL_ERRORS = frozenset(("#NAME?", "#VALUE!", "#REF!", "#N/A", "#DIV/0!", "#NUM!", "#NULL!", "#SPILL!", "#CALC!"))


def _FAILED_FORMULA(value: str) -> Reason:  # noqa: N802 - reads as the reason it makes
    return Reason.of("formula_failed", "{value} is Excel's mark of a formula that failed; kept as written",
                     value=value)


def customer_from_cells(line: int, row: list, columns: ColumnMap,
                        remarks: tuple[tuple[str, Reason], ...] = ()) -> RawCustomer:
    """One row's cells as a RawCustomer, or one with the problem that stops it being read.

    A bad optional cell (a notes cell too long to be one) is left out and
    remarked on; the customer is still imported.
    """
    found: dict[str, object] = {}
    phones: list[str] = []
    text, width = values.text, len(row)
    for index, column in columns.fields:
        if index >= width:
            continue
        cell = row[index]
        if cell is None or (isinstance(cell, str) and not cell.strip(_SPACE)):  # _blank, inline: per cell
            continue
        try:
            if column == "phone":
                phones.extend(values.phone_texts(text(cell, "phone")))
            elif column in ("birthday", "lunar_birthday") and not isinstance(cell, str):
                found[column] = cell  # a date or a serial number from Excel, parsed later
            else:
                found[column] = value = text(cell, column)
                if value[:1] == "#" and value in EXCEL_ERRORS:
                    remarks += ((column, _FAILED_FORMULA(value)),)
        except values.BadValue as exc:
            if column in ESSENTIAL:
                return RawCustomer(line, problem=Reason.from_error(exc))
            remarks += ((column, Reason.from_error(exc)),)
    name = found.pop("name", "")  # text, as every cell but a date
    if "surname" not in found and "given_name" not in found:
        return RawCustomer(line, name, tuple(phones), found, remarks=remarks)
    surname, given = str(found.pop("surname", "") or ""), str(found.pop("given_name", "") or "")
    if not name and (surname or given):
        # 张 + 三 is 张三; John + Smith is "John Smith".
        name = surname + given if not (surname + given).isascii() else f"{given} {surname}".strip()
    return RawCustomer(line, name, tuple(phones), found, remarks=remarks)
