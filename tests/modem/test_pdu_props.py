"""Properties of the PDU codec: round trips for any text, and no exception but PduError on any input."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from modem import gsm7, pdu
from modem.pdu import PduError

GSM_CHARS = gsm7.BASIC.replace("\x1b", "") + "€[]{}~\\|^\f"

texts = st.one_of(
    st.text(max_size=400),  # any Unicode, astral planes included
    st.text(alphabet=st.sampled_from(GSM_CHARS), max_size=500),  # GSM7 with escapes at every boundary
    st.text(alphabet=st.sampled_from("ab€{😀你"), max_size=400),  # surrogate pairs near part edges
    st.text(alphabet=st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF), max_size=120),
)
numbers = st.from_regex(r"\+?[0-9]{1,20}", fullmatch=True)
zones = st.integers(-79, 79).map(lambda q: timezone(timedelta(minutes=15 * q)))
moments = st.builds(
    lambda dt, zone: dt.replace(tzinfo=zone, microsecond=0),
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2089, 12, 31)),
    zones,
)


@settings(max_examples=300, deadline=None)
@given(number=numbers, text=texts, wide=st.booleans(), ref=st.integers(0, 0xFFFF))
def test_submit_round_trips_any_text(number, text, wide, ref):
    parts = pdu.encode_submit(number, text, concat_reference=ref, wide_reference=wide)
    decoded = [pdu.decode(p.hex) for p in parts]
    assert "".join(d.text for d in decoded) == text
    assert all(d.recipient == number for d in decoded)
    for p, d in zip(parts, decoded):
        assert p.tpdu_length == len(p.hex) // 2 - 1  # no SMSC given: one "00" octet
        assert len(d.udh) + len(d.data) <= 140
    if len(parts) > 1:
        assert [d.concat.sequence for d in decoded] == list(range(1, len(parts) + 1))
        assert {(d.concat.reference, d.concat.total, d.concat.wide) for d in decoded} == {
            (ref & (0xFFFF if wide else 0xFF), len(parts), wide)
        }
    else:
        assert decoded[0].concat is None


@settings(max_examples=300, deadline=None)
@given(text=texts, wide=st.booleans())
def test_segments_agrees_with_the_encoder(text, wide):
    seg = pdu.segments(text, wide_reference=wide)
    parts = pdu.encode_submit("10086", text, wide_reference=wide)
    assert seg.parts == len(parts)
    assert seg.encoding == pdu.decode(parts[0].hex).encoding
    assert 0 <= seg.remaining <= seg.per_part


@settings(max_examples=200, deadline=None)
@given(
    sender=st.one_of(numbers, st.text(alphabet=st.sampled_from(GSM_CHARS[:120]), min_size=1, max_size=11)),
    text=texts,
    when=moments,
    smsc=st.one_of(st.none(), numbers),
)
def test_deliver_round_trips(sender, text, when, smsc):
    hexes = pdu.encode_deliver(sender, text, when, smsc=smsc)
    decoded = [pdu.decode(h) for h in hexes]
    assert "".join(d.text for d in decoded) == text
    for d in decoded:
        assert d.sent_at == when and d.sent_at.utcoffset() == when.utcoffset()
        assert d.smsc == smsc
        if sender.lstrip("+").isdigit() and sender.lstrip("+").isascii():
            assert d.sender == sender
        else:
            assert d.sender == sender and d.sender_type == 0xD0


@settings(max_examples=100, deadline=None)
@given(ref=st.integers(0, 255), number=numbers, status=st.integers(0, 255), a=moments, b=moments)
def test_status_report_round_trips(ref, number, status, a, b):
    r = pdu.decode(pdu.encode_status_report(ref, number, status, a, b))
    assert (r.reference, r.recipient, r.status, r.submitted_at, r.discharged_at) == (ref, number, status, a, b)
    assert r.outcome == pdu.report_outcome(status)


def _decode_or_pdu_error(data, **kw):
    try:
        result = pdu.decode(data, **kw)
    except PduError:
        return None
    assert isinstance(result, (pdu.Deliver, pdu.Submit, pdu.StatusReport))
    return result


@settings(max_examples=1000, deadline=None)
@given(st.binary(max_size=200), st.booleans())
def test_decode_of_arbitrary_octets_raises_only_pdu_error(data, with_smsc):
    _decode_or_pdu_error(data.hex(), with_smsc=with_smsc)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=60), st.binary(max_size=60)))
def test_decode_of_arbitrary_strings_raises_only_pdu_error(junk):
    _decode_or_pdu_error(junk)


SEEDS = [
    pdu.encode_deliver("+8613800138000", "你好，欢迎光临" * 12, datetime(2025, 1, 1, tzinfo=timezone.utc))[1],
    pdu.encode_deliver("Shop", "Hello [{€}] " * 20, datetime(2025, 1, 1, tzinfo=timezone.utc), wide_reference=True)[0],
    pdu.encode_submit("+8613800138000", "long text " * 30)[0].hex,
    pdu.encode_status_report(5, "10086", 0x45, datetime(2025, 1, 1, tzinfo=timezone.utc),
                             datetime(2025, 1, 1, tzinfo=timezone.utc)),
]


@settings(max_examples=1000, deadline=None)
@given(
    seed=st.sampled_from(SEEDS),
    edits=st.lists(st.tuples(st.integers(0, 400), st.integers(0, 255)), max_size=4),
    cut=st.integers(0, 400),
)
def test_decode_of_damaged_real_pdus_raises_only_pdu_error(seed, edits, cut):
    raw = bytearray(bytes.fromhex(seed))
    for where, value in edits:
        if raw:
            raw[where % len(raw)] = value
    _decode_or_pdu_error(bytes(raw[: max(cut, 0)] if cut < len(raw) else raw).hex())
