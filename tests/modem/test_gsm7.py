"""The GSM 03.38 alphabet and septet packing, against vectors from TS 23.038 and python-gsmmodem's tests."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from modem import gsm7

# (text, septets, packed octets) — packed values as published in python-gsmmodem's
# test suite and checked by hand against the TS 23.038 §6.1.2.1 packing rule.
PACKED = [
    ("123", [0x31, 0x32, 0x33], [49, 217, 12]),
    ("12345678", list(b"12345678"), [49, 217, 140, 86, 179, 221, 112]),
    ("123456789", list(b"123456789"), [49, 217, 140, 86, 179, 221, 112, 57]),
    ("Hello World!", list(b"Hello World!"), [200, 50, 155, 253, 6, 93, 223, 114, 54, 57, 4]),
    (
        "[{abc}]~",
        [0x1B, 0x3C, 0x1B, 0x28, 0x61, 0x62, 0x63, 0x1B, 0x29, 0x1B, 0x3E, 0x1B, 0x3D],
        [27, 222, 6, 21, 22, 143, 55, 169, 141, 111, 211, 3],
    ),
    (
        "{åΦΓΛΩΠΨΣΘ€}",
        [27, 40, 15, 18, 19, 20, 21, 22, 23, 24, 25, 27, 101, 27, 41],
        [27, 212, 67, 50, 161, 84, 44, 23, 76, 102, 83, 222, 164, 0],
    ),
    ("a[]{}€", [97, 27, 60, 27, 62, 27, 40, 27, 41, 27, 101], [225, 13, 111, 227, 219, 160, 54, 169, 77, 25]),
]


@pytest.mark.parametrize("text,septets,packed", PACKED)
def test_known_texts_encode_pack_and_come_back(text, septets, packed):
    assert gsm7.encode(text) == septets
    assert list(gsm7.pack(septets)) == packed
    assert gsm7.unpack(bytes(packed), len(septets)) == septets
    assert gsm7.decode(septets) == text


def test_section_sign_is_0x5f_not_a_backtick():
    # python-gsmmodem-new maps 0x5F to '`'; TS 23.038 puts '§' there.
    assert gsm7.encode("§") == [0x5F]
    assert gsm7.decode([0x5F]) == "§"
    assert not gsm7.can_encode("`")


@pytest.mark.parametrize(
    "char,code",
    [("\f", 0x0A), ("^", 0x14), ("{", 0x28), ("}", 0x29), ("\\", 0x2F), ("[", 0x3C), ("~", 0x3D), ("]", 0x3E),
     ("|", 0x40), ("€", 0x65)],
)
def test_every_extension_character_is_an_escape_pair(char, code):
    assert gsm7.encode(char) == [0x1B, code]
    assert gsm7.septet_count(char) == 2
    assert gsm7.decode([0x1B, code]) == char


def test_the_default_alphabet_rows():
    assert gsm7.decode(list(range(0x00, 0x10))) == "@£$¥èéùìòÇ\nØø\rÅå"
    assert gsm7.decode([0x10, 0x11, 0x12, 0x1C, 0x1D, 0x1E, 0x1F]) == "Δ_ΦÆæßÉ"
    assert gsm7.decode([0x24, 0x40, 0x5B, 0x5C, 0x5D, 0x5E, 0x60, 0x7B, 0x7C, 0x7D, 0x7E, 0x7F]) == "¤¡ÄÖÑÜ¿äöñüà"


def test_unknown_escapes_never_raise():
    assert gsm7.decode([0x1B, 0x41]) == "A"  # unknown extension: the base character
    assert gsm7.decode([0x41, 0x1B]) == "A "  # a trailing ESC: a space
    assert gsm7.decode([0x1B, 0x1B, 0x41]) == " A"  # ESC ESC is reserved: a space
    assert gsm7.decode(bytes([0xC1])) == "A"  # the eighth bit is not part of a septet


def test_what_does_not_fit_is_refused():
    assert not gsm7.can_encode("你好")
    assert not gsm7.can_encode("😀")
    with pytest.raises(ValueError):
        gsm7.encode("price 5$ 😀")
    with pytest.raises(ValueError):
        gsm7.septet_count("`")


def test_fill_bits_shift_the_packing():
    # "Hi" after a 1-bit fill, as used after a 6-octet UDH: H=0x48, i=0x69.
    # Bits, least significant first: 0, then 0x48 (bits 1-7), then 0x69 (bits 8-14),
    # so the octets are 0x48 << 1 = 0x90 and 0x69.
    assert gsm7.pack([0x48, 0x69], fill_bits=1) == bytes([0x90, 0x69])
    assert gsm7.unpack(bytes([0x90, 0x69]), 2, fill_bits=1) == [0x48, 0x69]
    assert gsm7.pack([0x48, 0x69]) == bytes([0xC8, 0x34])  # no fill: the "Hi" of the 16-bit vector


def test_unpack_stops_when_the_octets_run_out():
    assert gsm7.unpack(bytes([49, 217]), 10) == [0x31, 0x32]
    assert gsm7.unpack(b"", 5) == []
    assert gsm7.pack([]) == b""


@given(st.lists(st.integers(0, 127), max_size=200), st.integers(0, 6))
def test_pack_unpack_round_trip(septets, fill):
    packed = gsm7.pack(septets, fill)
    assert len(packed) == (fill + 7 * len(septets) + 7) // 8
    assert gsm7.unpack(packed, len(septets), fill) == septets


@given(st.text(alphabet=st.sampled_from(gsm7.BASIC.replace("\x1b", "") + "€[]{}~\\|^\f")))
def test_encodable_text_round_trips(text):
    assert gsm7.can_encode(text)
    assert gsm7.decode(gsm7.encode(text)) == text
    assert gsm7.septet_count(text) == len(gsm7.encode(text))


@given(st.binary(max_size=300))
def test_decode_never_raises(data):
    assert isinstance(gsm7.decode(data), str)
