"""Issue 10, the modem doctor, through a real pty: a modem that stops answering is reopened,
restarts are counted and said, a port that comes back under another name is found by its
by-id link, and a 4G-only line without VoLTE is said to be unable to ring."""

from __future__ import annotations

import asyncio
import contextlib
import os

from modem.events import LineChanged, SmsPart
from modem.phone import Phone
from modem.probe import probe_port
from modem.sim import SimPhone

GUARD = 10.0  # a stuck test fails here instead of hanging; not a timing claim


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


def _state(state: str):
    return lambda e: e.state == state


@contextlib.asynccontextmanager
async def line(flavour="generic", teach=lambda sim: None, *, device=False, **options):
    """The Phone on the simulated phone; `device=True` opens the /dev/pts/N itself, not the by-id-like link."""
    sim = await SimPhone(flavour).start()
    teach(sim)
    url = sim.device if device else sim.path
    phone = Phone(url, **{"call_poll_s": 0.2, "max_backoff_s": 0.3, "by_id_dir": sim._link_dir, **options})
    if not device:
        phone.simulator = sim
    events = Events(phone)
    try:
        await asyncio.wait_for(phone.open(), GUARD)
        up = await events.until(LineChanged, where=_state("up"))
        yield phone, sim, events, up
    finally:
        await phone.close()
        await sim.close()


async def test_a_modem_that_stops_answering_twice_is_closed_and_reopened():
    async with line(health_every_s=0.3, command_timeout=0.2) as (phone, sim, events, up):
        sim.reply_with("AT", [])  # every command goes unanswered, the port itself stays
        start = len(sim.commands)
        down = await events.until(LineChanged, where=_state("down"))
        assert "twice in a row" in down.detail and "opened again" in down.detail
        assert len(sim.commands[start:]) >= 2  # one silence was not enough to give up
        sim.reply_normally()
        await events.until(LineChanged, where=_state("up"))
        await sim.deliver_sms("+8613800138000", "又好了")
        assert (await events.until(SmsPart)).text == "又好了"


async def test_restarts_are_counted_and_each_one_sets_the_modem_up_again():
    async with line("quectel") as (phone, sim, events, up):
        assert "restarted" not in up.detail  # its boot before we came is no restart
        for n in (1, 2, 3):
            sim.clip = False  # what a reset does to the settings we made
            sim.urc("RDY")
            await events.until(LineChanged, where=_state("down"))
            up = await events.until(LineChanged, where=_state("up"))
            assert sim.clip  # caller ID switched on again
        assert "restarted 3 times in the last hour" in up.detail and "power" in up.detail
        assert phone.doctor.restarts == 3


async def test_a_port_that_comes_back_under_another_name_is_found_by_its_by_id_link():
    async with line(device=True) as (phone, sim, events, up):
        first = sim.device
        await sim.vanish()
        await events.until(LineChanged, where=_state("down"))
        spare = os.openpty()  # something else takes the old number, as another stick takes ttyUSB0
        try:
            await sim.come_back()
            assert sim.device != first  # it is back as another /dev/pts/N
            await events.until(LineChanged, where=_state("up"))
            await sim.deliver_sms("+8613800138000", "换了名字也找得到")
            assert (await events.until(SmsPart)).text == "换了名字也找得到"
        finally:
            for fd in spare:
                os.close(fd)


def _on_4g_only(ims):
    def teach(sim):
        sim.registration, sim.lte_registration, sim.ims = 0, 1, ims

    return teach


async def test_a_4g_only_line_without_volte_is_said_unable_to_ring():
    async with line("quectel", _on_4g_only(0)) as (phone, sim, events, up):
        assert "calls cannot ring on this modem/SIM: no VoLTE" in up.detail
        assert 'AT+QCFG="ims",1' in up.detail
    sim = await SimPhone("quectel").start()
    _on_4g_only(0)(sim)
    try:
        found = await asyncio.wait_for(probe_port(sim.path), GUARD)
    finally:
        await sim.close()
    assert found.calls_ring is False and "no VoLTE" in found.summary
    assert found.registration == "registered (home, 4G only)"


async def test_a_4g_only_line_with_volte_rings_and_one_that_will_not_say_is_warned():
    async with line("quectel", _on_4g_only(1)) as (phone, sim, events, up):
        assert "4G only" in up.detail and "VoLTE" not in up.detail
    async with line("generic", _on_4g_only(None)) as (phone, sim, events, up):
        assert "calls may not ring" in up.detail and "AT+QCFG" not in up.detail
    async with line("generic") as (phone, sim, events, up):  # on 2G/3G as well: nothing to say
        assert "4G" not in up.detail and "VoLTE" not in up.detail


async def test_the_probe_says_when_the_modem_restarts_while_it_is_tested():
    sim = await SimPhone("quectel").start()

    def restarting(lines):
        sim.urc("RDY")  # the modem resets between two questions, as a boot-looping one does
        return lines

    sim.reply_with("AT+CGMI", restarting)
    sim.reply_with("AT+CSQ", restarting)
    try:
        found = await asyncio.wait_for(probe_port(sim.path), GUARD)
    finally:
        await sim.close()
    assert found.restarts == 2 and "restarted 2 times while it was tested" in found.summary
