"""Pictures of the main screens at 80x24 in Chinese and English (and the desk at 200x60).

Refresh with `pytest tests/tui/test_snapshots.py --snapshot-update`, only after looking at the report.
"""

from __future__ import annotations

import pytest
from serial.tools import list_ports_common
from textual.widgets import Input, TextArea

from tests.tui.conftest import settle


def _steady(*keys: str):
    async def run_before(pilot) -> None:
        await settle(pilot, pilot.app)
        for key in keys:
            await pilot.press(key)
            await settle(pilot, pilot.app)
        # A blinking cursor would make every other picture differ.
        for widget in pilot.app.screen.query("Input, TextArea"):
            if isinstance(widget, (Input, TextArea)):
                widget.cursor_blink = False
        await settle(pilot, pilot.app)

    return run_before


@pytest.mark.parametrize("language", ["zh", "en"])
def test_desk_80x24(snap_compare, make_app, language):
    assert snap_compare(make_app(language), terminal_size=(80, 24), run_before=_steady("down"))


@pytest.mark.parametrize("language", ["zh", "en"])
def test_desk_200x60(snap_compare, make_app, language):
    assert snap_compare(make_app(language), terminal_size=(200, 60), run_before=_steady("down"))


@pytest.mark.parametrize("language", ["zh", "en"])
def test_customers_80x24(snap_compare, make_app, language):
    assert snap_compare(make_app(language), terminal_size=(80, 24), run_before=_steady("f3", "w"))


@pytest.mark.parametrize("language", ["zh", "en"])
def test_messages_80x24(snap_compare, make_app, language):
    assert snap_compare(make_app(language), terminal_size=(80, 24), run_before=_steady("f4"))


@pytest.mark.parametrize("language", ["zh", "en"])
def test_templates_80x24(snap_compare, make_app, language):
    assert snap_compare(make_app(language), terminal_size=(80, 24), run_before=_steady("f5"))


@pytest.mark.parametrize("language", ["zh", "en"])
def test_line_setup_80x24(snap_compare, make_app, language, monkeypatch, tmp_path):
    # The port list comes from this machine's hardware: show one fixed USB modem instead,
    # and look for stable names in an empty folder so a real /dev/serial/by-id cannot leak in.
    modem = list_ports_common.ListPortInfo("/dev/ttyUSB0", skip_link_detection=True)
    modem.vid, modem.pid = 0x12D1, 0x1506
    modem.manufacturer, modem.product, modem.description = "HUAWEI", "HUAWEI_MOBILE", "HUAWEI_MOBILE"
    monkeypatch.setattr("serial.tools.list_ports.comports", lambda: [modem])
    monkeypatch.setattr("tui.screens.setup.BY_ID", str(tmp_path))
    assert snap_compare(make_app(language), terminal_size=(80, 24), run_before=_steady("f7"))


@pytest.mark.parametrize("language", ["zh", "en"])
def test_help_80x24(snap_compare, make_app, language):
    assert snap_compare(make_app(language), terminal_size=(80, 24), run_before=_steady("f1"))
