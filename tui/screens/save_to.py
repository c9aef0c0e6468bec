"""Where a desk export goes: a folder the operator sees and may change, never a hidden one.

The folder starts as the last one chosen in this session, else ~/Documents/guanjia
(XDG_DOCUMENTS_DIR when set) if the Documents folder exists, else the folder the
desk was started in. Dismisses with the folder, or None when backed out.
"""

from __future__ import annotations

import os
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Static

from tui.i18n import TranslatedBindings, t
from tui.text import clean, plain


def default_folder() -> Path:
    """~/Documents/guanjia (or $XDG_DOCUMENTS_DIR/guanjia) where there is a Documents folder, else the current one."""
    documents = Path(os.environ.get("XDG_DOCUMENTS_DIR") or Path.home() / "Documents").expanduser()
    return documents / "guanjia" if documents.is_dir() else Path.cwd()


def folder_problem(text: str) -> str:
    """What is wrong with `text` as a folder to save in, in the shop's words, or ''."""
    if not text.strip():
        return t("save_to.need_folder")
    path = Path(text.strip()).expanduser()
    if path.exists() and not path.is_dir():
        return t("save_to.not_folder", path=clean(str(path), limit=200))
    return ""


class SaveTo(TranslatedBindings, ModalScreen[Path | None]):
    """Ask the folder for a file named `name`; Enter (or Ctrl+S) saves there, Esc backs out."""

    BINDINGS = [
        Binding("ctrl+s", "save", "key.save", tooltip="tip.save_to", id="save_to.save"),
        Binding("escape", "dismiss(None)", "key.back", tooltip="tip.back", id="save_to.back"),
    ]

    def __init__(self, name: str, folder: Path | None = None) -> None:
        super().__init__()
        self.file_name = name
        self.folder = folder or default_folder()

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = t("save_to.title")
            yield Input(str(self.folder), id="folder", compact=True)
            yield Static(plain(t("save_to.hint", name=clean(self.file_name, limit=120))), id="save-hint")
            yield Static(id="problem", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#folder", Input).focus()

    @on(Input.Submitted, "#folder")
    def _submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        text = self.query_one("#folder", Input).value
        problem = folder_problem(text)
        if problem:
            self.query_one("#problem", Static).update(problem)
            return
        self.dismiss(Path(text.strip()).expanduser().absolute())
