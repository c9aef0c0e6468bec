"""Reports: one at a time from the side list, over a period picked by keys 1–5, as a bar chart and a table.

The figures are counted on a thread worker with its own connection to the book,
not on the desk's book thread: a year of calls takes seconds on a big book, and
a ringing call's card must not wait behind it. `v` charts the next figure of
the report; `e` and `x` save it as CSV or Excel in a folder the operator picks
(tui/screens/save_to.py: ~/Documents/guanjia by default), never over a file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, OptionList, Static
from textual.widgets.option_list import Option

from store.reports import KINDS, PRESETS, Report
from tui.i18n import TranslatedBindings, t
from tui.problems import said
from tui.text import cell
from tui.widgets.bar_chart import Bar, BarChart
from tui.widgets.table import Table


@dataclass
class ReportLoaded(Message, bubble=False):
    token: int
    report: Report


@dataclass
class ReportFailed(Message, bubble=False):
    token: int
    error: str


@dataclass
class ReportSaved(Message, bubble=False):
    path: str


@dataclass
class SaveFailed(Message, bubble=False):
    error: str


def read_report(kind: str, period_name: str, now: datetime) -> Report:
    """Blocking: the report `kind` over the preset period ending on the shop's today, on this thread's own
    connection, closed again after."""
    from store.models import Customer
    from store.reports import preset, run
    from store.reports.period import shop_zone

    with Customer._meta.database.connection_context():
        today = now.astimezone(shop_zone()).date()
        return run(kind, preset(period_name, today))


def save_report(report: Report, fmt: str, header: list[str], total_label: str, folder: Path) -> Path:
    """Blocking: write the report into `folder` (made if missing) under a name not yet taken; the path."""
    from store.reports import files

    return files.save_new(report, fmt, folder, header, total_label)


def is_rate(column: str) -> bool:
    return column.endswith(("_rate", "_share"))


def shown(value, column: str = "") -> str:
    """A report value as the screen writes it: 1,234 · 50.0% · 1,234.50 · — for nothing."""
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.1f}%" if is_rate(column) else f"{value:.1f}"
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def header(column: str) -> str:
    """A column's name in the operator's language."""
    return t(f"reports.col.{column}")


def bars(report: Report, measure: str) -> list[Bar]:
    """One bar a row of `report`, measuring the column `measure`."""
    index = report.columns.index(measure)
    out = []
    for row in report.rows:
        value = row[index]
        number = float(value) if isinstance(value, (int, float, Decimal)) else None
        out.append(Bar(str(row[0]), number, shown(value, measure)))
    return out


class ReportsScreen(TranslatedBindings, Screen):
    """The side list of reports, the period keys, the chart and the table of the report shown."""

    NAME = "reports"

    DEFAULT_CSS = """
    ReportsScreen #report-periods { height: 1; padding: 0 1; }
    ReportsScreen #report-body { height: 1fr; }
    ReportsScreen #report-kinds { width: 18; height: 1fr; }
    ReportsScreen #report-pane { width: 1fr; }
    ReportsScreen #report-measure { height: 1; padding: 0 1; color: $text-muted; }
    ReportsScreen #report-chart { height: 1fr; padding: 0 1; }
    ReportsScreen #report-table { height: 1fr; }
    """

    BINDINGS = [
        Binding("escape", "back", "key.back", tooltip="tip.back", id="reports.back"),
        *[Binding(str(n), f"period('{name}')", f"key.range_{name}", tooltip="tip.range", id=f"reports.{name}",
                  show=False) for n, name in enumerate(PRESETS, start=1)],
        Binding("v", "measure", "key.measure", tooltip="tip.measure", id="reports.measure"),
        Binding("e", "export('csv')", "key.export_csv", tooltip="tip.export_csv", id="reports.csv"),
        Binding("x", "export('xlsx')", "key.export_xlsx", tooltip="tip.export_xlsx", id="reports.xlsx"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.kind = KINDS[0]
        self.period = "30d"
        self.report: Report | None = None
        self.measure = 0  # which of the report's chart columns the chart shows
        self._token = 0  # the newest request: answers to older ones are dropped

    def compose(self) -> ComposeResult:
        yield Static(t("screen.reports"), id="report-title", classes="screen-title", markup=False)
        yield Static(id="report-periods", markup=False)
        with Horizontal(id="report-body"):
            yield OptionList(*[Option(t(f"report.{kind}"), id=kind) for kind in KINDS], id="report-kinds",
                             markup=False)
            with Vertical(id="report-pane"):
                yield Static(id="report-measure", markup=False)
                with VerticalScroll(id="report-chart"):
                    yield BarChart(id="report-bars")
                yield Table(id="report-table", cursor_type="row", zebra_stripes=True)
        yield Footer(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        kinds = self.query_one("#report-kinds", OptionList)
        kinds.highlighted = 0
        kinds.focus()
        self._load()

    # -- asking ---------------------------------------------------------------------

    def _load(self) -> None:
        self._token += 1
        self.report = None
        self._show_periods()
        self.query_one("#report-measure", Static).update(t("reports.loading"))
        self._read(self.kind, self.period, self._token)

    @work(thread=True, exclusive=True, group="report", exit_on_error=False)
    def _read(self, kind: str, period_name: str, token: int) -> None:
        try:
            report = read_report(kind, period_name, self.app.clock())
        except Exception as exc:  # noqa: BLE001 - any failure of the book is told, not raised into the UI
            self.post_message(ReportFailed(token, said(exc) or type(exc).__name__))
            return
        self.post_message(ReportLoaded(token, report))

    @on(OptionList.OptionHighlighted, "#report-kinds")
    def _kind_picked(self, event: OptionList.OptionHighlighted) -> None:
        kind = event.option.id
        if kind and kind != self.kind:
            self.kind, self.measure = kind, 0
            self._load()

    def action_period(self, name: str) -> None:
        """Count over another period (the same key again counts afresh)."""
        self.period = name
        self._load()

    def action_measure(self) -> None:
        """Chart the report's next figure."""
        if self.report is not None and self.report.chart:
            self.measure = (self.measure + 1) % len(self.report.chart)
            self._show_chart(self.report)

    def action_back(self) -> None:
        self.app.pop_screen()

    # -- showing --------------------------------------------------------------------

    def _show_periods(self) -> None:
        parts = []
        for n, name in enumerate(PRESETS, start=1):
            current = name == self.period
            parts += [(f"{n} ", "bold"), (f"{t('range.' + name)}", "reverse" if current else ""), "  "]
        self.query_one("#report-periods", Static).update(Content.assemble(*parts))

    @on(ReportLoaded)
    def _loaded(self, event: ReportLoaded) -> None:
        if event.token != self._token:
            return
        report = self.report = event.report
        first, last = report.period.first.isoformat(), report.period.last.isoformat()
        span = first if first == last else f"{first} — {last}"
        self.query_one("#report-title", Static).update(
            f"{t('screen.reports')} · {t('report.' + report.kind)} · {span}")
        table = self.query_one("#report-table", DataTable)
        table.clear(columns=True)
        rows = [self._cells(report, row) for row in report.rows]
        if report.total is not None:
            rows.append(self._cells(report, (t("reports.total"), *report.total[1:]), style="bold"))
        # Widths set here, in terminal cells: left to the table, they follow the rows a frame late.
        for i, column in enumerate(report.columns):
            label = Text(header(column))
            table.add_column(label, key=column, width=max([label.cell_len, *(row[i].cell_len for row in rows)]))
        for row in rows:
            table.add_row(*row)
        self._show_chart(report)

    def _cells(self, report: Report, row: tuple, style: str = "") -> list[Text]:
        cells = []
        for column, value in zip(report.columns, row):
            text = cell(shown(value, column), style=style)
            if not isinstance(value, str):
                text.justify = "right"
            cells.append(text)
        return cells

    def _show_chart(self, report: Report) -> None:
        chart = self.query_one("#report-bars", BarChart)
        measure_line = self.query_one("#report-measure", Static)
        if not report.rows or not report.chart:
            chart.show([])
            measure_line.update(t("reports.empty"))
            return
        measure = report.chart[self.measure % len(report.chart)]
        drawn = bars(report, measure)
        chart.show(drawn)
        # "Nothing" only when every figure is zero: one empty measure of a busy report is still a chart.
        nothing = not any(value for column in report.chart for value in report.column(column))
        measure_line.update(t("reports.empty") if nothing else t("reports.chart", measure=header(measure)))

    @on(ReportFailed)
    def _failed(self, event: ReportFailed) -> None:
        if event.token == self._token:
            self.query_one("#report-measure", Static).update(t("reports.failed", error=event.error))

    # -- saving ---------------------------------------------------------------------

    def action_export(self, fmt: str) -> None:
        """Ask where, then save the report shown as a CSV or Excel file; the notification says where."""
        from store.reports.files import file_name
        from tui.screens.save_to import SaveTo

        report = self.report
        if report is None:
            self.notify(t("reports.nothing_to_save"), markup=False)
            return

        def chosen(folder: Path | None) -> None:
            if folder is not None:
                self.app.export_folder = folder  # the next export of this session starts there
                self._save(report, fmt, [header(c) for c in report.columns], t("reports.total"), folder)

        self.app.push_screen(SaveTo(file_name(report, fmt), self.app.export_folder), chosen)

    @work(thread=True, group="report-save", exit_on_error=False)
    def _save(self, report: Report, fmt: str, columns: list[str], total_label: str, folder: Path) -> None:
        try:
            path = save_report(report, fmt, columns, total_label, folder)
        except OSError as exc:
            self.post_message(SaveFailed(exc.strerror or str(exc)))
            return
        self.post_message(ReportSaved(str(path)))

    @on(ReportSaved)
    def _saved(self, event: ReportSaved) -> None:
        self.notify(t("reports.saved", path=event.path), markup=False, timeout=10)

    @on(SaveFailed)
    def _save_failed(self, event: SaveFailed) -> None:
        self.notify(t("reports.save_failed", error=event.error), markup=False, severity="error")
