"""Who holds the phone line: exactly one process at a time, across every terminal sharing the book.

The holder writes a heartbeat into a shared row; a holder silent for longer
than `STALE_AFTER` (crashed, machine off) may be replaced. A holder on this
very machine is also replaced at once when its process is gone (`kill -9`, a
crash, a power-cut restart): every second without a holder is a ring nobody
records. "Gone" is judged by the pid and the process's start time, so a pid
the kernel has since given to another program does not pass for the holder;
it is judged only when the row says the same boot and the same pid namespace
as ours (two machines, or two containers, may share a host name). Taking and
renewing are compare-and-set updates, so two processes can never both believe
they hold the line, on SQLite or PostgreSQL alike.
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
    # Where and when the process began (`where_and_when`): "" when unknown (an older row, not Linux).
    boot: str = ""
    started: str = ""

    def describe(self) -> str:
        """Plain words for the status bar of the other terminals."""
        return f"{self.name} on {self.host} (pid {self.pid}, {self.port})"


def me(name: str, port: str) -> Holder:
    """This process, as a would-be holder."""
    boot, started = _myself()
    return Holder(name=name, host=socket.gethostname(), pid=os.getpid(), port=port,
                  heartbeat=datetime.now(timezone.utc), boot=boot, started=started)


# The machine's boot and this process's start: read once a process (a fork has a pid of its own).
_MYSELF: dict[int, tuple[str, str]] = {}


def _myself() -> tuple[str, str]:
    pid = os.getpid()
    if pid not in _MYSELF:
        _MYSELF[pid] = where_and_when(pid)
    return _MYSELF[pid]


def _boot() -> str:
    """This boot of this kernel, in this pid namespace: pids mean something only within one."""
    try:
        with open("/proc/sys/kernel/random/boot_id", encoding="ascii") as f:
            boot = f.read().strip()
        return f"{boot} {os.readlink('/proc/self/ns/pid')}"
    except OSError:
        return ""  # not Linux, or /proc hidden: a holder here is judged by its heartbeat alone


def _stat(pid: int) -> tuple[str, str] | None:
    """A process's state letter and start time (clock ticks since boot), None if there is no such process."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            raw = f.read().decode("ascii", "replace")
    except (FileNotFoundError, ProcessLookupError):
        return None
    except OSError:
        return ("?", "")  # there, but not ours to read: alive as far as we can tell
    # The command name may hold spaces and parentheses: the fields start after the last ')'.
    fields = raw[raw.rfind(")") + 2:].split()
    return (fields[0], fields[19]) if len(fields) > 19 else ("?", "")


def where_and_when(pid: int) -> tuple[str, str]:
    """(boot, start time) of process `pid` on this machine; ("", "") when it cannot be told."""
    boot = _boot()
    found = _stat(pid) if boot else None
    return (boot, found[1]) if found and found[1] else ("", "")


def here(holder: Holder) -> bool:
    """True when `holder` ran on this machine in this boot and says when it began: `gone` can judge it."""
    return bool(holder.boot and holder.started) and holder.host == socket.gethostname() and holder.boot == _boot()


def gone(holder: Holder) -> bool:
    """True when `holder` ran on this machine, in this boot, and its process is no more.

    A reused pid (its start time differs) or a zombie (killed, not yet reaped) is
    gone too. A holder elsewhere, or one whose row does not say when it began, is
    never judged gone here: the heartbeat decides.
    """
    if not here(holder):
        return False
    found = _stat(holder.pid)
    if found is None:
        return True
    state, started = found
    return state in ("Z", "X") or (bool(started) and started != holder.started)


def _encode(holder: Holder) -> str:
    return json.dumps({"name": holder.name, "host": holder.host, "pid": holder.pid, "port": holder.port,
                       "heartbeat": holder.heartbeat.isoformat(), "boot": holder.boot,
                       "started": holder.started}, ensure_ascii=False)


def _decode(text: str) -> Holder | None:
    try:
        d = json.loads(text)
        return Holder(name=str(d["name"]), host=str(d["host"]), pid=int(d["pid"]), port=str(d["port"]),
                      heartbeat=datetime.fromisoformat(d["heartbeat"]), boot=str(d.get("boot", "")),
                      started=str(d.get("started", "")))
    except (ValueError, KeyError, TypeError, AttributeError):
        return None  # a damaged row counts as nobody holding the line


def _same_process(a: Holder, b: Holder) -> bool:
    # The start as well: two containers of one name may both run the line as pid 1.
    return (a.host, a.pid, a.boot, a.started) == (b.host, b.pid, b.boot, b.started)


def current(now: datetime | None = None) -> Holder | None:
    """The live holder, or None when nobody holds the line (or the holder went silent)."""
    row = Setting.get_or_none(Setting.key == KEY)
    holder = _decode(row.value) if row else None
    now = now or datetime.now(timezone.utc)
    if holder is None or now - holder.heartbeat > STALE_AFTER or gone(holder):
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
            and candidate.heartbeat - holder.heartbeat <= STALE_AFTER and not gone(holder):
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
