"""The AT engine through a real pseudo-terminal: the test plays the modem on the master side."""

from __future__ import annotations

import asyncio
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from modem.at import AtError, AtTimeout, Engine
from modem.events import LineChanged, ModemStatus, RegistrationChanged, SignalChanged, Unrecognized
from modem.port import PortGone, open_port
from modem.urc import CallerId, Hangup, NewMessage, PushedPdu, Ring, UrcParser
from tests.modem import transcripts as t


class Modem:
    """The master side of a pty: reads what the engine writes, writes exact bytes back."""

    def __init__(self) -> None:
        self.master, slave = os.openpty()
        self.path = os.ttyname(slave)
        os.close(slave)  # the engine opens it by path, as it would /dev/ttyUSB2
        os.set_blocking(self.master, False)
        self.received = bytearray()
        self._arrived = asyncio.Event()
        asyncio.get_running_loop().add_reader(self.master, self._on_readable)

    def _on_readable(self) -> None:
        try:
            self.received += os.read(self.master, 65536)
        except OSError:
            return
        self._arrived.set()

    async def expect(self, wanted: bytes, limit: float = 5.0) -> None:
        """Wait until the engine has written `wanted`; consume everything up to it."""
        async with asyncio.timeout(limit):
            while wanted not in self.received:
                self._arrived.clear()
                await self._arrived.wait()
        del self.received[: self.received.index(wanted) + len(wanted)]

    def send(self, data: bytes) -> None:
        os.write(self.master, data)

    def unplug(self) -> None:
        asyncio.get_running_loop().remove_reader(self.master)
        os.close(self.master)
        self.master = -1


async def until(condition, limit: float = 5.0) -> None:
    """Wait (without a timing claim) until `condition()` is true."""
    async with asyncio.timeout(limit):
        while not condition():
            await asyncio.sleep(0.001)


@pytest.fixture
async def rig():
    modem = Modem()
    events: list = []
    engine = Engine(await open_port(modem.path), on_event=events.append, default_timeout=5.0)
    await engine.start()
    yield modem, engine, events
    await engine.close()
    if modem.master >= 0:
        modem.unplug()


async def answer(modem: Modem, command: bytes, *replies: bytes) -> None:
    await modem.expect(command + b"\r")
    for reply in replies:
        modem.send(reply)
        await asyncio.sleep(0)


# ------------------------------------------------------------ framing


@pytest.mark.parametrize(
    "reply",
    [
        b"\r\n+CSQ: 15,99\r\n\r\nOK\r\n",
        t.SIMCOM_CSQ,
        t.CR_ONLY_CSQ,
        t.LF_ONLY_CSQ,
        b"AT+CSQ\r\r\n+CSQ: 15,99\r\n\r\nOK\r\n",
    ],
    ids=["crlf", "cr-cr-lf", "cr-only", "lf-only", "echo-on"],
)
async def test_reply_in_every_framing(rig, reply):
    modem, engine, events = rig
    task = asyncio.create_task(engine.command("AT+CSQ"))
    await answer(modem, b"AT+CSQ", reply)
    assert await task == ["+CSQ: 15,99"]
    assert events == []


async def test_echo_ended_by_cr_only_and_echoed_twice(rig):
    modem, engine, events = rig
    task = asyncio.create_task(engine.command("AT+CFUN?"))
    await answer(modem, b"AT+CFUN?", t.ECHO_CFUN)
    assert await task == ["+CFUN: 1"]
    task = asyncio.create_task(engine.command("ATE0"))
    await answer(modem, b"ATE0", t.ECHO_ATE0_TWICE)
    assert await task == []


async def test_blank_lines_and_nuls(rig):
    modem, engine, events = rig
    task = asyncio.create_task(engine.command("AT+CGMI"))
    await answer(modem, b"AT+CGMI", t.HUAWEI_BLANKS)
    assert await task == ["huawei"]
    assert events == []


async def test_non_utf8_bytes_in_a_reply_and_outside_one(rig):
    modem, engine, events = rig
    task = asyncio.create_task(engine.command("ATI"))
    await answer(modem, b"ATI", b"\r\nModel: \xa3\xff E3372\r\n\r\nOK\r\n")
    assert await task == ["Model: \ufffd\ufffd E3372"]
    modem.send(b"\r\n\xfe\xfe\r\nRING\r\n")
    await until(lambda: len(events) == 2)
    assert events == [Unrecognized("\ufffd\ufffd"), Ring("")]


# ------------------------------------------------------------ unsolicited lines inside a reply


async def test_ring_and_clip_between_reply_lines_split_mid_line(rig):
    modem, engine, events = rig
    task = asyncio.create_task(engine.command("AT+CSQ"))
    await answer(modem, b"AT+CSQ", *t.CSQ_WITH_CALL_SPLIT)
    # The caller is known before the command has even finished.
    await until(lambda: len(events) == 2)
    assert events == [Ring(""), CallerId("+8613800138000", 145, None, 0)]
    assert not task.done()
    modem.send(t.CSQ_OK)
    assert await task == ["+CSQ: 20,99"]


async def test_a_reply_line_with_the_commands_prefix_is_the_replys(rig):
    modem, engine, events = rig
    task = asyncio.create_task(engine.command("AT+CREG?"))
    await answer(modem, b"AT+CREG?", b"\r\n+CREG: 0,1\r\n\r\nOK\r\n")
    assert await task == ["+CREG: 0,1"]
    assert events == []
    task = asyncio.create_task(engine.command("AT+CSQ"))
    await answer(modem, b"AT+CSQ", b"\r\n+CREG: 5\r\n+CSQ: 9,99\r\n+CMTI: \"SM\",2\r\n\r\nOK\r\n")
    assert await task == ["+CSQ: 9,99"]
    assert events == [RegistrationChanged("roaming", "cs"), NewMessage("SM", 2)]


async def test_cmt_inside_a_listing_takes_its_pdu_line_with_it(rig):
    modem, engine, events = rig
    task = asyncio.create_task(engine.command("AT+CMGL=4"))
    listing = f"\r\n{t.CMGL_REPLY[0]}\r\n{t.CMGL_REPLY[1]}\r\n".encode()
    await answer(modem, b"AT+CMGL=4", listing, b"\r\n" + t.CMT_GAMMU, b"\r\nOK\r\n")
    assert await task == t.CMGL_REPLY[:2]
    assert events == [PushedPdu("cmt", 23, t.CMT_GAMMU_PDU)]


async def test_hang_up_during_another_command_is_an_event_not_its_end(rig):
    modem, engine, events = rig
    task = asyncio.create_task(engine.command("AT+CSQ"))
    await answer(modem, b"AT+CSQ", b"\r\nNO CARRIER\r\n\r\n+CSQ: 9,99\r\n\r\nOK\r\n")
    assert await task == ["+CSQ: 9,99"]
    assert events == [Hangup("NO CARRIER")]


async def test_unsolicited_lines_with_no_command_and_a_late_ok(rig):
    modem, engine, events = rig
    modem.send(b"\r\nOK\r\n" + t.GAMMU_CANCEL_CALL + b'\r\n^HCSQ:"LTE",59,50,161,24\r\n')
    await until(lambda: len(events) == 5)
    assert events == [
        Ring(""),
        CallerId("+481239823991", 145, None, 0),
        ModemStatus("sim", "READY"),
        Ring(""),
        SignalChanged(5, -62, "^HCSQ"),
    ]


async def test_a_listener_that_raises_does_not_stop_the_line(rig):
    modem, engine, events = rig

    def fussy(token):
        events.append(token)
        raise RuntimeError("listener bug")

    engine.on_event = fussy
    modem.send(b"\r\nRING\r\n")
    await until(lambda: len(events) == 1)
    task = asyncio.create_task(engine.command("AT"))
    await answer(modem, b"AT", b"\r\nOK\r\n")
    assert await task == []


# ------------------------------------------------------------ final results


@pytest.mark.parametrize(
    ("final", "code", "busy"),
    [
        ("ERROR", None, False),
        ("+CME ERROR: 515", 515, True),
        ("+CME ERROR: 14", 14, True),
        ("+CME ERROR: SIM busy", None, True),
        ("+CME ERROR: SIM not inserted", None, False),
        ("+CME ERROR: 11", 11, False),
        ("+CMS ERROR: 300", 300, False),
        ("+CMS ERROR: 512", 512, False),
        ("+CME ERROR:-1", -1, False),
        ("COMMAND NOT SUPPORT", None, False),
        ("MODEM ERROR: 3", 3, False),
    ],
)
async def test_error_finals(rig, final, code, busy):
    modem, engine, events = rig
    task = asyncio.create_task(engine.command("AT+CPMS?"))
    await answer(modem, b"AT+CPMS?", f"\r\n{final}\r\n".encode())
    with pytest.raises(AtError) as caught:
        await task
    assert (caught.value.final, caught.value.code, caught.value.busy) == (final, code, busy)
    assert caught.value.command == "AT+CPMS?"
    assert not isinstance(caught.value, AtTimeout)


@pytest.mark.parametrize("final", ["NO CARRIER", "BUSY", "NO ANSWER", "NO DIALTONE"])
async def test_dial_finals_end_the_dial_and_are_reported(rig, final):
    modem, engine, events = rig
    task = asyncio.create_task(engine.command("ATD10086;"))
    await answer(modem, b"ATD10086;", f"\r\n{final}\r\n".encode())
    with pytest.raises(AtError) as caught:
        await task
    assert caught.value.final == final
    assert events == [Hangup(final)]


async def test_wavecom_cpin_ready_without_ok(rig):
    modem, engine, events = rig
    task = asyncio.create_task(engine.command("AT+CPIN?", timeout=5))
    await answer(modem, b"AT+CPIN?", b"\r\n+CPIN: READY\r\n")
    assert await task == ["+CPIN: READY"]  # an AtTimeout here would mean we waited for the OK
    # An OK turning up with no command in flight changes nothing.
    modem.send(b"\r\nOK\r\nRING\r\n")
    await until(lambda: events == [Ring("")])
    task = asyncio.create_task(engine.command("AT+CSQ"))
    await answer(modem, b"AT+CSQ", b"\r\n+CSQ: 9,99\r\n\r\nOK\r\n")
    assert await task == ["+CSQ: 9,99"]
    assert events == [Ring("")]


# ------------------------------------------------------------ timeouts, one in flight, unsafe text


async def test_timeout_then_the_line_still_works(rig):
    modem, engine, events = rig
    with pytest.raises(AtTimeout) as caught:
        await engine.command("AT+COPS=?", timeout=0.05)
    assert caught.value.command == "AT+COPS=?" and caught.value.waited_for == "reply"
    task = asyncio.create_task(engine.command("AT"))
    await answer(modem, b"AT", b"\r\nOK\r\n")
    assert await task == []


async def test_one_command_in_flight(rig):
    modem, engine, events = rig
    first = asyncio.create_task(engine.command("AT+CSQ"))
    second = asyncio.create_task(engine.command("AT+CREG?"))
    await modem.expect(b"AT+CSQ\r")
    await asyncio.sleep(0.05)
    assert b"AT+CREG?" not in modem.received  # the second waits for the first's final result
    modem.send(b"\r\n+CSQ: 9,99\r\n\r\nOK\r\n")
    assert await first == ["+CSQ: 9,99"]
    await answer(modem, b"AT+CREG?", b"\r\n+CREG: 0,1\r\n\r\nOK\r\n")
    assert await second == ["+CREG: 0,1"]


@pytest.mark.parametrize("cmd", ["AT+CMGS=1\rATD123;", "AT\n", "AT\x1a", "AT+CSCA=\"张\""])
async def test_unsafe_text_never_reaches_the_modem(rig, cmd):
    modem, engine, events = rig
    with pytest.raises(ValueError):
        await engine.command(cmd)
    with pytest.raises(ValueError):
        await engine.command_with_prompt("AT+CMGS=1", cmd)


# ------------------------------------------------------------ the > prompt


async def test_send_with_prompt(rig):
    modem, engine, events = rig
    pdu = "0001000B915155214365F70000029B32"
    task = asyncio.create_task(engine.command_with_prompt("AT+CMGS=15", pdu))
    await answer(modem, b"AT+CMGS=15", b"\r\n> ")
    await modem.expect(pdu.encode() + b"\x1a")
    modem.send(b"\r\n+CMGS: 64\r\n\r\nOK\r\n")
    assert await task == ["+CMGS: 64"]


async def test_a_urc_right_behind_the_prompt_in_the_same_read(rig):
    # A delivery report or new-text notice can land in the same read as the prompt; the prompt still counts.
    modem, engine, events = rig
    pdu = "0001000B915155214365F70000029B32"
    task = asyncio.create_task(engine.command_with_prompt("AT+CMGS=15", pdu))
    await answer(modem, b"AT+CMGS=15", b"\r\n> \r\n+CMTI: \"SM\",3\r\n")
    await modem.expect(pdu.encode() + b"\x1a")
    modem.send(b"\r\n+CMGS: 66\r\n\r\nOK\r\n")
    assert await task == ["+CMGS: 66"]
    assert len(events) == 1 and "3" in repr(events[0])


async def test_send_with_prompt_and_echo_on(rig):
    modem, engine, events = rig
    pdu = "0001000B915155214365F70000029B32"
    task = asyncio.create_task(engine.command_with_prompt("AT+CMGS=15", pdu))
    await answer(modem, b"AT+CMGS=15", b"AT+CMGS=15\r\r\n> ")
    await modem.expect(pdu.encode() + b"\x1a")
    modem.send(pdu.encode() + b"\x1a\r\n\r\nRING\r\n+CMGS: 65\r\n\r\nOK\r\n")
    assert await task == ["+CMGS: 65"]
    assert events == [Ring("")]


async def test_no_prompt_cancels_with_esc(rig):
    modem, engine, events = rig
    with pytest.raises(AtTimeout) as caught:
        await engine.command_with_prompt("AT+CMGS=15", "00", prompt_timeout=0.05)
    assert caught.value.waited_for == "prompt"
    await modem.expect(b"AT+CMGS=15\r\x1b")
    assert b"00\x1a" not in modem.received


async def test_refused_instead_of_a_prompt(rig):
    modem, engine, events = rig
    task = asyncio.create_task(engine.command_with_prompt("AT+CMGS=15", "00"))
    await answer(modem, b"AT+CMGS=15", b"\r\n+CMS ERROR: 304\r\n")
    with pytest.raises(AtError) as caught:
        await task
    assert caught.value.code == 304
    assert b"00\x1a" not in modem.received


async def test_refused_after_the_payload(rig):
    modem, engine, events = rig
    task = asyncio.create_task(engine.command_with_prompt("AT+CMGS=15", "00"))
    await answer(modem, b"AT+CMGS=15", b"\r\n> ")
    await modem.expect(b"00\x1a")
    modem.send(b"\r\n+CMS ERROR: 500\r\n")
    with pytest.raises(AtError) as caught:
        await task
    assert caught.value.code == 500


# ------------------------------------------------------------ unplug


async def test_unplug_fails_the_command_in_flight_and_reports_the_line_down(rig):
    modem, engine, events = rig
    task = asyncio.create_task(engine.command("AT+CSQ"))
    await answer(modem, b"AT+CSQ", b"\r\n+CSQ: 9,")
    modem.unplug()
    with pytest.raises(PortGone) as caught:
        await task
    assert "unplugged or gone" in str(caught.value)
    assert events == [LineChanged("down", engine.port.url, str(caught.value))]
    with pytest.raises(PortGone):
        await engine.command("AT")


async def test_unplug_while_waiting_for_the_prompt(rig):
    modem, engine, events = rig
    task = asyncio.create_task(engine.command_with_prompt("AT+CMGS=15", "00"))
    await modem.expect(b"AT+CMGS=15\r")
    modem.unplug()
    with pytest.raises(PortGone):
        await task


async def test_commands_after_close_fail_plainly(rig):
    modem, engine, events = rig
    await engine.close()
    with pytest.raises(AtError, match="closed"):
        await engine.command("AT")


async def test_a_parser_bug_on_one_line_does_not_silence_the_line():
    class Brittle(UrcParser):
        def feed(self, line):
            if line == "BOOM":
                raise RuntimeError("a bug")
            return super().feed(line)

    modem = Modem()
    events: list = []
    engine = Engine(await open_port(modem.path), on_event=events.append, parser=Brittle())
    await engine.start()
    modem.send(b"\r\nBOOM\r\nRING\r\n")
    await until(lambda: events == [Ring("")])
    await engine.close()
    modem.unplug()


# ------------------------------------------------------------ any interleaving, any split

_URCS = [
    (b"RING", Ring("")),
    (b'+CLIP: "",128,"",0,"",1', CallerId("", 128, None, 1)),
    (b'+CMTI: "SR",4', NewMessage("SR", 4)),
    (b"+CREG: 5", RegistrationChanged("roaming", "cs")),
    (b"\r\n" + t.CMT_GAMMU.rstrip(b"\r"), PushedPdu("cmt", 23, t.CMT_GAMMU_PDU)),
]


@settings(max_examples=25, deadline=None)
@given(
    urcs=st.lists(st.tuples(st.integers(0, len(t.CMGL_REPLY)), st.sampled_from(range(len(_URCS)))), max_size=4),
    cuts=st.lists(st.integers(0, 400), max_size=6),
    ending=st.sampled_from([b"\r\n", b"\r", b"\r\r\n", b"\n"]),
)
def test_urcs_anywhere_in_a_reply_split_anywhere(urcs, cuts, ending):
    lines, expected = [], []
    for position in range(len(t.CMGL_REPLY) + 1):
        for at, which in urcs:
            if at == position:
                lines.append(_URCS[which][0])
                expected.append(_URCS[which][1])
        if position < len(t.CMGL_REPLY):
            lines.append(t.CMGL_REPLY[position].encode())
    stream = b"".join(ending + line + ending for line in lines) + ending + b"OK" + ending
    points = sorted({min(c, len(stream)) for c in cuts})
    chunks = [stream[a:b] for a, b in zip([0, *points], [*points, len(stream)], strict=True)]
    asyncio.run(_listing_with_urcs(chunks, expected))


async def _listing_with_urcs(chunks: list[bytes], expected: list) -> None:
    modem = Modem()
    events: list = []
    engine = Engine(await open_port(modem.path), on_event=events.append)
    await engine.start()
    try:
        task = asyncio.create_task(engine.command("AT+CMGL=4"))
        await modem.expect(b"AT+CMGL=4\r")
        for chunk in chunks:
            modem.send(chunk)
            await asyncio.sleep(0)
        assert await task == t.CMGL_REPLY
        assert events == expected
    finally:
        await engine.close()
        modem.unplug()
