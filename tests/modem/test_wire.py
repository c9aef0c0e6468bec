"""Bytes → lines: every line ending real devices use, the bare `> ` prompt, noise and floods."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from modem.wire import MAX_LINE, PROMPT, LineReader
from tests.modem import transcripts as t


def lines_of(*chunks: bytes) -> list:
    reader = LineReader()
    return [item for chunk in chunks for item in reader.feed(chunk)]


@pytest.mark.parametrize(
    "stream",
    [b"\r\n+CSQ: 15,99\r\n\r\nOK\r\n", t.SIMCOM_CSQ, t.CR_ONLY_CSQ, t.LF_ONLY_CSQ],
    ids=["crlf", "cr-cr-lf", "cr-only", "lf-only"],
)
def test_every_line_ending(stream):
    assert lines_of(stream) == ["+CSQ: 15,99", "OK"]


def test_blank_lines_and_leading_nuls_are_dropped():
    assert lines_of(t.HUAWEI_BLANKS) == ["huawei", "OK"]


def test_echo_ended_by_cr_only():
    assert lines_of(t.ECHO_CFUN) == ["AT+CFUN?", "+CFUN: 1", "OK"]
    assert lines_of(t.ECHO_ATE0_TWICE) == ["ATE0", "ATE0", "OK"]


def test_a_line_split_anywhere_comes_out_whole():
    assert lines_of(*t.CSQ_WITH_CALL_SPLIT) == ["+CSQ: 20,99", "RING", '+CLIP: "+8613800138000",145,,,,0']
    assert lines_of(b"O", b"K\r", b"\n") == ["OK"]  # CR and LF in different reads: one line


@pytest.mark.parametrize("stream", [b"\r\n> ", b"> ", b"\r\n>", b"\r\r\n> "])
def test_the_prompt_without_a_line_ending(stream):
    assert lines_of(stream) == [PROMPT]


def test_prompt_after_echo_and_then_the_reply():
    reader = LineReader()
    assert reader.feed(b"AT+CMGS=23\r\r\n> ") == ["AT+CMGS=23", PROMPT]
    assert reader.feed(b"\r\n+CMGS: 64\r\n\r\nOK\r\n") == ["+CMGS: 64", "OK"]


@pytest.mark.parametrize("stream", [b"\r\n> \r\n+CMTI: \"SM\",3\r\n", b"> \r\n+CMTI: \"SM\",3\r\n",
                                    b"\r\n>\r\n+CMTI: \"SM\",3\r\n"])
def test_the_prompt_with_a_urc_right_behind_it(stream):
    assert lines_of(stream) == [PROMPT, '+CMTI: "SM",3']


def test_a_line_starting_with_gt_is_still_a_line():
    assert lines_of(b"> 0011\r\n") == ["> 0011"]


def test_non_utf8_bytes_never_raise():
    # Latin-1 £ and a stray 0xFF: replaced, the line and the next one survive.
    assert lines_of(b"\r\n\xa3\xff noise\r\nRING\r\n") == ["\ufffd\ufffd noise", "RING"]
    assert lines_of("张三\r\n".encode()) == ["张三"]


def test_a_flood_without_line_ends_cannot_eat_memory():
    reader = LineReader()
    out = []
    for _ in range(100):
        out += reader.feed(b"x" * 1000)
        assert len(reader.pending) <= MAX_LINE
    out += reader.feed(b"\r\nRING\r\n")
    assert all(len(line) <= MAX_LINE for line in out)
    assert out[-1] == "RING"
    assert sum(len(line) for line in out[:-1]) == 100_000


@settings(max_examples=300, deadline=None)
@given(garbage=st.binary(max_size=400))
def test_arbitrary_bytes_never_raise_and_the_next_line_reads_right(garbage):
    reader = LineReader()
    reader.feed(garbage)
    assert reader.feed(b"\r\nRING\r\n")[-1] == "RING"


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=300).map(lambda b: b.replace(b">", b"")), cuts=st.lists(st.integers(0, 300), max_size=8))
def test_chunking_does_not_change_the_lines(data, cuts):
    whole = lines_of(data + b"\r\n")
    points = sorted({min(c, len(data)) for c in cuts})
    chunks = [data[a:b] for a, b in zip([0, *points], [*points, len(data)], strict=True)]
    assert lines_of(*chunks, b"\r\n") == whole
