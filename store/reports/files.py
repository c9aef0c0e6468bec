"""A report as a file: CSV (UTF-8 with BOM, for Excel) or XLSX, never over an existing file.

Text cells go through the export's formula guard (store.io.cells) and its XLSX
cell writer, so a customer named "=HYPERLINK(…)" stays a name in the
spreadsheet. Numbers stay numbers. The file is created exclusively: a name
already taken is an error, or, through `free_path`, the next free name.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from store.io.cells import neutralise
from store.io.export import xlsx_cell
from store.reports import Report, Value

FORMATS = ("csv", "xlsx")


def lines(report: Report, total_label: str = "total") -> Iterator[tuple[Value, ...]]:
    """The report's rows, then its total row labelled `total_label`."""
    yield from report.rows
    if report.total is not None:
        yield (total_label, *report.total[1:])


def _csv_value(value: Value):
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(value)
    return value


def _create(path: Path):
    """Open `path` for writing only if nothing is there (owner-only); FileExistsError otherwise."""
    return open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")


def write(report: Report, fmt: str, path: Path, header: Sequence[str] | None = None,
          total_label: str = "total") -> int:
    """Write `report` to a new file at `path` as csv or xlsx, headed by `header` (default: the column names);
    how many rows. FileExistsError when `path` exists: nothing is ever overwritten."""
    if fmt not in FORMATS:
        raise ValueError(f"{fmt!r} is not a report format; choose csv or xlsx")
    with _create(path) as raw:
        try:
            if fmt == "csv":
                return write_csv(report, raw, header, total_label)
            return write_xlsx(report, raw, header, total_label)
        except BaseException:
            raw.close()
            path.unlink(missing_ok=True)
            raise


def write_csv(report: Report, raw: BinaryIO, header: Sequence[str] | None = None, total_label: str = "total") -> int:
    """The report as CSV (UTF-8 with BOM) into the binary stream `raw`; how many rows."""
    out = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in (header or report.columns)])
    rows = list(lines(report, total_label))
    writer.writerows([_csv_value(v) for v in row] for row in rows)
    out.flush()
    out.detach()
    return len(rows)


def write_xlsx(report: Report, raw: BinaryIO, header: Sequence[str] | None = None, total_label: str = "total") -> int:
    """The report as an XLSX workbook of one sheet into the binary stream `raw`; how many rows."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(report.kind)
    sheet.append([xlsx_cell(sheet, h) for h in (header or report.columns)])
    rows = list(lines(report, total_label))
    for row in rows:
        sheet.append([xlsx_cell(sheet, v) for v in row])
    book.save(raw)
    return len(rows)


def file_name(report: Report, fmt: str) -> str:
    """calls-2026-10-27-2026-11-25.csv: what, over which days."""
    return f"{report.kind}-{report.period.first.isoformat()}-{report.period.last.isoformat()}.{fmt}"


def save_new(report: Report, fmt: str, folder: Path, header: Sequence[str] | None = None,
             total_label: str = "total") -> Path:
    """Write `report` into `folder` (made if missing) under its file name, or name-2, name-3, … if taken."""
    folder.mkdir(parents=True, exist_ok=True)
    stem, suffix = file_name(report, fmt).rsplit(".", 1)
    for n in range(1, 1000):
        path = folder / (f"{stem}.{suffix}" if n == 1 else f"{stem}-{n}.{suffix}")
        try:
            write(report, fmt, path, header, total_label)
            return path
        except FileExistsError:
            continue
    raise FileExistsError(f"{folder} already holds 999 exports of {stem}")
