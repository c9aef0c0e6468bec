"""The phone's SMS memories (ME, SM, SR ...) as we read them: one memory chosen at a time.

AT+CMGR/+CMGL/+CMGD act on whichever memory AT+CPMS chose last, so choosing
and acting go together under one lock; otherwise a storage scan switching to
SM could send an announced text's +CMGR to the wrong memory.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import Awaitable, Callable

from modem import at, port, setup, urc
from modem.events import Event
from modem.probe import PhoneError
from modem.received import events_for

log = logging.getLogger(__name__)
_NAME = re.compile(r"[A-Z]{2}")


class Memories:
    """Reads and deletes in the phone's memories through `ask` (one AT command → reply lines)."""

    def __init__(self, ask: setup.Ask, region: str) -> None:
        self.ask = ask
        self.region = region
        self.storage = "SM"  # where new texts are stored
        self.storages: tuple[str, ...] = ()  # every memory a scan reads
        self.read_from: str | None = None  # the memory AT+CPMS chose last, as far as we know
        self._lock = asyncio.Lock()

    def found(self, what: setup.Setup) -> None:
        """Take what initialising found (after every connect)."""
        self.storage, self.storages, self.read_from = what.storage, what.storages, what.read_from
        self.storages = setup.usable_memories(self.storages)

    async def usage(self) -> tuple[tuple[int, int], ...]:
        """(used, total) of the memories AT+CPMS chose: one short command, to see whether a scan is worth it."""
        async with self._lock:
            return tuple((u.used, u.total) for u in urc.parse_cpms(await setup.busy_retry(self.ask, "AT+CPMS?")))

    async def run(self, storage: str, line: str, *, attempts: int = 8) -> list[str]:
        """Run `line` (+CMGR/+CMGL/+CMGD) on `storage`, choosing it first if another is chosen."""
        if not _NAME.fullmatch(storage):
            raise PhoneError(f"{storage!r} is not a phone memory")  # nothing odd reaches a command
        async with self._lock:
            if storage != self.read_from:
                await setup.busy_retry(self.ask, f'AT+CPMS="{storage}"')
                self.read_from = storage
            return await setup.busy_retry(self.ask, line, attempts=attempts)

    async def read_one(self, storage: str, index: int) -> list[Event]:
        """The text or report at storage/index (nothing if the slot is empty)."""
        stored = urc.parse_cmgr(await self.run(storage, f"AT+CMGR={int(index)}"), index)
        return [] if stored is None else events_for(stored.pdu, storage, index, self.region)

    async def scan(self) -> list[Event]:
        """Everything in every memory, oldest index first."""
        names = set(self.storages)
        # MT is ME and SM together on phones that offer all three: reading it too would see each text twice.
        storages = [m for m in self.storages if not (m == "MT" and {"ME", "SM"} <= names)]
        found: list[Event] = []
        for storage in storages or [self.storage]:
            try:
                lines = await self.run(storage, "AT+CMGL=4", attempts=4)
            except at.AtTimeout:
                await setup.still_there(self.ask, f"AT+CMGL=4 on {storage}")
                self.read_from = None  # did its AT+CPMS go through? Choose again next time
                continue
            except (at.AtError, PhoneError):
                log.info("memory %r could not be read; the others still are", storage, exc_info=True)
                continue  # a memory this phone lists but cannot read
            for stored in urc.parse_cmgl(lines):
                found += events_for(stored.pdu, storage, stored.index, self.region)
        return found

    async def delete(self, storage: str, index: int) -> None:
        """Delete one slot."""
        await self.run(storage, f"AT+CMGD={int(index)}")

    async def poll(self, *, every: float, active: Callable[[], tuple[bool, bool]],
                   scan: Callable[..., Awaitable[object]]) -> None:
        """Every `every` s, while `active()` says (running, wanted): scan when the memories' counts changed.

        One AT+CPMS? a round is all a quiet phone costs; a scan (`scan(emit=True)`) follows
        only a change, so a phone that cannot announce texts still delivers them within seconds.
        """
        seen: tuple[tuple[int, int], ...] | None = None
        while True:
            await asyncio.sleep(every)
            running, wanted = active()
            if not running:
                return
            if not wanted:
                seen = None  # counts from before a reconnect say nothing: the connect scanned anyway
                continue
            try:
                usage = await self.usage()
            except (at.AtTimeout, port.PortGone, OSError):
                continue  # the health watch reconnects
            except (at.AtError, PhoneError):
                usage = None  # no counts: scan every time, it is still only a few commands
            if usage is not None and usage == seen:
                continue
            try:
                await scan(emit=True)
            except PhoneError:
                log.info("polling the phone's memory failed; trying again", exc_info=True)
                continue
            # Counted again after the scan, which moved the reading memory: texts the worker
            # deletes next change the counts, which costs one more scan and no more.
            with contextlib.suppress(at.AtError, PhoneError, port.PortGone, OSError):
                seen = await self.usage()
