"""Opening a line by path or URL: a real pty, a TCP socket (ser2net style), loop://, and unplugging."""

from __future__ import annotations

import asyncio
import errno
import os

import pytest
import serial

from modem.port import PortGone, open_failure, open_port


@pytest.fixture
def pty_pair():
    master, slave = os.openpty()
    path = os.ttyname(slave)
    os.close(slave)
    yield master, path
    try:
        os.close(master)
    except OSError:
        pass  # the test unplugged it


async def read_master(master: int, size: int) -> bytes:
    """Everything the port wrote, read from the modem's side until `size` bytes came."""
    got = b""
    async with asyncio.timeout(5):
        while len(got) < size:
            try:
                got += os.read(master, 65536)
            except BlockingIOError:
                await asyncio.sleep(0.001)
    return got


async def test_pty_both_ways(pty_pair):
    master, path = pty_pair
    os.set_blocking(master, False)
    port = await open_port(path)
    assert port.url == path
    port.write(b"AT\r")
    assert await read_master(master, 3) == b"AT\r"
    os.write(master, b"\r\nOK\r\n")
    got = b""
    async with asyncio.timeout(5):
        while len(got) < 6:
            got += await port.read()
    assert got == b"\r\nOK\r\n"  # raw mode: no CR/LF translation, no echo
    port.close()
    port.close()


async def test_a_big_write_never_blocks_and_all_of_it_arrives(pty_pair):
    master, path = pty_pair
    os.set_blocking(master, False)
    port = await open_port(path)
    payload = bytes(range(48, 58)) * 20_000  # far more than a tty buffer holds
    port.write(payload)  # returns at once; the rest goes out as the modem reads
    assert await read_master(master, len(payload)) == payload
    port.close()


async def test_unplug_is_port_gone_with_plain_words(pty_pair):
    master, path = pty_pair
    port = await open_port(path)
    reading = asyncio.create_task(port.read())
    await asyncio.sleep(0)
    os.close(master)
    with pytest.raises(PortGone) as caught:
        await reading
    # Linux answers a read on an orphaned pty with EIO or with end of file, as USB serial drivers do.
    assert caught.value.why in ("EIO", "end of file")
    assert str(caught.value) == f"the phone at {path} is unplugged or gone ({caught.value.why})"
    with pytest.raises(PortGone):
        port.write(b"AT\r")
    with pytest.raises(PortGone):
        await port.read()
    assert port.closed
    port.close()


async def test_bytes_before_the_unplug_are_still_read(pty_pair):
    master, path = pty_pair
    port = await open_port(path)
    os.write(master, b"RING\r\n")
    got = await port.read()
    os.close(master)
    assert got == b"RING\r\n"
    with pytest.raises(PortGone):
        await port.read()


async def test_opening_a_missing_device_says_so():
    with pytest.raises(PortGone) as caught:
        await open_port("/dev/ttyUSB-guanjia-missing")
    assert "/dev/ttyUSB-guanjia-missing is unplugged or gone" in str(caught.value)


async def test_read_after_close_does_not_hang(pty_pair):
    master, path = pty_pair
    port = await open_port(path)
    reading = asyncio.create_task(port.read())
    await asyncio.sleep(0)
    port.close()
    with pytest.raises(PortGone, match="closed"):
        await reading


async def test_socket_url_like_ser2net():
    got_by_phone: asyncio.Queue[bytes] = asyncio.Queue()
    writers = []

    async def phone(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writers.append(writer)
        got_by_phone.put_nowait(await reader.readexactly(7))
        writer.write(b"\r\n+CSQ: 20,99\r\n\r\nOK\r\n")
        await writer.drain()

    server = await asyncio.start_server(phone, "127.0.0.1", 0)
    host, tcp_port = server.sockets[0].getsockname()[:2]
    port = await open_port(f"socket://{host}:{tcp_port}")
    port.write(b"AT+CSQ\r")
    assert await got_by_phone.get() == b"AT+CSQ\r"
    got = b""
    async with asyncio.timeout(5):
        while not got.endswith(b"OK\r\n"):
            got += await port.read()
    assert got == b"\r\n+CSQ: 20,99\r\n\r\nOK\r\n"
    # The network link drops: the same PortGone as an unplugged cable.
    writers[0].close()
    with pytest.raises(PortGone, match="unplugged or gone"):
        async with asyncio.timeout(5):
            await port.read()
    port.close()
    server.close()
    await server.wait_closed()


async def test_loop_url():
    port = await open_port("loop://")
    port.write(b"RING\r\n")
    got = b""
    async with asyncio.timeout(5):
        while len(got) < 6:
            got += await port.read()
    assert got == b"RING\r\n"
    port.close()
    with pytest.raises(PortGone):
        await port.read()


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (errno.EACCES, "this user may not open /dev/ttyUSB2: add it to the 'dialout' group"),
        (errno.EBUSY, "/dev/ttyUSB2 is in use by another program"),
        (errno.ENOENT, "the phone at /dev/ttyUSB2 is unplugged or gone (ENOENT)"),
    ],
)
def test_open_failures_say_what_to_do(code, words):
    # pyserial raises SerialException(errno, text) from its open; the errno picks the words.
    gone = open_failure("/dev/ttyUSB2", serial.SerialException(code, "could not open port"))
    assert str(gone).startswith(words)
    assert gone.why == errno.errorcode[code]
