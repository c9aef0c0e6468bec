"""Reports: what the book says about a span of the shop's days, as plain tables.

Each report is one function of a `Period` (whole local days in the shop's time
zone) returning a `Report`: named columns, rows of plain values, an optional
total row, and the columns worth a chart. The counting is done by SQL
aggregates in the database, on SQLite and PostgreSQL alike; Python only fills
in empty days and works out rates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from store.reports.period import PRESETS, Period, preset

Value = str | int | float | Decimal | None


@dataclass(frozen=True, slots=True)
class Report:
    """One report's table: `columns` name each value of a row; the first column labels the row."""

    kind: str
    period: Period
    columns: tuple[str, ...]
    rows: tuple[tuple[Value, ...], ...]
    total: tuple[Value, ...] | None = None  # the same columns over the whole period, its label None
    chart: tuple[str, ...] = ()  # numeric columns a chart can show, the most telling first

    def column(self, name: str) -> list[Value]:
        """The values of one column, row by row."""
        index = self.columns.index(name)
        return [row[index] for row in self.rows]


def rate(part: int, whole: int) -> float | None:
    """`part` of `whole` in percent, to one decimal; None when there is no whole."""
    return round(100 * part / whole, 1) if whole else None


def _kinds() -> dict[str, Callable[[Period], Report]]:
    from store.reports import calls, campaigns, customers, texts

    return {
        "calls": calls.calls,
        "hours": calls.hours,
        "callbacks": calls.callbacks,
        "callers": calls.callers,
        "customers": customers.top_customers,
        "tiers": customers.tiers,
        "texts": texts.texts,
        "campaigns": campaigns.campaigns,
    }


KINDS = ("calls", "hours", "callbacks", "callers", "customers", "tiers", "texts", "campaigns")


def run(kind: str, period: Period) -> Report:
    """The report `kind` (one of KINDS) over `period`."""
    reports = _kinds()
    if kind not in reports:
        raise ValueError(f"{kind!r} is not a report; choose one of {', '.join(KINDS)}")
    return reports[kind](period)


__all__ = ["KINDS", "PRESETS", "Period", "Report", "preset", "rate", "run"]
