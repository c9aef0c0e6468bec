"""Every problem store/ can give has words in both languages: a code without them would be said in English."""

from __future__ import annotations

import re
from pathlib import Path

from tui.i18n import TABLE

ROOT = Path(__file__).resolve().parent.parent
# The first argument of a Problem / Reason.of call: store.problems' codes are area.name.
CODE = re.compile(r'(?:Reason\.of|[A-Z]\w+)\(\s*"([a-z_]+\.[a-z_0-9]+|formula|formula_failed)"')


def _codes(folder: str) -> set[str]:
    found = set()
    for path in (ROOT / folder).rglob("*.py"):
        found |= set(CODE.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_store_problem_code_has_words():
    codes = _codes("store")
    assert {"number.length", "value.date", "file.missing", "tier.unknown", "book.folder", "campaign.cannot"} <= codes
    missing = sorted(code for code in codes if f"problem.{code}" not in TABLE)
    assert missing == []


def test_every_code_modem_gives_the_line_has_words():
    from modem.probe import _CME_WORDS, _CMS_WORDS

    for code in ("no_at", "timeout", "denied", "busy", "refused", "gone", "went_away", "other"):
        assert f"modem.error.{code}" in TABLE, code
    assert "modem.retry" in TABLE
    for kind, table in (("cms", _CMS_WORDS), ("cme", _CME_WORDS)):
        assert [n for n in table if f"modem.{kind}.{n}" not in TABLE] == []
    for creg in "012345":
        assert f"modem.creg.{creg}" in TABLE
