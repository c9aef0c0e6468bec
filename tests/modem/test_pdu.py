"""SMS PDUs against known vectors: 3GPP-style examples, python-gsmmodem, ModemManager and Gammu
fixtures (see /work/shared/research/modem-facts.md §3), and ones built by hand from TS 23.040."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from modem import pdu
from modem.events import Concat
from modem.pdu import Deliver, PduError, StatusReport, Submit


def tz(hours: float) -> timezone:
    return timezone(timedelta(minutes=round(hours * 60)))


# ------------------------------------------------------------ SMS-DELIVER vectors


def test_gsm7_simple_deliver():  # python-gsmmodem test_pdu
    d = pdu.decode("06917228195339040B917228214365F700003130805120618005D4F29C2E03")
    assert isinstance(d, Deliver)
    assert d.smsc == "+2782913593"
    assert d.sender == "+27821234567"
    assert d.sender_type == 0x91
    assert d.sent_at == datetime(2013, 3, 8, 15, 2, 16, tzinfo=tz(2))
    assert d.text == "Test2"
    assert (d.encoding, d.pid, d.dcs, d.concat, d.udh) == ("gsm7", 0, 0, None, b"")


def test_lower_case_and_surrounding_whitespace_are_tolerated():
    d = pdu.decode("  06917228195339040b917228214365f700003130805120618005d4f29c2e03\r\n")
    assert d.text == "Test2"


def test_extension_table_braces():  # python-gsmmodem test_pdu
    d = pdu.decode("06917228195339040B917228214365F70000313062315352800A800D8A5E98D337A910")
    assert d.text == "@{tést}!"
    assert d.sender == "+27821234567"


def test_long_text_with_extension_section_sign_and_negative_zone():  # ModemManager test_pdu1
    d = pdu.decode(
        "07912104442961F4040B916171957291F800001120821105050A6AC8B2BC7C9A83C220F6DB7D2ECB41EDF27C1E3E97411BDE06"
        "754FD3D1A0F9BB5D0695F1F4B29B5C2683C6E8B03C3CA697E5F34D6AE303D1D1F2F7DD0D4ABB59A0797D8C0685E7A00028EC26"
        "832A960B28EC2683BE6050780EBA97D96C17"
    )
    assert d.text == (
        "Here's a longer message [{with some extended characters}] thrown in, such as £ and ΩΠΨ and §¿ as well."
    )
    assert d.smsc == "+12404492164"
    assert d.sender == "+16175927198"
    # Zone octet 0x0A: sign bit set, 20 quarter hours: UTC-5.
    assert d.sent_at == datetime(2011, 2, 28, 11, 50, 50, tzinfo=tz(-5))


def test_real_modem_capture_hellohello():  # Gammu tests/at-sms, type 0xC8, year 99
    d = pdu.decode("07917283010010F5040BC87238880900F10000993092516195800AE8329BFD4697D9EC37")
    assert d.text == "hellohello"
    assert d.sender == "27838890001"
    assert d.sent_at == datetime(1999, 3, 29, 15, 16, 59, tzinfo=tz(2))


def test_positive_eight_hour_zone():  # python-gsmmodem test_pdu
    d = pdu.decode(
        "07915892000000F0040B915892214365F700007040213252242331493A283D0795C3F33C88FE06C9CB6132885EC6D341EDF27C"
        "1E3E97E7207B3A0C0A5241E377BB1D7693E72E"
    )
    assert d.text == "It is easy to read text messages via AT commands."
    assert d.sent_at == datetime(2007, 4, 12, 23, 25, 42, tzinfo=tz(8))
    assert d.smsc == "+85290000000"


def test_alphanumeric_sender_and_ucs2_cyrillic():  # ModemManager test_pdu2
    d = pdu.decode("07919730071111F10414D04937BD2C7797E9D3E614000811309291024061080442043504410442")
    assert d.sender == "InternetSMS"
    assert d.sender_type == 0xD0
    assert d.text == "тест"
    assert d.encoding == "ucs2"
    assert d.sent_at == datetime(2011, 3, 29, 19, 20, 4, tzinfo=tz(4))


MEGAFON = (
    "07919762020033F1400DD0CDF2396C7EBB010008415072411084618C0500035602010053004D005300200063006F00640065003A00"
    "200034003800350036002C00200063006F006E006600690072006D006100740069006F006E0020006F006600200061007300730"
    "06F00630069006100740069006F006E0020006200650074007700650065006E0020006100630063006F0075006E007400200061"
    "006E00640020004D00650067"
)


def test_alphanumeric_sender_ucs2_concatenated_part():  # python-gsmmodem test_pdu (Megafon)
    d = pdu.decode(MEGAFON)
    assert d.smsc == "+79262000331"
    assert d.sender == "Megafon"
    assert d.text == "SMS code: 4856, confirmation of association between account and Meg"
    assert d.concat == Concat(reference=0x56, total=2, sequence=1, wide=False)
    assert d.sent_at == datetime(2014, 5, 27, 14, 1, 48, tzinfo=tz(4))


def test_gsm7_concatenated_eight_bit_reference_national_sender():  # python-gsmmodem test_pdu
    d = pdu.decode(
        "0591721891F1400781721881F800003160526104848059050003C30101916536FB1DCABEEB2074D85E064941B19CAB060319A5"
        "C522289C96D3D3ED32286C0FA7D96131BBEC024941B19CAB0603DDD36C36A88C87A7E565D0DB0D82C55EB0DB4B068BCD5C20"
    )
    assert d.smsc == "+2781191"
    assert d.sender == "2781188"  # type 0x81: digits as given, no '+'
    assert d.sender_type == 0x81
    assert d.udh == bytes.fromhex("0003C30101")
    assert d.concat == Concat(0xC3, 1, 1)
    assert d.text == "Hello!You have R 19.50 FREE airtime available. R 19.50 will expire on 01/07/2013. "


@pytest.mark.parametrize(
    "tail,sequence,text",
    [("0B0800032A02017001000041", 1, "A"), ("0B0800032A02027001000042", 2, "B")],
)
def test_ucs2_concat_with_a_second_ie_in_the_udh(tail, sequence, text):  # Gammu smsd-incoming-cmt.c
    d = pdu.decode("07918497483252F0440B918496445078F70008712132014474400" + tail[1:] if False else
                   "07918497483252F0440B918496445078F7000871213201447440" + tail)
    assert d.sender == "+48694405877"
    assert d.concat == Concat(0x2A, 2, sequence)
    assert d.udh == bytes.fromhex("0003 2A 02 %02X 700100" % sequence)
    assert d.text == text


# Built by hand per TS 23.040 §9.2.3.24.8 (no public full-PDU vector exists):
# SMSC length 00 (none), first octet 0x44 (DELIVER, UDHI, no more messages), OA +15551234567, PID 0,
# DCS 00 / 08, SCTS 2025-01-01 12:34:56 +00, UDL, UDH 06 08 04 1234 02 0n.
WIDE_GSM7 = "00440B915155214365F70000521010214365000A06080412340201C834"
WIDE_UCS2 = "00440B915155214365F70008521010214365000B060804123402024F60597D"


def test_sixteen_bit_reference_gsm7_keeps_its_first_character():
    # UDH of 7 octets = 56 bits = exactly 8 septets: no fill bits, and "Hi" starts
    # on the next septet. python-gsmmodem-new drops the 'H' here.
    d = pdu.decode(WIDE_GSM7)
    assert d.text == "Hi"
    assert d.concat == Concat(0x1234, 2, 1, wide=True)
    assert d.smsc is None
    assert d.sent_at == datetime(2025, 1, 1, 12, 34, 56, tzinfo=timezone.utc)


def test_sixteen_bit_reference_ucs2_chinese():
    d = pdu.decode(WIDE_UCS2)
    assert d.text == "你好"
    assert d.concat == Concat(0x1234, 2, 2, wide=True)


def test_smsc_octet_zero_means_no_smsc():
    d = pdu.decode(WIDE_GSM7[2:], with_smsc=False)
    assert d.smsc is None and d.text == "Hi"


def test_eight_bit_submit_keeps_the_octets():  # python-gsmmodem test_pdu
    s = pdu.decode("0591721891F101000B917228214365F700040C48656C6C6F20776F726C6421")
    assert isinstance(s, Submit)
    assert s.encoding == "8bit"
    assert s.data == b"Hello world!"
    assert s.text == "Hello world!"


def test_concat_ie_with_sequence_outside_total_is_ignored():
    # Hand-built: the 8-bit concat IE says part 3 of 2, which TS 23.040 says to ignore.
    d = pdu.decode("00440B915155214365F70008521010214365000A05000303020300410042")
    assert d.concat is None
    assert d.text == "AB"


# ------------------------------------------------------------ SMS-SUBMIT vectors


def test_submit_euro_is_one_escape_pair():  # python-gsmmodem encoder, hand-checked
    s = pdu.decode("0001000B915155214365F70000029B32")
    assert isinstance(s, Submit)
    assert (s.recipient, s.text, s.reference, s.request_report) == ("+15551234567", "€", 0, False)
    assert pdu.decode("0001000B915155214365F70000051B147E9302").text == "{x}"


def test_submit_ucs2_chinese_with_52_week_validity():  # python-gsmmodem test_pdu
    s = pdu.decode("07914400000000F01100099121436587F90008F40A4E16754C60A8597DFF01")
    assert s.smsc == "+44000000000"
    assert s.recipient == "+123456789"
    assert s.text == "世界您好！"
    assert s.validity_minutes == 52 * 7 * 24 * 60


def test_submit_stored_by_us_ucs2():  # ModemManager test_pdu_stored_by_us, full hex rebuilt from its bytes
    s = pdu.decode("002100098136397339F70008224F60597D" + "4F60597D" * 7 + "4F60")
    assert s.recipient == "639337937"
    assert s.text == "你好" * 8 + "你"
    assert s.request_report


def test_submit_relative_and_absolute_validity():  # python-gsmmodem test_pdu
    s = pdu.decode("07911326040000F0310D0B911326880736F40000A90FF7FBDD454E87CDE1B0DB357EB701")
    assert (s.smsc, s.recipient, s.text, s.reference) == ("+31624000000", "+31628870634", "www.diafaan.com", 13)
    assert s.validity_minutes == 3 * 24 * 60
    a = pdu.decode("0019000B917228001011F100003170013193008017D474BB3CA787DB70903DCC4E93D3F43C885E9ED301")
    assert a.text == "Timestamp validity test"
    assert a.validity_until == datetime(2013, 7, 10, 13, 39, tzinfo=tz(2))


def test_submit_whose_length_claims_too_much_still_gives_its_text():  # python-gsmmodem test_pdu
    s = pdu.decode("0041010C910661345542F60008A0050003000301306F3044")
    assert s.smsc is None
    assert s.recipient == "+60164355246"
    assert s.text == "はい"
    assert s.concat == Concat(0, 3, 1)


def test_national_numbers_and_smsc():  # python-gsmmodem encoder vector
    s = pdu.decode("04A12143F5310D0AA110624521430000A91BD4F29C0E6A97E7F3F0B9AC03B1DFE3301BE4AEB7C565F91C")
    assert (s.smsc, s.recipient, s.recipient_type) == ("12345", "0126541234", 0xA1)
    assert s.text == "Test message: local numbers"


# ------------------------------------------------------------ SMS-STATUS-REPORT vectors


def test_status_report_pending():  # ModemManager test_pdu_not_stored
    r = pdu.decode("07914356060013F1065A098136397339F7219011700463802190117004638030")
    assert isinstance(r, StatusReport)
    assert (r.reference, r.recipient, r.status, r.outcome) == (90, "639337937", 0x30, "pending")
    assert r.submitted_at == datetime(2012, 9, 11, 7, 40, 36, tzinfo=tz(2))


def test_status_report_delivered_without_smsc():  # python-gsmmodem test_pdu
    r = pdu.decode("0006D60B911326880736F4111011719551401110117195714000")
    assert (r.smsc, r.reference, r.recipient, r.status, r.outcome) == (None, 214, "+31628870634", 0, "delivered")
    assert r.discharged_at == datetime(2011, 1, 11, 17, 59, 17, tzinfo=tz(1))


def test_status_report_from_cds():  # Gammu smsd-incoming-cds.c
    r = pdu.decode("07914875215652F006360B914892347527F3817003018104808170030181448000")
    assert (r.reference, r.recipient, r.outcome) == (54, "+84294357723", "delivered")
    assert r.discharged_at == datetime(2018, 7, 30, 10, 18, 44, tzinfo=tz(2))


def test_semi_invalid_zte_status_report_is_read_not_raised():  # python-gsmmodem test_pdu
    r = pdu.decode("0297F1061C0F910B487228297020F5317062419272803170624192138000")
    assert r.reference == 28
    assert r.recipient == "+#08427829207025"  # the modem's broken number, nibble B read as '#'
    assert r.submitted_at == datetime(2013, 7, 26, 14, 29, 27, tzinfo=tz(2))
    assert r.discharged_at == datetime(2013, 7, 26, 14, 29, 31, tzinfo=tz(2))


@pytest.mark.parametrize(
    "status,outcome",
    [(0x00, "delivered"), (0x01, "delivered"), (0x02, "delivered"), (0x1F, "delivered"),
     (0x20, "pending"), (0x30, "pending"), (0x3F, "pending"),
     (0x40, "failed"), (0x46, "failed"), (0x5F, "failed"), (0x60, "failed"), (0x62, "failed"),
     (0x7F, "failed"), (0x80, "failed"), (0xFF, "failed")],
)
def test_status_classification(status, outcome):  # TS 23.040 §9.2.3.15
    assert pdu.report_outcome(status) == outcome


# ------------------------------------------------------------ malformed input


@pytest.mark.parametrize(
    "bad",
    [
        "", "0", "zz", "0G", "00", "0004", "07914400000000",  # nothing, odd, not hex, truncated
        "0003",  # TP-MTI 3 is reserved
        "00040B915155214365F7000052101021436500",  # user data length missing
        "00440B915155214365F70000521010214365000A0F080412340201C834",  # UDH longer than the UD
        "00040B915155214365F70000FF10102143650001C8",  # time stamp with F nibbles
        "00040B915155214365F70000521310214365000141",  # month 31
        "00403F915155214365F70000521010214365000141",  # 63-digit address
        "00440B915155214365F70008521010214365000106050003010201",  # UDL shorter than its UDH
    ],
)
def test_malformed_pdus_raise_pdu_error(bad):
    with pytest.raises(PduError):
        pdu.decode(bad)


def test_pdu_error_is_a_value_error():
    assert issubclass(PduError, ValueError)
    with pytest.raises(PduError):
        pdu.decode(b"\xff\xfe")


# ------------------------------------------------------------ encoding


def test_encode_submit_matches_python_gsmmodem_vectors():
    [one] = pdu.encode_submit("+27820001111", "Hello World!", request_report=False, validity_minutes=None)
    assert one.hex == "0001000B917228001011F100000CC8329BFD065DDF72363904"
    assert one.tpdu_length == len(one.hex) // 2 - 1
    [two] = pdu.encode_submit(
        "+123456789", "世界您好！", request_report=False, validity_minutes=52 * 10080, smsc="+44000000000"
    )
    assert two.hex == "07914400000000F01100099121436587F90008F40A4E16754C60A8597DFF01"
    assert two.tpdu_length == len(two.hex) // 2 - 8


LOREM = (
    "Lorem ipsum dolor sit amet, consectetur adipisicing elit, sed do eiusmod tempor incididunt ut labore et "
    "dolore magna aliqua.Ut enim ad minim veniam, quinostrud exercitation ullamco laboris nisi ut aliquip ex ea "
    "commodo consequat.Duis aute irure dolor in reprehenderit in voluptate velit esse cillum doloe eu fugiat "
    "nulla pariatur.Excepteur sint occaecat cupidatat non proident, sunt in culpa qui officia deserunt mollit "
    "anim id est laborum"
)


def test_encode_submit_concatenated_matches_python_gsmmodem_apart_from_reject_duplicates():
    # python-gsmmodem's vector sets TP-RD (first octet 0x45); we do not (0x41).
    expected_tails = [
        "00000B915121551532F40000A0050003000301986F79B90D4AC3E7F53688FC66BFE5A0799A0E0AB7CB741668FC76CFCB637A9"
        "95E9783C2E4343C3D4F8FD3EE33A8CC4ED359A079990C22BF41E5747DDE7E9341F4721BFE9683D2EE719A9C26D7DD74509D0E"
        "6287C56F791954A683C86FF65B5E06B5C36777181466A7E3F5B0AB4A0795DDE936284C06B5D3EE741B642FBBD3E1360B14AFA7DD",
        "00000B915121551532F40000A0050003000302DE73BABC4E0695F165F9384D0FD3D36F37A8CE6687DBE337881D16BFE5E939C"
        "89D9EA741753A28CC4EC7EB6938A88C0795C3A0F1BBDD7E93DFA0F1DB3D2FC7EB61BA8B584FCF41E13ABD0C4ACBEBF23288FC"
        "66BFE5A0B41B242FC3E56574D94D2ECBD37450DA0DB2BFD975383D4C2F83EC65769A0E2ACFE765D038CD66D7DB20F29BFD2E83CA",
        "00000B915121551532F400008C050003000303EA2073FD9C0ED341EE3A9B1D06C1C3F274985E97BB8AF871194E2FD7E5A079D"
        "A4D07BDC7E370791CA683C675789A1CA687E920F7DB0D82CBDF6972D94D6781E675371D947683C675363C0C8AD7D3A0B7D99C"
        "1EA7C32072795E96D7DD7450FBCD66A7E9A0B03BDD06A5C9A0F29C0E6287C56F79BD0D",
    ]
    parts = pdu.encode_submit(
        "+15125551234", LOREM, request_report=False, validity_minutes=None, concat_reference=0
    )
    assert [p.hex[:4] for p in parts] == ["0041"] * 3
    assert [p.hex[4:] for p in parts] == [t[2:] for t in expected_tails]


def test_part_boundaries_gsm7():
    assert len(pdu.encode_submit("123", "a" * 160)) == 1
    assert len(pdu.encode_submit("123", "a" * 161)) == 2
    assert len(pdu.encode_submit("123", "a" * 306)) == 2
    assert len(pdu.encode_submit("123", "a" * 307)) == 3
    assert len(pdu.encode_submit("123", "€" * 80)) == 1  # extension characters count two
    assert len(pdu.encode_submit("123", "€" * 81)) == 2


def test_an_escape_is_never_split_across_parts():
    text = "a" * 152 + "€" + "b" * 10
    texts = [pdu.decode(p.hex).text for p in pdu.encode_submit("123", text)]
    assert texts == ["a" * 152, "€" + "b" * 10]


def test_part_boundaries_ucs2_and_surrogate_pairs():
    assert len(pdu.encode_submit("123", "你" * 70)) == 1
    assert len(pdu.encode_submit("123", "你" * 71)) == 2
    assert len(pdu.encode_submit("123", "😀" * 35)) == 1  # 70 UTF-16 units
    # 67 units would end on the emoji's high surrogate: the first part stops at 66.
    text = "你" * 66 + "😀" + "好" * 4
    texts = [pdu.decode(p.hex).text for p in pdu.encode_submit("123", text)]
    assert texts == ["你" * 66, "😀好好好好"]


def test_wide_reference_parts_carry_a_16_bit_ie():
    parts = pdu.encode_submit("+8613800138000", "x" * 161, concat_reference=0xBEEF, wide_reference=True)
    decoded = [pdu.decode(p.hex) for p in parts]
    assert [d.concat for d in decoded] == [Concat(0xBEEF, 2, 1, True), Concat(0xBEEF, 2, 2, True)]
    assert [len(d.text) for d in decoded] == [152, 9]


def test_submit_flags_reference_and_validity():
    [p] = pdu.encode_submit("13800138000", "hi", reference=77, validity_minutes=30)
    s = pdu.decode(p.hex)
    assert (s.reference, s.request_report, s.validity_minutes, s.recipient, s.recipient_type) == (
        77, True, 30, "13800138000", 0x81
    )
    [q] = pdu.encode_submit("+1", "hi", request_report=False, validity_minutes=None)
    assert pdu.decode(q.hex).validity_minutes is None and not pdu.decode(q.hex).request_report


@pytest.mark.parametrize(
    "minutes,octet",
    [(1, 0), (5, 0), (30, 5), (720, 143), (750, 144), (960, 151), (1440, 167), (4320, 169),
     (30 * 1440, 196), (5 * 10080, 197), (63 * 10080, 255), (10**7, 255)],
)
def test_relative_validity_octets(minutes, octet):  # TS 23.040 §9.2.3.12.1
    from modem.sms_fields import validity_octet

    assert validity_octet(minutes) == octet


@pytest.mark.parametrize(
    "number",
    ["", "+", "+86 138", "138-0013-8000", "ATD123;", "12345678901234567890123", "\r\nAT+CMGD=1", "１２３", None, 123],
)
def test_numbers_are_validated_before_they_reach_a_pdu(number):
    with pytest.raises(PduError):
        pdu.encode_submit(number, "hi")


def test_bad_smsc_and_too_long_texts_are_refused():
    with pytest.raises(PduError):
        pdu.encode_submit("123", "hi", smsc="+86;")
    with pytest.raises(PduError):
        pdu.encode_submit("123", "x" * (153 * 255 + 1))
    assert len(pdu.encode_submit("123", "x" * (153 * 255))) == 255


def test_segments_for_the_composer():
    assert pdu.segments("") == pdu.Segments("gsm7", 1, 0, 160, 160)
    assert pdu.segments("hello €") == pdu.Segments("gsm7", 1, 8, 160, 152)
    assert pdu.segments("a" * 161) == pdu.Segments("gsm7", 2, 161, 153, 145)
    assert pdu.segments("你好") == pdu.Segments("ucs2", 1, 2, 70, 68)
    assert pdu.segments("你" * 71) == pdu.Segments("ucs2", 2, 71, 67, 63)
    assert pdu.segments("😀") == pdu.Segments("ucs2", 1, 2, 70, 68)
    assert pdu.segments("a" * 161, wide_reference=True) == pdu.Segments("gsm7", 2, 161, 152, 143)


# ------------------------------------------------------------ DELIVER / STATUS-REPORT encoding


def test_encode_deliver_round_trips_with_alphanumeric_sender_and_negative_zone():
    when = datetime(2024, 5, 6, 7, 8, 9, tzinfo=tz(-5.5))
    [hex_] = pdu.encode_deliver("InternetSMS", "hi €", when)
    d = pdu.decode(hex_)
    assert (d.smsc, d.sender, d.sender_type, d.text, d.sent_at) == ("+8613800100500", "InternetSMS", 0xD0, "hi €", when)


def test_encode_deliver_long_chinese_and_forced_encodings():
    when = datetime(2025, 2, 3, 4, 5, 6, tzinfo=tz(8))
    parts = [pdu.decode(h) for h in pdu.encode_deliver("+8613800138000", "顾客" * 50, when, concat_reference=9)]
    assert [p.concat for p in parts] == [Concat(9, 2, 1), Concat(9, 2, 2)]
    assert "".join(p.text for p in parts) == "顾客" * 50
    assert pdu.decode(pdu.encode_deliver("10086", "abc", when, encoding="ucs2", smsc=None)[0]).encoding == "ucs2"
    raw = pdu.decode(pdu.encode_deliver("10086", "\x00\xff", when, encoding="8bit")[0])
    assert (raw.encoding, raw.data) == ("8bit", b"\x00\xff")


def test_encode_deliver_refuses_naive_times_and_odd_senders():
    with pytest.raises(PduError):
        pdu.encode_deliver("10086", "hi", datetime(2025, 1, 1))
    with pytest.raises(PduError):
        pdu.encode_deliver("a name far too long", "hi", datetime(2025, 1, 1, tzinfo=timezone.utc))
    with pytest.raises(PduError):
        pdu.encode_deliver("商店", "hi", datetime(2025, 1, 1, tzinfo=timezone.utc))


def test_encode_status_report_round_trips():
    sent = datetime(2025, 3, 1, 9, 0, 0, tzinfo=tz(8))
    done = sent + timedelta(seconds=7)
    r = pdu.decode(pdu.encode_status_report(200, "+8613800138000", 0x00, sent, done))
    assert (r.reference, r.recipient, r.status, r.outcome, r.submitted_at, r.discharged_at) == (
        200, "+8613800138000", 0, "delivered", sent, done
    )
    assert pdu.decode(pdu.encode_status_report(1, "10086", 0x41, sent, done)).outcome == "failed"


# ------------------------------------------------------------ dedup keys


def test_part_key_is_stable_and_tells_parts_apart():
    a = pdu.decode(MEGAFON)
    assert pdu.part_key(a) == pdu.part_key(pdu.decode(MEGAFON.lower()))
    assert pdu.part_key(a) == "Megafon|2014-05-27T14:01:48+04:00|n86/2/1"
    wide1 = pdu.decode(WIDE_GSM7)
    wide2 = pdu.decode(WIDE_UCS2)
    assert pdu.part_key(wide1) != pdu.part_key(wide2)
    when = datetime(2025, 1, 1, tzinfo=timezone.utc)
    one = pdu.decode(pdu.encode_deliver("10086", "same time, other text", when)[0])
    two = pdu.decode(pdu.encode_deliver("10086", "same time, different text", when)[0])
    assert pdu.part_key(one) != pdu.part_key(two)
    # The same single-part text seen via a different SMSC is still the same text.
    three = pdu.decode(pdu.encode_deliver("10086", "same time, other text", when, smsc="+1")[0])
    assert pdu.part_key(one) == pdu.part_key(three)


def test_sms_part_carries_what_the_worker_needs():
    part = pdu.sms_part(pdu.decode(MEGAFON), pdu=MEGAFON, storage="SM", index=3)
    assert (part.sender, part.storage, part.index, part.pdu, part.smsc) == ("Megafon", "SM", 3, MEGAFON, "+79262000331")
    assert part.key == pdu.part_key(pdu.decode(MEGAFON))
    assert part.concat == Concat(0x56, 2, 1)


def test_decoded_delivers_are_genuine_frozen_delivers():
    # decode() builds Deliver through a fast unfrozen twin (see pdu._deliver).
    import dataclasses

    d = pdu.decode(MEGAFON)
    assert type(d) is Deliver
    same = Deliver(*(getattr(d, f.name) for f in dataclasses.fields(Deliver)))
    assert d == same and hash(d) == hash(same) and repr(d) == repr(same)
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.text = "changed"
    assert dataclasses.replace(d, text="x").text == "x"


# ------------------------------------------------------------ data coding schemes, built by hand (TS 23.038 §4)


@pytest.mark.parametrize(
    "dcs,encoding",
    [
        (0x00, "gsm7"), (0x04, "8bit"), (0x08, "ucs2"), (0x0C, "gsm7"),  # general group, reserved alphabet = GSM7
        (0x10, "gsm7"), (0x18, "ucs2"), (0x14, "8bit"),  # with a message class (0x10 = flash)
        (0x20, "8bit"),  # compressed: kept as octets
        (0x48, "ucs2"),  # automatic deletion group
        (0xC0, "gsm7"), (0xD1, "gsm7"), (0xE0, "ucs2"),  # message waiting: discard, store, store UCS2
        (0xF0, "gsm7"), (0xF4, "8bit"),  # data coding/message class group
        (0x80, "gsm7"),  # reserved group
    ],
)
def test_data_coding_schemes(dcs, encoding):
    from modem.sms_fields import encoding_for_dcs

    assert encoding_for_dcs(dcs) == encoding


def test_flash_ucs2_message():
    # No SMSC, DELIVER 04, OA 05 81 0180F6 ("10086"), PID 00, DCS 18 (class 0, UCS2),
    # SCTS 52105200000023 (2025-01-25 00:00:00, zone 0x23 = +32 quarters = +08:00), UDL 02, "好".
    d = pdu.decode("00" "04" "05810180F6" "00" "18" "52105200000023" "02" "597D")
    assert (d.sender, d.dcs, d.encoding, d.text) == ("10086", 0x18, "ucs2", "好")
    assert d.sent_at == datetime(2025, 1, 25, 0, 0, 0, tzinfo=tz(8))


def test_eight_bit_port_addressed_part_keeps_its_payload_and_concat():
    # WAP-push-like DELIVER: UDHI, DCS 0xF5 (8-bit), UDH = port IE 05 04 0B84 23F0
    # followed by concat IE 00 03 7F 02 01, then three payload octets.
    udh = "0B" + "05040B8423F0" + "00037F0201"
    d = pdu.decode("00" "44" "05810180F6" "00" "F5" "52105200000023" "0F" + udh + "01FF06")
    assert d.encoding == "8bit"
    assert d.data == bytes([0x01, 0xFF, 0x06])
    assert d.udh == bytes.fromhex("05040B8423F000037F0201")
    assert d.concat == Concat(0x7F, 2, 1)


def test_decode_accepts_ascii_bytes_too():
    assert pdu.decode(WIDE_GSM7.encode()).text == "Hi"
