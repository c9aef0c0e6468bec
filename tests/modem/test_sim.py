"""The simulated phone, talked to over its real pseudo-terminal with pyserial."""

from __future__ import annotations

import asyncio
import os

import pytest
import serial

from modem import pdu
from modem.sim import SimPhone


class Client:
    """A bare pyserial client: write a command, read until the final result."""

    def __init__(self, path: str) -> None:
        self.port = serial.Serial(path, 115200, timeout=0.05)

    async def read_until(self, *endings: bytes, limit: float = 3.0) -> bytes:
        got = b""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + limit
        while not any(e in got for e in endings):
            assert loop.time() < deadline, f"no {endings!r} in {got!r}"
            got += await asyncio.to_thread(self.port.read, 4096)
        return got

    async def cmd(self, line: str) -> bytes:
        self.port.write(line.encode() + b"\r")
        return await self.read_until(b"OK\r", b"ERROR", b"NOT SUPPORT")

    def close(self) -> None:
        self.port.close()


@pytest.fixture
async def sim():
    phone = await SimPhone().start()
    yield phone
    await phone.close()


async def test_identity_echo_and_command_log(sim):
    c = Client(sim.path)
    assert (await c.cmd("ATE1")) == b"\r\nOK\r\n"  # typed while echo was off
    assert (await c.cmd("AT")).startswith(b"AT\r")  # echoed as typed
    assert b"Generic\r\nGSM Phone" in await c.cmd("ATI")
    await c.cmd("ATE0")
    assert not (await c.cmd("AT+CSQ")).startswith(b"AT")
    assert b"+CSQ: 18,99" in await c.cmd("AT+CSQ")
    assert b"\r\nERROR\r\n" in await c.cmd("AT+NONSENSE")
    assert sim.commands == ["ATE1", "AT", "ATI", "ATE0", "AT+CSQ", "AT+CSQ", "AT+NONSENSE"]
    c.close()


async def test_what_python_gsmmodem_needs_to_send():
    async with SimPhone() as sim:
        c = Client(sim.path)
        assert b"AT+CSCS\r\n" in await c.cmd("AT+CLAC")
        assert b'+CSCS: ("IRA","GSM","UCS2")' in await c.cmd("AT+CSCS=?")
        c.close()


async def test_send_gives_wrapping_references_and_keeps_the_text(sim):
    sim.next_reference = 255
    c = Client(sim.path)
    refs = []
    for part in pdu.encode_submit("+8613800138000", "你好😀" * 30):
        c.port.write(f"AT+CMGS={part.tpdu_length}\r".encode())
        assert (await c.read_until(b"> ")).endswith(b"> ")
        c.port.write(part.hex.encode() + b"\x1a")
        answer = await c.read_until(b"OK\r")
        refs.append(int(answer.split(b"+CMGS: ")[1].split(b"\r")[0]))
    assert refs == [255, 0]
    assert [s.reference for s in sim.sent] == [255, 0]
    assert "".join(s.text for s in sim.sent) == "你好😀" * 30
    c.close()


async def test_wrong_length_and_failures_are_refused(sim):
    c = Client(sim.path)
    await c.cmd("AT+CMEE=1")
    part = pdu.encode_submit("10086", "hi")[0]
    c.port.write(f"AT+CMGS={part.tpdu_length + 1}\r".encode())
    await c.read_until(b"> ")
    c.port.write(part.hex.encode() + b"\x1a")
    assert b"+CMS ERROR: 304" in await c.read_until(b"ERROR")
    sim.fail_next_send(512)
    c.port.write(f"AT+CMGS={part.tpdu_length}\r".encode())
    await c.read_until(b"> ")
    c.port.write(part.hex.encode() + b"\x1a")
    assert b"+CMS ERROR: 512" in await c.read_until(b"ERROR")
    assert sim.sent == []
    c.close()


async def test_storage_list_read_delete(sim):
    await sim.deliver_sms("+8613800138000", "one", via="store")
    await sim.deliver_sms("+8613800138000", "two", via="store")
    c = Client(sim.path)
    assert b'"ME",2,50' in await c.cmd("AT+CPMS?")
    listing = await c.cmd("AT+CMGL=0")
    assert listing.count(b"+CMGL: ") == 2
    assert (await c.cmd("AT+CMGL=0")).count(b"+CMGL: ") == 0  # listing marks them read
    one = (await c.cmd("AT+CMGR=0")).split(b"\r\n")
    assert one[1].startswith(b"+CMGR: 1,,")
    assert pdu.decode(one[2].decode()).text == "one"
    await c.cmd("AT+CMGD=0")
    assert b"ERROR" in await c.cmd("AT+CMGR=0")
    assert b"+CPMS: 0,50,0,50,0,50" in await c.cmd('AT+CPMS="SM","SM","SM"')
    c.close()


async def test_new_text_is_announced_where_it_is_stored(sim):
    c = Client(sim.path)
    await sim.deliver_sms("+8613800138000", "x" * 200, order=[1, 0])
    urcs = await c.read_until(b'"ME",1\r\n')
    assert urcs == b'\r\n+CMTI: "ME",0\r\n\r\n+CMTI: "ME",1\r\n'
    texts = [pdu.decode(sim.memories["ME"].slots[i].pdu).concat.sequence for i in (0, 1)]
    assert texts == [2, 1]
    await sim.deliver_sms("+8613800138000", "hi", via="cmt")
    pushed = await c.read_until(b"+CMT: ,")
    while pushed.count(b"\r\n") < 3:  # the +CMT line, then the PDU on its own line
        pushed += await c.read_until(b"\r\n")
    _, header, hex_pdu = pushed.split(b"\r\n")[:3]
    assert header.startswith(b"+CMT: ,")
    text = pdu.decode(hex_pdu.decode())  # its own time stamp: a second may have passed since the first text
    assert (text.sender, text.text) == ("+8613800138000", "hi")
    assert sim.memories["ME"].used == 2  # pushed to the client, not stored
    c.close()


async def test_busy_at_start_then_ready(sim):
    sim.busy_at_start(2)
    c = Client(sim.path)
    await c.cmd("AT+CMEE=2")
    assert b"+CME ERROR: SIM busy" in await c.cmd("AT+CPIN?")
    assert b"+CME ERROR: SIM busy" in await c.cmd("AT+CPMS?")
    assert b"+CPIN: READY" in await c.cmd("AT+CPIN?")
    c.close()


async def test_vanish_fails_the_client_and_come_back_follows_the_link(sim):
    c = Client(sim.path)
    first = sim.device
    await c.cmd("AT")
    await sim.vanish()
    assert not os.path.exists(sim.path)
    with pytest.raises(serial.SerialException):
        for _ in range(20):
            await asyncio.to_thread(c.port.read, 1)
    c.close()
    await sim.come_back()
    assert os.path.realpath(sim.path) == sim.device
    assert sim.device != first or os.path.exists(sim.device)
    again = Client(sim.path)
    assert b"OK" in await again.cmd("AT")
    again.close()


async def test_slow_answers_come_late_but_come(sim):
    sim.slow(0.3)
    c = Client(sim.path)
    c.port.write(b"AT\r")
    assert await asyncio.to_thread(c.port.read, 10) == b""  # nothing within 50 ms
    assert b"OK" in await c.read_until(b"OK\r")
    c.close()


@pytest.mark.parametrize(
    ("flavour", "framing", "unknown"),
    [("simcom", b"\r\r\nOK\r\r\n", b"ERROR"), ("huawei", b"\r\nOK\r\n", b"COMMAND NOT SUPPORT")],
)
async def test_flavours_frame_and_refuse_their_way(flavour, framing, unknown):
    async with SimPhone(flavour) as sim:
        c = Client(sim.path)
        assert (await c.cmd("AT")).endswith(framing)
        assert unknown in await c.cmd("AT^NOSUCH")
        c.close()


async def test_ring_missed_on_simcom_says_missed_call():
    async with SimPhone("simcom") as sim:
        c = Client(sim.path)
        await c.cmd("AT+CLIP=1")
        await sim.ring("13800138000", rings=2, every=0.01)
        got = await c.read_until(b"MISSED_CALL")
        assert got.count(b"RING") == 2 and b'+CLIP: "13800138000",129' in got
        c.close()


async def test_answered_call_on_huawei_says_conn_and_cend():
    async with SimPhone("huawei") as sim:
        c = Client(sim.path)
        await c.cmd("AT+CLIP=1")
        ringing = asyncio.create_task(sim.ring("+8613800138000", rings=50, every=0.02, hang_up_after=0.01))
        await c.read_until(b"+CLIP")
        assert b'+CLCC: 1,1,4,0,0,"+8613800138000",145' in await c.cmd("AT+CLCC")
        got = await c.cmd("ATA")
        await ringing
        got += await c.read_until(b"NO CARRIER") if b"NO CARRIER" not in got else b""
        assert b"^CONN:1,0" in got and b"^CEND:1," in got
        c.close()


async def test_the_demo_afternoon_rings_and_texts(sim):
    from modem.sim.demo import shop_afternoon

    c = Client(sim.path)
    await c.cmd("AT+CLIP=1")
    afternoon = asyncio.create_task(shop_afternoon(sim, pace=0.001))
    got = await c.read_until(b"+CMTI:")
    afternoon.cancel()
    assert b"+CLIP:" in got and b"RING" in got
    c.close()


async def test_delete_flags_spare_what_they_should(sim):
    await sim.deliver_sms("+8613800138000", "unread", via="store")
    await sim.deliver_sms("+8613800138000", "read", via="store")
    sim.store_sent("+8613800138000", "sent")
    sim.memories["ME"].slots[1].stat = 1
    c = Client(sim.path)
    await c.cmd("AT+CMGD=0,1")
    assert sorted(s.stat for s in sim.memories["ME"].slots.values()) == [0, 3]
    await c.cmd("AT+CMGD=0,2")
    assert [s.stat for s in sim.memories["ME"].slots.values()] == [0]
    await c.cmd("AT+CMGD=0,4")
    assert sim.memories["ME"].used == 0
    c.close()
