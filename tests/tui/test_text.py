"""tui.text: outside data comes out literal, clean and bounded."""

import pytest
from rich.console import Console
from textual.content import Content

from tests.hostile import FORBIDDEN, HOSTILE, visible_marker
from tui.text import LIMIT, cell, clean, mask_number, plain


@pytest.mark.parametrize("value", HOSTILE)
def test_plain_keeps_markup_literal_and_drops_control_codes(value):
    content = plain(value)
    assert isinstance(content, Content)
    assert not any(ch in content.plain for ch in FORBIDDEN)
    assert visible_marker(value) in content.plain
    assert len(content.plain) <= LIMIT


@pytest.mark.parametrize("value", HOSTILE)
def test_cell_renders_without_control_codes(value):
    console = Console(width=80, color_system=None, file=None, force_terminal=False)
    with console.capture() as capture:
        console.print(cell(value))
    out = capture.get()
    assert not any(ch in out for ch in FORBIDDEN)
    assert visible_marker(value) in out


def test_escape_sequences_leave_no_debris():
    assert clean("\x1b[31m红\x1b[0m") == "红"
    assert clean("\x1b]0;title\x07x") == "x"


def test_lines_keep_newlines_only_when_asked():
    assert clean("a\r\nb") == "a b"
    assert clean("a\r\nb\rc", lines=True) == "a\nb\nc"


def test_long_values_are_cut_with_an_ellipsis():
    assert clean("x" * 5000, limit=10) == "x" * 9 + "…"
    assert clean(None) == ""


def test_mask_hides_the_middle_digits():
    assert mask_number("+8613812345678") == "138****5678"
    assert mask_number("13812345678") == "138****5678"
    assert "5678" in mask_number("+14155555678") and "*" in mask_number("+14155555678")
    assert mask_number(None) == ""
