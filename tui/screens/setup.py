"""Line setup: which port is the phone, does it answer, and remember it for this terminal.

Like the old "serial port configuration" dialog, but a test says in plain words
what the phone is, or what is wrong (no such device, not in the dialout group,
ModemManager holds it, nothing answers AT). The words about the phone come from
modem/ and are outside text: they reach the screen only through tui.text.
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Label, Static

from modem.ports import BY_ID, PortInfo, list_ports
from tui.config import save_config, with_changes
from tui.i18n import TranslatedBindings, t
from tui.line_words import error_words, probe_words, remedy_key
from tui.screens.leaving import AsksBeforeLeaving
from tui.text import cell, clean, plain
from tui.widgets.table import Table

# Words in modem/'s failures that have a known remedy, and the table key that says what to do.
_REMEDIES = (
    ("dialout", "setup.fix.dialout"),
    ("in use by another program", "setup.fix.busy"),
    ("nothing answers AT", "setup.fix.no_at"),
    ("did not answer in time", "setup.fix.no_at"),
    ("Connection refused", "setup.fix.refused"),
)


@dataclass
class PortsFound(Message):
    ports: list[PortInfo]


@dataclass
class Tested(Message):
    """A test finished: `summary` when the phone answered, else `problem`, both in the shop's words.

    `code` is modem/'s code for the problem (a PhoneError's), which says the remedy.
    """

    url: str
    summary: str = ""
    usable: bool = False
    problem: str = ""
    code: str = ""


def same_port(a: str | None, b: str | None) -> bool:
    """True when two names lead to one device (a by-id link and its /dev/ttyUSBn, say)."""
    if not a or not b or a.startswith("sim://"):
        return False  # every sim:// open starts a simulated phone of its own
    if a == b:
        return True
    if a.startswith("/") and b.startswith("/"):
        return os.path.realpath(a) == os.path.realpath(b)
    return False


def what_it_is(port: PortInfo) -> str:
    """Maker and model as the USB device names itself, with its vendor:product id."""
    ident = f"{port.vid:04x}:{port.pid:04x}" if port.vid is not None and port.pid is not None else ""
    words = [x for x in (port.manufacturer, port.product or port.description) if x]
    return " ".join(words + ([ident] if ident else []))


def remedy(problem: str, code: str = "") -> str:
    """What the operator can do about a failed test, in the current language, or ''."""
    key = remedy_key(code) or next((key for words, key in _REMEDIES if words in problem), "")
    return t(key) if key else ""


class SetupScreen(AsksBeforeLeaving, TranslatedBindings, Screen):
    """Pick or type the phone's port, test it (Ctrl+T), save it (Ctrl+S); Esc backs out."""

    NAME = "setup"

    BINDINGS = [
        Binding("escape", "leave", "key.back", tooltip="tip.back", id="setup.back"),
        Binding("ctrl+t", "test", "key.test", tooltip="tip.test", id="setup.test"),
        Binding("ctrl+s", "save", "key.save", tooltip="tip.save_line", id="setup.save"),
        Binding("ctrl+r", "refresh", "key.refresh", tooltip="tip.refresh", id="setup.refresh"),
    ]

    DEFAULT_CSS = """
    SetupScreen #ports { height: 1fr; min-height: 4; }
    SetupScreen .line-row { height: 1; padding: 0 1; }
    SetupScreen .line-row Label { padding-right: 1; }
    SetupScreen #url { width: 1fr; }
    SetupScreen #baud { width: 10; }
    SetupScreen #setup-hint { color: $text-muted; padding: 0 1; }
    SetupScreen #result { height: auto; min-height: 3; padding: 0 1; }
    """

    def __init__(self, by_id_dir: str | None = None) -> None:
        super().__init__()
        self.by_id_dir = by_id_dir or BY_ID
        self.ports: list[PortInfo] = []
        self.testing = False  # one test at a time: two would read each other's replies on one port

    def compose(self) -> ComposeResult:
        config = self.app.config
        yield Static(t("screen.setup"), classes="screen-title", markup=False)
        yield Table(id="ports", cursor_type="row", zebra_stripes=True)
        with Horizontal(classes="line-row"):
            yield Label(t("setup.port"))
            yield Input(clean(config.port or "", limit=200), id="url", compact=True,
                        placeholder="/dev/serial/by-id/…  socket://host:port  sim://")
            yield Label(t("setup.baud"))
            yield Input(str(config.baud), id="baud", compact=True, type="integer", max_length=7)
        yield Static(t("setup.hint"), id="setup-hint", markup=False)
        yield Static("", id="result", markup=False)
        yield Footer(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#ports", DataTable)
        table.add_column(t("setup.col.name"))
        table.add_column(t("setup.col.what"))
        table.add_column(t("setup.col.now"))
        table.focus()
        self.action_refresh()

    def action_refresh(self) -> None:
        """Look for serial ports again (a phone was just plugged in)."""
        self._find_ports(self.by_id_dir)

    @work(thread=True, exclusive=True, group="setup-ports", exit_on_error=False)
    def _find_ports(self, by_id_dir: str) -> None:
        # Listing reads sysfs and follows links: file I/O, kept off the event loop.
        self.post_message(PortsFound(list_ports(by_id_dir)))

    @on(PortsFound)
    def _ports_found(self, event: PortsFound) -> None:
        self.ports = event.ports
        table = self.query_one("#ports", DataTable)
        table.clear()
        for port in event.ports:
            now = port.device if port.by_id_path else ""
            table.add_row(cell(port.best_path, limit=120), cell(what_it_is(port) or t("setup.serial_port"), limit=80),
                          cell(now, limit=40))
        configured = self.app.config.port
        row = next((i for i, p in enumerate(event.ports) if same_port(p.best_path, configured)), None)
        if row is not None:
            table.move_cursor(row=row)  # start on the phone this terminal already uses
        if not event.ports:
            self._show(Content(t("setup.no_ports")))

    @on(DataTable.RowSelected, "#ports")
    def _port_chosen(self, event: DataTable.RowSelected) -> None:
        if 0 <= event.cursor_row < len(self.ports):
            url = self.query_one("#url", Input)
            url.value = clean(self.ports[event.cursor_row].best_path, limit=200)
            url.focus()

    @on(Input.Changed, "#url")
    def _url_changed(self, event: Input.Changed) -> None:
        # A pasted address may carry escape codes the Input would draw raw; no port name has them.
        tidy = clean(event.value, limit=200)
        if tidy != event.value:
            event.input.value = tidy

    @on(Input.Submitted, "#url")
    def _url_submitted(self) -> None:
        self.action_test()

    def _chosen(self) -> tuple[str, int | None]:
        url = self.query_one("#url", Input).value.strip()
        try:
            baud = int(self.query_one("#baud", Input).value.strip())
        except ValueError:
            return url, None
        return url, baud if baud > 0 else None

    def _problem_with(self, url: str, baud: int | None) -> str:
        """Why this choice cannot be tested or saved as it stands, or ''."""
        if not url:
            return t("setup.need_port")
        if baud is None:
            return t("setup.bad_baud")
        return ""

    def action_test(self) -> None:
        """Ask the chosen port who it is, off the event loop, and say what came back."""
        url, baud = self._chosen()
        problem = self._problem_with(url, baud)
        if problem:
            self._show(plain(problem, style="$error"))
            return
        live = getattr(self.app, "live", None)
        if live is not None and getattr(live, "worker", None) is not None and same_port(url, live.port):
            # The desk's own line worker has this port open; a second reader would steal its replies.
            self._show(plain(t("setup.in_use_here", url=clean(url, limit=200)), style="$warning"))
            return
        if url.startswith("/") and not os.path.exists(url):
            self._show(plain(t("setup.no_device", url=clean(url, limit=200)), style="$error"))
            return
        if self.testing:
            return  # the result of the running test is on its way (a few seconds at most)
        self.testing = True
        self._show(plain(t("setup.testing", url=clean(url, limit=200))))
        self._probe(url, baud)

    @work(thread=True, group="setup-test", exit_on_error=False)
    def _probe(self, url: str, baud: int) -> None:
        from modem.phone import PhoneError, probe_port

        try:
            found = asyncio.run(probe_port(url, baudrate=baud))
        except PhoneError as exc:
            self.post_message(Tested(url, problem=error_words(exc), code=exc.code))
        except Exception as exc:  # a driver's surprise still gets words on screen, not a dead worker
            self.post_message(Tested(url, problem=f"{type(exc).__name__}: {exc}"))
        else:
            self.post_message(Tested(url, summary=probe_words(found), usable=found.usable))

    @on(Tested)
    def _tested(self, event: Tested) -> None:
        self.testing = False
        if event.problem:
            parts = [Content(t("setup.failed")).stylize("bold $error"), "\n", plain(event.problem, limit=400)]
            fix = remedy(event.problem, event.code)
            if fix:
                parts += ["\n", Content(fix)]
            self._show(Content.assemble(*parts))
            return
        headline = t("setup.works") if event.usable else t("setup.not_ready")
        style = "bold $success" if event.usable else "bold $warning"
        self._show(Content.assemble(Content(headline).stylize(style), "\n", plain(event.summary, limit=400)))

    def action_save(self) -> None:
        """Remember the port and baud rate in this terminal's config; the line uses them from the next start."""
        url, baud = self._chosen()
        problem = self._problem_with(url, baud)
        if problem:
            self._show(plain(problem, style="$error"))
            return
        self._save(with_changes(self.app.config, port=url, baud=baud))

    @work(thread=True, exclusive=True, group="setup-save", exit_on_error=False)
    def _save(self, config) -> None:
        try:
            path = save_config(config)
        except OSError as exc:
            self.app.call_from_thread(self._show, plain(t("setup.save_failed", error=clean(exc, limit=200)),
                                                        style="$error"))
            return
        self.app.call_from_thread(self._saved, config, str(path))

    def _saved(self, config, path: str) -> None:
        self.app.config = config
        self.mark_saved()
        words = t("setup.saved", url=clean(config.port, limit=200), baud=config.baud)
        self._show(Content.assemble(Content(words).stylize("bold $success"), "\n",
                                    plain(t("setup.saved_where", path=clean(path, limit=200)))))
        self.notify(clean(words, limit=300), markup=False)

    def _show(self, content: Content) -> None:
        self.query_one("#result", Static).update(content)
