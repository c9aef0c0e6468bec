"""The call tracker on the shapes real modems ring in (modem-facts §2 and §4)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from modem.calls import CLCC_ACTIVE, CLCC_INCOMING, CallTracker, ListedCall
from modem.events import CallAnswered, CallEnded, IncomingCall


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def tracker(**kw):
    clock = Clock()
    return CallTracker(clock=clock, **kw), clock


def test_ring_then_clip_then_silence_is_one_missed_call():
    t, clock = tracker(ring_timeout_s=9)
    assert t.ring() == []
    [incoming] = t.caller_id("13800138000", 129, 0)
    assert incoming == IncomingCall(1, "+8613800138000", "number", 129)
    for _ in range(3):
        clock.now += 3
        assert t.ring() == [] and t.caller_id("13800138000", 129, 0) == []
        assert t.tick() == []
    clock.now += 8.9
    assert t.tick() == []
    clock.now += 0.2
    [ended] = t.tick()
    assert ended == CallEnded(1, "+8613800138000", "missed", None, "timeout")
    assert not t.in_call


def test_ring_and_clip_in_separate_bursts_and_ring_twice_still_one_call():
    t, clock = tracker()
    t.ring()
    t.ring()
    clock.now += 0.4  # the +CLIP comes in a later burst
    assert t.tick() == []
    [incoming] = t.caller_id("+8613800138000", 145)
    assert incoming.call_id == 1 and incoming.number == "+8613800138000"
    t.ring()
    assert t.caller_id("+8613800138000", 145) == []


def test_clip_without_ring_is_a_call():
    t, _ = tracker()
    [incoming] = t.caller_id("13800138000", 129)
    assert incoming.number == "+8613800138000"
    assert t.ringing


def test_withheld_and_unavailable_callers_are_calls_with_no_number():
    t, _ = tracker()
    [withheld] = t.caller_id("", 128, 1)
    assert (withheld.number, withheld.presentation) == (None, "withheld")
    t.ended("NO CARRIER")
    [unknown] = t.caller_id("", 129, 2)
    assert (unknown.number, unknown.presentation, unknown.call_id) == (None, "unavailable", 2)
    t.ended("NO CARRIER")
    [empty] = t.caller_id("", None)
    assert empty.presentation == "unavailable"


def test_ring_without_any_clip_is_announced_after_the_grace():
    t, clock = tracker(clip_grace_s=1.0)
    t.ring()
    assert t.tick() == []
    assert t.next_deadline() == 101.0
    clock.now += 1.0
    [incoming] = t.tick()
    assert incoming.number is None and incoming.presentation == "unavailable"
    # A +CLIP that comes later names the caller on the same call.
    [named] = t.caller_id("13800138000", 129)
    assert named.call_id == incoming.call_id and named.number == "+8613800138000"


def test_answered_then_no_carrier_gives_talk_time():
    t, clock = tracker()
    t.ring()
    t.caller_id("13800138000", 129)
    clock.now += 2
    assert t.answered() == [CallAnswered(1, "+8613800138000")]
    assert t.answered() == []
    clock.now += 41.5
    [ended] = t.ended("NO CARRIER")
    assert (ended.outcome, ended.duration_s, ended.cause) == ("answered", 41.5, "NO CARRIER")
    assert t.tick() == [] and t.ended("NO CARRIER") == []


def test_silence_does_not_end_a_call_in_progress():
    t, clock = tracker(ring_timeout_s=9)
    t.caller_id("13800138000", 129)
    t.answered()
    clock.now += 60
    assert t.tick() == [] and t.in_call


def test_hanging_up_a_ringing_call_is_rejected():
    t, _ = tracker()
    t.caller_id("13800138000", 129)
    [ended] = t.ended("ATH", by_us=True)
    assert ended.outcome == "rejected"


def test_simcom_missed_call_names_the_caller_even_if_we_saw_nothing_else():
    t, _ = tracker()
    incoming, ended = t.missed("07712345678")
    assert incoming.number == "+867712345678"
    assert ended.outcome == "missed" and ended.cause == "MISSED_CALL"


def test_huawei_cend_while_ringing_is_missed():
    t, _ = tracker()
    t.ring()
    t.caller_id("13800138000", 129)
    t.vendor_says()
    [ended] = t.ended("^CEND")
    assert ended.outcome == "missed"


def test_clcc_polling_sees_answer_and_hang_up():
    t, clock = tracker(poll_every_s=1.5)
    assert not t.poll_due()
    t.ring()
    assert not t.poll_due()
    clock.now += 1.5
    assert t.poll_due()
    events = t.listed([ListedCall(1, True, CLCC_INCOMING, "13800138000", 129)])
    assert [e.number for e in events] == ["+8613800138000"]
    assert not t.poll_due()
    clock.now += 1.5
    assert t.poll_due()
    [answered] = t.listed([ListedCall(1, True, CLCC_ACTIVE, "13800138000", 129)])
    assert isinstance(answered, CallAnswered)
    clock.now += 10
    [ended] = t.listed([])
    assert (ended.outcome, ended.cause, ended.duration_s) == ("answered", "+CLCC", 10.0)


def test_clcc_empty_while_ringing_is_missed_and_vendor_urcs_stop_polling():
    t, _ = tracker()
    t.caller_id("13800138000", 129)
    [ended] = t.listed([])
    assert ended.outcome == "missed"
    t.vendor_says()
    t.ring()
    assert not t.poll_due()


def test_clcc_ignores_outgoing_calls():
    t, _ = tracker()
    assert t.listed([ListedCall(1, False, CLCC_ACTIVE, "10086", 129)]) == []
    assert not t.in_call


# ---------------------------------------------------------------- any order at all

_STEPS = st.lists(
    st.one_of(
        st.just(("ring",)),
        st.tuples(st.just("clip"), st.sampled_from(["13800138000", "", "+8613900000001"]),
                  st.sampled_from([None, 129, 145, 128]), st.sampled_from([None, 0, 1, 2])),
        st.just(("answered",)),
        st.tuples(st.just("ended"), st.booleans()),
        st.tuples(st.just("missed"), st.sampled_from([None, "07712345678"])),
        st.tuples(st.just("wait"), st.floats(0, 20)),
        st.tuples(st.just("listed"), st.sampled_from([(), (CLCC_INCOMING,), (CLCC_ACTIVE,)])),
    ),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(_STEPS)
def test_any_sequence_tells_a_consistent_story(steps):
    t, clock = tracker(ring_timeout_s=9)
    events = []
    for step in steps:
        if step[0] == "ring":
            events += t.ring()
        elif step[0] == "clip":
            events += t.caller_id(step[1], step[2], step[3])
        elif step[0] == "answered":
            events += t.answered()
        elif step[0] == "ended":
            events += t.ended("NO CARRIER", by_us=step[1])
        elif step[0] == "missed":
            events += t.missed(step[1])
        elif step[0] == "wait":
            clock.now += step[1]
            events += t.tick()
        else:
            events += t.listed([ListedCall(1, True, stat, "13800138000", 129) for stat in step[1]])
    state: dict[int, str] = {}
    for event in events:
        if isinstance(event, IncomingCall):
            # A later IncomingCall only names the caller of a call still going.
            assert state.get(event.call_id, "ringing") in ("ringing", "talking")
            state.setdefault(event.call_id, "ringing")
        elif isinstance(event, CallAnswered):
            assert state.get(event.call_id) == "ringing"
            state[event.call_id] = "talking"
        elif isinstance(event, CallEnded):
            assert state.get(event.call_id) in ("ringing", "talking")
            assert (event.outcome == "answered") == (state[event.call_id] == "talking")
            assert (event.duration_s is not None) == (event.outcome == "answered")
            state[event.call_id] = "ended"
