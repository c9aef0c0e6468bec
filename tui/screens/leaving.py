"""Leaving a changed form or a draft asks first: Esc on a form, F2…F10 away from it, Ctrl+Q with work unsaved.

The protocol is one method: a screen holding work not saved answers
`unsaved_work()` with a few words saying what ("a form"), else None.
`AsksBeforeLeaving` gives a form that method by comparing every field with
what it held when it was filled (or last saved), and an Esc that asks.
Drafts on screens that do not speak the protocol (the desk's composer, the
texts screen's reply box) are found by `unsaved_of`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from textual.css.query import NoMatches

from tui.i18n import current_language, t
from tui.screens.confirm import ConfirmScreen

FIELDS = "Input, Select, Switch, Checkbox, TextArea, SelectionList"


def _value(widget) -> object:
    if hasattr(widget, "selected") and hasattr(widget, "select_all"):  # a SelectionList
        return tuple(widget.selected)
    if hasattr(widget, "text") and not hasattr(widget, "value"):  # a TextArea
        return widget.text
    return getattr(widget, "value", None)


class AsksBeforeLeaving:
    """Mixin for a form screen: `action_leave` (bind Esc to it) asks before throwing changes away.

    Call `mark_saved()` once the fields hold what the book holds (after loading, after saving).
    """

    _saved_state: tuple | None = None

    def form_state(self) -> tuple:
        """What every field holds now."""
        return tuple((widget.id, _value(widget)) for widget in self.query(FIELDS))

    def mark_saved(self, only: tuple[str, ...] = ()) -> None:
        """The fields as they are now are what is kept: leaving now needs no question.

        With `only`, just those fields (filled late by a loader) are taken as kept; the others keep their mark.
        """
        now = self.form_state()
        if only and self._saved_state is not None:
            before = dict(self._saved_state)
            now = tuple((key, value if key in only else before.get(key, value)) for key, value in now)
        self._saved_state = now

    def on_mount(self) -> None:  # the fields as composed are the starting point; a loader marks again
        self.call_after_refresh(self.mark_saved)

    def unsaved_work(self) -> str | None:
        if self._saved_state is None or not self.is_mounted:
            return None
        return t("unsaved.form") if self.form_state() != self._saved_state else None

    def action_leave(self) -> None:
        """Esc: back out, asking first when something was changed."""
        if self.unsaved_work() is None:
            self.leave()
            return
        def answered(yes: bool | None) -> None:
            if yes:
                self.leave()

        self.app.push_screen(ConfirmScreen(t("ask.discard")), answered)

    def leave(self) -> None:
        """Close the form without saving."""
        self.dismiss(None)


def unsaved_of(screen) -> str | None:
    """What `screen` holds unsaved, in a few words, or None."""
    if not getattr(screen, "is_mounted", False):
        return None
    if hasattr(screen, "unsaved_work"):
        return screen.unsaved_work()
    from tui.widgets.composer import Composer

    try:
        if any(composer.body.strip() for composer in screen.query(Composer)):
            return t("unsaved.draft")  # the composer empties its text once it is queued
        if any(box.value.strip() for box in screen.query("#reply")):
            return t("unsaved.draft")
    except NoMatches:
        return None
    return None


class QuitQuestion(ConfirmScreen):
    """The question Ctrl+Q asks when work is unsaved; Ctrl+Q once more says yes."""


def _what(unsaved: list[str]) -> str:
    words = list(dict.fromkeys(unsaved))
    return ("、" if current_language() == "zh" else ", ").join(words)


def ask_before_leaving(app, screens: Iterable, then: Callable[[], None], *, quitting: bool = False) -> None:
    """Run `then` at once when none of `screens` holds unsaved work, else after the operator says yes."""
    unsaved = [words for words in (unsaved_of(s) for s in screens) if words]
    if not unsaved:
        then()
        return

    def answered(yes: bool | None) -> None:
        if yes:
            then()

    question = t("ask.quit", what=_what(unsaved)) if quitting else t("ask.discard")
    app.push_screen(QuitQuestion(question) if quitting else ConfirmScreen(question), answered)


def quit_asking(app) -> None:
    """Ctrl+Q: quit, asking first while a form or a draft holds work; Ctrl+Q on that question quits."""
    if isinstance(app.screen, QuitQuestion):
        app.exit()
        return
    ask_before_leaving(app, app.all_screens(), app.exit, quitting=True)
