"""Setting a phone up the same way whatever its make: each step tolerant of what old phones lack.

The steps talk through `ask` (send one command, get its reply lines), so they
hold no port and no state of their own; the Phone keeps what they found.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from modem import at, urc
from modem.events import Event
from modem.probe import PhoneError, plain_error

log = logging.getLogger(__name__)

Ask = Callable[[str], Awaitable[list[str]]]

# +CNMI settings to try, best first: new texts stored and announced (+CMTI),
# reports pushed (+CDS) or stored (+CDSI), as ModemManager falls back.
CNMI_CHOICES = ("2,1,0,1,0", "2,1,0,2,0", "1,1,0,1,0", "1,1,0,2,0", "2,1,0,0,0", "1,1,0,0,0")


@dataclass(frozen=True, slots=True)
class Setup:
    """What initialising found: where texts arrive, which memories to scan, first readings."""

    storage: str  # where new texts are stored (+CMTI points here)
    storages: tuple[str, ...]  # every memory that can be read (SR too, for reports)
    read_from: str | None  # the memory AT+CPMS now reads from, None if unchanged by us
    readings: tuple[Event, ...]  # signal and registration at start
    announces: bool = True  # False: the phone took no +CNMI choice, so new texts must be looked for


_MEMORY = re.compile(r"[A-Z]{2}")


def usable_memories(names: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """The memories we can name in a command (two capital letters: ME, SM, SR, MT, BM ...).

    Phones list others too (Alcatel: SM_P, ME_P); they are skipped and said in the log,
    never an error: the phone's ordinary memories still hold the texts.
    """
    usable = tuple(dict.fromkeys(n.upper() for n in names if _MEMORY.fullmatch(n.upper())))
    odd = [n for n in names if not _MEMORY.fullmatch(n.upper())]
    if odd:
        log.info("the phone lists memories we do not read: %s", ", ".join(odd))
    return usable


async def busy_retry(ask: Ask, line: str, *, attempts: int = 8) -> list[str]:
    """Send `line`; while the phone says busy (+CME 14/515) wait, doubling, and try again."""
    delay = 0.25
    for attempt in range(attempts):
        try:
            return await ask(line)
        except at.AtTimeout:
            raise
        except at.AtError as exc:
            if not exc.busy or attempt == attempts - 1:
                raise
        await asyncio.sleep(delay)
        delay = min(delay * 2, 4.0)
    raise AssertionError("unreachable")


async def optional(ask: Ask, line: str) -> bool:
    """A step some phones refuse: True if it worked. No answer is a refusal too, if the phone still answers AT."""
    try:
        await busy_retry(ask, line)
        return True
    except at.AtTimeout:
        await still_there(ask, line)
        return False
    except at.AtError:
        return False


async def still_there(ask: Ask, line: str) -> None:
    """After `line` got no answer: return if the phone answers a plain AT (it just ignores `line`), else AtTimeout.

    Some phones stay silent on a command they do not know; that must cost the command, not the line.
    """
    try:
        await ask("AT")
    except at.AtError:
        pass  # an answer, even ERROR, is a live phone
    log.info("the phone gave no answer to %s but answers AT: going on without it", line)


async def initialise(ask: Ask, *, read_only: bool, first_answer: Ask) -> Setup:
    """Echo off, numeric errors, SIM ready, caller ID, PDU mode, storage, routing, first readings."""
    for attempt in range(3):
        try:
            await first_answer("AT")
            break
        except at.AtTimeout:
            if attempt == 2:
                raise
        except at.AtError:
            break  # an ERROR is an answer: something is there
    await optional(ask, "ATE0")
    # Numeric codes: our own table puts them in plain words, in the shop's language.
    if not await optional(ask, "AT+CMEE=1"):
        await optional(ask, "AT+CMEE=2")
    await wait_for_sim(ask)
    for line in ("AT+CLIP=1", "AT+CRC=1", "AT+CREG=2"):
        await optional(ask, line)
    try:
        await busy_retry(ask, "AT+CMGF=0")
    except at.AtTimeout:
        raise
    except at.AtError as exc:
        raise PhoneError("this phone cannot handle texts in PDU mode (AT+CMGF=0 refused)") from exc
    storage, storages, read_from = await choose_storage(ask, read_only=read_only)
    announces = False
    for choice in CNMI_CHOICES:
        if await optional(ask, f"AT+CNMI={choice}"):
            announces = True
            break
    if not announces:
        log.warning("the phone refused every +CNMI choice: new texts are found by checking its memory")
    readings: list[Event] = []
    for line in ("AT+CSQ", "AT+CREG?"):
        try:
            reply = await ask(line)
        except at.AtTimeout:
            await still_there(ask, line)
            continue
        except at.AtError:
            continue  # a phone that cannot say is still a phone
        reading = urc.parse_csq(reply) if line == "AT+CSQ" else urc.parse_creg(reply)
        if reading is not None:
            readings.append(reading)
    return Setup(storage, storages, read_from, tuple(readings), announces)


async def wait_for_sim(ask: Ask, *, within: float = 30.0) -> None:
    """Return once +CPIN: READY; a locked or missing SIM is a PhoneError in plain words."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    delay = 0.25
    while True:
        try:
            lines = await ask("AT+CPIN?")
            status = urc.parse_cpin(lines) or "READY"
            if status == "READY":
                return
            raise PhoneError(f"the SIM card needs {status.lower()}: unlock it in a phone first")
        except at.AtTimeout:
            raise
        except at.AtError as exc:
            if not exc.busy:
                raise PhoneError(plain_error(exc, "the SIM card is not ready")) from None
        if loop.time() >= deadline:
            raise PhoneError("the SIM card stayed busy; is it seated well?")
        await asyncio.sleep(delay)
        delay = min(delay * 2, 4.0)


async def choose_storage(ask: Ask, *, read_only: bool) -> tuple[str, tuple[str, ...], str | None]:
    """Prefer the phone's own memory (ME/MT) over the SIM's; read-only changes nothing."""
    try:
        lines = await busy_retry(ask, "AT+CPMS=?")
    except at.AtTimeout:
        await still_there(ask, "AT+CPMS=?")
        lines = []
    except at.AtError:
        lines = []
    lists = [usable_memories(names) for names in urc.parse_cpms_choices(lines)]
    readable = lists[0] if lists and lists[0] else ("SM",)
    receive = lists[2] if len(lists) > 2 and lists[2] else readable
    storage = next((m for m in ("ME", "MT", "SM") if m in receive), receive[0] if receive else "SM")
    if read_only:
        return storage, readable, None  # the monitor reads where the phone already keeps texts
    mem = f'"{storage}"'
    chosen = await optional(ask, f"AT+CPMS={mem},{mem},{mem}")
    return storage, readable, storage if chosen else None
