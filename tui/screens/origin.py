"""Where a phone number is from and its carrier ("重庆市 · 中国联通"), from phonenumbers' offline data.

phonenumbers keeps every country's prefixes in one table that costs about
130 MB of memory once imported, for a card the desk shows now and then. The
desk needs only its home country's prefixes, so a child process extracts them
once into a small JSON file in the cache dir (named by phonenumbers' version
and the country code), and this process loads only that.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

_EXTRACT = r"""
import json, os, sys
from phonenumbers.carrierdata import CARRIER_DATA
from phonenumbers.geodata import GEOCODE_DATA

code, path = sys.argv[1], sys.argv[2]

def pick(table):
    out = {"zh": {}, "en": {}}
    for prefix, names in table.items():
        if prefix.startswith(code):
            for lang in out:
                if names.get(lang):
                    out[lang][prefix] = names[lang]
    return out

with open(path + ".tmp", "w", encoding="utf-8") as f:
    json.dump({"place": pick(GEOCODE_DATA), "carrier": pick(CARRIER_DATA)}, f, ensure_ascii=False)
os.replace(path + ".tmp", path)
"""

_tables: dict[int, dict] = {}
_lock = threading.Lock()


def cache_dir() -> Path:
    """$XDG_CACHE_HOME/guanjia (or ~/.cache/guanjia)."""
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(base) if base and os.path.isabs(base) else Path.home() / ".cache") / "guanjia"


def _table(country_code: int) -> dict:
    with _lock:
        if country_code not in _tables:
            import phonenumbers

            path = cache_dir() / f"origin-{country_code}-{phonenumbers.__version__}.json"
            if not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                subprocess.run([sys.executable, "-c", _EXTRACT, str(country_code), str(path)], check=True,
                               capture_output=True, timeout=120)
            data = json.loads(path.read_text(encoding="utf-8"))
            # Many prefixes share a name: keep one copy of each.
            for kind in data.values():
                for names in kind.values():
                    for prefix, name in names.items():
                        names[prefix] = sys.intern(name)
            _tables[country_code] = data
        return _tables[country_code]


def prepare(home_region: str = "CN") -> None:
    """Build (first run only) and load the home country's table, so the first unknown caller does not wait."""
    import phonenumbers

    _table(phonenumbers.country_code_for_region(home_region))


def _longest(names: dict[str, str], digits: str) -> str:
    for end in range(len(digits), 0, -1):
        name = names.get(digits[:end])
        if name:
            return name
    return ""


def where_from(number: str | None, home_region: str = "CN", language: str = "zh") -> str:
    """"重庆市 · 中国联通" for a home number; the country's code (US, JP ...) for a foreign one; "" if unknown."""
    if not number:
        return ""
    import phonenumbers

    try:
        parsed = phonenumbers.parse(number, None if number.startswith("+") else home_region)
    except phonenumbers.NumberParseException:
        return ""
    region = phonenumbers.region_code_for_number(parsed)
    if not region:
        return ""
    home_code = phonenumbers.country_code_for_region(home_region)
    if parsed.country_code != home_code:
        return region
    lang = "zh" if language == "zh" else "en"
    digits = f"{parsed.country_code}{phonenumbers.national_significant_number(parsed)}"
    table = _table(parsed.country_code)
    parts = [_longest(table["place"][lang], digits), _longest(table["carrier"][lang], digits)]
    return " · ".join(p for p in parts if p)
