"""Reassembling long texts: out of order, interleaved, duplicated, incomplete, across a restart."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from modem import pdu
from modem.concat import GAP, Reassembler, join
from modem.events import SmsPart

WHEN = datetime(2025, 6, 1, 10, 0, 0, tzinfo=timezone(timedelta(hours=8)))


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def parts_of(sender: str, text: str, ref: int, *, wide: bool = False, when: datetime = WHEN) -> list[SmsPart]:
    """The parts a phone would hand us, built through the real encoder and decoder."""
    hexes = pdu.encode_deliver(sender, text, when, concat_reference=ref, wide_reference=wide)
    return [pdu.sms_part(pdu.decode(h), pdu=h, storage="SM", index=i) for i, h in enumerate(hexes)]


LONG_A = "第一条长短信，" * 20  # 140 characters: 3 UCS2 parts
LONG_B = "The second long text, in GSM 7-bit. " * 8  # 288 septets: 2 parts


def test_single_part_texts_come_straight_through_once():
    r = Reassembler()
    [part] = parts_of("10086", "short", 1)
    whole = r.add(part)
    assert whole is not None and whole.text == "short" and whole.parts == (part,)
    assert r.add(part) is None  # seen again via +CMTI and a scan
    assert r.pending() == []


def test_completed_keys_are_forgotten_after_max_age():
    clock = Clock()
    r = Reassembler(max_age_s=60, clock=clock)
    [part] = parts_of("10086", "short", 1)
    assert r.add(part) is not None
    clock.now += 61
    assert r.expire() == []
    assert r.add(part) is not None  # long after: the store's own key check decides


def test_out_of_order_and_interleaved_with_other_texts():
    r = Reassembler()
    a = parts_of("+8613800138000", LONG_A, 7)
    b = parts_of("+8613900139000", LONG_B, 7)  # same reference, other sender
    assert len(a) == 3 and len(b) == 2
    results = [r.add(p) for p in (a[2], b[1], a[0], b[0], a[1])]
    done = [x for x in results if x is not None]
    assert [d.text for d in done] == [LONG_B, LONG_A]
    assert [d.sender for d in done] == ["+8613900139000", "+8613800138000"]
    assert done[1].sent_at == WHEN
    assert [p.concat.sequence for p in done[1].parts] == [1, 2, 3]
    assert r.pending() == []


def test_duplicates_are_ignored():
    r = Reassembler()
    a = parts_of("+8613800138000", LONG_A, 8)
    assert r.add(a[0]) is None
    assert r.add(a[0]) is None  # seen again via a storage scan
    assert r.add(a[1]) is None
    assert len(r.pending()) == 2
    whole = r.add(a[2])
    assert whole is not None and whole.text == LONG_A and len(whole.parts) == 3
    assert r.add(a[2]) is None  # a late duplicate after completion is not a new text
    assert r.add(a[0]) is None
    assert r.pending() == []


def test_eight_and_sixteen_bit_references_do_not_mix():
    r = Reassembler()
    narrow = parts_of("10086", LONG_B, 0x12)
    wide = parts_of("10086", LONG_B.upper(), 0x12, wide=True)
    assert r.add(narrow[0]) is None
    assert r.add(wide[1]) is None
    assert r.add(wide[0]).text == LONG_B.upper()
    assert r.add(narrow[1]).text == LONG_B


def test_incomplete_texts_expire_with_a_visible_gap():
    clock = Clock()
    r = Reassembler(max_age_s=600, clock=clock)
    a = parts_of("+8613800138000", LONG_A, 9)
    r.add(a[0])
    r.add(a[2])
    clock.now += 599
    assert r.expire() == []
    clock.now += 1
    [given_up] = r.expire()
    assert given_up.text == a[0].text + GAP + a[2].text
    assert r.pending() == []


def test_a_reused_reference_flushes_the_old_text_instead_of_mixing():
    r = Reassembler()
    old = parts_of("10086", LONG_B, 3)
    new = parts_of("10086", LONG_B.lower(), 3, when=WHEN + timedelta(hours=1))
    r.add(old[0])
    assert r.add(new[0]) is None  # same slot, different part
    [flushed] = r.expire()
    assert flushed.text == old[0].text + GAP
    assert r.add(new[1]).text == LONG_B.lower()


def test_restore_after_a_restart():
    first = Reassembler()
    a = parts_of("+8613800138000", LONG_A, 10)
    first.add(a[1])
    first.add(a[0])
    kept = first.pending()  # what the worker persisted
    second = Reassembler()
    assert second.restore(kept) == []
    assert second.add(a[1]) is None  # the storage scan finds it again
    assert second.add(a[2]).text == LONG_A
    assert second.restore(kept + [a[2]]) == []  # already handed over
    [whole] = Reassembler().restore(kept + [a[2]])
    assert whole.text == LONG_A


def test_join_orders_dedupes_and_marks_missing_parts():
    a = parts_of("10086", LONG_A, 11)
    assert join([a[2], a[0], a[1], a[0]]).text == LONG_A
    assert join([a[1]]).text == GAP + a[1].text + GAP


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_any_arrival_order_with_duplicates_gives_each_text_once(data):
    texts = {("10086", 1): LONG_A, ("10010", 1): LONG_B, ("10086", 2): LONG_B + "!"}
    arrivals = []
    for (sender, ref), text in texts.items():
        arrivals += parts_of(sender, text, ref)
    arrivals += data.draw(st.lists(st.sampled_from(arrivals), max_size=6))
    order = data.draw(st.permutations(arrivals))
    r = Reassembler()
    got = [w for w in (r.add(p) for p in order) if w is not None]
    assert len(got) == 3
    assert {(w.sender, w.text) for w in got} == {(s, t) for (s, _), t in texts.items()}
