"""Which serial ports might be a phone, named so they survive a replug.

A USB modem can come back as /dev/ttyUSB2 after being /dev/ttyUSB0; the
/dev/serial/by-id/... name stays the same, so that is the one to configure.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from serial.tools import list_ports as serial_ports

BY_ID = "/dev/serial/by-id"


@dataclass(frozen=True, slots=True)
class PortInfo:
    device: str  # /dev/ttyUSB2, COM5
    by_id_path: str | None  # /dev/serial/by-id/usb-HUAWEI_..., when udev made one
    vid: int | None
    pid: int | None
    manufacturer: str | None
    product: str | None
    description: str

    @property
    def best_path(self) -> str:
        """The name to configure: the stable by-id link where there is one."""
        return self.by_id_path or self.device

    @property
    def usb(self) -> bool:
        """True for a USB device (phones and modems), False for a built-in UART."""
        return self.vid is not None


def stable_names(by_id_dir: str = BY_ID) -> dict[str, str]:
    """Real device path → its /dev/serial/by-id/... link."""
    names: dict[str, str] = {}
    try:
        entries = sorted(os.listdir(by_id_dir))
    except OSError:
        return names
    for entry in entries:
        link = os.path.join(by_id_dir, entry)
        names.setdefault(os.path.realpath(link), link)
    return names


def list_ports(by_id_dir: str = BY_ID) -> list[PortInfo]:
    """Serial ports on this machine, USB ones first, with stable names where known."""
    stable = stable_names(by_id_dir)
    found = []
    for port in serial_ports.comports():
        found.append(
            PortInfo(
                device=port.device,
                by_id_path=stable.get(os.path.realpath(port.device)),
                vid=port.vid,
                pid=port.pid,
                manufacturer=port.manufacturer,
                product=port.product,
                description=port.description if port.description != "n/a" else "",
            )
        )
    return sorted(found, key=lambda p: (not p.usb, p.device))


def describe(port: PortInfo) -> str:
    """One line for `guanjia ports`: the name to use, then what it is."""
    ident = f"{port.vid:04x}:{port.pid:04x}" if port.vid is not None and port.pid is not None else ""
    what = " ".join(x for x in (port.manufacturer, port.product or port.description, ident) if x)
    also = f"  (now {port.device})" if port.by_id_path else ""
    return f"{port.best_path}  {what or 'serial port'}{also}"
