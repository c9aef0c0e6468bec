"""What real phones and modems send, as data: exact lines and byte streams.

Every line here is quoted in /work/shared/research/modem-facts.md §2 with its
source (ModemManager, Gammu, python-gsmmodem test fixtures and issues), or is
the 3GPP TS 27.007 form of one (marked "spec"). Shared by the wire, URC and
engine tests, and by anyone who needs a modem's exact words.
"""

from __future__ import annotations

from modem.events import ModemStatus, RegistrationChanged, SignalChanged, Unrecognized
from modem.urc import (
    CallerId,
    CallState,
    CallWaiting,
    Chatter,
    Dtmf,
    Hangup,
    MissedCall,
    NewMessage,
    NewReport,
    Ring,
)

# (vendor, line as the modem sends it, the one token it means)
URC_LINES: list[tuple[str, str, object]] = [
    # Ringing and caller ID
    ("generic", "RING", Ring("")),
    ("generic", "+CRING: VOICE", Ring("voice")),
    ("simcom", "+CRING: VOICE", Ring("voice")),
    ("generic", '+CLIP: "123456789",129', CallerId("123456789", 129, None, None)),
    ("generic", '+CLIP: "123456789",129,,,,0', CallerId("123456789", 129, None, 0)),
    ("generic", '+CLIP: "+420123456789",145,,,,0', CallerId("+420123456789", 145, None, 0)),
    ("gammu", '+CLIP: "+481239823991",145,"",128,"",0', CallerId("+481239823991", 145, None, 0)),
    ("gammu", '+CLIP: "79085009275",145,"",0,"",0', CallerId("79085009275", 145, None, 0)),
    ("simcom", '+CLIP: "",128,"",0,"",1', CallerId("", 128, None, 1)),  # SIM800, number withheld
    ("spec", '+CLIP: "",128,"",0,"",2', CallerId("", 128, None, 2)),  # unavailable
    ("spec", '+CLIP: "13800138000",129,"",0,"Alice",0', CallerId("13800138000", 129, "Alice", 0)),
    # The alpha under AT+CSCS="UCS2": 张三 (spec; no captured transcript exists)
    ("spec", '+CLIP: "+8613800138000",145,"",0,"5F204E09",0', CallerId("+8613800138000", 145, "张三", 0)),
    # Huawei under UCS2 sends the number as hex too (spec form)
    ("huawei", f'+CLIP: "{"+8613800138000".encode("utf-16-be").hex().upper()}",145', CallerId("+8613800138000", 145)),
    ("generic", '+CCWA: "123456789",129,1,,0', CallWaiting("123456789", 129, 1, None, 0)),
    # Vendor call states
    ("simcom", "VOICE CALL: BEGIN", CallState("simcom", None, "connected", "")),
    ("simcom", "VOICE CALL: END: 000041", CallState("simcom", None, "ended", "000041")),
    ("simcom", "MISSED_CALL: 11:01AM 07712345678", MissedCall("07712345678", "11:01AM")),
    ("simcom", "+RXDTMF: 8", Dtmf("8")),
    ("huawei", "^ORIG:1,0", CallState("huawei", 1, "dialing", "0")),
    ("huawei", "^CONF:1", CallState("huawei", 1, "alerting", "")),
    ("huawei", "^CONN:1,0", CallState("huawei", 1, "connected", "0")),
    ("huawei", "^CEND:1,5,29,16", CallState("huawei", 1, "ended", "5,29,16")),
    ("huawei", "^CEND: 1, 0, 104", CallState("huawei", 1, "ended", "0, 104")),
    ("wavecom", "+WIND: 5,1", CallState("wavecom", 1, "created", "5,1")),
    ("wavecom", "+WIND: 2", CallState("wavecom", None, "alerting", "2")),
    ("wavecom", "+WIND: 6,1", CallState("wavecom", 1, "ended", "6,1")),
    ("wavecom", "+WIND: 4", ModemStatus("ready", "fully ready")),
    ("zte", "HANGUP: 1", CallState("zte", 1, "ended", "")),
    ("zte", "CONNECT", CallState("zte", None, "connected", "")),
    ("ublox", "+UCALLSTAT: 1,4", CallState("ublox", 1, "ringing", "1,4")),
    ("ublox", "+UCALLSTAT: 1,6", CallState("ublox", 1, "ended", "1,6")),
    ("ublox", "+UUDTMFD: 5", Dtmf("5")),
    ("generic", "NO CARRIER", Hangup("NO CARRIER")),
    ("generic", "BUSY", Hangup("BUSY")),
    ("generic", "NO ANSWER", Hangup("NO ANSWER")),
    ("generic", "NO DIALTONE", Hangup("NO DIALTONE")),
    # New texts and reports in storage
    ("generic", '+CMTI: "SM",7', NewMessage("SM", 7)),
    ("gammu", '+CMTI: "ME",1', NewMessage("ME", 1)),
    ("gammu", '+CMTI: "SR",0', NewMessage("SR", 0)),
    ("generic", '+CMTI: "MT",1', NewMessage("MT", 1)),
    ("sierra", '+CMTI: "SM", 12', NewMessage("SM", 12)),
    ("gammu", '+CDSI: "SR",0', NewReport("SR", 0)),
    ("huawei", '+CMTI: "0053004D",5', NewMessage("SM", 5)),  # the memory in UCS2 hex, under AT+CSCS="UCS2"
    # Signal
    ("generic", "+CSQ: 20,99", SignalChanged(5, -73, "+CSQ")),
    ("generic", "+CSQ: 99,99", SignalChanged(None, None, "+CSQ")),
    ("huawei", "^RSSI:18", SignalChanged(4, -77, "^RSSI")),
    ("huawei", '^HCSQ:"LTE",59,50,161,24', SignalChanged(5, -62, "^HCSQ")),
    ("huawei", '^HCSQ:"NOSERVICE"', SignalChanged(None, None, "^HCSQ")),
    ("cinterion", "+CIEV: rssi,4", SignalChanged(4, None, "+CIEV")),
    ("quectel", '+QIND: "csq",10,99', SignalChanged(2, -93, "+QIND")),
    # Registration, unsolicited forms (AT+CREG=1 and =2)
    ("generic", "+CREG: 1", RegistrationChanged("home", "cs")),
    ("generic", '+CREG: 1,"4E54","0F2A"', RegistrationChanged("home", "cs", "4E54", "0F2A")),
    ("generic", '+CREG: 5,"4E54","0F2A",2', RegistrationChanged("roaming", "cs", "4E54", "0F2A")),
    ("sierra", "+CGREG: 2", RegistrationChanged("searching", "gprs")),
    ("quectel", '+CEREG: 1,"1A2B","01ABCDEF",7', RegistrationChanged("home", "eps", "1A2B", "01ABCDEF")),
    ("generic", "+CREG: 3", RegistrationChanged("denied", "cs")),
    # SIM and modem life signs
    ("generic", "+CPIN: READY", ModemStatus("sim", "READY")),
    ("generic", "+CPIN: SIM PIN", ModemStatus("sim", "SIM PIN")),
    ("simcom", "RDY", ModemStatus("ready", "")),
    ("simcom", "Call Ready", ModemStatus("call_ready", "")),
    ("simcom", "SMS Ready", ModemStatus("sms_ready", "")),
    ("huawei", "^BOOT:27710117,0,0,0,75", ModemStatus("boot", "27710117,0,0,0,75")),
    ("huawei", "^SIMST:1", ModemStatus("sim", "1")),
    ("huawei", "^SRVST:0", ModemStatus("service", "0")),
    ("huawei", "^MODE:3,3", ModemStatus("mode", "3,3")),
    ("huawei", "^MODE: 2", ModemStatus("mode", "2")),
    ("huawei", '^SMMEMFULL: "SM"', ModemStatus("storage_full", "SM")),
    ("quectel", "+QIND: SMS DONE", ModemStatus("sms_ready", "")),
    ("quectel", '+QIND: "SMS DONE"', ModemStatus("sms_ready", "")),
    ("quectel", "+QIND: PB DONE", ModemStatus("phonebook_ready", "")),
    ("quectel", "+QUSIM: 1", ModemStatus("sim", "1")),
    ("telit", "#QSS: 1", ModemStatus("sim", "1")),
    ("zte", "+ZUSIMR:2", ModemStatus("sim", "2")),
    ("cinterion", "^SYSSTART", ModemStatus("ready", "")),
    ("generic", "+PACSP0", ModemStatus("pacsp", "0")),
    # Chatter: known, nothing for the shop
    ("huawei", "^DSFLOWRPT:00000124,00000000,00000000,0000000000000000,0000000000000000,0003E800,0003E800", None),
    ("huawei", "^STIN: 7, 0, 0", None),
    ("huawei", "^CSNR:-93,-23", None),
    ("zte", "+PSBEARER: 24, 0", None),
    ("telit", '#STN: 150,1,""', None),
    ("cinterion", "^SIND: service,1", None),
    # Unknown: never an exception
    ("motorola", "+MBAN: Copyright 2000-2004 Motorola", Unrecognized("+MBAN: Copyright 2000-2004 Motorola")),
    ("generic", "garbage without a colon", Unrecognized("garbage without a colon")),
]
CHATTER_TYPE = Chatter  # URC_LINES entries with None expect a Chatter of the line

# Two-line deliveries: the bytes as they come, and the PDU they carry.
CMT_GAMMU = b"+CMT: ,23\r07918497483252F0040B918496445078F700007121320144744004D4F29C0E\r"
CMT_GAMMU_PDU = "07918497483252F0040B918496445078F700007121320144744004D4F29C0E"
CDS_GAMMU = b"+CDS:25\r07914875215652F006360B914892347527F3817003018104808170030181448000\r"
CDS_GAMMU_PDU = "07914875215652F006360B914892347527F3817003018104808170030181448000"
CDS_MM = b"\r\n+CDS: 24\r\n07914356060013F1065A098136397339F7219011700463802190117004638030\r\n"
CDS_MM_PDU = "07914356060013F1065A098136397339F7219011700463802190117004638030"

# A +CMGL=4 reply (PDU mode) mixing the variants of §2, and the +CLCC lines of MM's tests.
CMGL_REPLY = [
    "+CMGL: 0,1,,147",
    "07917283010010F5040BC87238880900F10000993092516195800AE8329BFD4697D9EC37",
    '+CMGL: 1,0,"",23',
    CMT_GAMMU_PDU,
    "+CMGL: 3,3,,29",
    "0001000B915155214365F70000029B32",
]
CLCC_REPLY = [
    '+CLCC: 1,1,4,0,0,"123456789",129,"",,0',
    "+CLCC: 2,1,0,0,1",
    '+CLCC: 3,1,0,0,1,"987654321",161,"Alice"',
    '+CLCC: 5,1,5,0,0,"555555555",161,"Mallory",2,0',
    '+CLCC: 1,0,2,0,0,"+8613800138000",145',
]

# Byte streams for the engine, written to the pty in these exact pieces.
CSQ_WITH_CALL_SPLIT = [
    b"\r\n+CSQ: 2",
    b"0,99\r\nRI",
    b'NG\r\n\r\n+CLIP: "+861380013',
    b'8000",145,,,,0\r\n',
]
CSQ_OK = b"\r\nOK\r\n"
SIMCOM_CSQ = b"\r\r\n+CSQ: 15,99\r\r\n\r\r\nOK\r\r\n"
CR_ONLY_CSQ = b"\r+CSQ: 15,99\rOK\r"
LF_ONLY_CSQ = b"+CSQ: 15,99\nOK\n"
ECHO_CFUN = b"AT+CFUN?\r\r\n+CFUN: 1\r\n\r\nOK\r\n"  # echo ended by CR only (faucamp#11)
ECHO_ATE0_TWICE = b"ATE0\rATE0\r\r\nOK\r\n"  # faucamp#56
HUAWEI_BLANKS = b"\x00\x00\r\n\r\nhuawei\r\n\r\n\r\n\r\nOK\r\n\r\n"
GAMMU_CANCEL_CALL = b'\r\nRING\r\n\r\n+CLIP: "+481239823991",145,"",128,"",0\r\n\r\n+CPIN: READY\r\n\r\nRING\r\n'
