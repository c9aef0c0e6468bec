"""Numbers: one E.164 spelling for every way people write them; plain words for what is not a number."""

from __future__ import annotations

import pytest

from store.numbers import InvalidNumber, display, mask, national_digits, normalize


@pytest.mark.parametrize("raw", ["13800138000", "+8613800138000", "008613800138000", "138 0013 8000",
                                 "138-0013-8000", "(138) 0013-8000", "＋８６１３８００１３８０００", " 13800138000 "])
def test_one_mobile_many_spellings(raw):
    assert normalize(raw) == "+8613800138000"


def test_landlines_and_foreign_numbers():
    assert normalize("010-12345678") == "+861012345678"
    assert normalize("(021) 6123 4567") == "+862161234567"
    assert normalize("+1 202 555 0143") == "+12025550143"
    assert normalize("020 7946 0958", region="GB") == "+442079460958"
    assert national_digits("+861012345678") == "01012345678"
    assert national_digits("+8613800138000") == "13800138000"


@pytest.mark.parametrize("raw, words", [
    ("", "empty"), ("   ", "empty"), ("hello", "only digits"), ("138abc", "only digits"),
    ("AT+CMGS=1", "only digits"), ("13800138000;ATH", "only digits"), ("12", "wrong length"),
    ("1" * 50, "only digits"), ("+999 1234567", "unknown country code"), ("\x00\x1b[2J", "only digits"),
    ("10000000000", "not a phone number"),
])
def test_not_numbers_say_why(raw, words):
    with pytest.raises(InvalidNumber, match=words):
        normalize(raw)


def test_not_text_at_all():
    with pytest.raises(InvalidNumber, match="should be text"):
        normalize(13800138000)  # type: ignore[arg-type]


def test_display_and_privacy_mask():
    assert display("+8613800138000") == "138 0013 8000"
    assert display("+12025550143").startswith("+1 202")
    assert mask("+8613812345678") == "138****5678"
    assert mask("+861012345678") == "010****5678"
    assert mask("10086") == "10*86"
    assert mask("123") == "***"


def test_the_mobile_fast_path_agrees_with_phonenumbers():
    import random

    import phonenumbers

    rng = random.Random(5)
    for _ in range(3000):
        digits = "1" + "".join(rng.choice("0123456789") for _ in range(10))
        raw = rng.choice((digits, "+86" + digits, "0086" + digits, f"{digits[:3]} {digits[3:7]} {digits[7:]}"))
        full = phonenumbers.parse("+86" + digits, None)
        if phonenumbers.is_valid_number(full):
            assert normalize(raw) == "+86" + digits
        else:
            with pytest.raises(InvalidNumber):
                normalize(raw)


def test_national_digits_fast_path_agrees_with_phonenumbers():
    import random

    import phonenumbers

    rng = random.Random(9)
    for _ in range(2000):
        e164 = "+861" + "".join(rng.choice("0123456789") for _ in range(10))
        number = phonenumbers.parse(e164, None)
        expected = "".join(ch for ch in phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
                           if ch.isdigit())
        assert national_digits(e164) == expected
