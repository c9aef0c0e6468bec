"""The URC parser and reply helpers against real devices' lines (tests/modem/transcripts.py)."""

from __future__ import annotations

import dataclasses
import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from modem.events import ModemStatus, RegistrationChanged, SignalChanged, Unrecognized
from modem.urc import (
    CallerId,
    Chatter,
    ClccEntry,
    NewMessage,
    PushedPdu,
    Ring,
    StorageUse,
    StoredSms,
    UrcParser,
    bars_from_rssi,
    parse_clcc,
    parse_cmgl,
    parse_cmgr,
    parse_cpms,
    parse_cpms_choices,
    parse_creg,
    parse_csq,
)
from modem.wire import LineReader
from tests.modem import transcripts as t


@pytest.mark.parametrize(("vendor", "line", "expected"), t.URC_LINES, ids=[f"{v}:{x}" for v, x, _ in t.URC_LINES])
def test_each_vendor_line_means_one_thing(vendor, line, expected):
    parser = UrcParser()
    assert parser.is_unsolicited(line) == (not isinstance(expected, Unrecognized))
    got = parser.feed(line)
    if expected is None:
        assert len(got) == 1 and isinstance(got[0], Chatter), got
    else:
        assert got == [expected]


def test_withheld_and_unavailable_callers_are_calls_not_nothing():
    # python-gsmmodem-new's CLIP_REGEX needs digits, so these gave number=None and no call (babca#24).
    parser = UrcParser()
    withheld, unavailable = parser.feed('+CLIP: "",128,"",0,"",1') + parser.feed('+CLIP: "",128,"",0,"",2')
    assert withheld == CallerId("", 128, None, 1)
    assert unavailable == CallerId("", 128, None, 2)
    assert parser.feed('+CLIP: "",128') == [CallerId("", 128, None, None)]


def test_alpha_charset_can_be_told_instead_of_guessed():
    told = UrcParser(ucs2=True)
    assert told.feed('+CLIP: "1",129,"",0,"4E09",0') == [CallerId("1", 129, "三", 0)]
    plain = UrcParser(ucs2=False)
    assert plain.feed('+CLIP: "1",129,"",0,"5F204E09",0') == [CallerId("1", 129, "5F204E09", 0)]
    # A number that happens to be hex-like stays a number.
    assert UrcParser().feed('+CLIP: "008613800138000",129') == [CallerId("008613800138000", 129)]


@pytest.mark.parametrize(
    ("stream", "kind", "pdu"),
    [
        (t.CMT_GAMMU, "cmt", t.CMT_GAMMU_PDU),
        (t.CDS_GAMMU, "cds", t.CDS_GAMMU_PDU),
        (t.CDS_MM, "cds", t.CDS_MM_PDU),
    ],
)
def test_two_line_deliveries_pair_the_pdu_with_its_header(stream, kind, pdu):
    parser, reader = UrcParser(), LineReader()
    tokens = [tok for line in reader.feed(stream) for tok in parser.feed(line)]
    assert tokens == [PushedPdu(kind, len(pdu) // 2 - 8, pdu)]
    assert not parser.awaiting_pdu


def test_a_text_mode_body_after_cmt_is_data_not_a_command():
    parser = UrcParser()
    assert parser.feed('+CMT: "+8613800138000",,"24/01/01,10:00:00+32"') == []
    # The body says RING: it must not ring.
    assert parser.feed("RING") == [
        Unrecognized('+CMT: "+8613800138000",,"24/01/01,10:00:00+32"'),
        Unrecognized("RING"),
    ]
    assert parser.feed("RING") == [Ring("")]


def test_numbered_ciev_uses_the_indicator_order_when_known():
    parser = UrcParser(indicators=["battchg", "signal", "service", "smsfull"])
    assert parser.feed("+CIEV: 2,3") == [SignalChanged(3, None, "+CIEV")]
    assert parser.feed("+CIEV: 4,1") == [ModemStatus("storage_full", "")]
    assert parser.feed("+CIEV: 1,5")[0].name == "battchg"


def test_gammu_ring_clip_with_an_unrelated_line_between():
    parser, reader = UrcParser(), LineReader()
    tokens = [tok for line in reader.feed(t.GAMMU_CANCEL_CALL) for tok in parser.feed(line)]
    assert tokens == [Ring(""), CallerId("+481239823991", 145, None, 0), ModemStatus("sim", "READY"), Ring("")]


@pytest.mark.parametrize(
    ("line", "public"),
    [
        ('+CLIP: "+8613800138000",145,,,,0', CallerId("+8613800138000", 145, None, 0)),
        ('+CLIP: "13800138000",129', CallerId("13800138000", 129)),
        ('+CMTI: "SM",7', NewMessage("SM", 7)),
        ('+CREG: 1,"4E54","0F2A"', RegistrationChanged("home", "cs", "4E54", "0F2A")),
        ("+CREG: 1", RegistrationChanged("home", "cs")),
        ("^NOBODY:1", Unrecognized("^NOBODY:1")),
        ("^DSFLOWRPT:0000,0001", Chatter("^DSFLOWRPT:0000,0001")),
    ],
)
def test_fast_built_events_are_genuine_frozen_instances(line, public):
    # The hot lines are built through unfrozen twins (modem/twins.py): what leaves the
    # parser must be the public class itself, frozen, equal and hashable like one built plainly.
    (got,) = UrcParser().feed(line)
    assert type(got) is type(public)
    assert got == public and public == got and hash(got) == hash(public) and repr(got) == repr(public)
    assert {public: "seen"}[got] == "seen"
    first = dataclasses.fields(got)[0].name
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(got, first, "changed")
    with pytest.raises(dataclasses.FrozenInstanceError):
        delattr(got, first)
    assert getattr(got, first) == getattr(public, first)
    assert dataclasses.replace(got) == public
    assert pickle.loads(pickle.dumps(got)) == public


def test_a_colon_led_or_space_headed_line_reads_as_before():
    parser = UrcParser()
    assert parser.feed("+CSQ : 20,99") == parser.feed("+CSQ: 20,99") == [SignalChanged(5, -73, "+CSQ")]
    assert parser.feed(":RING") == [Unrecognized(":RING")]
    assert parser.feed('+CMTI: "SM", 7') == [NewMessage("SM", 7)]  # a space before the index
    assert parser.feed('+CREG: 1,"",""') == [RegistrationChanged("home", "cs")]  # no location: None, not ""


@pytest.mark.parametrize(("rssi", "bars"), [(0, 0), (1, 0), (2, 1), (9, 2), (12, 3), (18, 4), (31, 5), (99, None)])
def test_bars(rssi, bars):
    assert bars_from_rssi(rssi) == bars


# ------------------------------------------------------------ replies


def test_cmgl_listing_every_variant():
    assert parse_cmgl(t.CMGL_REPLY) == [
        StoredSms(0, 1, t.CMGL_REPLY[1]),
        StoredSms(1, 0, t.CMT_GAMMU_PDU),
        StoredSms(3, 3, "0001000B915155214365F70000029B32"),
    ]
    assert parse_cmgl([]) == []


@pytest.mark.parametrize("header", ["+CMGR: 0,,24", "+CMGR: 0,23", '+CMGR: 0,"",50', "+CMGR: 1,,23"])
def test_cmgr_variants(header):
    stat = int(header.split(":")[1].split(",")[0])
    assert parse_cmgr([header, t.CMT_GAMMU_PDU], index=4) == StoredSms(4, stat, t.CMT_GAMMU_PDU)


def test_cmgr_of_an_empty_slot_is_none():
    assert parse_cmgr([]) is None


def test_clcc_lines():
    entries = parse_clcc(t.CLCC_REPLY)
    assert entries[0] == ClccEntry(1, True, 4, 0, False, "123456789", 129, None)
    assert entries[1] == ClccEntry(2, True, 0, 0, True, "", None, None)
    assert entries[2].alpha == "Alice" and entries[2].number_type == 161
    assert entries[3].stat == 5 and entries[3].alpha == "Mallory"
    assert entries[4] == ClccEntry(1, False, 2, 0, False, "+8613800138000", 145, None)
    assert parse_clcc([]) == []
    assert parse_clcc(["+CLCC: garbage"]) == []


def test_cpms_forms():
    assert parse_cpms(['+CPMS: "SM",14,50,"SM",14,50,"SM",14,50']) == [StorageUse("SM", 14, 50)] * 3
    assert parse_cpms(["+CPMS: 14,50,14,50"]) == [StorageUse(None, 14, 50)] * 2
    assert parse_cpms(["+CPMS: 0,255,0,255,0,255"]) == [StorageUse(None, 0, 255)] * 3
    assert parse_cpms_choices(['+CPMS: ("ME","MT","SM","SR"),("ME","MT","SM","SR"),("ME","SM")']) == [
        ("ME", "MT", "SM", "SR"),
        ("ME", "MT", "SM", "SR"),
        ("ME", "SM"),
    ]
    assert parse_cpms_choices(['+CPMS: (("SM","BM","SR"),("SM"))']) == [("SM", "BM", "SR"), ("SM",)]
    assert parse_cpms_choices(["+CPMS: (),(),()"]) == [(), (), ()]


def test_csq_and_creg_replies():
    assert parse_csq(["+CSQ: 20,99"]) == SignalChanged(5, -73, "+CSQ")
    assert parse_csq([]) == SignalChanged(None, None, "+CSQ")
    assert parse_creg(["+CREG: 0,1"]) == RegistrationChanged("home", "cs")
    assert parse_creg(['+CREG: 2,5,"4E54","0F2A"']) == RegistrationChanged("roaming", "cs", "4E54", "0F2A")
    assert parse_creg(['+CEREG: 2,1,"1A2B","01ABCDEF",7']) == RegistrationChanged("home", "eps", "1A2B", "01ABCDEF")
    assert parse_creg(["+CGREG: 0,2"]) == RegistrationChanged("searching", "gprs")
    assert parse_creg([]) is None


# ------------------------------------------------------------ never raises, recovers at the next line

_KNOWN = '+CMTI: "SM",3'
_HEADS = st.sampled_from(["", "+CLIP:", "+CMTI:", "+CREG:", "^HCSQ:", "+CIEV:", "+WIND:", "+CPMS:", "+CLCC:", "^CEND:"])


@settings(max_examples=400, deadline=None)
@given(garbage=st.lists(st.tuples(_HEADS, st.text(max_size=40)), max_size=6))
def test_parser_never_raises_and_recovers(garbage):
    parser = UrcParser()
    for head, rest in garbage:
        parser.feed(head + rest)
        parser.is_unsolicited(head + rest)
    parser.feed("")  # whatever two-line header garbage left open takes this line
    assert parser.feed(_KNOWN) == [NewMessage("SM", 3)]


@settings(max_examples=200, deadline=None)
@given(lines=st.lists(st.text(max_size=60), max_size=8))
def test_replies_never_raise(lines):
    parse_clcc(lines)
    parse_cmgl(lines)
    parse_cmgr(lines)
    parse_cpms(lines)
    parse_cpms_choices(lines)
    parse_csq(lines)
    parse_creg(lines)
