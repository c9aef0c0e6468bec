"""Pictures at 80x24, Chinese and English: Settings with its footer, the customer form with its own keys.

Refresh with `pytest tests/tui/test_form_snapshots.py --snapshot-update`, only after looking at the report.
"""

from __future__ import annotations

import pytest

from store.customers import add_customer
from tests.tui.test_snapshots import _steady


@pytest.mark.parametrize("language", ["zh", "en"])
def test_settings_80x24(snap_compare, make_app, language):
    assert snap_compare(make_app(language), terminal_size=(80, 24), run_before=_steady("f6"))


@pytest.mark.parametrize("language", ["zh", "en"])
def test_customer_form_with_two_numbers_80x24(snap_compare, make_app, language):
    add_customer("多号码", ["+8613912340001", "+8613912340002"], tier="金卡")

    async def open_form(pilot) -> None:
        await _steady("f3")(pilot)
        pilot.app.screen.query_one("#search").value = "多号码"
        await _steady("down", "enter")(pilot)

    assert snap_compare(make_app(language), terminal_size=(80, 24), run_before=open_form)
