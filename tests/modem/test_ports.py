"""Port discovery prefers the stable /dev/serial/by-id names."""

from __future__ import annotations

import os

from modem.ports import PortInfo, describe, list_ports, stable_names


def test_stable_names_map_devices_to_their_by_id_links(tmp_path):
    by_id = tmp_path / "by-id"
    by_id.mkdir()
    device = tmp_path / "ttyUSB2"
    device.write_text("")
    (by_id / "usb-HUAWEI_Mobile-if02-port0").symlink_to(device)
    assert stable_names(str(by_id)) == {str(device): str(by_id / "usb-HUAWEI_Mobile-if02-port0")}
    assert stable_names(str(tmp_path / "missing")) == {}


def test_every_listed_port_gets_its_link(tmp_path):
    plain = list_ports(str(tmp_path / "missing"))
    assert all(p.by_id_path is None and p.best_path == p.device for p in plain)
    by_id = tmp_path / "by-id"
    by_id.mkdir()
    for n, port in enumerate(plain):
        (by_id / f"usb-phone-{n}").symlink_to(os.path.realpath(port.device))
    linked = list_ports(str(by_id))
    assert [p.device for p in linked] == [p.device for p in plain]
    assert [p.best_path for p in linked] == [str(by_id / f"usb-phone-{n}") for n in range(len(plain))]


def test_describe_names_the_stable_path_first_and_says_what_it_is():
    port = PortInfo("/dev/ttyUSB2", "/dev/serial/by-id/usb-HUAWEI_E3372-if00", 0x12D1, 0x1506,
                    "HUAWEI", "HUAWEI_MOBILE", "HUAWEI_MOBILE")
    assert describe(port) == (
        "/dev/serial/by-id/usb-HUAWEI_E3372-if00  HUAWEI HUAWEI_MOBILE 12d1:1506  (now /dev/ttyUSB2)"
    )
    uart = PortInfo("/dev/ttyS0", None, None, None, None, None, "")
    assert describe(uart) == "/dev/ttyS0  serial port"
    assert port.usb and not uart.usb


def test_usb_ports_come_before_built_in_serial_ports(monkeypatch):
    from serial.tools import list_ports_common

    def fake(device, vid=None):
        info = list_ports_common.ListPortInfo(device, skip_link_detection=True)
        info.vid, info.pid = vid, (1 if vid else None)
        return info

    monkeypatch.setattr("serial.tools.list_ports.comports",
                        lambda: [fake("/dev/ttyS0"), fake("/dev/ttyUSB3", 0x1E0E), fake("/dev/ttyACM0", 0x2C7C)])
    assert [p.device for p in list_ports("/nonexistent")] == ["/dev/ttyACM0", "/dev/ttyUSB3", "/dev/ttyS0"]
