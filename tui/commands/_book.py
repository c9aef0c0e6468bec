"""Opening the book for a subcommand, with plain-words errors."""

from __future__ import annotations


def open_for(args):
    """The book named by --db (or GUANJIA_DB, or the data dir), bound to the models; UserError if it cannot open."""
    from store.db import BookError, open_book
    from tui.cli import UserError
    from tui.locations import default_database_url

    url = getattr(args, "db", None) or default_database_url()
    try:
        return url, open_book(url)
    except BookError as exc:
        raise UserError(str(exc)) from None
