"""Issue 10, "What was seen": the reply forms real phones send that the parsers must read.

Each case is a line or PDU as the issue quotes it (seen on real phones and networks);
the pty tests of the same quirks are in test_quirks_line.py.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from modem import pdu
from modem.events import DeliveryReport, SmsPart, SmsUnreadable
from modem.probe import probe_summary
from modem.received import events_for
from modem.replies import parse_cmgl, parse_cmgr, parse_cpms_choices
from modem.setup import usable_memories

# A plain text as phones store it: no SMSC, DELIVER 04, OA "10086", PID 00, DCS 00,
# SCTS 2025-01-25 00:00:00 +08:00 (zone octet 0x23), UDL 05, "Test2".
_SCTS_OK = "52105200000023"
_TEXT = "00" "04" "05810180F6" "00" "00" + _SCTS_OK + "05" "D4F29C2E03"
# A delivery report for TP-MR 90 to 639337937 (ModemManager test_pdu_not_stored), zones replaced below.
_REPORT = "07914356060013F1065A098136397339F7219011700463802190117004638030"


# ------------------------------------------------------------ 1. memories the app does not know


def test_unknown_memory_names_are_skipped_not_fatal(caplog):
    lists = parse_cpms_choices(['+CPMS: ("SM","ME","SM_P","ME_P","MT"),("SM","ME","SM_P","ME_P","MT"),("SM","ME","MT")'])
    assert lists[0] == ("SM", "ME", "SM_P", "ME_P", "MT")  # read as given ...
    with caplog.at_level("INFO"):
        assert usable_memories(lists[0]) == ("SM", "ME", "MT")  # ... and the odd ones left out, said in the log
    assert "SM_P" in caplog.text and "ME_P" in caplog.text


# ------------------------------------------------------------ 2. malformed storage lists


def test_a_missing_quote_loses_no_memory():
    assert parse_cpms_choices(['+CPMS: (ME", "SR"), ("ME", "SR"), ("ME")']) == [("ME", "SR"), ("ME", "SR"), ("ME",)]


@pytest.mark.parametrize(
    "line,lists",
    [
        ('+CPMS: "SM","SM","SM"', [("SM",), ("SM",), ("SM",)]),  # no parentheses: one memory a list
        ('+CPMS: "ME","MT","SM"', [("ME",), ("MT",), ("SM",)]),  # Huawei MU609 (ModemManager tests)
        ('+CPMS: ("ME","MT"),"ME",("SM")', [("ME", "MT"), ("ME",), ("SM",)]),  # mixed (ModemManager tests)
        ('+CPMS:     (  "ME"  ,  "MT"  )   ,  "ME" ,   (  "SM"  )', [("ME", "MT"), ("ME",), ("SM",)]),
        ("+CPMS: (),,(  )", [(), (), ()]),
        ('+CPMS: (("SM","BM","SR"),("SM"))', [("SM", "BM", "SR"), ("SM",)]),  # Wavecom, doubly wrapped
    ],
)
def test_storage_lists_in_every_form(line, lists):
    assert parse_cpms_choices([line]) == lists


# ------------------------------------------------------------ 3. a bad time-zone octet costs only the zone


def test_a_text_with_a_non_bcd_zone_keeps_its_text_and_local_time():
    [part] = events_for(_TEXT.replace(_SCTS_OK, "521052000000C2"), "SM", 3, "CN")
    assert isinstance(part, SmsPart)
    assert part.text == "Test2" and part.sender == "10086"
    assert part.sent_at.replace(tzinfo=None) == datetime(2025, 1, 25, 0, 0, 0)
    assert part.sent_at.utcoffset() == datetime(2025, 1, 25).astimezone().utcoffset()  # this computer's zone
    assert part.zone_known is False
    assert events_for(_TEXT, "SM", 3, "CN")[0].zone_known is True


def test_a_report_with_a_non_bcd_zone_keeps_its_reference():
    bad = _REPORT[:-18] + "C2" + _REPORT[-16:-4] + "C2" + _REPORT[-2:]  # both zone octets
    assert bad != _REPORT
    [report] = events_for(bad, "SR", 1, "CN")
    assert isinstance(report, DeliveryReport)
    assert (report.reference, report.status) == (90, "pending")


# ------------------------------------------------------------ 4. junk after the PDU


def test_a_stray_quote_after_the_pdu_still_gives_the_text():
    [stored] = parse_cmgl(["+CMGL: 1,0,,23", _TEXT + '"'])
    assert stored.pdu == _TEXT
    assert parse_cmgr(["+CMGR: 0,,23", _TEXT + '"'], 1).pdu == _TEXT
    assert parse_cmgr(["+CMGR: 0,,23", ' "' + _TEXT + '" '], 1).pdu == _TEXT


def test_a_stray_quote_after_a_pushed_pdu_still_gives_the_text():
    from modem.urc import PushedPdu, UrcParser

    parser = UrcParser()
    assert parser.feed("+CMT: ,23") == []
    assert parser.feed(_TEXT + '"') == [PushedPdu("cmt", 23, _TEXT)]


def test_a_pdu_line_that_is_not_hex_at_all_is_kept_not_silenced():
    [stored] = parse_cmgl(["+CMGL: 4,0,,23", "NOT A PDU"])
    [event] = events_for(stored.pdu, "SM", stored.index, "CN")
    assert isinstance(event, SmsUnreadable)
    assert (event.reason, event.storage, event.index) == ("unreadable", "SM", 4)
    assert event.pdu == "NOT A PDU"


# ------------------------------------------------------------ 5. compressed text


def test_compressed_text_is_not_shown_as_garbage():
    compressed = _TEXT.replace("00" "00" + _SCTS_OK, "00" "39" + _SCTS_OK)  # DCS 0x39: compressed, class 1
    [event] = events_for(compressed, "ME", 2, "CN")
    assert isinstance(event, SmsUnreadable)
    assert (event.reason, event.sender, event.pdu, event.storage, event.index) == (
        "compressed", "10086", compressed, "ME", 2)
    assert event.sent_at is not None and event.key


def test_an_undecodable_pdu_keeps_its_raw_hex_and_a_stable_key():
    broken = "0004" "05810180F6"  # ends after the sender
    [first] = events_for(broken, "SM", 7, "CN")
    [again] = events_for(broken, None, None, "CN")
    assert isinstance(first, SmsUnreadable) and first.reason == "unreadable" and first.pdu == broken
    assert first.key == again.key
    assert first.sender == "10086"  # the start still says who sent it: it lands in their thread
    assert events_for("0004" "0D91683119320400F1" "00", None, None, "CN")[0].sender == "+8613912340001"
    assert events_for("zz", None, None, "CN")[0].sender == ""


# ------------------------------------------------------------ 6. UDHI with an empty header


@pytest.mark.parametrize("tail", ["00", "0100", "0600D4F29C2E03"])
def test_udhi_with_an_empty_header_does_not_raise(tail):
    head = "00" "44" "05810180F6" "00" "00" + _SCTS_OK  # first octet 0x44: UDHI set
    d = pdu.decode(head + tail)
    assert d.concat is None and d.udh == b""


# ------------------------------------------------------------ 8. what the probe says


def test_ati_model_loses_its_i_prefix():
    found = probe_summary({"ATI": ["Manufacturer: SAMSUNG", "Model: I: SCH-U706/99", "OK"],
                           "AT+CGMI": None, "AT+CGMM": None, "AT+CPIN?": ["+CPIN: READY"]})
    assert (found.manufacturer, found.model) == ("SAMSUNG", "SCH-U706/99")


def test_the_maker_is_not_said_twice():
    found = probe_summary({"AT+CGMI": ["Nokia"], "AT+CGMM": ["Nokia N79"], "AT+CPIN?": ["+CPIN: READY"]})
    assert found.summary.startswith("Nokia N79,")
