"""Line setup: ports listed by their stable names, a test in plain words, the choice saved for next start."""

from __future__ import annotations

import errno
import os

import pytest
from serial.tools import list_ports_common

from modem.port import open_failure
from modem.sim import SimPhone
from tests.hostile import FORBIDDEN, HOSTILE, visible_marker
from tests.tui.conftest import screen_text, settle
from tui.config import Config, load_config
from tui.live import Live
from tui.screens.confirm import ConfirmScreen
from tui.screens.desk import DeskScreen
from tui.screens.setup import SetupScreen, remedy, same_port

WIDE = (160, 40)


def _usb_port(device: str, *, manufacturer="HUAWEI", product="HUAWEI_MOBILE", description="HUAWEI_MOBILE"):
    """What pyserial's enumeration reports for a USB modem at `device`."""
    info = list_ports_common.ListPortInfo(device, skip_link_detection=True)
    info.vid, info.pid = 0x12D1, 0x1506
    info.manufacturer, info.product, info.description = manufacturer, product, description
    return info


@pytest.fixture
def pty():
    """A pseudo-terminal nobody answers on: its device path, kept open for the test."""
    master, slave = os.openpty()
    yield os.ttyname(slave)
    os.close(slave)
    os.close(master)


async def _open_setup(pilot, app, screen: SetupScreen | None = None) -> SetupScreen:
    await _settle(pilot, app)
    if screen is None:
        await pilot.press("f7")
    else:
        app.push_screen(screen)
    await _settle(pilot, app)
    assert isinstance(app.screen, SetupScreen)
    return app.screen


async def _type_port(pilot, app, url: str, baud: str | None = None) -> None:
    app.screen.query_one("#url").value = url
    if baud is not None:
        app.screen.query_one("#baud").value = baud
    app.screen.query_one("#url").focus()
    await pilot.pause()


def _words(app) -> str:
    """The screen's words with wrapped lines joined, so a sentence reads whole however wide the screen."""
    return " ".join(screen_text(app).split())


async def _settle(pilot, app) -> None:
    """Like conftest's settle, but a desk with a live feed (a worker that runs until quit) settles too."""
    if app.live is None:
        await settle(pilot, app)
        return
    for _ in range(100):
        await pilot.pause(0.05)
        if not any(w.group.startswith("setup") and w.is_running for w in app.workers):
            await pilot.pause()
            return


async def _test(pilot, app) -> str:
    await pilot.press("ctrl+t")
    await _settle(pilot, app)
    return _words(app)


async def test_f7_opens_it_the_palette_finds_it_and_esc_leads_home(make_app):
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_setup(pilot, app)
        assert "Line setup" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot, app)
        assert isinstance(app.screen, DeskScreen)
        await pilot.press("ctrl+p")
        for ch in "line setup":
            await pilot.press(ch)
        await pilot.pause(0.5)
        await settle(pilot, app)
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, SetupScreen)
        await _type_port(pilot, app, "sim://")
        await pilot.press("escape")  # from the typed address too, once the operator says to drop it
        await settle(pilot, app)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot, app)
        assert isinstance(app.screen, DeskScreen)


async def test_the_list_names_a_usb_modem_by_its_by_id_link(make_app, tmp_path, pty, monkeypatch):
    monkeypatch.setattr("serial.tools.list_ports.comports", lambda: [_usb_port(pty)])
    by_id = tmp_path / "by-id"
    by_id.mkdir()
    link = by_id / "usb-HUAWEI_Mobile-if02-port0"
    link.symlink_to(pty)
    app = make_app("en")
    async with app.run_test(size=WIDE) as pilot:
        screen = await _open_setup(pilot, app, SetupScreen(by_id_dir=str(by_id)))
        text = screen_text(app)
        assert str(link) in text
        assert "HUAWEI HUAWEI_MOBILE 12d1:1506" in text
        assert pty in text  # the device it is now, beside the name that survives a replug
        assert "/dev/serial/by-id/" in text  # the hint to prefer that name
        await pilot.press("enter")  # the highlighted port becomes the one to test and save
        await pilot.pause()
        assert screen.query_one("#url").value == str(link)


async def test_the_simulated_phone_says_who_it_is(make_app):
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_setup(pilot, app)
        await _type_port(pilot, app, "sim://huawei")
        text = await _test(pilot, app)
        assert "This phone works" in text
        assert "Huawei E3372, SIM ready, signal 4/5, registered (home)" in text


async def test_a_phone_that_answers_but_is_refused_by_the_network_says_so(make_app, tmp_path):
    phone = await SimPhone("simcom", link_dir=str(tmp_path)).start()
    phone.set_registration(3)
    try:
        app = make_app("en")
        async with app.run_test(size=(80, 24)) as pilot:
            await _open_setup(pilot, app)
            await _type_port(pilot, app, phone.path)
            text = await _test(pilot, app)
            assert "The phone answers, but cannot take calls yet" in text
            assert "registration denied" in text and "This phone works" not in text
    finally:
        await phone.close()


async def test_enter_in_the_address_tests_it_in_chinese(make_app):
    app = make_app("zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_setup(pilot, app)
        await _type_port(pilot, app, "sim://")
        await pilot.press("enter")
        await settle(pilot, app)
        text = _words(app)
        # the phone's facts in the shop's words, not modem/'s English
        assert "这部电话可以用" in text and "SIM 卡就绪" in text and "信号 4/5" in text and "已注册（本地网）" in text
        assert "SIM ready" not in text and "signal" not in text and "registered" not in text


async def test_a_failed_test_in_chinese_says_what_is_wrong_and_what_to_do_in_chinese(make_app, pty):
    app = make_app("zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_setup(pilot, app)
        await _type_port(pilot, app, pty)
        text = await _test(pilot, app)
        assert "测试没有通过" in text and "没有设备回应 AT" in text and "换这个调制解调器的另一个端口" in text
        assert "nothing answers" not in text and "AT port" not in text


async def test_a_port_where_nothing_answers_says_it_may_be_the_wrong_interface(make_app, pty):
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_setup(pilot, app)
        await _type_port(pilot, app, pty)
        await pilot.press("ctrl+t", "ctrl+t")  # impatience starts one test, not two on one port
        assert len([w for w in app.workers if w.group == "setup-test"]) == 1
        text = await _test(pilot, app)
        assert "The test failed" in text
        assert "nothing answers AT on this port" in text
        assert "try the modem's other ports" in text
        assert app.is_running


async def test_a_missing_device_says_there_is_none(make_app, tmp_path):
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_setup(pilot, app)
        await _type_port(pilot, app, str(tmp_path / "ttyUSB9"))
        text = await _test(pilot, app)
        assert "There is no such device" in text and "Is the phone plugged in?" in text


async def test_a_refused_network_port_says_what_to_check(make_app):
    app = make_app("en")
    async with app.run_test(size=(120, 30)) as pilot:
        await _open_setup(pilot, app)
        await _type_port(pilot, app, "socket://127.0.0.1:1")
        text = await _test(pilot, app)
        assert "The test failed" in text and "Connection refused" in text and "ser2net" in text


async def test_no_port_or_a_bad_baud_rate_is_said_not_tried(make_app):
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_setup(pilot, app)
        await _type_port(pilot, app, "")
        assert "Pick a port or type an address first" in await _test(pilot, app)
        await _type_port(pilot, app, "sim://", baud="0")
        assert "whole number" in await _test(pilot, app)


async def test_the_port_the_desk_line_holds_is_not_fought_over(book, tmp_path):
    from tests.tui.conftest import NOW
    from tui.app import GuanjiaApp
    from tui.screens.book import Book

    phone = await SimPhone("huawei", link_dir=str(tmp_path)).start()
    try:
        app = GuanjiaApp(Book(now=lambda: NOW), Config(), language="en", clock=lambda: NOW,
                         live=lambda a: Live(a.post_message, port=phone.path, name="counter"))
        async with app.run_test(size=(120, 30)) as pilot:
            await _open_setup(pilot, app)
            await _type_port(pilot, app, phone.device)  # the /dev/pts/N behind the by-id name: the same port
            text = await _test(pilot, app)
            assert "This terminal's line is using" in text
            assert "The test failed" not in text and "This phone works" not in text
    finally:
        await phone.close()


async def test_save_writes_the_port_and_baud_for_the_next_start(make_app):
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_setup(pilot, app)
        await _type_port(pilot, app, "socket://counter-pc:7000", baud="9600")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert "the line uses it from the next start" in _words(app)
        assert app.config.port == "socket://counter-pc:7000"
    saved = load_config()
    assert (saved.port, saved.baud) == ("socket://counter-pc:7000", 9600)


async def test_hostile_port_descriptions_render_literally(make_app, tmp_path, monkeypatch):
    ports = [_usb_port(str(tmp_path / f"ttyUSB{i}"), manufacturer=text, product=text, description=text)
             for i, text in enumerate(HOSTILE)]
    monkeypatch.setattr("serial.tools.list_ports.comports", lambda: ports)
    app = make_app("en")
    async with app.run_test(size=WIDE) as pilot:
        screen = await _open_setup(pilot, app, SetupScreen(by_id_dir=str(tmp_path / "none")))
        assert len(screen.ports) == len(HOSTILE)
        shown = screen_text(app)
        assert not any(ch in shown for ch in FORBIDDEN)
        for text in HOSTILE:
            assert visible_marker(text) in shown
        assert app.is_running


async def test_hostile_addresses_render_literally_in_the_result(make_app):
    app = make_app("en")
    async with app.run_test(size=WIDE) as pilot:
        await _open_setup(pilot, app)
        for text in HOSTILE:
            await _type_port(pilot, app, "/dev/" + text.replace("/", "_"))
            await pilot.press("ctrl+t")
            await settle(pilot, app)
            shown = screen_text(app)
            assert not any(ch in shown for ch in FORBIDDEN), repr(text[:20])
            assert visible_marker(text).replace("/", "_") in shown
            assert "There is no such device" in shown
        assert app.is_running


def test_a_by_id_link_and_its_device_are_one_port(tmp_path, pty):
    link = tmp_path / "usb-phone"
    link.symlink_to(pty)
    assert same_port(str(link), pty)
    assert not same_port(str(link), "/dev/null")
    assert not same_port("sim://", "sim://")  # each opens a simulated phone of its own
    assert not same_port(None, pty)


def test_the_modems_words_for_permission_and_busy_come_with_what_to_do():
    denied = str(open_failure("/dev/ttyUSB2", PermissionError(errno.EACCES, "Permission denied")))
    busy = str(open_failure("/dev/ttyUSB2", OSError(errno.EBUSY, "Device or resource busy")))
    assert "usermod -aG dialout" in remedy(denied)
    assert "ModemManager" in remedy(busy)
    assert remedy("the phone did something nobody has seen before") == ""


async def test_the_list_starts_on_the_port_this_terminal_uses(book, tmp_path, monkeypatch):
    from tests.tui.conftest import NOW
    from tui.app import GuanjiaApp
    from tui.screens.book import Book

    devices = [str(tmp_path / f"ttyUSB{i}") for i in range(3)]
    for device in devices:
        open(device, "w").close()
    monkeypatch.setattr("serial.tools.list_ports.comports", lambda: [_usb_port(d) for d in devices])
    app = GuanjiaApp(Book(now=lambda: NOW), Config(port=devices[2]), language="en", clock=lambda: NOW)
    async with app.run_test(size=WIDE) as pilot:
        screen = await _open_setup(pilot, app, SetupScreen(by_id_dir=str(tmp_path / "none")))
        assert screen.query_one("#ports").cursor_row == 2
        assert screen.query_one("#url").value == devices[2]
