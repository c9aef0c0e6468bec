"""Issue 10, "tolerate, never die": whatever a phone answers to the start-up commands, the
line comes up at the first try, or says in plain words why it cannot.

A hypothesis property through a real pty: the simulated phone is taught replies (some
recorded from real phones, some arbitrary, some silence) for a few start-up commands at
a time. Only three commands may keep a line down, and only with a reason the shop can
act on: AT itself (nothing answers), the SIM check, and PDU mode (texts impossible).
"""

from __future__ import annotations

import asyncio

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modem.phone import Phone, PhoneError
from modem.sim import SimPhone

GUARD = 30.0  # a stuck line fails the example here; not a timing claim

STARTUP = (
    "AT", "ATE0", "AT+CMEE=1", "AT+CMEE=2", "AT+CPIN?", "AT+CLIP=1", "AT+CRC=1", "AT+CREG=2", "AT+CMGF=0",
    "AT+CPMS=?", 'AT+CPMS="ME","ME","ME"', "AT+CNMI=2,1,0,1,0", "AT+CNMI", "AT+CSQ", "AT+CREG?",
    "ATI", "AT+CGMI", "AT+CGMM", "AT+CNMI=?", 'AT+CPMS="ME"', "AT+CMGL=4",
)  # fmt: skip
# These may keep the line down, in words: the phone must answer at all, have a usable SIM, and speak PDU.
ESSENTIAL = {"AT", "AT+CPIN?", "AT+CMGF=0"}

# Lines real phones send (issue 10, modem-facts.md §2): every one is somebody's reply to something.
RECORDED = [
    '+CPMS: ("SM","ME","SM_P","ME_P","MT"),("SM","ME","SM_P","ME_P","MT"),("SM","ME","MT")',
    '+CPMS: (ME", "SR"), ("ME", "SR"), ("ME")', '+CPMS: "SM","SM","SM"', "+CPMS: (),(),()",
    "+CPMS: 14,50,14,50", "+CPIN: READY", "+CPIN: SIM PIN", "+CSQ: 99,99", "+CSQ: 20,99", "+CREG: 2,3",
    '+CREG: 2,1,"4E54","0F2A"', "+CNMI: (0-2),(0-3),(0,2),(0-2),(0,1)", "Model: I: SCH-U706/99",
    "^BOOT:27710117,0,0,0,75", "RING", '+CMTI: "SM",7', "+CME ERROR: SIM not inserted", '"',
    "+CMGL: 1,0,,23", "07914356060013F1065A098136397339F7219011700463802190117004638030",
]  # fmt: skip
# A busy SIM for good is left out: each command then retries for ~16 s by design (busy_retry), too slow here.
FINALS = ["OK", "ERROR", "+CME ERROR: 3", "+CMS ERROR: 500", "COMMAND NOT SUPPORT", "NA"]
_LINE = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=30).filter(lambda s: s.strip())


class BusyThen:
    """SIM busy (+CME ERROR: 14) `times` times, then the phone's own answer: what phones do just after power-on."""

    def __init__(self, times: int) -> None:
        self.times = times

    def __call__(self, lines: list[str]) -> list[str]:
        if self.times:
            self.times -= 1
            return ["+CME ERROR: 14"]
        return lines

    def __repr__(self) -> str:
        return f"BusyThen({self.times})"


REPLIES = st.one_of(
    st.just([]),  # silence: the command's wait must time out
    st.lists(st.one_of(st.sampled_from(RECORDED), _LINE), max_size=3).flatmap(
        lambda info: st.sampled_from(FINALS).map(lambda final: [*info, final])),
    st.integers(1, 2).map(BusyThen),
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(taught=st.dictionaries(st.sampled_from(STARTUP), REPLIES, min_size=1, max_size=4))
def test_any_reply_at_start_up_leaves_the_line_up_or_says_why(taught):
    asyncio.run(_start_up(taught))


async def _start_up(taught: dict) -> None:
    sim = await SimPhone("generic").start()
    for command, reply in taught.items():
        sim.reply_with(command, reply)
    phone = Phone(sim.path, reconnect=False, command_timeout=0.3, call_poll_s=0.2, storage_poll_s=0.2)
    phone.simulator = sim
    try:
        await asyncio.wait_for(phone.open(), GUARD)
    except PhoneError as exc:
        words = str(exc)
        # Down is allowed only for what the shop must fix, and it is said in words, not as a trace.
        assert taught.keys() & ESSENTIAL, f"down for a non-essential reply: {words!r}"
        assert words and "Error" not in words and "Traceback" not in words, words
        return
    finally:
        await phone.close()
    assert phone.state in ("up", "closed")
