"""A pseudo-terminal the simulated phone speaks through, with a stable name.

The client opens `path`, a symlink like /dev/serial/by-id/..., because the
device behind it changes when the phone is "replugged" (a new /dev/pts/N), just
as a USB modem can come back as another ttyUSB.
"""

from __future__ import annotations

import asyncio
import os
import tty
from collections.abc import Callable


class Pty:
    """One pseudo-terminal: the master side for the phone, the slave path for the client."""

    def __init__(self, link: str, on_bytes: Callable[[bytes], None]) -> None:
        self.link = link
        self._on_bytes = on_bytes
        self._loop = asyncio.get_running_loop()
        self.master, self._slave = os.openpty()
        # Raw, so the line discipline neither echoes nor turns \r into \n before
        # the client has opened (and configured) the port.
        tty.setraw(self._slave)
        os.set_blocking(self.master, False)
        self.device = os.ttyname(self._slave)
        self._pending = bytearray()
        self._closed = False
        tmp = f"{link}.{os.getpid()}.tmp"
        if os.path.lexists(tmp):
            os.unlink(tmp)
        os.symlink(self.device, tmp)
        os.replace(tmp, link)  # atomic: a client never sees the link missing half-way
        self._loop.add_reader(self.master, self._readable)

    def _readable(self) -> None:
        try:
            data = os.read(self.master, 4096)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if data:
            self._on_bytes(data)

    def write(self, data: bytes) -> None:
        """Queue bytes for the client; never blocks the loop when nobody reads."""
        if self._closed:
            return
        if self._pending:
            self._pending += data
            return
        try:
            written = os.write(self.master, data)
        except (BlockingIOError, InterruptedError):
            written = 0
        except OSError:
            return
        if written < len(data):
            self._pending += data[written:]
            self._loop.add_writer(self.master, self._flush)

    def _flush(self) -> None:
        try:
            written = os.write(self.master, self._pending)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            written = len(self._pending)
        del self._pending[:written]
        if not self._pending:
            self._loop.remove_writer(self.master)

    def close(self, *, unlink: bool = True) -> None:
        """Close both sides: the client's next read fails as on a pulled USB cable."""
        if self._closed:
            return
        self._closed = True
        self._loop.remove_reader(self.master)
        self._loop.remove_writer(self.master)
        os.close(self.master)
        os.close(self._slave)
        if unlink and os.path.islink(self.link) and os.readlink(self.link) == self.device:
            os.unlink(self.link)
