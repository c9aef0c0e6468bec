"""The app's table: Textual's DataTable with Home and End going to the first and last row, redrawn once
new rows have been measured.

Textual's own Home/End scroll sideways in a row table and leave the cursor
where it was, so a key pressed next acts on a row the operator no longer
sees. Every table of the app is this one, so the keys mean the same everywhere.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import DataTable

from tui.i18n import TranslatedBindings


class Table(TranslatedBindings, DataTable):
    """A DataTable whose Home/End move the row cursor to the first/last row (and scroll it into view)."""

    BINDINGS = [
        Binding("home", "first_row", "key.first_row", tooltip="tip.first_row", show=False, id="table.first_row"),
        Binding("end", "last_row", "key.last_row", tooltip="tip.last_row", show=False, id="table.last_row"),
    ]

    def _update_dimensions(self, new_rows) -> None:
        super()._update_dimensions(new_rows)
        # Textual measures new rows when idle but keys its drawn lines by an update count that measuring
        # does not move: a line drawn before the columns widened stayed drawn at the old widths ("Com…")
        # until something else changed. Forget those lines once the widths are known.
        self._update_count += 1
        self.refresh()

    def cursor_in_view(self) -> bool:
        """Whether the highlighted row is on screen (the mouse wheel scrolls without moving the cursor)."""
        if not self.row_count:
            return False
        body = self.scrollable_content_region.height - (self.header_height if self.show_header else 0)
        top = self._get_row_region(self.cursor_row).y - (self.header_height if self.show_header else 0)
        return self.scroll_y <= top and top + 1 <= self.scroll_y + body

    def show_cursor_row(self) -> None:
        """Scroll the highlighted row into view."""
        self.move_cursor(row=self.cursor_row, animate=False)

    def action_first_row(self) -> None:
        if self.cursor_type in ("row", "cell") and self.row_count:
            self.move_cursor(row=0)
        else:
            self.action_scroll_top()

    def action_last_row(self) -> None:
        if self.cursor_type in ("row", "cell") and self.row_count:
            self.move_cursor(row=self.row_count - 1)
        else:
            self.action_scroll_bottom()
