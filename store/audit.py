"""Who changed what: one audit row per change to a customer, with the operator and the terminal."""

from __future__ import annotations

import json
import os
import socket
from dataclasses import dataclass
from datetime import date, datetime

from store.models import Audit


@dataclass(frozen=True, slots=True)
class Operator:
    """The person at a terminal, as audit rows name them."""

    name: str = ""
    terminal: str = ""


def _default_terminal() -> str:
    try:
        tty = os.ttyname(0)
    except OSError:
        tty = "-"
    return f"{socket.gethostname()}:{tty}"


_current = Operator("", _default_terminal())


def sign_in(name: str, terminal: str | None = None) -> Operator:
    """Set who this process acts for from now on; returns the operator."""
    global _current
    _current = Operator(name, terminal or _current.terminal)
    return _current


def current() -> Operator:
    """Who this process acts for."""
    return _current


def _plain(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def record(table: str, row_id: int, action: str, changes: dict | None = None, by: Operator | None = None) -> Audit:
    """Write one audit row (inside the caller's transaction)."""
    who = by or _current
    text = json.dumps({k: _plain(v) for k, v in (changes or {}).items()}, ensure_ascii=False, default=str)
    return Audit.create(operator=who.name, terminal=who.terminal, table=table, row_id=row_id,
                        action=action, changes=text)


def history(table: str, row_id: int) -> list[Audit]:
    """The audit rows of one row, oldest first."""
    return list(Audit.select().where((Audit.table == table) & (Audit.row_id == row_id)).order_by(Audit.id))
