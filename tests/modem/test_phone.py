"""The Phone against the simulated phone, end to end through a real pseudo-terminal."""

from __future__ import annotations

import asyncio
import contextlib

import pytest

from modem.concat import Reassembler
from modem.events import (
    CallAnswered,
    CallEnded,
    DeliveryReport,
    IncomingCall,
    LineChanged,
    SignalChanged,
    SmsPart,
    Unrecognized,
)
from modem.phone import Phone, PhoneError
from modem.sim import SimPhone

GUARD = 10.0  # a stuck test fails here instead of hanging; not a timing claim


class Events:
    """The phone's event stream, with `until(kind)` that keeps what it skipped."""

    def __init__(self, phone: Phone) -> None:
        self.stream = phone.events()
        self.seen: list = []

    async def until(self, *types, where=lambda e: True):
        async def wait():
            async for event in self.stream:
                self.seen.append(event)
                if isinstance(event, types) and where(event):
                    return event
            raise AssertionError(f"events ended before {types}")

        return await asyncio.wait_for(wait(), GUARD)


@contextlib.asynccontextmanager
async def line(flavour: str = "generic", *, echo: bool = False, busy: int = 0, **phone_options):
    sim = await SimPhone(flavour, echo=echo).start()
    sim.busy_at_start(busy)
    options = {"call_poll_s": 0.2, "max_backoff_s": 0.5, **phone_options}
    phone = Phone(sim.path, **options)
    phone.simulator = sim
    events = Events(phone)
    try:
        await asyncio.wait_for(phone.open(), GUARD)
        await events.until(LineChanged, where=lambda e: e.state == "up")
        yield phone, sim, events
    finally:
        await phone.close()


@pytest.mark.parametrize("flavour", ["generic", "huawei", "simcom", "quectel"])
async def test_initialises_every_flavour(flavour):
    async with line(flavour) as (phone, sim, events):
        assert phone.state == "up"
        for wanted in ("ATE0", "AT+CMGF=0", "AT+CLIP=1", "AT+CRC=1"):
            assert wanted in sim.commands
        assert any(c.startswith("AT+CNMI=") for c in sim.commands)
        assert sim.cmgf == 0 and sim.clip and sim.crc
        [signal] = [e for e in events.seen if isinstance(e, SignalChanged)]
        assert signal.bars == 4


async def test_cnmi_falls_back_where_reports_cannot_be_pushed():
    async with line("huawei") as (_, sim, _events):
        tried = [c for c in sim.commands if c.startswith("AT+CNMI=") and c != "AT+CNMI=?"]  # the probe asks =?
        assert tried == ["AT+CNMI=2,1,0,1,0", "AT+CNMI=2,1,0,2,0"]
        assert sim.cnmi == (2, 1, 0, 2, 0)


async def test_echo_on_and_busy_sim_at_start_still_come_up():
    async with line(echo=True, busy=2) as (phone, sim, _):
        assert phone.state == "up"
        assert sim.busy_for == 0 and not sim.echo
        assert sim.commands.count("AT+CPIN?") >= 1


async def test_sim_url_starts_a_scriptable_phone():
    async with Phone("sim://simcom?echo=1", call_poll_s=0.2) as phone:
        assert phone.simulator is not None and phone.simulator.flavour.name == "simcom"
        assert phone.state == "up"
        result = await phone.probe()
        assert result.summary == "SIMCOM_SIM800, SIM ready, signal 4/5, registered (home)"


@pytest.mark.parametrize(
    ("ring", "number", "presentation"),
    [
        ({}, "+8613800138000", "number"),
        ({"withheld": True}, None, "withheld"),
        ({"ring_line": False}, "+8613800138000", "number"),  # +CLIP without RING
        ({"double_ring": True}, "+8613800138000", "number"),
        ({"burst_gap": 0.05}, "+8613800138000", "number"),  # RING and +CLIP in separate bursts
    ],
)
async def test_unanswered_ring_is_one_incoming_call_then_missed(ring, number, presentation):
    async with line() as (_, sim, events):
        await sim.ring("13800138000", rings=2, every=0.05, **ring)
        incoming = await events.until(IncomingCall)
        assert (incoming.number, incoming.presentation) == (number, presentation)
        ended = await events.until(CallEnded)
        assert ended.call_id == incoming.call_id and ended.outcome == "missed"
        assert sum(isinstance(e, IncomingCall) for e in events.seen) == 1


async def test_answered_with_ata_then_caller_hangs_up():
    async with line() as (phone, sim, events):
        ringing = asyncio.create_task(sim.ring("+8613800138000", rings=100, every=0.05, hang_up_after=0.2))
        incoming = await events.until(IncomingCall)
        await phone.answer()
        answered = await events.until(CallAnswered)
        ended = await events.until(CallEnded)
        await ringing
        assert answered.call_id == ended.call_id == incoming.call_id
        assert ended.outcome == "answered" and ended.cause == "NO CARRIER" and ended.duration_s >= 0


@pytest.mark.parametrize(("flavour", "cause"), [("huawei", "^CEND"), ("simcom", "VOICE CALL: END")])
async def test_answered_on_the_handset_with_vendor_urcs(flavour, cause):
    async with line(flavour) as (_, sim, events):
        await sim.ring("13800138000", rings=1, every=0.01, answer=True, hang_up_after=0.05)
        await events.until(IncomingCall)
        await events.until(CallAnswered)
        ended = await events.until(CallEnded)
        assert (ended.outcome, ended.cause) == ("answered", cause)


async def test_hanging_up_a_ringing_call_rejects_it():
    async with line() as (phone, sim, events):
        ringing = asyncio.create_task(sim.ring("13800138000", rings=100, every=0.05))
        await events.until(IncomingCall)
        await phone.hang_up()
        ended = await events.until(CallEnded)
        await ringing
        assert ended.outcome == "rejected"
        assert "AT+CHUP" in sim.commands


async def test_chinese_text_via_cmti_and_the_same_key_from_a_scan():
    async with line() as (phone, sim, events):
        await sim.deliver_sms("+8613800138000", "老板，今晚六点订一张四人桌")
        part = await events.until(SmsPart)
        assert part.text == "老板，今晚六点订一张四人桌" and part.sender == "+8613800138000"
        assert (part.storage, part.index) == ("ME", 0)
        [again] = [e for e in await phone.read_stored() if isinstance(e, SmsPart)]
        assert again.key == part.key and again.index == part.index


@pytest.mark.parametrize("via", ["cmti", "cmt"])
async def test_long_text_out_of_order_is_reassembled(via):
    text = "你好，请问明天中午还有包间吗？" * 12
    async with line() as (_, sim, events):
        await sim.deliver_sms("+8613800138000", text, via=via, order=[2, 0, 1])
        reassembler = Reassembler()
        whole = None
        for _ in range(3):
            part = await events.until(SmsPart)
            assert part.concat is not None and part.concat.total == 3
            assert (part.storage is None) == (via == "cmt")
            whole = reassembler.add(part) or whole
        assert whole is not None and whole.text == text


async def test_texts_stored_before_start_are_read_at_start():
    sim = await SimPhone().start()
    await sim.deliver_sms("+8613800138000", "sent while the shop was closed", via="store")
    phone = Phone(sim.path)
    phone.simulator = sim
    events = Events(phone)
    try:
        await phone.open()
        part = await events.until(SmsPart)
        assert part.text == "sent while the shop was closed" and part.index == 0
    finally:
        await phone.close()


@pytest.mark.parametrize("text", ["hi", "x" * 400, "你好" * 50, "Grüße 😀 ok", "€{}[]~\\|^"])
async def test_send_returns_one_reference_per_part(text):
    async with line() as (phone, sim, _):
        sim.next_reference = 254
        references = await phone.send_sms("+8613800138000", text)
        assert references == [(254 + i) % 256 for i in range(len(sim.sent))]
        assert "".join(s.text for s in sim.sent) == text
        assert all(s.recipient == "+8613800138000" and s.request_report for s in sim.sent)


@pytest.mark.parametrize(("flavour", "storage"), [("generic", None), ("huawei", "SR")])
async def test_delivery_report_matches_the_reference(flavour, storage):
    async with line(flavour) as (phone, sim, events):
        sim.auto_report_after = 0.01
        [reference] = await phone.send_sms("13800138000", "您的订座已确认")
        report = await events.until(DeliveryReport)
        assert (report.reference, report.status, report.storage) == (reference, "delivered", storage)
        assert report.recipient == "+8613800138000"


async def test_bad_numbers_never_reach_the_phone():
    async with line() as (phone, sim, _):
        before = len(sim.commands)
        for number in ("", "12", "+86 138", '1;AT+CMGD=1,4', "abc"):
            with pytest.raises(PhoneError):
                await phone.send_sms(number, "hi")
        assert len(sim.commands) == before


async def test_send_refused_by_the_network_is_a_plain_error_and_busy_is_retried():
    async with line() as (phone, sim, _):
        sim.fail_next_send(512)
        with pytest.raises(PhoneError, match="network refused"):
            await phone.send_sms("13800138000", "hi")
        sim.busy_at_start(1)
        sim.fail_next_send(515)
        assert len(await phone.send_sms("13800138000", "hi")) == 1


async def test_read_only_never_deletes_or_changes_storage():
    async with line(read_only=True) as (phone, sim, events):
        await sim.deliver_sms("+8613800138000", "keep me")
        await events.until(SmsPart)
        await phone.read_stored()
        with pytest.raises(PhoneError):
            await phone.delete_sms("ME", 0)
        assert not any("CMGD" in c for c in sim.commands)
        assert not any(c.startswith("AT+CPMS=") and "," in c for c in sim.commands)
        assert sim.memories["ME"].used == 1


async def test_delete_after_keeping():
    async with line() as (phone, sim, events):
        await sim.deliver_sms("+8613800138000", "read me")
        part = await events.until(SmsPart)
        await phone.delete_sms(part.storage, part.index)
        assert sim.memories["ME"].used == 0


async def test_vanish_mid_command_then_come_back():
    async with line(command_timeout=3.0) as (phone, sim, events):
        sim.slow(1.0)  # the send is surely in flight when the cable goes
        sending = asyncio.create_task(phone.send_sms("13800138000", "hi"))
        await asyncio.sleep(0.1)
        await sim.vanish()
        with pytest.raises(PhoneError):
            await sending
        down = await events.until(LineChanged, where=lambda e: e.state == "down")
        assert "unplugged or gone" in down.detail
        await events.until(LineChanged, where=lambda e: e.state == "reconnecting")
        sim.slow(0)
        await sim.come_back()
        await events.until(LineChanged, where=lambda e: e.state == "up")
        assert len(await phone.send_sms("13800138000", "hi again")) == 1


async def test_slow_answers_honour_the_timeout():
    async with line(command_timeout=0.3, reconnect=False) as (phone, sim, _):
        sim.slow(1.0)
        with pytest.raises(PhoneError, match="did not answer in time"):
            await phone.delete_sms("ME", 3)


async def test_garbage_becomes_unrecognized_and_the_line_keeps_working():
    async with line() as (phone, sim, events):
        sim.write_raw(b"\r\n\xff\xfe\x00GARBAGE\x1b[31m\r\n+FOO: 1,2\r\n")
        odd = await events.until(Unrecognized)
        assert "GARBAGE" in odd.line or "+FOO" in odd.line
        assert len(await phone.send_sms("13800138000", "still here")) == 1
        assert phone.state == "up"


async def test_a_phone_that_stops_answering_is_reconnected():
    async with line(health_every_s=0.4, command_timeout=0.2) as (phone, sim, events):
        sim.slow(1.0)
        down = await events.until(LineChanged, where=lambda e: e.state == "down")
        assert "did not answer in time" in down.detail
        await events.until(LineChanged, where=lambda e: e.state == "reconnecting")
        sim.slow(0)
        await events.until(LineChanged, where=lambda e: e.state == "up")
        assert len(await phone.send_sms("13800138000", "back again")) == 1


async def test_a_ring_inside_a_command_reply_is_not_lost():
    async with line() as (phone, sim, events):
        await sim.deliver_sms("+8613800138000", "one", via="store")
        await sim.deliver_sms("+8613800138000", "two", via="store")
        sim.clip = True
        sim.interject("RING", '+CLIP: "13800138000",129,"",0,"",0')
        stored = [e for e in await phone.read_stored() if isinstance(e, SmsPart)]
        assert [p.text for p in stored] == ["one", "two"]
        incoming = await events.until(IncomingCall)
        assert incoming.number == "+8613800138000"


async def test_rings_that_stop_without_a_word_are_a_missed_call():
    async with line(call_poll_s=3600, ring_timeout_s=0.3) as (_, sim, events):
        await sim.ring("13800138000", rings=1, every=0.01)
        await events.until(IncomingCall)
        ended = await events.until(CallEnded)
        assert (ended.outcome, ended.cause) == ("missed", "timeout")


async def test_send_failures_say_whether_the_text_may_have_gone():
    async with line() as (phone, sim, _):
        with pytest.raises(PhoneError) as bad_number:
            await phone.send_sms("12", "hi")
        assert bad_number.value.refused and not bad_number.value.before_any_byte
        sim.fail_next_send(512)
        with pytest.raises(PhoneError) as refused:
            await phone.send_sms("13800138000", "hi")
        assert refused.value.refused and not refused.value.before_any_byte
        sim.fail_next_send(512, after=1)
        with pytest.raises(PhoneError, match="after 1 of 2 parts") as half:
            await phone.send_sms("13800138000", "x" * 200)
        assert not half.value.refused and not half.value.before_any_byte
        phone.reconnect = False
        await sim.vanish()
        with pytest.raises(PhoneError) as gone:
            await phone.send_sms("13800138000", "hi")
        assert not gone.value.refused


@pytest.mark.parametrize(("flavour", "cause"), [("simcom", "MISSED_CALL"), ("huawei", "^CEND")])
async def test_vendor_missed_call_urcs_end_the_call_at_once(flavour, cause):
    async with line(flavour, call_poll_s=3600) as (_, sim, events):
        await sim.ring("13800138000", rings=1, every=0.01)
        incoming = await events.until(IncomingCall)
        ended = await events.until(CallEnded)
        assert (ended.call_id, ended.outcome, ended.cause) == (incoming.call_id, "missed", cause)
        assert "AT+CLCC" not in sim.commands


@pytest.mark.parametrize("flavour", ["huawei", "quectel"])
async def test_vendor_signal_urcs_become_signal_events(flavour):
    async with line(flavour) as (_, sim, events):
        sim.set_signal(2)
        signal = await events.until(SignalChanged, where=lambda e: e.source != "+CSQ")
        assert signal.bars == 2


@contextlib.asynccontextmanager
async def shared_over_tcp(sim: SimPhone):
    """What ser2net does for a phone on another box: the pty's bytes on a TCP port."""
    import os
    import tty

    fd = os.open(sim.path, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
    tty.setraw(fd)
    loop = asyncio.get_running_loop()

    async def bridge(reader, writer):
        def from_phone():
            with contextlib.suppress(BlockingIOError):
                writer.write(os.read(fd, 4096))

        loop.add_reader(fd, from_phone)
        try:
            while data := await reader.read(4096):
                os.write(fd, data)
        finally:
            loop.remove_reader(fd)
            writer.close()

    server = await asyncio.start_server(bridge, "127.0.0.1", 0)
    try:
        yield f"socket://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    finally:
        server.close()
        os.close(fd)


async def test_a_phone_shared_over_the_network():
    async with SimPhone() as sim, shared_over_tcp(sim) as url:
        phone = Phone(url)
        events = Events(phone)
        try:
            await asyncio.wait_for(phone.open(), GUARD)
            assert phone.state == "up"
            assert await phone.send_sms("13800138000", "over the network") == [0]
            await sim.deliver_sms("+8613800138000", "收到了吗")
            part = await events.until(SmsPart)
            assert part.text == "收到了吗"
        finally:
            await phone.close()


async def test_no_sim_card_is_said_plainly():
    async with SimPhone() as sim:
        sim.sim_ready = False
        phone = Phone(sim.path, reconnect=False)
        with pytest.raises(PhoneError, match="no SIM card"):
            await phone.open()
        assert phone.state == "closed"


async def test_no_network_refuses_a_send_plainly():
    async with line() as (phone, sim, _):
        sim.set_registration(3)
        with pytest.raises(PhoneError, match="network refused") as refused:
            await phone.send_sms("13800138000", "hi")
        assert refused.value.refused


async def test_a_scan_and_an_announced_text_do_not_mix_memories():
    async with line() as (phone, sim, events):
        sim.slow(0.05)
        scanning = asyncio.create_task(phone.read_stored())
        # The scan goes: CPMS ME, CMGL, CPMS SM, ... 50 ms each; the text is announced
        # while it switches to SM, so its +CMGR must wait for ME to be chosen again.
        await asyncio.sleep(0.125)
        await sim.deliver_sms("+8613800138000", "announced mid-scan")
        part = await events.until(SmsPart)
        assert (part.text, part.storage, part.index) == ("announced mid-scan", "ME", 0)
        await scanning


async def test_a_phone_that_keeps_echoing_still_sends_and_reads():
    async with line() as (phone, sim, events):
        sim.echo = True  # as if it ignored ATE0
        assert len(await phone.send_sms("13800138000", "你好" * 40)) == 2
        await sim.deliver_sms("+8613800138000", "echoed")
        part = await events.until(SmsPart)
        assert part.text == "echoed"
        assert (await phone.probe()).summary.startswith("Generic GSM Phone, SIM ready")


async def test_many_texts_at_once_are_each_read_once():
    async with line() as (phone, sim, events):
        for n in range(12):
            await sim.deliver_sms(f"+86138001380{n:02d}", f"第{n}条")
        texts = set()
        for _ in range(12):
            texts.add((await events.until(SmsPart)).text)
        assert texts == {f"第{n}条" for n in range(12)}
        assert sum(c.startswith("AT+CMGR=") for c in sim.commands) == 12


async def test_a_full_memory_is_reported():
    from modem.events import ModemStatus

    async with line("huawei") as (_, sim, events):
        memory = sim.memories["ME"]
        for _ in range(memory.capacity):
            memory.put("0891683108100005F0040D91683108108300F0000862115241000023064F60597D0021")
        assert await sim.deliver_sms("+8613800138000", "no room") == [None]
        full = await events.until(ModemStatus, where=lambda e: e.what == "storage_full")
        assert "ME" in full.detail


async def test_the_networks_name_for_a_caller_comes_through():
    async with line() as (_, sim, events):
        await sim.ring("13800138000", rings=1, every=0.01, name="Alice")
        incoming = await events.until(IncomingCall)
        assert (incoming.number, incoming.name, incoming.number_type) == ("+8613800138000", "Alice", 129)


async def test_answered_on_the_handset_of_a_generic_phone_is_seen_by_polling():
    async with line(call_poll_s=0.1) as (_, sim, events):
        await sim.ring("13800138000", rings=1, every=0.01, answer=True, hang_up_after=1.0)
        answered = await events.until(CallAnswered)
        ended = await events.until(CallEnded)
        assert ended.call_id == answered.call_id and ended.outcome == "answered"
        assert any(c == "AT+CLCC" for c in sim.commands)
