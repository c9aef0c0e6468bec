"""Opening a line to a phone: any pyserial URL, read and written without blocking the loop.

A device path (`/dev/ttyUSB2`, `/dev/serial/by-id/...`, a pty, `COM5`),
`socket://host:port` (a phone shared with ser2net), `rfc2217://...` or
`loop://`. On POSIX a real device has a file descriptor, so the event loop
watches it directly (`add_reader`): a ring reaches us in microseconds, with no
thread and no polling. URL ports without one (sockets through pyserial's
wrapper, rfc2217, loop, Windows COM ports) get one reader thread that hands
bytes to the loop with `call_soon_threadsafe`; their writes go straight to
pyserial (AT commands are small and a socket takes them at once).

When the device vanishes (USB unplugged: EIO/ENXIO, end of file, a
SerialException) every read and write raises `PortGone` with plain words.

A tap (`add_tap`, for a support trace) is told every open and every byte read
or written by any port of this process; a tap's failure never reaches the line.
"""

from __future__ import annotations

import asyncio
import errno
import os
import threading
from collections.abc import Callable

import serial

_READ_SIZE = 65536
_PAUSE_AT = 1 << 20  # stop reading when this much is buffered and nobody reads
_THREAD_POLL_S = 0.2  # how often the reader thread looks whether it should stop
_GONE_ERRNOS = {errno.EIO, errno.ENXIO, errno.ENODEV, errno.EBADF, errno.EPIPE, errno.ECONNRESET}


# A tap: (url, what, data) with what "open" (data empty), "in" or "out".
Tap = Callable[[str, str, bytes], None]
_TAPS: list[Tap] = []


def add_tap(tap: Tap) -> None:
    """Tell `tap` of every port opened from now on, and every byte through it."""
    _TAPS.append(tap)


def remove_tap(tap: Tap) -> None:
    """Stop telling `tap`."""
    if tap in _TAPS:
        _TAPS.remove(tap)


def _tapped(url: str, what: str, data: bytes) -> None:
    for tap in list(_TAPS):
        try:
            tap(url, what, data)
        except Exception:  # noqa: BLE001 - a trace that cannot be written must never stop the line
            pass


class PortGone(Exception):
    """The phone or modem is unplugged, switched off, or the link to it broke."""

    def __init__(self, url: str, why: str, words: str = "") -> None:
        super().__init__(words or f"the phone at {url} is unplugged or gone ({why})")
        self.url = url
        self.why = why


# Opening fails for reasons other than a missing phone; these say what to do instead.
_OPEN_WORDS = {
    errno.EACCES: "this user may not open {url}: add it to the 'dialout' group (then log in again)",
    errno.EPERM: "this user may not open {url}: add it to the 'dialout' group (then log in again)",
    errno.EBUSY: (
        "{url} is in use by another program"
        " (ModemManager often takes new modems: stop it, or tell it to leave this one alone)"
    ),
}


def open_failure(url: str, exc: BaseException) -> PortGone:
    """The PortGone for a failed open, in words that say what to do."""
    why = _why(exc)
    words = _OPEN_WORDS.get(getattr(exc, "errno", None), "")  # type: ignore[arg-type]
    return PortGone(url, why, words.format(url=url))


def _why(exc: BaseException) -> str:
    code = getattr(exc, "errno", None)
    if isinstance(code, int) and code in errno.errorcode:
        return errno.errorcode[code]
    return str(exc) or type(exc).__name__


class Port:
    """An open line. `await read()` for bytes, `write()` to send, `close()` when done."""

    def __init__(self, url: str, ser: serial.SerialBase, loop: asyncio.AbstractEventLoop) -> None:
        self.url = url
        self._ser = ser
        self._loop = loop
        self._buf = bytearray()
        self._gone: PortGone | None = None
        self._waiter: asyncio.Future[None] | None = None
        self._closed = False
        self._fd: int | None = None
        self._unsent = bytearray()
        self._writer_on = False
        self._reading = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        if os.name == "posix" and isinstance(ser, serial.Serial) and hasattr(ser, "fd"):
            self._fd = ser.fd
            loop.add_reader(self._fd, self._on_readable)
            self._reading = True
        else:
            self._thread = threading.Thread(target=self._read_thread, name=f"port {url}", daemon=True)
            self._thread.start()

    @property
    def closed(self) -> bool:
        """True after close() or once the device is gone."""
        return self._closed or self._gone is not None

    async def read(self) -> bytes:
        """Wait for at least one byte and return everything received so far."""
        while not self._buf:
            if self._gone is not None:
                raise self._gone
            if self._closed:
                raise PortGone(self.url, "closed")
            self._waiter = self._loop.create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        data = bytes(self._buf)
        self._buf.clear()
        if self._fd is not None and not self._reading and self._gone is None and not self._closed:
            self._loop.add_reader(self._fd, self._on_readable)
            self._reading = True
        return data

    def write(self, data: bytes) -> None:
        """Send bytes; never blocks the loop (what the driver cannot take now is sent when it can)."""
        if self._gone is not None:
            raise self._gone
        if self._closed:
            raise PortGone(self.url, "closed")
        if _TAPS:
            _tapped(self.url, "out", data)
        if self._fd is None:
            try:
                self._ser.write(data)
            except (OSError, serial.SerialException) as exc:
                raise self._lost(exc) from exc
            return
        self._unsent += data
        self._flush()

    def close(self) -> None:
        """Let go of the device (safe to call twice, and after it is gone)."""
        if self._closed:
            return
        self._closed = True
        self._stop.set()
        self._unwatch()
        try:
            self._ser.close()
        except (OSError, serial.SerialException):
            pass  # it is already gone; nothing left to release
        self._wake()

    # ------------------------------------------------------------ file-descriptor path

    def _on_readable(self) -> None:
        try:
            data = os.read(self._fd, _READ_SIZE)  # type: ignore[arg-type]
        except BlockingIOError:
            return
        except InterruptedError:
            return
        except OSError as exc:
            self._lost(exc)
            return
        if not data:
            self._lost(EOFError("end of file"))
            return
        if _TAPS:
            _tapped(self.url, "in", data)
        self._buf += data
        if len(self._buf) >= _PAUSE_AT:
            self._loop.remove_reader(self._fd)  # type: ignore[arg-type]
            self._reading = False
        self._wake()

    def _flush(self) -> None:
        while self._unsent:
            try:
                n = os.write(self._fd, self._unsent)  # type: ignore[arg-type]
            except BlockingIOError:
                n = 0
            except InterruptedError:
                continue
            except OSError as exc:
                raise self._lost(exc) from exc
            if n == 0:
                break
            del self._unsent[:n]
        if self._unsent and not self._writer_on:
            self._loop.add_writer(self._fd, self._on_writable)  # type: ignore[arg-type]
            self._writer_on = True
        elif not self._unsent and self._writer_on:
            self._loop.remove_writer(self._fd)  # type: ignore[arg-type]
            self._writer_on = False

    def _on_writable(self) -> None:
        try:
            self._flush()
        except PortGone:
            pass  # _lost already recorded it; the next read reports it

    def _unwatch(self) -> None:
        if self._fd is None:
            return
        if self._reading:
            self._loop.remove_reader(self._fd)
            self._reading = False
        if self._writer_on:
            self._loop.remove_writer(self._fd)
            self._writer_on = False

    # ------------------------------------------------------------ thread path

    def _read_thread(self) -> None:
        ser = self._ser
        while not self._stop.is_set():
            try:
                data = ser.read(1)
                if data:
                    more = ser.in_waiting
                    if more:
                        data += ser.read(more)
            except Exception as exc:  # any failure of the device ends the line, never the program
                if not self._stop.is_set():
                    self._call_loop(self._lost, exc)
                return
            if data:
                self._call_loop(self._received, data)
            elif not ser.is_open:
                self._call_loop(self._lost, EOFError("end of file"))
                return

    def _call_loop(self, fn, arg) -> None:
        try:
            self._loop.call_soon_threadsafe(fn, arg)
        except RuntimeError:
            pass  # the loop is closed: nobody is listening any more

    def _received(self, data: bytes) -> None:
        if not self._closed:
            if _TAPS:
                _tapped(self.url, "in", data)
            self._buf += data
            self._wake()

    # ------------------------------------------------------------ both

    def _lost(self, exc: BaseException) -> PortGone:
        if self._gone is None:
            self._gone = PortGone(self.url, _why(exc))
            self._unwatch()
            self._wake()
        return self._gone

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)


async def open_port(url: str, *, baudrate: int = 115200, rtscts: bool = False, xonxoff: bool = False) -> Port:
    """Open a phone's line by device path or pyserial URL; raise PortGone if it is not there."""
    loop = asyncio.get_running_loop()

    def _open() -> serial.SerialBase:
        return serial.serial_for_url(
            url, baudrate=baudrate, rtscts=rtscts, xonxoff=xonxoff, timeout=_THREAD_POLL_S, write_timeout=5
        )

    try:
        ser = await asyncio.to_thread(_open)  # a socket connect or a slow USB open must not stall the loop
    except (OSError, serial.SerialException, ValueError) as exc:
        raise open_failure(url, exc) from exc
    if _TAPS:
        _tapped(url, "open", b"")
    return Port(url, ser, loop)
