"""Where a number is from: the compact home-country table agrees with phonenumbers' own geocoder."""

from __future__ import annotations

import subprocess
import sys

import phonenumbers
import pytest
from phonenumbers import carrier, geocoder

from tui.screens.origin import where_from

NUMBERS = ["+8613012345678", "+8613800138000", "+8618912345678", "+861012345678", "+862150123456",
           "+8675512345678", "+8619912345678", "+8617012345678"]


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_compact_table_says_what_phonenumbers_says(language):
    for number in NUMBERS:
        parsed = phonenumbers.parse(number)
        place = geocoder.description_for_number(parsed, language, region="CN")
        if place == geocoder.country_name_for_number(parsed, language):
            place = ""  # phonenumbers falls back to "China"; a shop in China learns nothing from that
        parts = [place, carrier.name_for_number(parsed, language)]
        assert where_from(number, "CN", language) == " · ".join(p for p in parts if p), number


def test_foreign_and_odd_numbers():
    assert where_from("+14155550123", "CN") == "US"
    assert where_from("", "CN") == ""
    assert where_from("not a number", "CN") == ""
    assert where_from("13012345678", "CN") == where_from("+8613012345678", "CN")


def test_the_desk_process_never_loads_the_whole_geocoder(tmp_path):
    code = ("import sys; from tui.screens.origin import where_from; print(where_from('+8613012345678'));"
            "print('phonenumbers.geodata' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"XDG_CACHE_HOME": str(tmp_path), "PATH": ""}).stdout.split()
    assert out == ["重庆市", "·", "中国联通", "False"]
