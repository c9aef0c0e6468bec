"""The line's doctor: what a modem's ill health looks like from the outside, and what to do about it.

Kept apart from `modem.phone`, which acts on it: a modem that stops answering (two
commands in a row without a reply) is reopened; restarts (RDY, ^SYSSTART) are counted,
since a modem that resets every few minutes drops rings and must be said so; and a
port that comes back under another name is found again by its /dev/serial/by-id link.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable

from modem.ports import BY_ID

SILENT_LIMIT = 2  # commands in a row without a reply before the port is reopened
RESTART_WINDOW_S = 3600.0

# ModemStatus.what values that only a starting modem sends: RDY (SIMCom, Quectel), ^SYSSTART
# (Huawei modules, Cinterion). Huawei's ^BOOT is not among them: USB sticks repeat it as
# routine chatter (modem-facts.md lists it with ^RSSI and ^DSFLOWRPT), so counting it would
# report a healthy stick as resetting.
RESTART_SIGNS = frozenset(("ready",))


class Doctor:
    """Counts what the Phone hears and says when it means trouble."""

    def __init__(self, clock: Callable[[], float], *, by_id_dir: str = BY_ID) -> None:
        self.clock = clock
        self.by_id_dir = by_id_dir
        self.silent = 0  # commands in a row that got no reply
        self._restarts: deque[float] = deque()
        self.stable_name: str | None = None  # the by-id link of the port we opened, once known

    # ------------------------------------------------------------ answering

    def answered(self) -> None:
        self.silent = 0

    def unanswered(self) -> bool:
        """One more command without a reply; True when the port should be closed and opened again."""
        self.silent += 1
        return self.silent >= SILENT_LIMIT

    # ------------------------------------------------------------ restarts

    def restarted(self) -> int:
        """The modem said it is starting: count it; how many times in the last hour."""
        now = self.clock()
        self._restarts.append(now)
        return self.restarts

    @property
    def restarts(self) -> int:
        """Restarts heard in the last hour."""
        now = self.clock()
        while self._restarts and now - self._restarts[0] > RESTART_WINDOW_S:
            self._restarts.popleft()
        return len(self._restarts)

    def restart_words(self) -> str:
        """Plain words for the status line, "" while the modem has not restarted lately."""
        n = self.restarts
        if n == 0:
            return ""
        if n == 1:
            return "the modem restarted once in the last hour"
        return (f"the modem restarted {n} times in the last hour (a boot loop): check its power "
                f"supply and USB cable, or try another USB port")

    # ------------------------------------------------------------ the port's name

    def remember(self, device: str) -> None:
        """After opening `device`: note the by-id link that points at it, to find it under a new name later."""
        real = os.path.realpath(device)
        if os.path.dirname(os.path.abspath(device)) == os.path.abspath(self.by_id_dir):
            self.stable_name = device
            return
        try:
            entries = sorted(os.listdir(self.by_id_dir))
        except OSError:
            return
        for entry in entries:
            link = os.path.join(self.by_id_dir, entry)
            if os.path.realpath(link) == real:
                self.stable_name = link
                return

    def found_again(self, device: str) -> str | None:
        """Where the port is now, when `device` is gone but its by-id link points at another one."""
        if self.stable_name is None or not os.path.lexists(self.stable_name):
            return None
        now = os.path.realpath(self.stable_name)
        return now if now != os.path.realpath(device) and os.path.exists(now) else None
