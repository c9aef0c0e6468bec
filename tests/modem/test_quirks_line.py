"""Issue 10, "What was seen", through a real pty: the simulated phone is taught each quirk
(`SimPhone.reply_with`, or a PDU put straight into its memory) and the line must still
come up and read every text. The parser-level cases are in test_quirks_parse.py.
"""

from __future__ import annotations

import asyncio
import contextlib

from modem.events import DeliveryReport, LineChanged, SmsPart, SmsUnreadable
from modem.fields import is_hex
from modem.phone import Phone
from modem.probe import NOT_ANNOUNCING, probe_port
from modem.sim import SimPhone

GUARD = 10.0  # a stuck test fails here instead of hanging; not a timing claim

_SCTS_OK = "52105200000023"
# ModemManager test_pdu_not_stored: a report for TP-MR 90.
_REPORT = "07914356060013F1065A098136397339F7219011700463802190117004638030"
_TEXT = "00" "04" "05810180F6" "00" "00" + _SCTS_OK + "05" "D4F29C2E03"  # "Test2" from 10086


class Events:
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
async def taught(teach=lambda sim: None, **options):
    """A simulated phone taught a quirk before the line opens; yields (phone, sim, events, the "up" event)."""
    sim = await SimPhone("generic").start()
    teach(sim)
    phone = Phone(sim.path, **{"call_poll_s": 0.2, "max_backoff_s": 0.5, **options})
    phone.simulator = sim
    events = Events(phone)
    try:
        await asyncio.wait_for(phone.open(), GUARD)
        up = await events.until(LineChanged, where=lambda e: e.state == "up")
        yield phone, sim, events, up
    finally:
        await phone.close()


async def _wait_for(condition) -> None:
    async def wait():
        while not condition():
            await asyncio.sleep(0.02)

    await asyncio.wait_for(wait(), GUARD)


# ------------------------------------------------------------ 1. Alcatel's memory names


async def test_unknown_memory_names_do_not_keep_the_line_down():
    def teach(sim):
        sim.reply_with("AT+CPMS=?", ['+CPMS: ("SM","ME","SM_P","ME_P","MT"),("SM","ME","SM_P","ME_P","MT"),'
                                     '("SM","ME","MT")', "OK"])
        sim.memories["SM"].put(_TEXT)

    async with taught(teach) as (phone, sim, events, up):
        part = await events.until(SmsPart)
        assert part.text == "Test2" and part.storage == "SM"
        assert not any("_P" in c for c in sim.commands)  # the odd names never reach a command
        assert not any(isinstance(e, LineChanged) and e.state == "down" for e in events.seen)


# ------------------------------------------------------------ 2. malformed storage lists


async def test_a_list_with_a_missing_quote_still_reads_the_reports_in_sr():
    def teach(sim):
        sim.reply_with("AT+CPMS=?", ['+CPMS: (ME", "SR"), ("ME", "SR"), ("ME")', "OK"])
        sim.memories["SR"].put(_REPORT)

    async with taught(teach) as (phone, sim, events, up):
        report = await events.until(DeliveryReport)
        assert (report.reference, report.storage) == (90, "SR")


async def test_a_list_without_parentheses_still_finds_the_phones_memory():
    def teach(sim):
        sim.reply_with("AT+CPMS=?", ['+CPMS: "ME","ME","ME"', "OK"])
        sim.memories["ME"].put(_TEXT)

    async with taught(teach) as (phone, sim, events, up):
        part = await events.until(SmsPart)
        assert (part.text, part.storage) == ("Test2", "ME")


# ------------------------------------------------------------ 3. - 6. PDUs real phones stored


async def test_a_bad_zone_octet_costs_only_the_zone():
    async with taught(lambda sim: sim.memories["ME"].put(_TEXT.replace(_SCTS_OK, "521052000000C2"))) as (
            phone, sim, events, up):
        part = await events.until(SmsPart)
        assert part.text == "Test2" and part.zone_known is False
        assert part.sent_at.utcoffset() is not None


async def test_a_stray_quote_after_the_pdu_still_gives_the_text():
    def teach(sim):
        sim.memories["ME"].put(_TEXT)
        sim.reply_with("AT+CMGL", lambda lines: [line + '"' if is_hex(line) else line for line in lines])

    async with taught(teach) as (phone, sim, events, up):
        part = await events.until(SmsPart)
        assert part.text == "Test2"


async def test_compressed_text_arrives_as_kept_raw_not_as_garbage():
    compressed = _TEXT.replace("0000" + _SCTS_OK, "0039" + _SCTS_OK)
    async with taught(lambda sim: sim.memories["ME"].put(compressed)) as (phone, sim, events, up):
        event = await events.until(SmsUnreadable, SmsPart)
        assert isinstance(event, SmsUnreadable)
        assert (event.reason, event.pdu, event.storage, event.index, event.sender) == (
            "compressed", compressed, "ME", 0, "10086")


async def test_an_empty_user_data_header_does_not_raise():
    empty_header = "00" "44" "05810180F6" "00" "00" + _SCTS_OK + "01" "00"
    async with taught(lambda sim: sim.memories["ME"].put(empty_header)) as (phone, sim, events, up):
        part = await events.until(SmsPart, SmsUnreadable)
        assert isinstance(part, SmsPart) and part.text == ""


# ------------------------------------------------------------ 8. what the line says it found


async def test_ati_model_and_the_maker_said_once():
    def samsung(sim):
        sim.reply_with("AT+CGMI", ["ERROR"])
        sim.reply_with("AT+CGMM", ["ERROR"])
        sim.reply_with("ATI", ["Manufacturer: SAMSUNG", "Model: I: SCH-U706/99", "OK"])

    async with taught(samsung) as (phone, sim, events, up):
        assert up.detail.startswith("SAMSUNG SCH-U706/99, SIM ready")

    def nokia(sim):
        sim.reply_with("AT+CGMI", ["Nokia", "OK"])
        sim.reply_with("AT+CGMM", ["Nokia N79", "OK"])

    async with taught(nokia) as (phone, sim, events, up):
        assert up.detail.startswith("Nokia N79, SIM ready")


async def test_a_phone_that_refuses_every_cnmi_is_said_so_and_polled():
    def teach(sim):
        sim.reply_with("AT+CNMI", ["ERROR"])

    async with taught(teach, storage_poll_s=0.1) as (phone, sim, events, up):
        assert "refused every way of announcing new texts" in up.detail
        assert phone.announces is False
        await sim.deliver_sms("+8613800138000", "你好", via="store")  # stored, never announced
        part = await events.until(SmsPart)
        assert part.text == "你好"
        await phone.delete_sms(part.storage, part.index)
        # Cheap: once the memory's counts stop changing, each poll is one AT+CPMS? and no listing.
        start = len(sim.commands)
        await _wait_for(lambda: sim.commands[start:].count("AT+CPMS?") >= 6)
        later = sim.commands[start:]
        assert later.count("AT+CMGL=4") <= 3  # at most the one scan after the delete changed the count
        assert set(later) <= {"AT+CPMS?", "AT+CMGL=4", "AT", "AT+CLCC"} | {c for c in later if c.startswith("AT+CPMS=")}

    # The line-setup test (`guanjia ports --probe`, the setup screen) says it before any line is held.
    sim = await SimPhone("generic").start()
    sim.reply_with("AT+CNMI", ["ERROR"])
    try:
        found = await asyncio.wait_for(probe_port(sim.path), GUARD)
    finally:
        await sim.close()
    assert found.summary.endswith(NOT_ANNOUNCING) and found.announces is False
