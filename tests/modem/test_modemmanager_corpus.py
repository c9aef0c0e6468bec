"""Our parsers on replies nobody here wrote: ModemManager's test suite (fixtures/modemmanager.json).

Each case is a reply recorded in ModemManager's tests with the values ModemManager's
own test asserts it reads; we parse the same bytes through our line reader and parsers
and compare. Where we read a case differently on purpose, the case is listed in
EXPECTED_DIFFERENCES with the reason, and the test checks that it does differ (so a
listed difference that goes away is noticed too). Nothing is skipped silently.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from modem import urc
from modem.events import RegistrationChanged
from modem.signal import signal_from_hcsq
from modem.wire import LineReader

CORPUS = json.loads((Path(__file__).parent / "fixtures" / "modemmanager.json").read_text("utf-8"))

# ModemManager's registration states as ours: a state that means the same to a shop reads the same.
_STATES = {
    "home": "home", "roaming": "roaming", "searching": "searching", "denied": "denied", "idle": "not_registered",
    "unknown": "unknown", "roaming_csfb_not_preferred": "roaming", "home_csfb_not_preferred": "home",
    "home_sms_only": "home", "roaming_sms_only": "roaming", "emergency_only": "not_registered",
    "attached_rlos": "not_registered",  # restricted local operator services: no calls or texts
}  # fmt: skip
_CALL_STATES = {0: "active", 1: "held", 2: "dialing", 3: "ringing_out", 4: "ringing_in", 5: "waiting"}
_VOICE_MODES = {None, 0, 3, 4, 5}  # ModemManager keeps these +CLCC modes and drops data and fax calls

EXPECTED_DIFFERENCES = {
    "src/tests/test-modem-helpers.c:4686": "ModemManager drops data and fax calls from +CLCC; we read every call "
                                           "(a fax machine ringing the shop is still a caller) and keep its mode",
    "src/tests/test-modem-helpers.c:1522": "the Gobi 1000 sends its LAC as '  0 5'; ModemManager reads the digits "
                                           "before the space (0), we keep the field as given ('0 5' = 5); the "
                                           "LAC is shown for diagnosis only and the registration state agrees",
    "src/tests/test-modem-helpers.c:5217": "an unprefixed '   SIM PUK' is input to ModemManager's own helper; a "
                                           "phone's reply to AT+CPIN? carries '+CPIN:', which is what we read",
    "src/tests/test-modem-helpers.c:5218": "the same, for '   SIM PUK2'",
}


def lines_of(reply: str) -> list[str]:
    """The reply through our own line reader, as the engine sees it (\\r\\r\\n and bare \\r\\n framings)."""
    reader = LineReader()
    return [x for x in reader.feed((reply + "\r\n").encode("latin-1")) if isinstance(x, str)]


def _hex(value: str | None) -> int:
    return int(value.replace(" ", ""), 16) if value else 0


def _registration(case) -> tuple:
    [line] = lines_of(case["reply"])[:1]
    if case["solicited"]:
        got = urc.parse_creg([line])
    else:
        [got] = [x for x in urc.UrcParser().feed(line) if isinstance(x, RegistrationChanged)]
    return got.state, got.domain, _hex(got.lac), _hex(got.cell)


def _clcc(case) -> list[tuple]:
    lines = lines_of(case["reply"])
    entries = urc.parse_clcc(lines) if "response" in case["test"] else [
        x for line in lines for x in urc.UrcParser().feed(line) if isinstance(x, urc.ClccEntry)]
    return sorted((e.call_id, "incoming" if e.incoming else "outgoing", _CALL_STATES.get(e.stat, str(e.stat)),
                   e.number or None) for e in entries)


def _their_clcc(case) -> list[tuple]:
    return sorted((c["index"], c["direction"], c["state"], c["number"]) for c in case["calls"])


def _simtech(case):
    [token] = [x for line in lines_of(case["reply"]) for x in urc.UrcParser().feed(line)]
    if case["kind"] == "voice_call":
        return ["TRUE" if token.state == "connected" else "FALSE", str(int(token.detail or 0))]
    if case["kind"] == "missed_call":
        return [f"{token.time_text} {token.number}"]
    if case["kind"] == "cring":
        return [token.kind.upper()]
    return [token.digit]


def _ours_and_theirs(kind: str, case) -> tuple[object, object]:
    if kind == "registration":
        return _registration(case), (_STATES[case["state"]], case["domain"], case["lac"], case["ci"])
    if kind == "cpms_test":
        ours = [tuple(x) for x in urc.parse_cpms_choices(lines_of(case["reply"]))]
        return [sorted(x) for x in ours], [sorted(x["names"]) for x in case["lists"]]
    if kind == "cpms_query":
        names = [u.storage if u.storage in ("SM", "ME", "MT", "SR", "BM", "TA") else "UNKNOWN"
                 for u in urc.parse_cpms(lines_of(case["reply"]))]
        return names[:2], [case["mem1"], case["mem2"]]
    if kind == "stored_pdus":
        lines = lines_of(case["reply"])
        found = urc.parse_cmgl(lines) if case["command"] == "+CMGL" else [urc.parse_cmgr(lines)]
        ours = sorted((m.index if case["command"] == "+CMGL" else 0, m.stat, m.pdu) for m in found if m)
        return ours, sorted((m["index"], m["status"], m["pdu"]) for m in case["messages"])
    if kind == "clcc":
        theirs = _their_clcc(case)
        return _clcc(case), theirs
    if kind == "clip":
        [token] = urc.UrcParser().feed(lines_of(case["reply"])[0])
        return (token.number, token.number_type), (case["number"], case["type"])
    if kind == "ccwa":
        [token] = urc.UrcParser().feed(lines_of(case["reply"])[0])
        return (token.number, token.number_type, token.call_class), (case["number"], case["type"], case["class"])
    if kind == "cpin":
        status = urc.parse_cpin(lines_of(case["reply"]))
        return (status or "unknown").lower().replace(" ", "_").replace("-", "_"), case["lock"]
    if kind == "hcsq":
        line = lines_of(case["reply"])[0]
        signal = signal_from_hcsq(line.partition(":")[2].strip())
        return signal.rssi_dbm, (-121 + case["values"][0]) if case["valid"] else None
    if kind == "simtech_urcs":
        return _simtech(case), case["values"]
    if kind == "cds":
        parser = urc.UrcParser()
        tokens = [x for line in lines_of(case["reply"]) for x in parser.feed(line)]
        [pushed] = tokens
        return (pushed.kind, pushed.length, pushed.pdu), ("cds", case["length"], case["pdu"])
    raise AssertionError(kind)


KINDS = [k for k, v in CORPUS.items() if isinstance(v, list)]
CASES = [(kind, case) for kind in KINDS for case in CORPUS[kind]]


@pytest.mark.parametrize(("kind", "case"), CASES, ids=[f"{k}-{c['source'].rsplit('/', 1)[1]}" for k, c in CASES])
def test_we_read_modemmanagers_recorded_replies_as_it_does(kind, case):
    ours, theirs = _ours_and_theirs(kind, case)
    if case["source"] in EXPECTED_DIFFERENCES:
        assert ours != theirs, f"listed as a difference but read the same now: {EXPECTED_DIFFERENCES[case['source']]}"
    else:
        assert ours == theirs, case["reply"]


def test_the_corpus_is_whole_and_sourced():
    assert CORPUS["repository"] == "linux-mobile-broadband/ModemManager" and len(CORPUS["commit"]) == 40
    counts = Counter(kind for kind, _ in CASES)
    assert counts["registration"] >= 50 and counts["stored_pdus"] >= 6 and counts["clcc"] >= 8
    assert all(case["source"].split(":")[0].endswith(".c") for _, case in CASES)
    listed = {case["source"] for _, case in CASES}
    assert set(EXPECTED_DIFFERENCES) <= listed  # no stale reason for a case that is gone
