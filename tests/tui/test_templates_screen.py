"""The templates screen (F5): the editor checks fill-ins against the one set, and a template can be deleted."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Input, TextArea

from store import care, templates
from store.models import Template
from tests.tui.conftest import screen_text, settle
from tui.screens.confirm import ConfirmScreen
from tui.screens.templates import TemplateForm, TemplatesScreen


async def _until(pilot, app, condition) -> None:
    for _ in range(30):
        await settle(pilot, app)
        if condition():
            return


async def _to_templates(pilot, app) -> TemplatesScreen:
    await settle(pilot, app)
    await pilot.press("f5")
    await _until(pilot, app, lambda: isinstance(app.screen, TemplatesScreen) and app.screen.templates)
    assert isinstance(app.screen, TemplatesScreen)
    return app.screen


async def _type(pilot, text: str) -> None:
    for ch in text:
        await pilot.press("space" if ch == " " else ch)


@pytest.mark.parametrize("language", ["zh", "en"])
async def test_an_unknown_fill_in_is_refused_with_the_valid_ones_shown(make_app, language):
    app = make_app(language)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _to_templates(pilot, app)
        before = Template.select().count()
        await pilot.press("n")
        await _until(pilot, app, lambda: isinstance(app.screen, TemplateForm))
        form = app.screen
        shown = screen_text(app)
        # The editor lists the same set as the care rules (store/templates.py), {today} among them.
        for name in care.PLACEHOLDERS["missed_call"]:
            assert f"{{{name}}}" in shown, name
        form.query_one("#t-name", Input).value = "问候"
        form.query_one("#t-body", TextArea).text = "{nmae}您好，{shop}欢迎您"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is form  # not saved: the dialog stays and says why
        said = screen_text(app)
        assert "{nmae}" in said and "{name} {surname}" in said
        assert Template.select().count() == before
        form.query_one("#t-body", TextArea).text = "{name}您好，{today}{shop}欢迎您"
        await pilot.press("ctrl+s")
        await _until(pilot, app, lambda: Template.select().count() == before + 1)
        assert app.screen is screen
        assert Template.get(Template.name == "问候").body == "{name}您好，{today}{shop}欢迎您"


async def test_delete_asks_first_then_the_template_is_gone(make_app):
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _to_templates(pilot, app)
        assert "Delete" in screen_text(app)  # the key is in the footer
        table = screen.query_one(DataTable)
        await pilot.press("down")
        await settle(pilot, app)
        chosen = screen.selected
        count = Template.select().count()
        await pilot.press("delete")
        await _until(pilot, app, lambda: isinstance(app.screen, ConfirmScreen))
        assert isinstance(app.screen, ConfirmScreen) and chosen.name in screen_text(app)
        await pilot.press("n")  # backed out: nothing deleted
        await _until(pilot, app, lambda: app.screen is screen)
        assert Template.select().count() == count
        await pilot.press("delete")
        await _until(pilot, app, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await _until(pilot, app, lambda: Template.select().count() == count - 1)
        assert not Template.select().where(Template.id == chosen.template_id).exists()
        await _until(pilot, app, lambda: len(screen.templates) == count - 1)
        assert chosen.template_id not in [x.template_id for x in screen.templates]
        assert table.cursor_row == 1 and screen.selected is not None


async def test_delete_is_in_the_help_and_the_palette(make_app):
    from textual.command import CommandPalette

    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await _to_templates(pilot, app)
        await pilot.press("f1")
        await settle(pilot, app)
        assert "Delete this template" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot, app)
        await pilot.press("ctrl+p")
        await settle(pilot, app)
        assert isinstance(app.screen, CommandPalette)
        await _type(pilot, "delete")
        await pilot.pause(0.5)
        await settle(pilot, app)
        assert "Delete this template" in screen_text(app)
        await pilot.press("enter")
        await _until(pilot, app, lambda: isinstance(app.screen, ConfirmScreen))
        assert isinstance(app.screen, ConfirmScreen)  # the palette's command asks first, as the key does


def test_old_templates_keep_working(book):
    """A template stored before the check ({date} for today) still fills and still saves."""
    from datetime import datetime, timezone

    old = Template.create(name="老", body="{name}，{date}见", category="care", sort_order=1)
    templates.update_template(old.id, body="{name}，{date}见！")
    now = datetime(2026, 11, 25, 6, 30, tzinfo=timezone.utc)
    assert templates.render(Template.get_by_id(old.id).body, None, now=now) == "，11月25日见！"
