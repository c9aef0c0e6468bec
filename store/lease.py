"""Who holds the phone line: exactly one process at a time, across every terminal sharing the book.

The holder writes a heartbeat into a shared row; a holder silent for longer
than `STALE_AFTER` (crashed, machine off) may be replaced. Taking and renewing
are compare-and-set updates, so two processes can never both believe they
hold the line, on SQLite or PostgreSQL alike.
"""

from __future__ import annotations

import json
import os
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from store.models import Setting

KEY = "line.holder"
STALE_AFTER = timedelta(seconds=15)


@dataclass(frozen=True, slots=True)
class Holder:
    """A process holding the line: who, where, on which port, and when it last said so."""

    name: str
    host: str
    pid: int
    port: str
    heartbeat: datetime

    def describe(self) -> str:
        """Plain words for the status bar of the other terminals."""
        return f"{self.name} on {self.host} (pid {self.pid}, {self.port})"


def me(name: str, port: str) -> Holder:
    """This process, as a would-be holder."""
    return Holder(name=name, host=socket.gethostname(), pid=os.getpid(), port=port,
                  heartbeat=datetime.now(timezone.utc))


def _encode(holder: Holder) -> str:
    return json.dumps({"name": holder.name, "host": holder.host, "pid": holder.pid, "port": holder.port,
                       "heartbeat": holder.heartbeat.isoformat()}, ensure_ascii=False)


def _decode(text: str) -> Holder | None:
    try:
        d = json.loads(text)
        return Holder(name=str(d["name"]), host=str(d["host"]), pid=int(d["pid"]), port=str(d["port"]),
                      heartbeat=datetime.fromisoformat(d["heartbeat"]))
    except (ValueError, KeyError, TypeError):
        return None  # a damaged row counts as nobody holding the line


def _same_process(a: Holder, b: Holder) -> bool:
    return (a.host, a.pid) == (b.host, b.pid)


def current(now: datetime | None = None) -> Holder | None:
    """The live holder, or None when nobody holds the line (or the holder went silent)."""
    row = Setting.get_or_none(Setting.key == KEY)
    holder = _decode(row.value) if row else None
    now = now or datetime.now(timezone.utc)
    if holder is None or now - holder.heartbeat > STALE_AFTER:
        return None
    return holder


def take(candidate: Holder) -> Holder | None:
    """Take or renew the line for `candidate`. None on success, else the live holder who has it."""
    row = Setting.get_or_none(Setting.key == KEY)
    if row is None:
        inserted = Setting.insert(key=KEY, value=_encode(candidate)).on_conflict_ignore().execute()
        if inserted and Setting.get(Setting.key == KEY).value == _encode(candidate):
            return None
        row = Setting.get(Setting.key == KEY)
    holder = _decode(row.value)
    if holder is not None and not _same_process(holder, candidate) \
            and candidate.heartbeat - holder.heartbeat <= STALE_AFTER:
        return holder
    swapped = (Setting.update(value=_encode(candidate))
               .where((Setting.key == KEY) & (Setting.value == row.value)).execute())
    if swapped == 1:
        return None
    return current(candidate.heartbeat) or take(candidate)


def release(holder: Holder) -> None:
    """Let the line go, if `holder` still has it."""
    row = Setting.get_or_none(Setting.key == KEY)
    if row is not None:
        held = _decode(row.value)
        if held is not None and _same_process(held, holder):
            Setting.delete().where((Setting.key == KEY) & (Setting.value == row.value)).execute()
