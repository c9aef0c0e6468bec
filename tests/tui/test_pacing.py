"""Pacing of campaign texts: the rate limit over a long run, and quiet hours across midnight and DST."""

from __future__ import annotations

from bisect import bisect_left
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from tui import pacing
from tui.pacing import WINDOW, Pacer

SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")


def _run(pacer: Pacer, start: datetime, count: int) -> list[datetime]:
    """Send `count` texts as fast as the pacer lets, on a simulated clock."""
    now, sent = start, []
    for _ in range(count):
        now = pacer.next_slot(now)
        assert pacer.may_send(now) and pacer.wait_s(now) == 0
        pacer.sent(now)
        sent.append(now)
    return sent


def _most_in_any_minute(times: list[datetime]) -> int:
    return max(bisect_left(times, t + timedelta(seconds=60)) - i for i, t in enumerate(times))


def test_ten_thousand_texts_never_exceed_the_rate_in_any_minute():
    start = datetime(2026, 3, 2, 10, 0, tzinfo=timezone.utc)  # 18:00 in Shanghai: the run spans a night
    pacer = Pacer(20, clock=lambda: start)
    times = _run(pacer, start, 10_000)
    assert _most_in_any_minute(times) == 20
    assert times == sorted(times)
    # And the pace is the rate, not much less: every awake minute carries its 20 texts.
    awake = [t for t in times if not pacer.is_quiet(t)]
    assert awake == times
    first_day = [t for t in times if t.astimezone(SHANGHAI).date() == start.astimezone(SHANGHAI).date()]
    assert len(first_day) == 4 * 60 * 20  # 18:00 to 22:00
    assert times[len(first_day)].astimezone(SHANGHAI) == datetime(2026, 3, 3, 8, 0, tzinfo=SHANGHAI)


def test_restart_remembers_recent_sends():
    start = datetime(2026, 3, 2, 2, 0, tzinfo=timezone.utc)
    before = [start + timedelta(seconds=i) for i in range(10)]  # a burst from the last run
    pacer = Pacer(10)
    pacer.seed(before)
    assert not pacer.may_send(start + timedelta(seconds=30))
    assert pacer.next_slot(start + timedelta(seconds=30)) == start + timedelta(seconds=60)


@pytest.mark.parametrize("local_time, quiet", [("21:59", False), ("22:00", True), ("23:30", True), ("00:00", True),
                                              ("03:00", True), ("07:59", True), ("08:00", False), ("12:00", False)])
def test_quiet_hours_across_midnight(local_time, quiet):
    hours, minutes = map(int, local_time.split(":"))
    at = datetime(2026, 5, 5, hours, minutes, tzinfo=SHANGHAI)
    assert Pacer(20).is_quiet(at) is quiet


def test_nothing_goes_in_quiet_hours_it_waits_for_the_morning():
    pacer = Pacer(20)
    evening = datetime(2026, 5, 5, 21, 59, 30, tzinfo=SHANGHAI)
    times = _run(pacer, evening, 30)
    local = [t.astimezone(SHANGHAI) for t in times]
    assert [t.strftime("%H:%M:%S") for t in local[:10]] == ["21:59:30", "21:59:33", "21:59:36", "21:59:39",
                                                           "21:59:42", "21:59:45", "21:59:48", "21:59:51",
                                                           "21:59:54", "21:59:57"]
    assert local[10] == datetime(2026, 5, 6, 8, 0, tzinfo=SHANGHAI)
    assert all(not pacer.is_quiet(t) for t in times)
    night = datetime(2026, 5, 5, 23, 0, tzinfo=SHANGHAI)
    fresh = Pacer(20)
    assert not fresh.may_send(night)
    assert fresh.wait_s(night) == 9 * 3600


def test_quiet_hours_within_one_day():
    pacer = Pacer(60, quiet_start="12:00", quiet_end="14:00")
    assert pacer.is_quiet(datetime(2026, 5, 5, 13, 0, tzinfo=SHANGHAI))
    assert not pacer.is_quiet(datetime(2026, 5, 5, 23, 0, tzinfo=SHANGHAI))
    assert pacer.next_slot(datetime(2026, 5, 5, 12, 30, tzinfo=SHANGHAI)) == datetime(2026, 5, 5, 14, 0,
                                                                                     tzinfo=SHANGHAI)


def test_same_start_and_end_means_no_quiet_hours():
    pacer = Pacer(60, quiet_start="00:00", quiet_end="00:00")
    assert not pacer.is_quiet(datetime(2026, 5, 5, 3, 0, tzinfo=SHANGHAI))


def test_quiet_hours_follow_the_wall_clock_across_daylight_saving():
    # Berlin springs forward on 2026-03-29 (02:00 -> 03:00) and falls back on 2026-10-25 (03:00 -> 02:00).
    pacer = Pacer(20, tz="Europe/Berlin")
    spring_night = datetime(2026, 3, 28, 23, 0, tzinfo=BERLIN)
    morning = pacer.next_slot(spring_night)
    assert morning.astimezone(BERLIN) == datetime(2026, 3, 29, 8, 0, tzinfo=BERLIN)
    assert morning - spring_night.astimezone(timezone.utc) == timedelta(hours=8)  # one hour of the night is gone
    autumn_night = datetime(2026, 10, 24, 23, 0, tzinfo=BERLIN)
    morning = pacer.next_slot(autumn_night)
    assert morning.astimezone(BERLIN) == datetime(2026, 10, 25, 8, 0, tzinfo=BERLIN)
    assert morning - autumn_night.astimezone(timezone.utc) == timedelta(hours=10)
    # A whole simulated week over the change: nothing ever goes between 22:00 and 08:00 local.
    times = _run(Pacer(20, tz="Europe/Berlin"), datetime(2026, 3, 26, 12, 0, tzinfo=BERLIN), 7 * 14 * 60 * 20)
    assert all(8 <= t.astimezone(BERLIN).hour < 22 for t in times)
    assert _most_in_any_minute(times) == 20
    assert times[-1].astimezone(BERLIN).date() >= datetime(2026, 3, 30).date()


def test_quiet_end_inside_a_dst_gap_lands_on_the_first_real_moment():
    pacer = Pacer(20, quiet_start="22:00", quiet_end="02:30", tz="Europe/Berlin")
    night = datetime(2026, 3, 28, 23, 0, tzinfo=BERLIN)
    slot = pacer.next_slot(night)
    assert not pacer.is_quiet(slot)
    assert slot.astimezone(BERLIN).date() == datetime(2026, 3, 29).date()
    assert slot.astimezone(BERLIN).hour == 3


def test_the_shop_moving_to_another_time_zone_moves_the_quiet_hours():
    at = datetime(2026, 5, 5, 15, 0, tzinfo=timezone.utc)  # 23:00 in Shanghai, 17:00 in Berlin
    assert Pacer(20, tz="Asia/Shanghai").is_quiet(at)
    assert not Pacer(20, tz="Europe/Berlin").is_quiet(at)


def test_eta_counts_the_nights():
    pacer = Pacer(20)
    morning = datetime(2026, 5, 5, 8, 0, tzinfo=SHANGHAI)
    assert pacer.eta(1, morning) == morning
    assert pacer.eta(20, morning) == morning + timedelta(seconds=57)
    one_day = 14 * 60 * 20  # 08:00 to 22:00
    assert pacer.eta(one_day + 1, morning) == datetime(2026, 5, 6, 8, 0, tzinfo=SHANGHAI)
    # The forecast agrees with a simulated run.
    run = _run(Pacer(20), morning, one_day + 50)
    assert pacer.eta(one_day + 50, morning) == run[-1]


def test_a_rate_below_one_is_refused():
    with pytest.raises(ValueError):
        Pacer(0)


def _run_with_network(pacer: Pacer, start: datetime, takes: list[float]) -> tuple[list[datetime], list[datetime]]:
    """What the line worker does: each text is handed to the phone (`started`) and the network takes
    `takes[i]` seconds (`sent`); while one is with the phone, the next is queued when the pacer allows
    and then handed over as soon as the phone is free. The hand-over and acceptance times."""
    now, queued, handed, accepted = start, False, [], []
    for seconds in takes:
        at = now if queued else pacer.next_slot(now)
        pacer.started(at)
        handed.append(at)
        done = at + timedelta(seconds=seconds)
        slot = pacer.next_slot(at)  # the worker sleeps until then, asks again, and queues the next text
        queued = slot < done and pacer.may_send(slot)
        pacer.sent(done)
        accepted.append(done)
        now = done
    return handed, accepted


def test_the_network_time_is_not_added_to_every_gap():
    start = datetime(2026, 5, 5, 4, 0, tzinfo=timezone.utc)  # noon in Shanghai
    handed, _ = _run_with_network(Pacer(120, clock=lambda: start), start, [0.2] * 40)
    assert {b - a for a, b in zip(handed, handed[1:])} == {timedelta(seconds=0.5)}
    # Only `sent` known (as after a restart, or a caller that never says `started`): the gap counts from it.
    pacer = Pacer(120)
    pacer.sent(start)
    assert pacer.next_slot(start) == start + timedelta(seconds=0.5)


@hsettings(max_examples=200, deadline=None)
@given(rate=st.integers(1, 30), takes=st.lists(st.sampled_from([0.0, 0.3, 1.0, 2.5, 9.0, 40.0, 90.0]), min_size=1,
                                               max_size=200))
def test_however_long_the_network_takes_no_minute_holds_more_than_the_rate(rate, takes):
    start = datetime(2026, 5, 5, 4, 0, tzinfo=timezone.utc)
    pacer = Pacer(rate, quiet_start="00:00", quiet_end="00:00", clock=lambda: start)
    handed, accepted = _run_with_network(pacer, start, takes)
    assert _most_in_any_minute(accepted) <= rate
    assert _most_in_any_minute(handed) <= rate
    assert min((b - a for a, b in zip(handed, handed[1:])), default=pacer.gap) >= pacer.gap


def test_a_text_with_the_phone_holds_its_place_in_the_window():
    start = datetime(2026, 5, 5, 4, 0, tzinfo=timezone.utc)
    pacer = Pacer(1, quiet_start="00:00", quiet_end="00:00")
    pacer.started(start)
    assert not pacer.may_send(start + timedelta(minutes=5))  # still with the phone: its minute has not begun
    pacer.sent(start + timedelta(minutes=5))
    assert pacer.next_slot(start + timedelta(minutes=5)) == start + timedelta(minutes=6)


@hsettings(max_examples=200, deadline=None)
@given(steps=st.lists(st.tuples(st.sampled_from([1, 2, 5, 10, 30, 60]), st.integers(1, 80)), min_size=1, max_size=8))
def test_a_rate_changed_mid_run_holds_across_the_change(steps):
    """Whatever the shop sets while a campaign runs, each text goes only when the last minute, the texts sent
    before the change included, holds fewer than the rate then in force, and a full gap after the last."""
    start = datetime(2026, 5, 5, 4, 0, tzinfo=timezone.utc)
    pacer = Pacer(steps[0][0], quiet_start="00:00", quiet_end="00:00", clock=lambda: start)
    now, times = start, []
    for rate, count in steps:
        changes = rate != pacer.rate
        assert pacer.retune(rate, "00:00", "00:00") == changes
        for _ in range(count):
            now = pacer.next_slot(now)
            pacer.sent(now)
            times.append(now)
            assert sum(now - WINDOW < t <= now for t in times) <= rate
            assert len(times) == 1 or now - times[-2] >= pacer.gap
        now += timedelta(seconds=7)  # the change comes a moment later


def test_quiet_hours_set_mid_run_hold_at_once_and_lift_when_set_back():
    noon = datetime(2026, 5, 5, 12, 0, tzinfo=SHANGHAI)
    pacer = Pacer(20, quiet_start="00:00", quiet_end="00:00")
    pacer.sent(noon - timedelta(seconds=10))
    assert pacer.may_send(noon)
    assert pacer.retune(20, "11:00", "13:00")
    assert not pacer.may_send(noon) and pacer.next_slot(noon) == datetime(2026, 5, 5, 13, 0, tzinfo=SHANGHAI)
    assert not pacer.retune(20, "11:00", "13:00")  # the same again: nothing changed
    assert pacer.retune(20, "00:00", "00:00") and pacer.may_send(noon)


def test_settings_the_pacer_cannot_take_leave_it_as_it_was():
    pacer = pacing.from_settings({"texts_per_minute": 30, "quiet_start": "21:00", "quiet_end": "09:00"})
    for bad in ({"texts_per_minute": -5}, {"texts_per_minute": "many"}, {"quiet_start": "9pm"}):
        with pytest.raises(ValueError):
            pacing.retune(pacer, {"texts_per_minute": 30, **bad})
    assert (pacer.rate, pacer.quiet_start.hour, pacer.quiet_end.hour) == (30, 21, 9)
    assert pacing.retune(pacer, {"texts_per_minute": 10}) and (pacer.rate, pacer.quiet_start.hour) == (10, 22)
