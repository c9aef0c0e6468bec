"""The AT command engine: one command in flight, its reply, and everything else the phone says.

The engine owns the port. A single reader task cuts bytes into lines; each
line either belongs to the command in flight (its echo, a reply line, its
final result) or is unsolicited and goes straight to `on_event`, even when it
arrives between two lines of a reply (python-gsmmodem-new appends those to
the reply and loses the call). A reply line that looks like a URC but carries
the command's own prefix (`+CREG:` while we asked AT+CREG?) is the reply's.
Every wait has a timeout.

A reply that turns up after its command timed out cannot be told from the next
command's (AT has no tags), so after an AtTimeout the caller should treat the
line as suspect and check it (the phone layer probes and reconnects).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from modem.events import LineChanged
from modem.port import Port, PortGone
from modem.urc import HANGUP_FINALS, Hangup, UrcParser
from modem.wire import PROMPT, LineReader

log = logging.getLogger(__name__)

CTRL_Z, ESC = b"\x1a", b"\x1b"
# +CME ERROR 14 "SIM busy" and 515 "please wait, init or command processing in progress".
BUSY_CODES = frozenset((14, 515))
BUSY_WORDS = ("sim busy", "please wait", "busy, retry")
# Old Wavecom answer AT+CPIN? with +CPIN: READY and never OK; after this long the line alone will do.
CPIN_GRACE_S = 0.5
_ERROR_PREFIXES = ("+CME ERROR", "+CMS ERROR", "COMMAND NOT SUPPORT", "MODEM ERROR", "+EXT ERROR")
_FORBIDDEN = frozenset("\r\n\x1a\x1b")


class AtError(Exception):
    """The phone answered a command with an error (`final` as sent, `code` when numeric)."""

    def __init__(self, command: str, final: str, code: int | None = None, text: str = "") -> None:
        super().__init__(text or f"the phone refused {command}: {final}")
        self.command = command
        self.final = final
        self.code = code
        lowered = final.lower()
        self.busy = code in BUSY_CODES or any(word in lowered for word in BUSY_WORDS)


class AtTimeout(AtError):
    """The phone did not finish a command in time (`waited_for`: "reply" or "prompt")."""

    def __init__(self, command: str, timeout: float, waited_for: str = "reply") -> None:
        what = "did not ask for the text (no > prompt)" if waited_for == "prompt" else "gave no answer"
        super().__init__(command, "", None, f"the phone {what} after {command} within {timeout:g} s")
        self.waited_for = waited_for


def error_from_final(command: str, final: str) -> AtError:
    """The AtError for a final result line (`+CME ERROR: 14`, `+CMS ERROR: SIM busy`, `ERROR` ...)."""
    code = None
    _, colon, detail = final.partition(":")
    if colon:
        try:
            code = int(detail.strip())
        except ValueError:
            code = None
    return AtError(command, final, code)


def _prefix(command: str) -> str:
    # AT+CREG? → "+CREG:"; AT^SYSINFO → "^SYSINFO:"; ATI → "" (no prefix to claim).
    body = command[2:] if command[:2].upper() == "AT" else command
    if not body or body[0] not in "+^#$%*":
        return ""
    end = 1
    while end < len(body) and (body[end].isalnum() or body[end] in "_"):
        end += 1
    return body[:end].upper() + ":"


@dataclass(slots=True)
class _Pending:
    command: str
    done: asyncio.Future
    prefix: str
    echoes: set[str]
    call: bool  # ATD/ATA: NO CARRIER, BUSY ... end it
    cpin: bool
    prompt: asyncio.Future | None = None
    lines: list[str] = field(default_factory=list)


class Engine:
    """AT over one Port: `await start()`, then `await command("AT+CSQ")`; URCs go to `on_event`."""

    def __init__(
        self,
        port: Port,
        *,
        on_event: Callable[[object], None],
        default_timeout: float = 10.0,
        parser: UrcParser | None = None,
    ) -> None:
        self.port = port
        self.on_event = on_event
        self.default_timeout = default_timeout
        self.parser = parser or UrcParser()
        self.reader = LineReader()
        self._lock = asyncio.Lock()
        self._pending: _Pending | None = None
        self._task: asyncio.Task | None = None
        self._gone: BaseException | None = None

    @property
    def running(self) -> bool:
        """True while the engine reads the port."""
        return self._task is not None and not self._task.done()

    async def start(self) -> None:
        """Start reading the port."""
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._read_loop(), name=f"at {self.port.url}")

    async def close(self) -> None:
        """Stop reading, fail a command in flight, let go of the port."""
        if self._gone is None:
            self._gone = AtError("", "closed", None, f"the line to {self.port.url} was closed")
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            try:
                await task
            except asyncio.CancelledError:
                pass
        self.port.close()
        self._fail(self._gone)

    async def command(self, cmd: str, *, timeout: float | None = None) -> list[str]:
        """Send one command; return its reply lines (final result excluded) or raise AtError/PortGone."""
        _check(cmd)
        limit = self.default_timeout if timeout is None else timeout
        async with self._lock:
            pending = self._begin(cmd)
            try:
                self.port.write(cmd.encode("ascii") + b"\r")
                await self._wait(pending.done, cmd, limit, "reply")
                return pending.lines
            finally:
                self._pending = None

    async def command_with_prompt(
        self, cmd: str, payload: str, *, timeout: float = 60, prompt_timeout: float = 5.0
    ) -> list[str]:
        """Send `cmd`, wait for the `> ` prompt, send payload + Ctrl-Z; return the reply lines."""
        _check(cmd)
        _check(payload)
        async with self._lock:
            pending = self._begin(cmd)
            pending.prompt = asyncio.get_running_loop().create_future()
            pending.echoes.add(payload)
            try:
                self.port.write(cmd.encode("ascii") + b"\r")
                await asyncio.wait(
                    (pending.prompt, pending.done), timeout=prompt_timeout, return_when=asyncio.FIRST_COMPLETED
                )
                if pending.done.done():
                    pending.done.result()  # an error instead of a prompt
                    return pending.lines  # (an OK without a prompt: nothing more to send)
                if not pending.prompt.done():
                    self.port.write(ESC)  # leave the modem's text-entry mode
                    raise AtTimeout(cmd, prompt_timeout, "prompt")
                self.port.write(payload.encode("ascii") + CTRL_Z)
                await self._wait(pending.done, cmd, timeout, "reply")
                return pending.lines
            finally:
                self._pending = None

    # ------------------------------------------------------------ inside

    def _begin(self, cmd: str) -> _Pending:
        gone = self._gone
        if isinstance(gone, PortGone):
            raise PortGone(gone.url, gone.why)
        if gone is not None:
            raise AtError(cmd, "closed", None, str(gone))
        if self._task is None:
            raise AtError(cmd, "not started", None, "the engine was not started")
        upper = cmd.upper()
        pending = _Pending(
            command=cmd,
            done=asyncio.get_running_loop().create_future(),
            prefix=_prefix(cmd),
            echoes={cmd},
            call=upper.startswith(("ATD", "ATA")),
            cpin=upper.startswith("AT+CPIN?"),
        )
        self._pending = pending
        return pending

    async def _wait(self, done: asyncio.Future, cmd: str, limit: float, what: str) -> None:
        try:
            await asyncio.wait_for(done, limit)
        except TimeoutError:
            raise AtTimeout(cmd, limit, what) from None

    async def _read_loop(self) -> None:
        read = self.port.read
        try:
            while True:
                self._on_bytes(await read())
        except PortGone as exc:
            self._gone = exc
            self._fail(exc)
            self._emit(LineChanged("down", self.port.url, str(exc)))

    def _on_bytes(self, data: bytes) -> None:
        for item in self.reader.feed(data):
            if item is PROMPT:
                pending = self._pending
                if pending is not None and pending.prompt is not None and not pending.prompt.done():
                    pending.prompt.set_result(None)
            else:
                try:
                    self._on_line(item)  # type: ignore[arg-type]
                except Exception:  # a bug on one line must not silence the line for good
                    log.exception("could not handle %r from %s", item, self.port.url)

    def _on_line(self, line: str) -> None:
        pending = self._pending
        parser = self.parser
        if pending is None or pending.done.done() or parser.awaiting_pdu:
            if line == "OK":
                return  # a late or doubled OK (after a timeout, `OK\r\nOK`, Wavecom's missing one turning up)
            for token in parser.feed(line):
                self._emit(token)
            return
        if line in pending.echoes or line.rstrip("\x1a> ") in pending.echoes or line.lstrip("> ") in pending.echoes:
            return
        if line == "OK":
            pending.done.set_result(None)
            return
        if line == "ERROR" or line.startswith(_ERROR_PREFIXES):
            pending.done.set_exception(error_from_final(pending.command, line))
            return
        if pending.call and line in HANGUP_FINALS:
            pending.done.set_exception(AtError(pending.command, line))
            self._emit(Hangup(line))
            return
        if pending.prefix and line.startswith(pending.prefix):
            pending.lines.append(line)
            if pending.cpin:
                asyncio.get_running_loop().call_later(CPIN_GRACE_S, _finish, pending)
            return
        if parser.is_unsolicited(line):
            for token in parser.feed(line):
                self._emit(token)
            return
        pending.lines.append(line)

    def _emit(self, token: object) -> None:
        try:
            self.on_event(token)
        except Exception:  # a listener's bug must not stop the line
            log.exception("on_event failed for %r", token)

    def _fail(self, exc: BaseException) -> None:
        pending = self._pending
        if pending is None:
            return
        if pending.prompt is not None and not pending.prompt.done():
            pending.prompt.cancel()  # the reply future carries the error; this one only wakes the waiter
        if not pending.done.done():
            pending.done.set_exception(exc)


def _finish(pending: _Pending) -> None:
    if not pending.done.done():
        pending.done.set_result(None)


def _check(text: str) -> None:
    # Invariant 3: outside text never reaches the modem as a command.
    if _FORBIDDEN.intersection(text) or not text.isascii():
        raise ValueError(f"not a safe AT command or payload: {text!r}")
